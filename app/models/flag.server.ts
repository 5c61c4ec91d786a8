// Flags: running the flagging rules on closed attempts, the judges' review queue, and the two
// decisions a judge takes (clear, void), each with a mandatory reason in the audit log.

// A turn of the event loop between a check's queries. On SQLite a query runs on the only thread and
// resolves at once, so a check's chain of queries ran as one block and requests waited for all of
// it: 4–10 ms once warm, 84 ms for a process's first check, whose queries are each prepared for the
// first time (2–30 ms each; measured on a copy of the bench's database). In one instrumented bench
// run such a check took 119 ms in the middle of the paced starts, whose p99 was 254 ms. With these
// turns the longest block was 17–33 ms in a first check and 1–6 ms from the fourth check on.
import { setImmediate as nextTurn } from "node:timers/promises";
import { decodeDraw, transition, type AttemptStatus } from "~/domain/attempt";
import { evaluateFlags, PEER_LIMIT, PEER_WINDOW_MS, type FlagContext, type PeerEvidence, type RoundFlagSettings } from "~/domain/flags";
import { validateNationalId } from "~/domain/identity";
import { db } from "~/utils/db.server";
import { errorForLog } from "~/utils/redact";
import { idList, sql, statement, toDate } from "~/utils/sql.server";
import { parseJsonObject } from "./attempt.server";
import { audit } from "./audit.server";
import { NotFoundError } from "./question-bank.server";
import { refreshStanding } from "./standing.server";

const DAY = 24 * 60 * 60_000;

export class JudgeError extends Error {
  constructor(readonly code: "NOT_FOUND" | "ATTEMPT_IN_PROGRESS" | "ALREADY_VOIDED") {
    super(code);
  }
}

type PeerRow = { id: string; userId: string; startedAt: unknown; durationMs: number | null; ip: string | null; userAgent: string | null; deviceId: string | null };

// The attempts a closed attempt is compared with. The window and the device are asked apart, each
// through its own index ([roundId, startedAt] and [roundId, deviceId]), newest first and at most
// PEER_LIMIT each; the newest PEER_LIMIT of their union are exactly those of "window OR device".
// Asked as one OR, the planner read every attempt of the round (SQLite, measured: 6 ms at 6,000
// attempts, 30 ms at 100,000, 157 ms with the [roundId, startedAt] index when newer attempts
// outnumber the window; 0.5 ms asked apart), all of it on the only thread.
const peerColumns = `"id", "userId", "startedAt", "durationMs", "ip", "userAgent", "deviceId"`;
const peerFilter = `"roundId" = $1 AND "id" <> $2 AND "status" IN ('submitted', 'expired')`;
const peersSql = (deviceIndex: string) =>
  `SELECT * FROM (SELECT ${peerColumns} FROM "Attempt"
                   WHERE ${peerFilter} AND "startedAt" >= $3 AND "startedAt" <= $4 ORDER BY "startedAt" DESC LIMIT $6) w
   UNION
   SELECT * FROM (SELECT ${peerColumns} FROM "Attempt"${deviceIndex}
                   WHERE ${peerFilter} AND "deviceId" = $5 ORDER BY "startedAt" DESC LIMIT $6) d
   ORDER BY "startedAt" DESC LIMIT $6`;
// SQLite without ANALYZE statistics would take [roundId, startedAt] for the device's ORDER BY.
const PEERS = statement("flag_peers", peersSql(""), peersSql(` INDEXED BY "Attempt_roundId_deviceId_idx"`));
const PEER_ANSWERS = statement(
  "flag_peer_answers",
  `SELECT "attemptId", "questionId", "optionId" FROM "Answer" WHERE "attemptId" = ANY($1::text[])`,
  `SELECT "attemptId", "questionId", "optionId" FROM "Answer" WHERE "attemptId" IN (SELECT "value" FROM json_each($1))`,
);

/** For tests/integration/query-plans.test.ts. */
export const flagStatements = { peers: PEERS, peerAnswers: PEER_ANSWERS };

