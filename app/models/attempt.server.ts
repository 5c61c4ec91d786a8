// Attempts: start (draw), read, save answers, submit, expire. Every function takes the owner and
// the current time; an attempt is only ever read for its owner (404 for anyone else).
import { randomBytes } from "node:crypto";
import { deadlineFor, durationMs, GRACE_MS, isOpen, isOverdue, type AttemptStatus } from "~/domain/attempt";
import { drawQuestions, type DrawError, type DrawSpec } from "~/domain/draw";
import type { Difficulty } from "~/domain/questions";
import { seededRng, shuffle } from "~/domain/random";
import { checkStart, type RefusalCode } from "~/domain/rules";
import type { Role } from "~/domain/roles";
import { db, isUniqueViolation, type Db } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { refreshStanding } from "./standing.server";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export interface AttemptView {
  id: string;
  roundId: string;
  number: number;
  status: AttemptStatus;
  startedAt: string;
  deadlineAt: string;
  serverNow: string;
  questions: { id: string; text: string; options: { id: string; text: string }[] }[];
  answers: Record<string, string>;
}

export interface AttemptResult {
  attemptId: string;
  status: AttemptStatus;
  correctCount: number;
  questionCount: number;
  durationMs: number;
  submittedAt: string | null;
  prediction: number | null;
}

export class AttemptError extends Error {
  constructor(
    readonly code:
      | "NOT_FOUND"
      | "ATTEMPT_CLOSED"
      | "QUESTION_NOT_IN_ATTEMPT"
      | "OPTION_NOT_IN_QUESTION"
      | "PREDICTION_REQUIRED"
      | "ROUND_NOT_READY"
      | RefusalCode,
    readonly detail?: unknown,
  ) {
    super(code);
  }
}

export interface Contestant {
  id: string;
  role: Role;
  group: string | null;
}

// ---------- rounds as the draw sees them ----------

export function parseJsonObject<T>(s: string): T {
  try {
    const v = JSON.parse(s);
    return (v && typeof v === "object" && !Array.isArray(v) ? v : {}) as T;
  } catch {
    return {} as T;
  }
}

export function drawSpecOf(round: { questionCount: number; topicCounts: string; difficultyCounts: string }): DrawSpec {
  const topics = parseJsonObject<Record<string, number>>(round.topicCounts);
  const difficulty = parseJsonObject<Partial<Record<Difficulty, number>>>(round.difficultyCounts);
  return {
    count: round.questionCount,
    ...(Object.keys(topics).length ? { topics } : {}),
    ...(Object.keys(difficulty).length ? { difficulty } : {}),
  };
}

/** The bank a contestant of this group draws from: the round's, or its group's own. */
export function bankFor(round: { bankId: string; groupBanks: string }, group: string | null): string {
  const perGroup = parseJsonObject<Record<string, string>>(round.groupBanks);
  return (group && perGroup[group]) || round.bankId;
}

const POOL_TTL_MS = 5_000;
const pools = new Map<string, { at: number; rows: { id: string; topic: string; difficulty: Difficulty }[] }>();

/**
 * A bank's active questions as the draw needs them. At a round's opening every start would read the
 * whole bank, so the list is kept for 5 seconds per process: a question retired or added shows in
 * the draw within that time.
 */
export async function questionPool(bankId: string, fresh = false) {
  const now = Date.now();
  const hit = pools.get(bankId);
  if (!fresh && hit && now - hit.at < POOL_TTL_MS) return hit.rows;
  const rows = (await db().question.findMany({ where: { bankId, status: "active" }, select: { id: true, topic: true, difficulty: true } })).map((r) => ({
    ...r,
    difficulty: r.difficulty as Difficulty,
  }));
  pools.set(bankId, { at: now, rows });
  return rows;
}

/** Round setup check: can this bank satisfy the draw? (Every start would fail otherwise.) */
export async function checkDraw(bankId: string, spec: DrawSpec): Promise<DrawError | null> {
  const r = drawQuestions(await questionPool(bankId, true), spec, seededRng("setup-check"));
  return r.ok ? null : r.error;
}

// ---------- reading ----------


async function loadOwned(attemptId: string, userId: string) {
  const a = await db().attempt.findUnique({ where: { id: attemptId } });
  if (!a || a.userId !== userId) throw new AttemptError("NOT_FOUND");
  return a;
}

