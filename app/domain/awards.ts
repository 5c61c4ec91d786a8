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
export function finalRanking(attempts: readonly RankingAttempt[], tieBreak: readonly TieBreak[], fixedActual?: number): FinalRanking {
  const byUser = new Map<string, RankingAttempt[]>();
  for (const a of attempts) (byUser.get(a.userId) ?? byUser.set(a.userId, []).get(a.userId)!).push(a);
  // All-correct depends on the score alone, so it is known before the prediction is used.
  let actual = 0;
  for (const list of byUser.values()) if (list.some((a) => a.questionCount > 0 && a.correctCount === a.questionCount)) actual++;
  if (fixedActual !== undefined) actual = fixedActual;
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

// ---------- the whole contest ----------

/**
 * The ranking of a whole contest from the final rankings of its rounds: each contestant's counting
 * attempts summed. Score is the total correct; then the tie-break order with prediction closeness
 * as the sum of the per-round errors (a round without a prediction makes it unknown: last), time as
 * the total time taken, and submission as the latest of the counting submissions. A contestant who
 * skipped a round simply has fewer correct answers. Shared ranks as in a round.
 */
export function contestRanking(rounds: readonly FinalRanking[], tieBreak: readonly TieBreak[]): FinalRanking {
  const byUser = new Map<string, { entries: FinalEntry[] }>();
  for (const r of rounds) for (const e of r.entries) (byUser.get(e.userId) ?? byUser.set(e.userId, { entries: [] }).get(e.userId)!).entries.push(e);
  const totals: (RankingAttempt & { attemptIds: string })[] = [...byUser.entries()].map(([userId, { entries }]) => {
    const errors = entries.map((e) => e.predictionError);
    return {
      id: userId,
      userId,
      attemptIds: entries.map((e) => e.attemptId).join(","),
      correctCount: entries.reduce((n, e) => n + e.correctCount, 0),
      questionCount: entries.reduce((n, e) => n + e.questionCount, 0),
      durationMs: entries.reduce((n, e) => n + e.durationMs, 0),
      closedAt: new Date(Math.max(...entries.map((e) => e.submittedAt.getTime()))),
      // compareAttempts measures |prediction − actual|: with actual 0 the "prediction" is the error sum.
      prediction: errors.some((x) => x === null) ? null : (errors as number[]).reduce((n, x) => n + x, 0),
    };
  });
  const ranked = finalRanking(totals, tieBreak, 0);
  const ids = new Map(totals.map((t) => [t.userId, t.attemptIds]));
  const allCorrect = totals.filter((t) => t.questionCount > 0 && t.correctCount === t.questionCount).length;
  return {
    actualAllCorrect: allCorrect,
    entries: ranked.entries.map((e) => ({ ...e, attemptId: ids.get(e.userId)!, prediction: null })),
  };
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
  /** A person wins at most one prize in the contest (rounds and whole contest): they keep the higher. */
  onePrizePerContest?: boolean;
  /** Prizes for communes, allocated alongside the individual ones. */
  collective?: CollectiveRule;
}

/**
 * How prizes of different plans compare (for "one prize per contest"): by amount when both have
 * one, else by the tier's place in its plan (Nhất before Nhì). Positive when `a` is the higher.
 */
export interface PrizeValue {
  amount: number | null;
  order: number;
}
export function comparePrizes(a: PrizeValue, b: PrizeValue): number {
  if (a.amount !== null && b.amount !== null && a.amount !== b.amount) return a.amount - b.amount;
  if (a.amount !== null && b.amount !== null) return 0;
  return b.order - a.order;
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
  /** Winners here who hold a lower prize elsewhere in the contest: they keep this one and give up that one. */
  supersedes: { userId: string; tier: string }[];
  /** Candidates passed over because they hold an equal or higher prize elsewhere in the contest. */
  passedOver: { userId: string; tier: string }[];
}

/**
 * Gives the tiers in order to the best-ranked eligible contestants. A contestant wins at most one
 * prize per plan; `exclude` removes the disqualified (the next in rank moves up). `held` is, with
 * "one prize per contest", the best prize each person holds in the contest's other plans: they are
 * passed over for a tier worth no more than that (they keep the higher; on equal value, the one
 * they already hold), and a win here worth more is reported in `supersedes`.
 */
export function allocatePrizes(ranked: readonly Candidate[], plan: PrizePlan, exclude: ReadonlySet<string> = new Set(), held: ReadonlyMap<string, PrizeValue> = new Map()): Allocation {
  const taken = new Set<string>();
  const out: Allocation = { winners: [], boundaryTies: [], unfilled: [], supersedes: [], passedOver: [] };
  const eligible = (c: Candidate, tier: PrizeTier) => (!tier.group || c.group === tier.group) && (!plan.onlyAllCorrect || (c.questionCount > 0 && c.correctCount === c.questionCount));
  for (const [tierIndex, tier] of plan.tiers.entries()) {
    const value: PrizeValue = { amount: tier.amount ?? null, order: tierIndex };
    const keepsOther = (userId: string) => {
      const h = held.get(userId);
      return h !== undefined && comparePrizes(h, value) >= 0;
    };
    const pool = ranked.filter((c) => !taken.has(c.userId) && !exclude.has(c.userId) && !keepsOther(c.userId) && eligible(c, tier));
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
      if (held.has(c.userId)) out.supersedes.push({ userId: c.userId, tier: tier.name });
    }
    // Who would have been in this tier but keeps a prize elsewhere (shown to the judges).
    const lastRank = chosen.length === tier.count ? chosen[chosen.length - 1].rank : Infinity;
    for (const c of ranked) {
      if (c.rank > lastRank) break;
      if (!taken.has(c.userId) && keepsOther(c.userId) && !exclude.has(c.userId) && eligible(c, tier) && !out.passedOver.some((p) => p.userId === c.userId)) out.passedOver.push({ userId: c.userId, tier: tier.name });
    }
    if (chosen.length < tier.count) out.unfilled.push({ tier: tier.name, missing: tier.count - chosen.length });
  }
  return out;
}

// ---------- collective prizes ----------

export interface CollectiveRule {
  /** Participants per 10,000 residents, or the number of participants. */
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