// The choices of closed attempts, per process: a closed attempt's answers never change (a save
// re-checks in its own statement that the attempt is open), and the sweep's consecutive checks
// share most of their peers, so each check reads only the answers it has not seen yet. Measured on
// the bench's round: reading 200 peers' 4,000 answers was ~5 ms of a ~9 ms check.
const closedChoices = new Map<string, ReadonlyMap<string, string>>();
const CLOSED_CHOICES_MAX = 5_000;

/** Closed attempts of the round started within the window, or on the same device; newest first. */
export async function peersOf(roundId: string, attemptId: string, from: Date, to: Date, deviceId: string | null): Promise<PeerEvidence[]> {
  const q = sql();
  const rows = await q.rows<PeerRow>(PEERS, [roundId, attemptId, from, to, deviceId, PEER_LIMIT]);
  const missing = rows.filter((r) => !closedChoices.has(r.id)).map((r) => r.id);
  if (missing.length) {
    await nextTurn();
    const read = new Map(missing.map((id) => [id, new Map<string, string>()]));
    for (const x of await q.rows<{ attemptId: string; questionId: string; optionId: string }>(PEER_ANSWERS, [idList(missing)])) {
      read.get(x.attemptId)?.set(x.questionId, x.optionId);
    }
    if (closedChoices.size + read.size > CLOSED_CHOICES_MAX) closedChoices.clear();
    for (const [id, choices] of read) closedChoices.set(id, choices);
  }
  return rows.map((r) => ({
    id: r.id,
    userId: r.userId,
    startedAt: toDate(r.startedAt),
    durationMs: r.durationMs ?? 0,
    ip: r.ip,
    userAgent: r.userAgent,
    deviceId: r.deviceId,
    choices: closedChoices.get(r.id) ?? new Map(),
  }));
}

/** Gathers the evidence of one closed attempt: its answers, page events, nearby attempts, the account. */
async function contextOf(attemptId: string): Promise<{ ctx: FlagContext; roundId: string; overrides: RoundFlagSettings } | null> {
  const a = await db().attempt.findUnique({
    where: { id: attemptId },
    include: { answers: true, events: { select: { type: true, receivedAt: true } }, round: { select: { flagRules: true } } },
  });
  if (!a || a.status === "in_progress" || a.status === "voided" || !a.closedAt) return null;
  const from = new Date(a.startedAt.getTime() - PEER_WINDOW_MS);
  const to = new Date(a.startedAt.getTime() + PEER_WINDOW_MS);
  await nextTurn();
  const peers = await peersOf(a.roundId, a.id, from, to, a.deviceId);
  await nextTurn();
  const user = await db().user.findUniqueOrThrow({
    where: { id: a.userId },
    select: { nationalId: true, birthDate: true, gender: true, createdAt: true, registrationIp: true, registrationDevice: true },
  });
  await nextTurn();
  const [sameDevice, sameIp] = await Promise.all([
    user.registrationDevice
      ? db().user.count({ where: { registrationDevice: user.registrationDevice, createdAt: { gte: new Date(user.createdAt.getTime() - DAY), lte: new Date(user.createdAt.getTime() + DAY) } } })
      : 0,
    user.registrationIp
      ? db().user.count({ where: { registrationIp: user.registrationIp, createdAt: { gte: new Date(user.createdAt.getTime() - 60 * 60_000), lte: new Date(user.createdAt.getTime() + 60 * 60_000) } } })
      : 0,
  ]);
  const idOk =
    !user.nationalId ||
    validateNationalId({ nationalId: user.nationalId, birthDate: user.birthDate ?? "", gender: user.gender === "female" ? "female" : "male" }).ok;
  return {
    roundId: a.roundId,
    overrides: parseJsonObject<RoundFlagSettings>(a.round.flagRules),
    ctx: {
      attempt: {
        id: a.id,
        userId: a.userId,
        startedAt: a.startedAt,
        closedAt: a.closedAt,
        durationMs: a.durationMs ?? 0,
        correctCount: a.correctCount ?? 0,
        questionCount: a.questionCount,
        ip: a.ip,
        userAgent: a.userAgent,
        deviceId: a.deviceId,
      },
      answers: a.answers.map((x) => ({ questionId: x.questionId, optionId: x.optionId, savedAt: x.savedAt, ip: x.ip })),
      events: a.events,
      peers,
      identity: {
        nationalIdValid: idOk,
        registrationIp: user.registrationIp,
        registrationDevice: user.registrationDevice,
        sameDeviceRegistrations: sameDevice,
        sameIpRegistrations: sameIp,
      },
    },
  };
}