async function viewOf(attemptId: string, now: Date): Promise<AttemptView> {
  const a = await db().attempt.findUniqueOrThrow({
    where: { id: attemptId },
    include: { questions: { orderBy: { position: "asc" } }, answers: true },
  });
  const questionIds = a.questions.map((q) => q.questionId);
  const [questions, options] = await Promise.all([
    db().question.findMany({ where: { id: { in: questionIds } }, select: { id: true, text: true } }),
    // Only id and text: the correct flag never leaves the server while an attempt is being taken.
    db().option.findMany({ where: { questionId: { in: questionIds } }, select: { id: true, text: true } }),
  ]);
  const textOf = new Map(questions.map((q) => [q.id, q.text]));
  const optionText = new Map(options.map((o) => [o.id, o.text]));
  return {
    id: a.id,
    roundId: a.roundId,
    number: a.number,
    status: a.status as AttemptStatus,
    startedAt: a.startedAt.toISOString(),
    deadlineAt: a.deadlineAt.toISOString(),
    serverNow: now.toISOString(),
    questions: a.questions.map((q) => ({
      id: q.questionId,
      text: textOf.get(q.questionId) ?? "",
      options: q.optionOrder.split(",").map((id) => ({ id, text: optionText.get(id) ?? "" })),
    })),
    answers: Object.fromEntries(a.answers.map((x) => [x.questionId, x.optionId])),
  };
}

/** The attempt for its owner; an overdue one is closed first (answers saved in time kept). */
export async function getAttempt(attemptId: string, userId: string, now: Date): Promise<AttemptView> {
  const a = await loadOwned(attemptId, userId);
  if (isOverdue(a, now)) await closeAttempt(a.id, "expire", now, null);
  return viewOf(a.id, now);
}

// ---------- starting ----------

export interface StartInput {
  roundId: string;
  user: Contestant;
  now: Date;
  ip?: string | null;
  userAgent?: string | null;
  deviceId?: string | null;
}

/**
 * Starts an attempt, or resumes the live one (never two live attempts). The draw and each
 * question's option order are stored; the drawn questions are stamped as used (frozen for edits).
 */
export async function startAttempt(input: StartInput): Promise<{ created: boolean; attempt: AttemptView }> {
  const { roundId, user, now } = input;
  const round = await db().round.findUnique({ where: { id: roundId } });
  if (!round) throw new AttemptError("NOT_FOUND");
  let attempts = await db().attempt.findMany({ where: { roundId, userId: user.id }, select: { id: true, status: true, startedAt: true, deadlineAt: true } });
  for (const a of attempts) if (isOverdue(a, now)) await closeAttempt(a.id, "expire", now, null);
  const live = attempts.find((a) => isOpen(a, now));
  if (live) return { created: false, attempt: await viewOf(live.id, now) };
  attempts = await db().attempt.findMany({ where: { roundId, userId: user.id }, select: { id: true, status: true, startedAt: true, deadlineAt: true } });

  const refusal = checkStart({
    now,
    user,
    round: { opensAt: round.opensAt, closesAt: round.closesAt, maxAttempts: round.maxAttempts, eligibleGroups: round.eligibleGroups.split(",") },
    attempts,
  });
  if (refusal) throw new AttemptError(refusal.code);

  const seed = randomBytes(16).toString("hex");
  const rng = seededRng(seed);
  const bankId = bankFor(round, user.group);
  const drawn = drawQuestions(await questionPool(bankId), drawSpecOf(round), rng);
  if (!drawn.ok) throw new AttemptError("ROUND_NOT_READY", drawn.error);
  const options = await db().option.findMany({ where: { questionId: { in: drawn.ids } }, select: { id: true, questionId: true } });
  const optionsOf = new Map<string, string[]>();
  for (const o of options) optionsOf.set(o.questionId, [...(optionsOf.get(o.questionId) ?? []), o.id]);

  try {
    const id = await db().$transaction(async (tx) => {
      const attempt = await tx.attempt.create({
        data: {
          roundId,
          userId: user.id,
          number: attempts.length + 1,
          seed,
          startedAt: now,
          deadlineAt: deadlineFor(now, round.durationSeconds, round.closesAt),
          questionCount: drawn.ids.length,
          ip: input.ip ?? null,
          userAgent: input.userAgent?.slice(0, 300) ?? null,
          deviceId: input.deviceId?.slice(0, 100) ?? null,
        },
      });
      await tx.attemptQuestion.createMany({
        data: drawn.ids.map((questionId, position) => ({
          attemptId: attempt.id,
          position,
          questionId,
          optionOrder: shuffle(optionsOf.get(questionId) ?? [], rng).join(","),
        })),
      });
      await tx.question.updateMany({ where: { id: { in: drawn.ids }, firstUsedAt: null }, data: { firstUsedAt: now } });
      return attempt.id;
    });
    return { created: true, attempt: await viewOf(id, now) };
  } catch (e) {
    // Another request of the same person started this attempt number a moment ago: resume it.
    if (!isUniqueViolation(e)) throw e;
    const other = await db().attempt.findFirst({ where: { roundId, userId: user.id, status: "in_progress" }, orderBy: { number: "desc" } });
    if (other && isOpen(other, now)) return { created: false, attempt: await viewOf(other.id, now) };
    throw new AttemptError("NO_ATTEMPTS_LEFT");
  }
}

