// Awards: the judges' final ranking of a closed round (or of a whole contest), the prize plan and its
// allocation, the verification of winners, replacements, and publication (which freezes the result).
//
// A plan has a key: a round's id for that round's prizes, or "contest:<contestId>" for prizes over
// the whole contest (ranked by each contestant's counting attempts summed over its rounds; see
// contestRanking). AwardPlan.roundId, Award.roundId and ExportRecord.roundId hold that key.
import { createHash } from "node:crypto";
import { z } from "zod";
import { allocateCollective, allocatePrizes, comparePrizes, contestRanking, finalRanking, type Allocation, type FinalEntry, type FinalRanking, type PrizePlan, type PrizeValue } from "~/domain/awards";
import { maskName } from "~/domain/names";
import { parseTieBreak, roundStatus, type TieBreak } from "~/domain/rounds";
import { vi } from "~/i18n/vi";
import { db } from "~/utils/db.server";
import { audit } from "./audit.server";
import { NotFoundError } from "./question-bank.server";
import { communeStandings, contestCommuneStandings } from "./standing.server";

export class AwardError extends Error {
  constructor(readonly code: "NOT_FOUND" | "ROUND_NOT_CLOSED" | "CONTEST_NOT_CLOSED" | "ALREADY_PUBLISHED" | "NOT_PUBLISHED" | "NO_PLAN" | "REASON_REQUIRED") {
    super(code);
  }
}

export const prizePlanSchema = z.object({
  tiers: z
    .array(
      z.object({
        name: z.string({ error: vi.awards.errors.tierName }).trim().min(1, vi.awards.errors.tierName).max(100, vi.awards.errors.tierName),
        count: z.number({ error: vi.awards.errors.tierCount }).int(vi.awards.errors.tierCount).min(1, vi.awards.errors.tierCount).max(1000, vi.awards.errors.tierCount),
        amount: z.number({ error: vi.awards.errors.amount }).int(vi.awards.errors.amount).min(0, vi.awards.errors.amount).max(1_000_000_000, vi.awards.errors.amount).optional(),
        group: z.enum(["official", "citizen", "student", "business"], { error: vi.awards.errors.group }).optional(),
      }),
      { error: vi.awards.errors.tiers },
    )
    .min(1, vi.awards.errors.tiers)
    .max(20, vi.awards.errors.tiers),
  onlyAllCorrect: z.boolean({ error: vi.awards.errors.tiers }).optional().default(false),
  onePrizePerContest: z.boolean({ error: vi.awards.errors.tiers }).optional().default(false),
  collective: z
    .object(
      {
        by: z.enum(["rate", "count"], { error: vi.awards.errors.collectiveBy }),
        minRatePer10k: z.number({ error: vi.awards.errors.threshold }).min(0, vi.awards.errors.threshold).max(10_000, vi.awards.errors.threshold).optional(),
        tiers: z
          .array(
            z.object({
              name: z.string({ error: vi.awards.errors.tierName }).trim().min(1, vi.awards.errors.tierName).max(100, vi.awards.errors.tierName),
              count: z.number({ error: vi.awards.errors.tierCount }).int(vi.awards.errors.tierCount).min(1, vi.awards.errors.tierCount).max(135, vi.awards.errors.tierCount),
              amount: z.number({ error: vi.awards.errors.amount }).int(vi.awards.errors.amount).min(0, vi.awards.errors.amount).max(1_000_000_000, vi.awards.errors.amount).optional(),
            }),
            { error: vi.awards.errors.tiers },
          )
          .min(1, vi.awards.errors.tiers)
          .max(10, vi.awards.errors.tiers),
      },
      { error: vi.awards.errors.collectiveBy },
    )
    .optional(),
  complaintDays: z.number({ error: vi.awards.errors.complaintDays }).int().min(0).max(60).optional().default(5),
});
export type PrizePlanInput = z.output<typeof prizePlanSchema>;

// ---------- the final ranking ----------