/**
 * Runs the rules on one closed attempt and records what they raise. Re-running is harmless: a flag
 * is unique per attempt and rule; one a judge already decided is left as decided.
 */
export async function checkAttemptFlags(attemptId: string, now: Date): Promise<string[]> {
  const found = await contextOf(attemptId);
  await nextTurn();
  if (!found) {
    await db().attempt.updateMany({ where: { id: attemptId, flagsCheckedAt: null }, data: { flagsCheckedAt: now } });
    return [];
  }
  const { ctx, roundId, overrides } = found;
  const raised = evaluateFlags(ctx, overrides);
  const peerUser = new Map(ctx.peers.map((p) => [p.id, p.userId]));
  for (const { rule, flag } of raised) {
    const detail = JSON.stringify(flag.detail);
    // Upsert, not check-then-create: two processes may sweep the same attempt at once.
    const existing = await db().flag.findUnique({ where: { attemptId_rule: { attemptId, rule } }, select: { status: true } });
    await nextTurn();
    if (!existing || existing.status === "open") {
      await db().flag.upsert({
        where: { attemptId_rule: { attemptId, rule } },
        create: { roundId, attemptId, userId: ctx.attempt.userId, rule, severity: flag.severity, detail },
        update: { severity: flag.severity, detail },
      });
      await nextTurn();
    }
    // The other side of a shared suspicion (same device, same answers) gets the flag too.
    for (const peerId of flag.alsoAttempts ?? []) {
      const peerDetail = JSON.stringify({ ...flag.detail, with: attemptId });
      await db().flag.upsert({
        where: { attemptId_rule: { attemptId: peerId, rule } },
        create: { roundId, attemptId: peerId, userId: peerUser.get(peerId) ?? "", rule, severity: flag.severity, detail: peerDetail },
        update: {},
      });
      await nextTurn();
    }
  }
  await db().attempt.update({ where: { id: attemptId }, data: { flagsCheckedAt: now } });
  return raised.map((r) => r.rule);
}

/**
 * The sweep's part: closed attempts the rules have not seen yet, a few at a time. On SQLite every
 * query runs on the only thread, so between two attempts the sweep waits `pause` times as long as
 * the last check took (at most a second): the checks take at most a fifth of the thread's time
 * by default, and less when the server is busy, since a check then takes longer to come round.
 * Measured in the bench's paced phase (5,000 saves a second), a sweep that only yielded took 836 ms
 * for 25 checks, and the server fell behind for all of it (late ticks of 20 to 62 ms, one after
 * another).
 */
export async function checkPendingFlags(now: Date, limit = 25, pause = 4): Promise<number> {
  const pending = await db().attempt.findMany({
    where: { status: { in: ["submitted", "expired"] }, flagsCheckedAt: null },
    select: { id: true },
    orderBy: { closedAt: "asc" },
    take: limit,
  });
  for (const a of pending) {
    const started = performance.now();
    // One attempt that cannot be checked (its account gone, say) must not stop the others'.
    await checkAttemptFlags(a.id, now).catch((e) => console.error(`[sweep] flags of attempt ${a.id}:`, errorForLog(e)));
    await new Promise((r) => setTimeout(r, Math.min(1000, (performance.now() - started) * pause)));
  }
  return pending.length;
}