// ---------- answering ----------

/**
 * Saves (or changes) one answer; the same call twice is harmless. The write itself re-checks that
 * the attempt is still open, in the same statement, so an answer can never land after the
 * submission was scored (PostgreSQL: FOR SHARE waits for a concurrent submit to commit).
 */
export async function saveAnswer(
  attemptId: string,
  userId: string,
  questionId: string,
  optionId: string,
  now: Date,
  ip: string | null = null,
): Promise<{ savedAt: string }> {
  const a = await db().attempt.findUnique({
    where: { id: attemptId },
    select: { userId: true, status: true, startedAt: true, deadlineAt: true, questions: { where: { questionId }, select: { optionOrder: true } } },
  });
  if (!a || a.userId !== userId) throw new AttemptError("NOT_FOUND");
  if (!isOpen(a, now)) {
    if (isOverdue(a, now)) await closeAttempt(attemptId, "expire", now, null);
    throw new AttemptError("ATTEMPT_CLOSED");
  }
  const aq = a.questions[0];
  if (!aq) throw new AttemptError("QUESTION_NOT_IN_ATTEMPT");
  if (!aq.optionOrder.split(",").includes(optionId)) throw new AttemptError("OPTION_NOT_IN_QUESTION");
  const latest = new Date(now.getTime() - GRACE_MS);
  const written = env().isPostgres
    ? await db().$executeRaw`
        INSERT INTO "Answer" ("attemptId", "questionId", "optionId", "savedAt", "ip")
        SELECT ${attemptId}, ${questionId}, ${optionId}, ${now}, ${ip}
        WHERE EXISTS (SELECT 1 FROM "Attempt" WHERE "id" = ${attemptId} AND "status" = 'in_progress' AND "deadlineAt" >= ${latest} FOR SHARE)
        ON CONFLICT ("attemptId", "questionId") DO UPDATE SET "optionId" = EXCLUDED."optionId", "savedAt" = EXCLUDED."savedAt", "ip" = EXCLUDED."ip"`
    : await db().$executeRaw`
        INSERT INTO "Answer" ("attemptId", "questionId", "optionId", "savedAt", "ip")
        SELECT ${attemptId}, ${questionId}, ${optionId}, ${now}, ${ip}
        WHERE EXISTS (SELECT 1 FROM "Attempt" WHERE "id" = ${attemptId} AND "status" = 'in_progress' AND "deadlineAt" >= ${latest})
        ON CONFLICT ("attemptId", "questionId") DO UPDATE SET "optionId" = excluded."optionId", "savedAt" = excluded."savedAt", "ip" = excluded."ip"`;
  if (written === 0) throw new AttemptError("ATTEMPT_CLOSED");
  return { savedAt: now.toISOString() };
}

// ---------- closing ----------

async function score(tx: Tx, attemptId: string): Promise<number> {
  const answers = await tx.answer.findMany({ where: { attemptId }, select: { optionId: true } });
  if (answers.length === 0) return 0;
  return tx.option.count({ where: { id: { in: answers.map((a) => a.optionId) }, correct: true } });
}

/**
 * Closes an in-progress attempt exactly once (a conditional update: safe against a double submit,
 * and against the sweep running in several processes at once), then scores it.
 */
async function closeAttempt(attemptId: string, how: "submit" | "expire", now: Date, prediction: number | null): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const a = await tx.attempt.findUniqueOrThrow({ where: { id: attemptId }, select: { startedAt: true, deadlineAt: true } });
    const closedAt = how === "submit" ? now : a.deadlineAt;
    const claimed = await tx.attempt.updateMany({
      where: { id: attemptId, status: "in_progress" },
      data: { status: how === "submit" ? "submitted" : "expired", closedAt, durationMs: durationMs(a, closedAt), prediction },
    });
    if (claimed.count !== 1) return false;
    const closed = await tx.attempt.update({ where: { id: attemptId }, data: { correctCount: await score(tx, attemptId) }, select: { roundId: true, userId: true } });
    await refreshStanding(tx, closed.roundId, closed.userId);
    return true;
  });
}

function resultOf(a: { id: string; status: string; correctCount: number | null; questionCount: number; durationMs: number | null; closedAt: Date | null; prediction: number | null }): AttemptResult {
  return {
    attemptId: a.id,
    status: a.status as AttemptStatus,
    correctCount: a.correctCount ?? 0,
    questionCount: a.questionCount,
    durationMs: a.durationMs ?? 0,
    submittedAt: a.closedAt?.toISOString() ?? null,
    prediction: a.prediction,
  };
}

/**
 * Submits; submitting again returns the same result. Past the deadline (and its grace) the attempt
 * is closed as expired with the answers saved in time, and the late prediction is not recorded.
 */
