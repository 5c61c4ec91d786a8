// Final ranking and prize allocation. Pure: the judges' numbers must be reproducible from stored
// data by anyone (`npm run ranking:verify`), so nothing here reads a clock or a database.
import { bestAttempt, compareAttempts, predictionError, type RankedAttempt } from "./ranking";
import type { TieBreak } from "./rounds";

export interface RankingAttempt extends RankedAttempt {
  userId: string;
}

export interface FinalEntry {
  rank: number;
  userId: string;
  attemptId: string;
  correctCount: number;
  questionCount: number;
  prediction: number | null;
  predictionError: number | null;
  durationMs: number;
  submittedAt: Date;
  /** Equal to a neighbour on every criterion: shown to the judges, never broken silently. */
  tied: boolean;
}

export interface FinalRanking {
  actualAllCorrect: number;
  entries: FinalEntry[];
}

/**
 * The final order of a closed round from its closed, non-voided attempts: each contestant's
 * counting attempt (the best by the round's order), then all of them by score and tie-breaks.
 * Entries equal on every criterion share a rank and are marked `tied`; the order among them is by
 * user id only so that the output is stable, and carries no meaning.
 */
export function finalRanking(attempts: readonly RankingAttempt[], tieBreak: readonly TieBreak[]): FinalRanking {
  const byUser = new Map<string, RankingAttempt[]>();
  for (const a of attempts) byUser.set(a.userId, [...(byUser.get(a.userId) ?? []), a]);
  // All-correct depends on the score alone, so it is known before the prediction is used.
  let actual = 0;
  for (const list of byUser.values()) if (list.some((a) => a.questionCount > 0 && a.correctCount === a.questionCount)) actual++;
  const counting = [...byUser.values()].map((list) => bestAttempt(list, tieBreak, actual)!);
  counting.sort((a, b) => compareAttempts(a, b, tieBreak, actual) || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  const entries: FinalEntry[] = [];
  counting.forEach((a, i) => {
    const sameAsPrev = i > 0 && compareAttempts(counting[i - 1], a, tieBreak, actual) === 0;
    const sameAsNext = i < counting.length - 1 && compareAttempts(a, counting[i + 1], tieBreak, actual) === 0;
    entries.push({
      rank: sameAsPrev ? entries[i - 1].rank : i + 1,
      userId: a.userId,
      attemptId: a.id,
      correctCount: a.correctCount,
      questionCount: a.questionCount,
      prediction: a.prediction,
      predictionError: predictionError(a.prediction, actual),
      durationMs: a.durationMs,
      submittedAt: a.closedAt,
      tied: sameAsPrev || sameAsNext,
    });
  });
  return { actualAllCorrect: actual, entries };
}

// ---------- prizes ----------

export interface PrizeTier {
  /** "Giải Nhất", "Giải Nhì"… in order of value. */
  name: string;
  count: number;
  amount?: number;
  /** Only contestants of this group (e.g. officials and citizens have separate prizes). */
  group?: string;
}

export interface PrizePlan {
  tiers: PrizeTier[];
  onlyAllCorrect: boolean;
}

export interface Candidate {
  userId: string;
  rank: number;
  group: string;
  correctCount: number;
  questionCount: number;
  tied: boolean;
}

export interface Allocation {
  /** `tierIndex` is the tier's place in the plan (two tiers may share a name, for different groups). */
  winners: { tier: string; tierIndex: number; userId: string; rank: number; amount: number | null }[];
  /** A tie straddling a tier's last place: the judges must decide who is in. */
  boundaryTies: { tier: string; rank: number; userIds: string[]; places: number }[];
  /** Tiers with fewer eligible contestants than prizes. */
  unfilled: { tier: string; missing: number }[];
}

/**
 * Gives the tiers in order to the best-ranked eligible contestants. A contestant wins at most one
 * prize per plan; `exclude` removes the disqualified (the next in rank moves up); `alreadyWon`
 * removes people who won a higher prize elsewhere in the contest (one prize per contest).
 */
export function allocatePrizes(ranked: readonly Candidate[], plan: PrizePlan, exclude: ReadonlySet<string> = new Set(), alreadyWon: ReadonlySet<string> = new Set()): Allocation {
  const taken = new Set<string>();
  const out: Allocation = { winners: [], boundaryTies: [], unfilled: [] };
  for (const [tierIndex, tier] of plan.tiers.entries()) {
    const pool = ranked.filter(
      (c) =>
        !taken.has(c.userId) &&
        !exclude.has(c.userId) &&
        !alreadyWon.has(c.userId) &&
        (!tier.group || c.group === tier.group) &&
        (!plan.onlyAllCorrect || (c.questionCount > 0 && c.correctCount === c.questionCount)),
    );
    const chosen = pool.slice(0, tier.count);
    const last = chosen[chosen.length - 1];
    if (last && pool.length > chosen.length && pool[chosen.length].rank === last.rank) {
      const tiedAll = pool.filter((c) => c.rank === last.rank);
      const inside = chosen.filter((c) => c.rank === last.rank).length;
      out.boundaryTies.push({ tier: tier.name, rank: last.rank, userIds: tiedAll.map((c) => c.userId), places: inside });
    }
    for (const c of chosen) {
      taken.add(c.userId);
      out.winners.push({ tier: tier.name, tierIndex, userId: c.userId, rank: c.rank, amount: tier.amount ?? null });
    }
    if (chosen.length < tier.count) out.unfilled.push({ tier: tier.name, missing: tier.count - chosen.length });
  }
  return out;
}

// ---------- collective prizes ----------

export interface CollectiveRule {
  by: "rate" | "count";
  /** Only communes at or above this participation rate (per 10,000 residents) qualify. */
  minRatePer10k?: number;
  tiers: { name: string; count: number; amount?: number }[];
}

export interface CommuneResult {
  communeCode: string;
  participants: number;
  participationPer10k: number | null;
  averageCorrect: number;
}

/** Communes by participation (rate or count), average score second; the threshold filters first. */
export function allocateCollective(rows: readonly CommuneResult[], rule: CollectiveRule): { tier: string; communeCode: string; amount: number | null }[] {
  const eligible = rows.filter((r) => r.participants > 0 && (rule.minRatePer10k === undefined || (r.participationPer10k ?? 0) >= rule.minRatePer10k));
  const key = (r: CommuneResult) => (rule.by === "rate" ? r.participationPer10k ?? 0 : r.participants);
  const sorted = [...eligible].sort((a, b) => key(b) - key(a) || b.averageCorrect - a.averageCorrect || a.communeCode.localeCompare(b.communeCode));
  const out: { tier: string; communeCode: string; amount: number | null }[] = [];
  let i = 0;
  for (const tier of rule.tiers) {
    for (let k = 0; k < tier.count && i < sorted.length; k++, i++) out.push({ tier: tier.name, communeCode: sorted[i].communeCode, amount: tier.amount ?? null });
  }
  return out;
}