export interface RankingRow extends FinalEntry {
  fullName: string;
  nationalId: string | null;
  phone: string | null;
  birthDate: string | null;
  communeCode: string | null;
  group: string | null;
  workplace: string | null;
  flags: string[];
}

export const CONTEST_KEY_PREFIX = "contest:";
/** The key of a whole-contest plan. */
export const contestKey = (contestId: string) => `${CONTEST_KEY_PREFIX}${contestId}`;

/** What a plan key covers: one round, or every round of a contest. */
export interface AwardScope {
  key: string;
  kind: "round" | "contest";
  contestId: string;
  contestTitle: string;
  /** The round's name, or (whole contest) vi.awards.wholeContest. */
  name: string;
  rounds: { id: string; tieBreak: TieBreak[] }[];
  /** The order of the whole: the round's; for a contest, its last round's. */
  tieBreak: TieBreak[];
}

/** The scope of a key, which must be closed: the round, or every round of the contest. */
export async function closedScope(key: string, now: Date): Promise<AwardScope> {
  const isContest = key.startsWith(CONTEST_KEY_PREFIX);
  const select = { id: true, name: true, opensAt: true, closesAt: true, publishedAt: true, tieBreak: true } as const;
  if (isContest) {
    const contest = await db().contest.findUnique({ where: { id: key.slice(CONTEST_KEY_PREFIX.length) }, select: { id: true, title: true, rounds: { select, orderBy: { closesAt: "asc" } } } });
    if (!contest) throw new AwardError("NOT_FOUND");
    if (contest.rounds.length === 0 || contest.rounds.some((r) => !["closed", "published"].includes(roundStatus(r, now)))) throw new AwardError("CONTEST_NOT_CLOSED");
    const rounds = contest.rounds.map((r) => ({ id: r.id, tieBreak: parseTieBreak(r.tieBreak) }));
    return { key, kind: "contest", contestId: contest.id, contestTitle: contest.title, name: vi.awards.wholeContest, rounds, tieBreak: rounds[rounds.length - 1].tieBreak };
  }
  const round = await db().round.findUnique({ where: { id: key }, select: { ...select, contest: { select: { id: true, title: true } } } });
  if (!round) throw new AwardError("NOT_FOUND");
  const status = roundStatus(round, now);
  if (status !== "closed" && status !== "published") throw new AwardError("ROUND_NOT_CLOSED");
  const tieBreak = parseTieBreak(round.tieBreak);
  return { key, kind: "round", contestId: round.contest.id, contestTitle: round.contest.title, name: round.name, rounds: [{ id: round.id, tieBreak }], tieBreak };
}

async function roundFinalRanking(roundId: string, tieBreak: TieBreak[]): Promise<FinalRanking> {
  const attempts = await db().attempt.findMany({
    where: { roundId, status: { in: ["submitted", "expired"] } },
    select: { id: true, userId: true, correctCount: true, questionCount: true, durationMs: true, closedAt: true, prediction: true },
  });
  return finalRanking(
    attempts.map((a) => ({ id: a.id, userId: a.userId, correctCount: a.correctCount ?? 0, questionCount: a.questionCount, durationMs: a.durationMs ?? 0, closedAt: a.closedAt ?? new Date(0), prediction: a.prediction })),
    tieBreak,
  );
}

/**
 * The final ranking of a plan key (a round's id, or a contest's key) with the details the judges
 * need to verify winners. Judges and admins only. For a contest, `attemptId` lists the counting
 * attempt of each round, comma-separated, and `predictionError` is the sum over the rounds.
 */