export async function submitAttempt(attemptId: string, userId: string, prediction: number | null, now: Date): Promise<AttemptResult> {
  const a = await loadOwned(attemptId, userId);
  if (a.status === "in_progress") {
    if (isOpen(a, now)) {
      const round = await db().round.findUniqueOrThrow({ where: { id: a.roundId }, select: { prediction: true } });
      if (round.prediction && prediction === null && now < a.deadlineAt) throw new AttemptError("PREDICTION_REQUIRED");
      await closeAttempt(a.id, "submit", now, round.prediction ? prediction : null);
    } else {
      await closeAttempt(a.id, "expire", now, null);
    }
  }
  return resultOf(await db().attempt.findUniqueOrThrow({ where: { id: a.id } }));
}

export async function getResult(attemptId: string, userId: string, now: Date): Promise<AttemptResult> {
  const a = await loadOwned(attemptId, userId);
  if (isOverdue(a, now)) await closeAttempt(a.id, "expire", now, null);
  return resultOf(await db().attempt.findUniqueOrThrow({ where: { id: a.id } }));
}

/** The periodic sweep: closes attempts whose deadline and grace have passed. Safe in many processes. */
export async function expireOverdueAttempts(now: Date, limit = 500): Promise<number> {
  const overdue = await db().attempt.findMany({
    where: { status: "in_progress", deadlineAt: { lt: new Date(now.getTime() - GRACE_MS) } },
    select: { id: true },
    take: limit,
  });
  let closed = 0;
  for (const a of overdue) if (await closeAttempt(a.id, "expire", now, null)) closed++;
  return closed;
}

// ---------- events ----------

export const EVENT_TYPES = ["hidden", "visible", "blur", "focus", "copy", "paste", "offline", "online"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** What the page reports during an attempt; kept for the judges' review, never blocks anything. */
export async function recordEvent(attemptId: string, userId: string, type: EventType, clientAt: Date | null, ip: string | null) {
  const a = await db().attempt.findUnique({ where: { id: attemptId }, select: { userId: true } });
  if (!a || a.userId !== userId) throw new AttemptError("NOT_FOUND");
  await db().attemptEvent.create({ data: { attemptId, type, clientAt, ip } });
}

// ---------- review and history ----------

export interface ReviewQuestion {
  id: string;
  text: string;
  explanation: string;
  options: { id: string; text: string; correct: boolean }[];
  chosen: string | null;
}

/**
 * Correct answers and explanations for a closed attempt, only when the round allows it at `now`:
 * "immediately" once the attempt is closed, "after_close" once the round has closed, or never.
 */
export async function reviewAttempt(attemptId: string, userId: string, now: Date): Promise<ReviewQuestion[] | null> {
  const a = await loadOwned(attemptId, userId);
  if (a.status === "in_progress") return null;
  const round = await db().round.findUniqueOrThrow({ where: { id: a.roundId }, select: { revealAnswers: true, closesAt: true } });
  // After the close AND its grace: until then someone may still be answering.
  const allowed = round.revealAnswers === "immediately" || (round.revealAnswers === "after_close" && now.getTime() >= round.closesAt.getTime() + GRACE_MS);
  if (!allowed) return null;
  const full = await db().attempt.findUniqueOrThrow({ where: { id: a.id }, include: { questions: { orderBy: { position: "asc" } }, answers: true } });
  const ids = full.questions.map((q) => q.questionId);
  const [questions, options] = await Promise.all([
    db().question.findMany({ where: { id: { in: ids } }, select: { id: true, text: true, explanation: true } }),
    db().option.findMany({ where: { questionId: { in: ids } }, select: { id: true, text: true, correct: true } }),
  ]);
  const q = new Map(questions.map((x) => [x.id, x]));
  const o = new Map(options.map((x) => [x.id, x]));
  const chosen = new Map(full.answers.map((x) => [x.questionId, x.optionId]));
  return full.questions.map((aq) => ({
    id: aq.questionId,
    text: q.get(aq.questionId)?.text ?? "",
    explanation: q.get(aq.questionId)?.explanation ?? "",
    options: aq.optionOrder.split(",").map((id) => ({ id, text: o.get(id)?.text ?? "", correct: o.get(id)?.correct ?? false })),
    chosen: chosen.get(aq.questionId) ?? null,
  }));
}

/** A contestant's attempts in a round, newest first, with results for the closed ones. */
export async function listOwnAttempts(userId: string, roundId: string) {
  const rows = await db().attempt.findMany({ where: { userId, roundId }, orderBy: { number: "desc" } });
  return rows.map((a) => ({ ...resultOf(a), number: a.number, startedAt: a.startedAt.toISOString(), deadlineAt: a.deadlineAt.toISOString(), voidReason: a.voidReason }));
}