// ---------- the judges' queue ----------

export interface FlagRow {
  id: string;
  attemptId: string;
  userId: string;
  rule: string;
  severity: string;
  detail: Record<string, unknown>;
  status: string;
}

export async function listRoundFlags(roundId: string, status?: string): Promise<FlagRow[]> {
  const round = await db().round.findUnique({ where: { id: roundId }, select: { id: true } });
  if (!round) throw new NotFoundError(`round ${roundId}`);
  const rows = await db().flag.findMany({ where: { roundId, ...(status ? { status } : {}) }, orderBy: [{ createdAt: "asc" }] });
  return rows.map((f) => ({ id: f.id, attemptId: f.attemptId, userId: f.userId, rule: f.rule, severity: f.severity, detail: parseJsonObject(f.detail), status: f.status }));
}

const SEVERITY_RANK: Record<string, number> = { high: 3, medium: 2, low: 1 };

/** The queue page: flags grouped by attempt, with the contestant's name and commune, worst first. */
export async function reviewQueue(roundId: string) {
  const flags = await listRoundFlags(roundId);
  const attemptIds = [...new Set(flags.map((f) => f.attemptId))];
  const attempts = await db().attempt.findMany({
    where: { id: { in: attemptIds } },
    select: { id: true, number: true, status: true, correctCount: true, questionCount: true, durationMs: true, userId: true, reviewedAt: true },
  });
  const users = await db().user.findMany({
    where: { id: { in: [...new Set(attempts.map((a) => a.userId))] } },
    select: { id: true, fullName: true, communeCode: true, commune: { select: { name: true, type: true } } },
  });
  const userOf = new Map(users.map((u) => [u.id, u]));
  const groups = attempts.map((a) => {
    const mine = flags.filter((f) => f.attemptId === a.id);
    return {
      attempt: a,
      user: userOf.get(a.userId) ?? null,
      flags: mine,
      worst: Math.max(...mine.map((f) => SEVERITY_RANK[f.severity] ?? 0)),
      open: mine.some((f) => f.status === "open"),
    };
  });
  return groups.sort((x, y) => Number(y.open) - Number(x.open) || y.worst - x.worst);
}

/** Everything a judge needs to decide on one attempt: the full timeline, addresses and agents. */
export async function attemptEvidence(attemptId: string) {
  const a = await db().attempt.findUnique({
    where: { id: attemptId },
    include: {
      answers: { orderBy: { savedAt: "asc" } },
      events: { orderBy: { receivedAt: "asc" } },
      draw: true,
      flags: true,
      round: { select: { id: true, name: true } },
    },
  });
  if (!a) throw new NotFoundError(`attempt ${attemptId}`);
  const user = await db().user.findUniqueOrThrow({
    where: { id: a.userId },
    select: { id: true, fullName: true, group: true, commune: { select: { name: true, type: true } }, createdAt: true, registrationIp: true },
  });
  const others = await db().attempt.findMany({
    where: { roundId: a.roundId, userId: a.userId },
    select: { id: true, number: true, status: true, correctCount: true, questionCount: true },
    orderBy: { number: "asc" },
  });
  const position = new Map(decodeDraw(a.draw?.questions).map((q, i) => [q.questionId, i + 1]));
  const timeline = [
    { at: a.startedAt, kind: "start" as const, text: "", ip: a.ip },
    ...a.answers.map((x) => ({ at: x.savedAt, kind: "answer" as const, text: String(position.get(x.questionId) ?? "?"), ip: x.ip })),
    ...a.events.map((e) => ({ at: e.receivedAt, kind: "event" as const, text: e.type, ip: e.ip })),
    ...(a.closedAt ? [{ at: a.closedAt, kind: "close" as const, text: a.status, ip: null }] : []),
  ].sort((x, y) => x.at.getTime() - y.at.getTime());
  return {
    attempt: {
      id: a.id,
      number: a.number,
      status: a.status as AttemptStatus,
      startedAt: a.startedAt,
      deadlineAt: a.deadlineAt,
      closedAt: a.closedAt,
      correctCount: a.correctCount,
      questionCount: a.questionCount,
      durationMs: a.durationMs,
      prediction: a.prediction,
      ip: a.ip,
      userAgent: a.userAgent,
      deviceId: a.deviceId,
      voidReason: a.voidReason,
    },
    round: a.round,
    user,
    flags: a.flags.map((f) => ({ ...f, detail: parseJsonObject<Record<string, unknown>>(f.detail) })),
    timeline,
    others,
  };
}