export async function roundRanking(key: string, now: Date): Promise<{ actualAllCorrect: number; entries: RankingRow[]; scope: AwardScope }> {
  const scope = await closedScope(key, now);
  const perRound = await Promise.all(scope.rounds.map((r) => roundFinalRanking(r.id, r.tieBreak)));
  const ranking = scope.kind === "round" ? perRound[0] : contestRanking(perRound, scope.tieBreak);
  const userIds = ranking.entries.map((e) => e.userId);
  const users = new Map<string, { fullName: string; nationalId: string | null; phone: string | null; birthDate: string | null; communeCode: string | null; group: string | null; workplace: string | null }>();
  for (let i = 0; i < userIds.length; i += 5_000) {
    for (const u of await db().user.findMany({
      where: { id: { in: userIds.slice(i, i + 5_000) } },
      select: { id: true, fullName: true, nationalId: true, phone: true, birthDate: true, communeCode: true, group: true, workplace: true },
    })) users.set(u.id, u);
  }
  const flags = await db().flag.findMany({ where: { roundId: { in: scope.rounds.map((r) => r.id) }, status: "open" }, select: { attemptId: true, rule: true } });
  const flagsOf = new Map<string, string[]>();
  for (const f of flags) flagsOf.set(f.attemptId, [...(flagsOf.get(f.attemptId) ?? []), f.rule]);
  return {
    scope,
    actualAllCorrect: ranking.actualAllCorrect,
    entries: ranking.entries.map((e) => {
      const u = users.get(e.userId)!;
      return { ...e, ...u, flags: [...new Set(e.attemptId.split(",").flatMap((id) => flagsOf.get(id) ?? []))] };
    }),
  };
}

// ---------- plan and allocation ----------

export async function getPlan(roundId: string) {
  return db().awardPlan.findUnique({ where: { roundId }, include: { awards: { orderBy: [{ tierOrder: "asc" }, { rank: "asc" }] } } });
}

export async function savePlan(roundId: string, input: PrizePlanInput, judge: { id: string }, now: Date) {
  await closedScope(roundId, now);
  const existing = await db().awardPlan.findUnique({ where: { roundId } });
  if (existing?.status === "published") throw new AwardError("ALREADY_PUBLISHED");
  const plan: PrizePlan = { tiers: input.tiers, onlyAllCorrect: input.onlyAllCorrect, onePrizePerContest: input.onePrizePerContest, ...(input.collective ? { collective: input.collective } : {}) };
  const saved = await db().awardPlan.upsert({
    where: { roundId },
    create: { roundId, plan: JSON.stringify(plan), complaintDays: input.complaintDays },
    update: { plan: JSON.stringify(plan), complaintDays: input.complaintDays },
  });
  await audit({ actorId: judge.id, action: "awards.plan", entityType: "round", entityId: roundId, detail: { plan, complaintDays: input.complaintDays } });
  return saved;
}

/**
 * With "one prize per contest": the best prize each person holds in the contest's other plans
 * (its rounds' and the whole contest's), as winner.
 */
async function heldElsewhere(scope: AwardScope): Promise<Map<string, PrizeValue>> {
  const roundIds = (await db().round.findMany({ where: { contestId: scope.contestId }, select: { id: true } })).map((r) => r.id);
  const keys = [...roundIds, contestKey(scope.contestId)].filter((k) => k !== scope.key);
  const held = new Map<string, PrizeValue>();
  for (const a of await db().award.findMany({ where: { roundId: { in: keys }, status: "winner" }, select: { userId: true, amount: true, tierOrder: true } })) {
    const v = { amount: a.amount, order: a.tierOrder };
    const h = held.get(a.userId);
    if (!h || comparePrizes(v, h) > 0) held.set(a.userId, v);
  }
  return held;
}

export interface CollectiveWinner {
  tier: string;
  communeCode: string;
  amount: number | null;
}

/** Collective prizes of communes under the plan, from the scope's commune standings. */
async function collectiveWinners(scope: AwardScope, plan: PrizePlan, now: Date): Promise<CollectiveWinner[]> {
  if (!plan.collective) return [];
  const rows = scope.kind === "round" ? await communeStandings(scope.key, now) : await contestCommuneStandings(scope.contestId, now);
  return allocateCollective(rows, plan.collective);
}

