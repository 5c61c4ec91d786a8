// Awards: the judges' final ranking of a closed round, the prize plan and its allocation, the
// verification of winners, replacements, and publication (which freezes the result).
import { createHash } from "node:crypto";
import { z } from "zod";
import { allocatePrizes, finalRanking, type Allocation, type FinalEntry, type PrizePlan } from "~/domain/awards";
import { maskName } from "~/domain/names";
import { parseTieBreak, roundStatus } from "~/domain/rounds";
import { vi } from "~/i18n/vi";
import { db } from "~/utils/db.server";
import { audit } from "./audit.server";
import { NotFoundError } from "./question-bank.server";

export class AwardError extends Error {
  constructor(readonly code: "NOT_FOUND" | "ROUND_NOT_CLOSED" | "ALREADY_PUBLISHED" | "NOT_PUBLISHED" | "NO_PLAN" | "REASON_REQUIRED") {
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

async function closedRound(roundId: string, now: Date) {
  const round = await db().round.findUnique({ where: { id: roundId } });
  if (!round) throw new AwardError("NOT_FOUND");
  const status = roundStatus(round, now);
  if (status !== "closed" && status !== "published") throw new AwardError("ROUND_NOT_CLOSED");
  return round;
}

/** The final ranking with the details the judges need to verify winners. Judges and admins only. */
export async function roundRanking(roundId: string, now: Date): Promise<{ actualAllCorrect: number; entries: RankingRow[] }> {
  const round = await closedRound(roundId, now);
  const attempts = await db().attempt.findMany({
    where: { roundId, status: { in: ["submitted", "expired"] } },
    select: { id: true, userId: true, correctCount: true, questionCount: true, durationMs: true, closedAt: true, prediction: true },
  });
  const ranking = finalRanking(
    attempts.map((a) => ({ id: a.id, userId: a.userId, correctCount: a.correctCount ?? 0, questionCount: a.questionCount, durationMs: a.durationMs ?? 0, closedAt: a.closedAt ?? new Date(0), prediction: a.prediction })),
    parseTieBreak(round.tieBreak),
  );
  const userIds = ranking.entries.map((e) => e.userId);
  const users = new Map<string, { fullName: string; nationalId: string | null; phone: string | null; birthDate: string | null; communeCode: string | null; group: string | null; workplace: string | null }>();
  for (let i = 0; i < userIds.length; i += 5_000) {
    for (const u of await db().user.findMany({
      where: { id: { in: userIds.slice(i, i + 5_000) } },
      select: { id: true, fullName: true, nationalId: true, phone: true, birthDate: true, communeCode: true, group: true, workplace: true },
    })) users.set(u.id, u);
  }
  const flags = await db().flag.findMany({ where: { roundId, status: "open" }, select: { attemptId: true, rule: true } });
  const flagsOf = new Map<string, string[]>();
  for (const f of flags) flagsOf.set(f.attemptId, [...(flagsOf.get(f.attemptId) ?? []), f.rule]);
  return {
    actualAllCorrect: ranking.actualAllCorrect,
    entries: ranking.entries.map((e) => {
      const u = users.get(e.userId)!;
      return { ...e, ...u, flags: flagsOf.get(e.attemptId) ?? [] };
    }),
  };
}

// ---------- plan and allocation ----------

export async function getPlan(roundId: string) {
  return db().awardPlan.findUnique({ where: { roundId }, include: { awards: { orderBy: [{ tierOrder: "asc" }, { rank: "asc" }] } } });
}

export async function savePlan(roundId: string, input: PrizePlanInput, judge: { id: string }, now: Date) {
  await closedRound(roundId, now);
  const existing = await db().awardPlan.findUnique({ where: { roundId } });
  if (existing?.status === "published") throw new AwardError("ALREADY_PUBLISHED");
  const plan: PrizePlan = { tiers: input.tiers, onlyAllCorrect: input.onlyAllCorrect };
  const saved = await db().awardPlan.upsert({
    where: { roundId },
    create: { roundId, plan: JSON.stringify(plan), complaintDays: input.complaintDays },
    update: { plan: JSON.stringify(plan), complaintDays: input.complaintDays },
  });
  await audit({ actorId: judge.id, action: "awards.plan", entityType: "round", entityId: roundId, detail: { plan, complaintDays: input.complaintDays } });
  return saved;
}

/** Winners under the plan, excluding contestants whose award was replaced (disqualified). */
async function computeAllocation(roundId: string, plan: PrizePlan, now: Date, excluded: Set<string>) {
  const ranking = await roundRanking(roundId, now);
  const allocation = allocatePrizes(
    ranking.entries.map((e) => ({ userId: e.userId, rank: e.rank, group: e.group ?? "", correctCount: e.correctCount, questionCount: e.questionCount, tied: e.tied })),
    plan,
    excluded,
  );
  return { ranking, allocation };
}

export async function previewAllocation(roundId: string, now: Date): Promise<{ allocation: Allocation; ranking: Awaited<ReturnType<typeof roundRanking>> }> {
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
    await audit({ actorId: judge.id, action: "awards.allocate", entityType: "round", entityId: roundId, detail: { winners: allocation.winners.length, boundaryTies: allocation.boundaryTies, unfilled: allocation.unfilled } }, tx);
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
}

/** The canonical JSON of a result: the same data always hashes the same. */
export function resultDigest(r: PublishedResult): { json: string; sha256: string } {
  const json = JSON.stringify(r);
  return { json, sha256: createHash("sha256").update(json).digest("hex") };
}

/** What the result is now, from stored data (used to publish, and to verify a publication). */
export async function currentResult(roundId: string, now: Date): Promise<PublishedResult> {
  const p = await db().awardPlan.findUnique({ where: { roundId }, include: { awards: { where: { status: "winner" }, orderBy: [{ tierOrder: "asc" }, { rank: "asc" }, { userId: "asc" }] } } });
  if (!p) throw new AwardError("NO_PLAN");
  const ranking = await roundRanking(roundId, now);
  return {
    roundId,
    actualAllCorrect: ranking.actualAllCorrect,
    ranking: ranking.entries.map((e) => ({ rank: e.rank, userId: e.userId, attemptId: e.attemptId, correctCount: e.correctCount, prediction: e.prediction, durationMs: e.durationMs, submittedAt: e.submittedAt.toISOString(), tied: e.tied })),
    winners: p.awards.map((a) => ({ tier: a.tier, userId: a.userId, rank: a.rank, amount: a.amount, verified: a.verified })),
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
    await tx.round.update({ where: { id: roundId }, data: { publishedAt: now } });
    await audit({ actorId: judge.id, action: republishReason ? "awards.republish" : "awards.publish", entityType: "round", entityId: roundId, detail: { sha256, reason: republishReason ?? null } }, tx);
  });
  return { sha256 };
}

/** Recomputes the result from stored data and compares it with the published snapshot. */
export async function verifyPublished(roundId: string, now: Date): Promise<{ published: string | null; recomputed: string; equal: boolean }> {
  const p = await db().awardPlan.findUnique({ where: { roundId } });
  if (!p || p.status !== "published" || !p.snapshot) throw new AwardError("NOT_PUBLISHED");
  const published = JSON.parse(p.snapshot) as PublishedResult;
  const recomputedRanking = await roundRanking(roundId, now);
  const plan = JSON.parse(p.plan) as PrizePlan;
  const replaced = new Set((await db().award.findMany({ where: { planId: p.id, status: "replaced" }, select: { userId: true } })).map((a) => a.userId));
  const { allocation } = await computeAllocation(roundId, plan, now, replaced);
  const verified = new Map(published.winners.map((w) => [`${w.tier}|${w.userId}`, w.verified]));
  const recomputed: PublishedResult = {
    roundId,
    actualAllCorrect: recomputedRanking.actualAllCorrect,
    ranking: recomputedRanking.entries.map((e) => ({ rank: e.rank, userId: e.userId, attemptId: e.attemptId, correctCount: e.correctCount, prediction: e.prediction, durationMs: e.durationMs, submittedAt: e.submittedAt.toISOString(), tied: e.tied })),
    winners: allocation.winners
      .map((w) => ({ tier: w.tier, tierIndex: w.tierIndex, userId: w.userId, rank: w.rank, amount: w.amount, verified: verified.get(`${w.tier}|${w.userId}`) ?? false }))
      .sort((a, b) => a.tierIndex - b.tierIndex || a.rank - b.rank || (a.userId < b.userId ? -1 : 1))
      .map(({ tierIndex: _t, ...w }) => w),
  };
  const { sha256 } = resultDigest(recomputed);
  return { published: p.snapshotSha256, recomputed: sha256, equal: sha256 === p.snapshotSha256 };
}

/** The public results page: masked names, commune, tier; personal data stays with the judges. */
export async function publicResults(roundId: string, now: Date) {
  const p = await db().awardPlan.findUnique({ where: { roundId } });
  const round = await db().round.findUnique({ where: { id: roundId }, select: { id: true, name: true } });
  if (!round) throw new NotFoundError(`round ${roundId}`);
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
  };
}