// ---------- decisions ----------

interface Judge {
  id: string;
}

/** Voids a closed attempt: it leaves every leaderboard, ranking and award at once. */
export async function voidAttempt(attemptId: string, reason: string, judge: Judge, now: Date) {
  const a = await db().attempt.findUnique({ where: { id: attemptId }, select: { id: true, status: true, roundId: true, userId: true } });
  if (!a) throw new JudgeError("NOT_FOUND");
  if (a.status === "voided") throw new JudgeError("ALREADY_VOIDED");
  if (!transition(a.status as AttemptStatus, "void")) throw new JudgeError("ATTEMPT_IN_PROGRESS");
  await db().$transaction(async (tx) => {
    const done = await tx.attempt.updateMany({ where: { id: attemptId, status: a.status }, data: { status: "voided", voidedAt: now, voidReason: reason, reviewedAt: now } });
    if (done.count !== 1) throw new JudgeError("ALREADY_VOIDED");
    await tx.flag.updateMany({ where: { attemptId }, data: { status: "voided", reviewedById: judge.id, reviewedAt: now, reviewReason: reason } });
    // Out of every leaderboard at once: the contestant's standing falls back to another attempt, or goes.
    await refreshStanding(tx, a.roundId, a.userId);
    await audit({ actorId: judge.id, action: "attempt.void", entityType: "attempt", entityId: attemptId, detail: { reason, roundId: a.roundId, userId: a.userId, from: a.status } }, tx);
  });
}

/** Clears the attempt's flags: reviewed, nothing wrong found. */
export async function clearAttempt(attemptId: string, reason: string, judge: Judge, now: Date) {
  const a = await db().attempt.findUnique({ where: { id: attemptId }, select: { id: true, roundId: true, status: true } });
  if (!a) throw new JudgeError("NOT_FOUND");
  if (a.status === "voided") throw new JudgeError("ALREADY_VOIDED");
  await db().$transaction(async (tx) => {
    await tx.flag.updateMany({ where: { attemptId, status: "open" }, data: { status: "cleared", reviewedById: judge.id, reviewedAt: now, reviewReason: reason } });
    await tx.attempt.update({ where: { id: attemptId }, data: { reviewedAt: now } });
    await audit({ actorId: judge.id, action: "attempt.clear", entityType: "attempt", entityId: attemptId, detail: { reason, roundId: a.roundId } }, tx);
  });
}

/** Voids every closed attempt of one contestant in a round. */
export async function voidContestant(roundId: string, userId: string, reason: string, judge: Judge, now: Date): Promise<number> {
  const attempts = await db().attempt.findMany({ where: { roundId, userId, status: { in: ["submitted", "expired"] } }, select: { id: true } });
  for (const a of attempts) await voidAttempt(a.id, reason, judge, now);
  return attempts.length;
}

export async function roundsWithFlagCounts() {
  const [rounds, counts] = await Promise.all([
    db().round.findMany({ orderBy: { opensAt: "asc" }, select: { id: true, name: true, opensAt: true, closesAt: true } }),
    db().flag.groupBy({ by: ["roundId", "status"], _count: { _all: true } }),
  ]);
  return rounds.map((r) => ({
    ...r,
    open: counts.find((c) => c.roundId === r.id && c.status === "open")?._count._all ?? 0,
    total: counts.filter((c) => c.roundId === r.id).reduce((n, c) => n + c._count._all, 0),
  }));
}