/** Winners under the plan, excluding contestants whose award was replaced (disqualified). */
async function computeAllocation(roundId: string, plan: PrizePlan, now: Date, excluded: Set<string>) {
  const ranking = await roundRanking(roundId, now);
  const held = plan.onePrizePerContest ? await heldElsewhere(ranking.scope) : new Map<string, PrizeValue>();
  const allocation = allocatePrizes(
    ranking.entries.map((e) => ({ userId: e.userId, rank: e.rank, group: e.group ?? "", correctCount: e.correctCount, questionCount: e.questionCount, tied: e.tied })),
    plan,
    excluded,
    held,
  );
  return { ranking, allocation, collective: await collectiveWinners(ranking.scope, plan, now) };
}

export async function previewAllocation(
  roundId: string,
  now: Date,
): Promise<{ allocation: Allocation; ranking: Awaited<ReturnType<typeof roundRanking>>; collective: CollectiveWinner[] }> {
  const p = await db().awardPlan.findUnique({ where: { roundId }, include: { awards: { where: { status: "replaced" } } } });
  if (!p) throw new AwardError("NO_PLAN");
  return computeAllocation(roundId, JSON.parse(p.plan) as PrizePlan, now, new Set(p.awards.map((a) => a.userId)));
}

/**
 * Writes the allocation as awards (replacing earlier unverified ones). Replaced winners stay on
 * record and out of the allocation; verified winners keep their verification if still winners.
 */
export async function allocate(roundId: string, judge: { id: string }, now: Date) {
  const p = await db().awardPlan.findUnique({ where: { roundId }, include: { awards: true } });
  if (!p) throw new AwardError("NO_PLAN");
  if (p.status === "published") throw new AwardError("ALREADY_PUBLISHED");
  const plan = JSON.parse(p.plan) as PrizePlan;
  const replaced = new Set(p.awards.filter((a) => a.status === "replaced").map((a) => a.userId));
  const { ranking, allocation } = await computeAllocation(roundId, plan, now, replaced);
  const attemptOf = new Map(ranking.entries.map((e) => [e.userId, e.attemptId]));
  const verified = new Map(p.awards.filter((a) => a.status === "winner" && a.verified).map((a) => [`${a.tier}|${a.userId}`, a]));
  await db().$transaction(async (tx) => {
    await tx.award.deleteMany({ where: { planId: p.id, status: "winner" } });
    await tx.award.createMany({
      data: allocation.winners.map((w) => {
        const v = verified.get(`${w.tier}|${w.userId}`);
        return {
          planId: p.id,
          roundId,
          userId: w.userId,
          attemptId: attemptOf.get(w.userId) ?? "",
          tier: w.tier,
          tierOrder: w.tierIndex,
          rank: w.rank,
          amount: w.amount,
          verified: Boolean(v),
          verifiedById: v?.verifiedById ?? null,
          verifiedAt: v?.verifiedAt ?? null,
        };
      }),
    });
    await audit(
      {
        actorId: judge.id,
        action: "awards.allocate",
        entityType: "round",
        entityId: roundId,
        detail: { winners: allocation.winners.length, boundaryTies: allocation.boundaryTies, unfilled: allocation.unfilled, supersedes: allocation.supersedes, passedOver: allocation.passedOver },
      },
      tx,
    );
  });
  return allocation;
}

export async function setVerified(awardId: string, verified: boolean, judge: { id: string }, now: Date) {
  const a = await db().award.findUnique({ where: { id: awardId }, include: { plan: { select: { status: true } } } });
  if (!a) throw new AwardError("NOT_FOUND");
  if (a.plan.status === "published") throw new AwardError("ALREADY_PUBLISHED");
  await db().award.update({ where: { id: awardId }, data: { verified, verifiedById: verified ? judge.id : null, verifiedAt: verified ? now : null } });
  await audit({ actorId: judge.id, action: verified ? "awards.verify" : "awards.unverify", entityType: "award", entityId: awardId, detail: { userId: a.userId, tier: a.tier } });
}

