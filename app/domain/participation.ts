// Collective standings of communes: participation and results. Pure arithmetic, tested alone.

export interface CommuneTally {
  communeCode: string;
  participants: number;
  attempts: number;
  correctSum: number;
  allCorrect: number;
}

export interface CommuneRow {
  communeCode: string;
  participants: number;
  attempts: number;
  averageCorrect: number;
  allCorrectShare: number;
  /** Participants per 10,000 residents; the population is an estimate (see prisma/data/README.md). */
  participationPer10k: number | null;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function communeRow(t: CommuneTally, population: number | null): CommuneRow {
  return {
    communeCode: t.communeCode,
    participants: t.participants,
    attempts: t.attempts,
    averageCorrect: t.participants ? round2(t.correctSum / t.participants) : 0,
    allCorrectShare: t.participants ? round2(t.allCorrect / t.participants) : 0,
    participationPer10k: population && population > 0 ? round2((t.participants * 10_000) / population) : null,
  };
}

/** Every commune gets a row (zeros where nobody took part), sorted by participants, descending. */
export function communeBoard(tallies: readonly CommuneTally[], communes: readonly { code: string; population: number }[]): CommuneRow[] {
  const byCode = new Map(tallies.map((t) => [t.communeCode, t]));
  const collatorOrder = new Map(communes.map((c, i) => [c.code, i]));
  return communes
    .map((c) => communeRow(byCode.get(c.code) ?? { communeCode: c.code, participants: 0, attempts: 0, correctSum: 0, allCorrect: 0 }, c.population))
    .sort((a, b) => b.participants - a.participants || (collatorOrder.get(a.communeCode)! - collatorOrder.get(b.communeCode)!));
}