/** A winner is disqualified (details do not match the ID card, staff…): the next in rank moves up. */
export async function replaceWinner(awardId: string, reason: string, judge: { id: string }, now: Date) {
  if (reason.trim().length < 3) throw new AwardError("REASON_REQUIRED");
  const a = await db().award.findUnique({ where: { id: awardId }, include: { plan: { select: { status: true } } } });
  if (!a || a.status !== "winner") throw new AwardError("NOT_FOUND");
  if (a.plan.status === "published") throw new AwardError("ALREADY_PUBLISHED");
  await db().award.update({ where: { id: awardId }, data: { status: "replaced", replacedReason: reason.trim(), replacedAt: now } });
  await audit({ actorId: judge.id, action: "awards.replace", entityType: "award", entityId: awardId, detail: { userId: a.userId, tier: a.tier, reason } });
  return allocate(a.roundId, judge, now);
}

// ---------- publication ----------

export interface PublishedResult {
  roundId: string;
  actualAllCorrect: number;
  ranking: { rank: number; userId: string; attemptId: string; correctCount: number; prediction: number | null; durationMs: number; submittedAt: string; tied: boolean }[];
  winners: { tier: string; userId: string; rank: number; amount: number | null; verified: boolean }[];
  collective: CollectiveWinner[];
}

/** The canonical JSON of a result: the same data always hashes the same. */
export function resultDigest(r: PublishedResult): { json: string; sha256: string } {
  const json = JSON.stringify(r);
  return { json, sha256: createHash("sha256").update(json).digest("hex") };
}

const publishedRanking = (entries: readonly FinalEntry[]): PublishedResult["ranking"] =>
  entries.map((e) => ({ rank: e.rank, userId: e.userId, attemptId: e.attemptId, correctCount: e.correctCount, prediction: e.prediction, durationMs: e.durationMs, submittedAt: e.submittedAt.toISOString(), tied: e.tied }));

/** What the result is now, from stored data (used to publish, and to verify a publication). */
export async function currentResult(roundId: string, now: Date): Promise<PublishedResult> {
  const p = await db().awardPlan.findUnique({ where: { roundId }, include: { awards: { where: { status: "winner" }, orderBy: [{ tierOrder: "asc" }, { rank: "asc" }, { userId: "asc" }] } } });
  if (!p) throw new AwardError("NO_PLAN");
  const ranking = await roundRanking(roundId, now);
  return {
    roundId,
    actualAllCorrect: ranking.actualAllCorrect,
    ranking: publishedRanking(ranking.entries),
    winners: p.awards.map((a) => ({ tier: a.tier, userId: a.userId, rank: a.rank, amount: a.amount, verified: a.verified })),
    collective: await collectiveWinners(ranking.scope, JSON.parse(p.plan) as PrizePlan, now),
  };
}

/**
 * Publishes: freezes ranking and winners (with a SHA-256 of the snapshot), marks the round
 * published and opens the complaint window. A second publication (after a late void) needs a reason.
 */
export async function publish(roundId: string, judge: { id: string }, now: Date, republishReason?: string) {
  const p = await db().awardPlan.findUnique({ where: { roundId } });
  if (!p) throw new AwardError("NO_PLAN");
  if (p.status === "published") {
    // Re-publishing (after a late void or a replacement) needs a reason.
    if (!republishReason?.trim()) throw new AwardError("ALREADY_PUBLISHED");
    await db().awardPlan.update({ where: { roundId }, data: { status: "draft" } });
  }
  // Always from the ranking as it is now: a void since the last allocation must not publish stale winners.
  await allocate(roundId, judge, now);
  const result = await currentResult(roundId, now);
  const { json, sha256 } = resultDigest(result);
  await db().$transaction(async (tx) => {
    await tx.awardPlan.update({
      where: { roundId },
      data: { status: "published", snapshot: json, snapshotSha256: sha256, publishedAt: now, publishedById: judge.id, republishReason: republishReason?.trim() || null },
    });
    // A round's result published marks the round published; the whole contest's has no round.
    if (!roundId.startsWith(CONTEST_KEY_PREFIX)) await tx.round.update({ where: { id: roundId }, data: { publishedAt: now } });
    await audit({ actorId: judge.id, action: republishReason ? "awards.republish" : "awards.publish", entityType: "round", entityId: roundId, detail: { sha256, reason: republishReason ?? null } }, tx);
  });
  return { sha256 };
}

/** Recomputes the result from stored data and compares it with the published snapshot. */
export async function verifyPublished(roundId: string, now: Date): Promise<{ published: string | null; recomputed: string; equal: boolean }> {
  const p = await db().awardPlan.findUnique({ where: { roundId } });
  if (!p || p.status !== "published" || !p.snapshot) throw new AwardError("NOT_PUBLISHED");
  const published = JSON.parse(p.snapshot) as PublishedResult;
  const plan = JSON.parse(p.plan) as PrizePlan;
  const replaced = new Set((await db().award.findMany({ where: { planId: p.id, status: "replaced" }, select: { userId: true } })).map((a) => a.userId));
  // Prizes held elsewhere in the contest are those of the plans as they stand: a later plan
  // cannot take back a winner of this one; it passes over them.
  const { ranking: recomputedRanking, allocation, collective } = await computeAllocation(roundId, plan, now, replaced);
  const verified = new Map(published.winners.map((w) => [`${w.tier}|${w.userId}`, w.verified]));
  const recomputed: PublishedResult = {
    roundId,
    actualAllCorrect: recomputedRanking.actualAllCorrect,
    ranking: publishedRanking(recomputedRanking.entries),
    winners: allocation.winners
      .map((w) => ({ tier: w.tier, tierIndex: w.tierIndex, userId: w.userId, rank: w.rank, amount: w.amount, verified: verified.get(`${w.tier}|${w.userId}`) ?? false }))
      .sort((a, b) => a.tierIndex - b.tierIndex || a.rank - b.rank || (a.userId < b.userId ? -1 : 1))
      .map(({ tierIndex: _t, ...w }) => w),
    collective,
  };
  const { sha256 } = resultDigest(recomputed);
  return { published: p.snapshotSha256, recomputed: sha256, equal: sha256 === p.snapshotSha256 };
}

/** The public results page: masked names, commune, tier; personal data stays with the judges. */
export async function publicResults(key: string, now: Date) {
  const p = await db().awardPlan.findUnique({ where: { roundId: key } });
  const round = key.startsWith(CONTEST_KEY_PREFIX)
    ? await db()
        .contest.findUnique({ where: { id: key.slice(CONTEST_KEY_PREFIX.length) }, select: { id: true, title: true } })
        .then((c) => (c ? { id: c.id, name: vi.awards.wholeContestOf(c.title) } : null))
    : await db().round.findUnique({ where: { id: key }, select: { id: true, name: true } });
  if (!round) throw new NotFoundError(`round ${key}`);
  if (!p || p.status !== "published" || !p.snapshot || !p.publishedAt) return { round, published: false as const };
  const snap = JSON.parse(p.snapshot) as PublishedResult;
  const users = new Map(
    (await db().user.findMany({ where: { id: { in: snap.winners.map((w) => w.userId) } }, select: { id: true, fullName: true, communeCode: true } })).map((u) => [u.id, u]),
  );
  const complaintUntil = new Date(p.publishedAt.getTime() + p.complaintDays * 24 * 60 * 60_000);
  return {
    round,
    published: true as const,
    publishedAt: p.publishedAt.toISOString(),
    complaintUntil: complaintUntil.toISOString(),
    complaintOpen: now < complaintUntil,
    sha256: p.snapshotSha256,
    actualAllCorrect: snap.actualAllCorrect,
    winners: snap.winners.map((w) => ({ tier: w.tier, rank: w.rank, displayName: maskName(users.get(w.userId)?.fullName ?? ""), communeCode: users.get(w.userId)?.communeCode ?? "" })),
    collective: (snap.collective ?? []).map((c) => ({ tier: c.tier, communeCode: c.communeCode })),
  };
}
