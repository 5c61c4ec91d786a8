// Attempts: start (draw), read, save answers, submit, expire. Every function takes the owner and
// the current time; an attempt is only ever read for its owner (404 for anyone else).
import { decodeDraw, deadlineFor, durationMs, encodeDraw, GRACE_MS, isOpen, isOverdue, optionOrderHas, type AttemptStatus, type DrawnQuestion } from "~/domain/attempt";
import { drawQuestions, type DrawError, type DrawSpec } from "~/domain/draw";
import type { Difficulty } from "~/domain/questions";
import { seededRng, shuffle } from "~/domain/random";
import { checkStart, type RefusalCode } from "~/domain/rules";
import type { Role } from "~/domain/roles";
import { db } from "~/utils/db.server";
import { idList, isUniqueViolation, newId, randomHex, sql, statement, toDate, toDateOrNull, type Queries } from "~/utils/sql.server";
import { refreshStandingSql, standingsChanged } from "./standing.server";

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
type PoolRow = { id: string; topic: string; difficulty: Difficulty };
const pools = new Map<string, { at: number; rows: PoolRow[] }>();
const poolLoads = new Map<string, Promise<PoolRow[]>>();

/**
 * A bank's active questions as the draw needs them. At a round's opening every start would read the
 * whole bank, so the list is kept for 5 seconds per process: a question retired or added shows in
 * the draw within that time. One read at a time per bank: the starts that find the list missing or
 * old while it is being read wait for that read (at an opening, hundreds arrive together).
 */
export async function questionPool(bankId: string, fresh = false): Promise<PoolRow[]> {
  const hit = pools.get(bankId);
  if (!fresh && hit && Date.now() - hit.at < POOL_TTL_MS) return hit.rows;
  const loading = poolLoads.get(bankId);
  if (loading && !fresh) return loading;
  const at = Date.now();
  const load = db()
    .question.findMany({ where: { bankId, status: "active" }, select: { id: true, topic: true, difficulty: true } })
    .then((found) => {
      const rows = found.map((r) => ({ ...r, difficulty: r.difficulty as Difficulty }));
      pools.set(bankId, { at, rows });
      return rows;
    })
    .finally(() => {
      if (poolLoads.get(bankId) === load) poolLoads.delete(bankId);
    });
  poolLoads.set(bankId, load);
  return load;
}

/** Round setup check: can this bank satisfy the draw? (Every start would fail otherwise.) */
export async function checkDraw(bankId: string, spec: DrawSpec): Promise<DrawError | null> {
  const r = drawQuestions(await questionPool(bankId, true), spec, seededRng("setup-check"));
  return r.ok ? null : r.error;
}

// ---------- the statements of the hot paths ----------
// Starting, answering and closing run as direct SQL (utils/sql.server.ts): on SQLite a few
// microseconds each on the process's connection; Prisma's pipeline cost ten times the query.

/** Exported for the query-plan test (tests/integration/query-plans.test.ts). */
export const attemptStatements = {
  attempt: statement(
    "attempt_by_id",
    `SELECT "id", "roundId", "userId", "number", "status", "startedAt", "deadlineAt" FROM "Attempt" WHERE "id" = $1`,
  ),
  attemptResult: statement(
    "attempt_result",
    `SELECT "id", "userId", "status", "correctCount", "questionCount", "durationMs", "closedAt", "prediction", "startedAt", "deadlineAt", "roundId" FROM "Attempt" WHERE "id" = $1`,
  ),
  forSave: statement(
    "attempt_for_save",
    `SELECT a."userId", a."status", a."startedAt", a."deadlineAt", d."questions"
       FROM "Attempt" a LEFT JOIN "AttemptDraw" d ON d."attemptId" = a."id"
      WHERE a."id" = $1`,
  ),
  // The write re-checks, in the same statement, that the attempt is still open: an answer can never
  // land after the submission was scored. PostgreSQL: FOR SHARE makes a concurrent submit wait.
  saveAnswer: statement(
    "answer_save",
    `INSERT INTO "Answer" ("attemptId", "questionId", "optionId", "savedAt", "ip")
     SELECT $1::text, $2::text, $3::text, $4::timestamp(3), $5::text
      WHERE EXISTS (SELECT 1 FROM "Attempt" WHERE "id" = $1::text AND "status" = 'in_progress' AND "deadlineAt" >= $6::timestamp(3) FOR SHARE)
     ON CONFLICT ("attemptId", "questionId") DO UPDATE SET "optionId" = EXCLUDED."optionId", "savedAt" = EXCLUDED."savedAt", "ip" = EXCLUDED."ip"`,
    `INSERT INTO "Answer" ("attemptId", "questionId", "optionId", "savedAt", "ip")
     SELECT $1, $2, $3, $4, $5
      WHERE EXISTS (SELECT 1 FROM "Attempt" WHERE "id" = $1 AND "status" = 'in_progress' AND "deadlineAt" >= $6)
     ON CONFLICT ("attemptId", "questionId") DO UPDATE SET "optionId" = excluded."optionId", "savedAt" = excluded."savedAt", "ip" = excluded."ip"`,
  ),
  // PostgreSQL: the saves of one turn of the event loop in one statement (see writeAnswer).
  saveMany: statement(
    "answer_save_many",
    `INSERT INTO "Answer" ("attemptId", "questionId", "optionId", "savedAt", "ip")
     SELECT v."a", v."q", v."o", v."s", v."ip"
       FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamp(3)[], $5::text[], $6::timestamp(3)[]) AS v("a", "q", "o", "s", "ip", "l")
      WHERE EXISTS (SELECT 1 FROM "Attempt" t WHERE t."id" = v."a" AND t."status" = 'in_progress' AND t."deadlineAt" >= v."l" FOR SHARE)
     ON CONFLICT ("attemptId", "questionId") DO UPDATE SET "optionId" = EXCLUDED."optionId", "savedAt" = EXCLUDED."savedAt", "ip" = EXCLUDED."ip"
     RETURNING "attemptId", "questionId"`,
  ),
  roundForStart: statement(
    "round_for_start",
    `SELECT "id", "opensAt", "closesAt", "durationSeconds", "questionCount", "maxAttempts", "bankId", "topicCounts", "difficultyCounts", "eligibleGroups", "groupBanks"
       FROM "Round" WHERE "id" = $1`,
  ),
  roundPrediction: statement("round_prediction", `SELECT "prediction" FROM "Round" WHERE "id" = $1`),
  attemptsOf: statement(
    "attempts_of_user",
    `SELECT "id", "status", "number", "startedAt", "deadlineAt" FROM "Attempt" WHERE "roundId" = $1 AND "userId" = $2 ORDER BY "number"`,
  ),
  // Options (author's order) with their question's text, for a list of questions.
  texts: statement(
    "question_texts",
    `SELECT o."id", o."questionId", o."text", q."text" AS "questionText"
       FROM "Option" o JOIN "Question" q ON q."id" = o."questionId"
      WHERE o."questionId" = ANY($1::text[]) ORDER BY o."questionId", o."position"`,
    `SELECT o."id", o."questionId", o."text", q."text" AS "questionText"
       FROM "Option" o JOIN "Question" q ON q."id" = o."questionId"
      WHERE o."questionId" IN (SELECT "value" FROM json_each($1)) ORDER BY o."questionId", o."position"`,
  ),
  insertAttempt: statement(
    "attempt_insert",
    `INSERT INTO "Attempt" ("id", "roundId", "userId", "number", "status", "seed", "startedAt", "deadlineAt", "questionCount", "ip", "userAgent", "deviceId", "createdAt")
     VALUES ($1, $2, $3, $4, 'in_progress', $5, $6, $7, $8, $9, $10, $11, $12)`,
  ),
  // The whole draw in one row (encodeDraw): 20 rows a start cost three times as much (schema.prisma).
  insertDraw: statement("attempt_draw_insert", `INSERT INTO "AttemptDraw" ("attemptId", "questions") VALUES ($1, $2)`),
  // Drawn questions are frozen for edits from now on (an edit makes a new version).
  stampUsed: statement(
    "questions_stamp_used",
    `UPDATE "Question" SET "firstUsedAt" = $2, "updatedAt" = $2 WHERE "id" = ANY($1::text[]) AND "firstUsedAt" IS NULL`,
    `UPDATE "Question" SET "firstUsedAt" = $2, "updatedAt" = $2 WHERE "id" IN (SELECT "value" FROM json_each($1)) AND "firstUsedAt" IS NULL`,
  ),
  draw: statement("attempt_draw", `SELECT "questions" FROM "AttemptDraw" WHERE "attemptId" = $1`),
  answers: statement("attempt_answers", `SELECT "questionId", "optionId" FROM "Answer" WHERE "attemptId" = $1`),
  close: statement(
    "attempt_close",
    `UPDATE "Attempt" SET "status" = $2, "closedAt" = $3, "durationMs" = $4, "prediction" = $5 WHERE "id" = $1 AND "status" = 'in_progress'`,
  ),
  score: statement(
    "attempt_score",
    `SELECT COUNT(*) AS "n" FROM "Answer" a JOIN "Option" o ON o."id" = a."optionId" WHERE a."attemptId" = $1 AND o."correct"`,
  ),
  setScore: statement("attempt_set_score", `UPDATE "Attempt" SET "correctCount" = $2 WHERE "id" = $1`),
  overdue: statement(
    "attempts_overdue",
    `SELECT "id" FROM "Attempt" WHERE "status" = 'in_progress' AND "deadlineAt" < $1 ORDER BY "deadlineAt" LIMIT $2`,
  ),
};
const S = attemptStatements;

type AttemptRow = { id: string; roundId: string; userId: string; number: number; status: string; startedAt: unknown; deadlineAt: unknown };
const clockOf = (a: { status: string; startedAt: unknown; deadlineAt: unknown }) => ({ status: a.status, startedAt: toDate(a.startedAt), deadlineAt: toDate(a.deadlineAt) });

// ---------- reading ----------

/** An id no record can have: PostgreSQL refuses a NUL character in text (an error, not "none"). */
const impossibleId = (id: string) => id.includes("\u0000");

async function loadOwned(attemptId: string, userId: string) {
  if (impossibleId(attemptId)) throw new AttemptError("NOT_FOUND");
  const a = await sql().row<AttemptRow>(S.attempt, [attemptId]);
  if (!a || a.userId !== userId) throw new AttemptError("NOT_FOUND");
  return { ...a, ...clockOf(a) };
}

type TextRow = { id: string; questionId: string; text: string; questionText: string };
type QuestionText = { text: string; options: { id: string; text: string }[] };

/**
 * Texts of questions already drawn into an attempt, per process. Such a question never changes
 * (an edit makes a new version with a new id; options included), so nothing here goes stale; only
 * questions stamped as used are kept.
 */
const frozenTexts = new Map<string, QuestionText>();
const FROZEN_MAX = 50_000;

/**
 * What never changes in an attempt once started, per process: its owner and each drawn question's
 * option order. A save whose attempt is known here needs no read (see saveAnswer); the status and
 * the deadline are never cached (the write checks them).
 */
const draws = new Map<string, { userId: string; options: Map<string, string> }>();
const DRAWS_MAX = 20_000;

/** Remembers an attempt's draw; returns each question's option order by question id. */
function rememberDraw(attemptId: string, userId: string, drawn: readonly DrawnQuestion[]): Map<string, string> {
  if (draws.size >= DRAWS_MAX) draws.delete(draws.keys().next().value!);
  const options = new Map(drawn.map((d) => [d.questionId, d.optionOrder]));
  draws.set(attemptId, { userId, options });
  return options;
}

function rememberFrozen(texts: Map<string, QuestionText>) {
  if (frozenTexts.size + texts.size > FROZEN_MAX) frozenTexts.clear();
  for (const [id, t] of texts) frozenTexts.set(id, t);
}

/**
 * Texts read inside one transaction, by question. frozenTexts is filled only once a start has
 * committed, so at a round's opening every start of the first group commit missed it and read the
 * same questions again: in the bench, that first commit (255–256 starts) took 90–100 ms; with this,
 * 32–48 ms (185–255 starts); once warm, commits of 100–200 starts took 10–33 ms. Inside the transaction no
 * question can change (on SQLite the group holds the write lock; on PostgreSQL each start is its
 * own transaction), and each start still stamps its own questions.
 */
const readInTransaction = new WeakMap<Queries, Map<string, QuestionText>>();

/** Question and option texts (options in the author's order); never the correct flag. */
async function textsOf(q: Queries, questionIds: readonly string[], inTransaction = false): Promise<Map<string, QuestionText>> {
  const out = new Map<string, QuestionText>();
  let read = inTransaction ? readInTransaction.get(q) : undefined;
  const missing: string[] = [];
  for (const id of questionIds) {
    const hit = frozenTexts.get(id) ?? read?.get(id);
    if (hit) out.set(id, hit);
    else missing.push(id);
  }
  if (missing.length) {
    for (const r of await q.rows<TextRow>(S.texts, [idList(missing)])) {
      const t = out.get(r.questionId);
      if (t) t.options.push({ id: r.id, text: r.text });
      else out.set(r.questionId, { text: r.questionText, options: [{ id: r.id, text: r.text }] });
    }
    if (inTransaction) {
      if (!read) readInTransaction.set(q, (read = new Map()));
      for (const id of missing) {
        const t = out.get(id);
        if (t) read.set(id, t);
      }
    }
  }
  return out;
}

function buildView(
  a: { id: string; roundId: string; number: number; status: string; startedAt: Date; deadlineAt: Date },
  drawn: readonly DrawnQuestion[],
  texts: Map<string, QuestionText>,
  answers: readonly { questionId: string; optionId: string }[],
  now: Date,
): AttemptView {
  return {
    id: a.id,
    roundId: a.roundId,
    number: a.number,
    status: a.status as AttemptStatus,
    startedAt: a.startedAt.toISOString(),
    deadlineAt: a.deadlineAt.toISOString(),
    serverNow: now.toISOString(),
    questions: drawn.map((d) => {
      const t = texts.get(d.questionId);
      return {
        id: d.questionId,
        text: t?.text ?? "",
        options: d.optionOrder.split(",").map((id) => ({ id, text: t?.options.find((o) => o.id === id)?.text ?? "" })),
      };
    }),
    answers: Object.fromEntries(answers.map((x) => [x.questionId, x.optionId])),
  };
}

/**
 * Each drawn question's and option's JSON, as UTF-8 bytes, made once per process. Every start answers
 * with 20 questions of the same bank, over and over. Profiled: serializing the answer was 7–8% of a
 * start's CPU with JSON.stringify (the Vietnamese texts make it a two-byte string, copied again to
 * UTF-8 on the way out), and much of the garbage. A fragment is used only while its text is the same.
 */
const questionJson = new Map<string, { text: string; json: Buffer }>();
const optionJson = new Map<string, { text: string; json: Buffer }>();
const FRAGMENTS_MAX = 100_000;
function fragment(cache: Map<string, { text: string; json: Buffer }>, id: string, text: string, make: () => string): Buffer {
  const hit = cache.get(id);
  if (hit && hit.text === text) return hit.json;
  if (cache.size >= FRAGMENTS_MAX) cache.clear();
  const json = Buffer.from(make());
  cache.set(id, { text, json });
  return json;
}
const COMMA = Buffer.from(",");
const END_QUESTION = Buffer.from("]}");

/** Exactly the UTF-8 of `JSON.stringify({ attempt: view })` (tested), from per-process fragments. */
export function attemptJson(view: AttemptView): Buffer<ArrayBuffer> {
  const head = JSON.stringify({ id: view.id, roundId: view.roundId, number: view.number, status: view.status, startedAt: view.startedAt, deadlineAt: view.deadlineAt, serverNow: view.serverNow });
  const parts: Buffer[] = [Buffer.from(`{"attempt":${head.slice(0, -1)},"questions":[`)];
  view.questions.forEach((q, i) => {
    if (i) parts.push(COMMA);
    parts.push(fragment(questionJson, q.id, q.text, () => `{"id":${JSON.stringify(q.id)},"text":${JSON.stringify(q.text)},"options":[`));
    q.options.forEach((o, j) => {
      if (j) parts.push(COMMA);
      parts.push(fragment(optionJson, o.id, o.text, () => JSON.stringify({ id: o.id, text: o.text })));
    });
    parts.push(END_QUESTION);
  });
  parts.push(Buffer.from(`],"answers":${JSON.stringify(view.answers)}}}`));
  return Buffer.concat(parts);
}

async function viewOf(attemptId: string, now: Date): Promise<AttemptView> {
  const q = sql();
  const a = await q.row<AttemptRow>(S.attempt, [attemptId]);
  if (!a) throw new AttemptError("NOT_FOUND");
  const [draw, answers] = await Promise.all([
    q.row<{ questions: string }>(S.draw, [attemptId]),
    q.rows<{ questionId: string; optionId: string }>(S.answers, [attemptId]),
  ]);
  const drawn = decodeDraw(draw?.questions);
  // Drawn questions are stamped as used in the same transaction that stored the draw: frozen.
  const texts = await textsOf(q, drawn.map((d) => d.questionId));
  rememberFrozen(texts);
  rememberDraw(a.id, a.userId, drawn);
  return buildView({ ...a, ...clockOf(a) }, drawn, texts, answers, now);
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

type RoundRow = {
  id: string;
  opensAt: unknown;
  closesAt: unknown;
  durationSeconds: number;
  questionCount: number;
  maxAttempts: number;
  bankId: string;
  topicCounts: string;
  difficultyCounts: string;
  eligibleGroups: string;
  groupBanks: string;
};
type OwnAttempt = { id: string; status: string; number: number; startedAt: Date; deadlineAt: Date };

async function attemptsOf(roundId: string, userId: string): Promise<OwnAttempt[]> {
  const rows = await sql().rows<{ id: string; status: string; number: number; startedAt: unknown; deadlineAt: unknown }>(S.attemptsOf, [roundId, userId]);
  return rows.map((r) => ({ ...r, ...clockOf(r) }));
}

/**
 * Starts an attempt, or resumes the live one (never two live attempts). The draw and each
 * question's option order are stored; the drawn questions are stamped as used (frozen for edits).
 */
export async function startAttempt(input: StartInput): Promise<{ created: boolean; attempt: AttemptView }> {
  const { roundId, user, now } = input;
  if (impossibleId(roundId)) throw new AttemptError("NOT_FOUND");
  const q = sql();
  const round = await q.row<RoundRow>(S.roundForStart, [roundId]);
  if (!round) throw new AttemptError("NOT_FOUND");
  const closesAt = toDate(round.closesAt);
  let attempts = await attemptsOf(roundId, user.id);
  if (attempts.length) {
    let closed = false;
    for (const a of attempts) if (isOverdue(a, now)) closed = (await closeAttempt(a.id, "expire", now, null)) || closed;
    const live = attempts.find((a) => isOpen(a, now));
    if (live) return { created: false, attempt: await viewOf(live.id, now) };
    if (closed) attempts = await attemptsOf(roundId, user.id);
  }

  const refusal = checkStart({
    now,
    user,
    round: { opensAt: toDate(round.opensAt), closesAt, maxAttempts: round.maxAttempts, eligibleGroups: round.eligibleGroups.split(",") },
    attempts,
  });
  if (refusal) throw new AttemptError(refusal.code);

  const seed = randomHex(30); // 120 random bits
  const rng = seededRng(seed);
  const bankId = bankFor(round, user.group);
  const drawn = drawQuestions(await questionPool(bankId), drawSpecOf(round), rng);
  if (!drawn.ok) throw new AttemptError("ROUND_NOT_READY", drawn.error);
  const attempt = {
    id: newId(),
    roundId,
    number: (attempts.at(-1)?.number ?? 0) + 1,
    status: "in_progress",
    startedAt: now,
    deadlineAt: deadlineFor(now, round.durationSeconds, closesAt),
  };

  let texts: Map<string, QuestionText>;
  let order: DrawnQuestion[];
  try {
    // One transaction: the options are read (unless known), shuffled, stored with the attempt, and
    // their questions stamped as used, so the texts shown are the frozen ones. On SQLite nothing
    // else runs on the connection meanwhile.
    ({ texts, order } = await q.transactionGrouped(async (tx) => {
      const texts = await textsOf(tx, drawn.ids, true);
      const order = drawn.ids.map((questionId) => ({
        questionId,
        optionOrder: shuffle(
          (texts.get(questionId)?.options ?? []).map((o) => o.id),
          rng,
        ).join(","),
      }));
      await tx.run(S.insertAttempt, [
        attempt.id,
        roundId,
        user.id,
        attempt.number,
        seed,
        now,
        attempt.deadlineAt,
        drawn.ids.length,
        input.ip ?? null,
        input.userAgent?.slice(0, 300) ?? null,
        input.deviceId?.slice(0, 100) ?? null,
        now,
      ]);
      await tx.run(S.insertDraw, [attempt.id, encodeDraw(order)]);
      // Questions already in the frozen cache were stamped by an earlier start.
      const unstamped = drawn.ids.filter((id) => !frozenTexts.has(id));
      if (unstamped.length) await tx.run(S.stampUsed, [idList(unstamped), now]);
      return { texts, order };
    }));
  } catch (e) {
    // Another request of the same person (in this process or another) took this attempt number a
    // moment ago: resume that attempt.
    if (!isUniqueViolation(e)) throw e;
    const other = (await attemptsOf(roundId, user.id)).filter((a) => a.status === "in_progress").at(-1);
    if (other && isOpen(other, now)) return { created: false, attempt: await viewOf(other.id, now) };
    throw new AttemptError("NO_ATTEMPTS_LEFT");
  }
  rememberFrozen(texts);
  rememberDraw(attempt.id, user.id, order);
  return { created: true, attempt: buildView(attempt, order, texts, [], now) };
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
  const latest = new Date(now.getTime() - GRACE_MS);
  // The draw is known in this process (started or opened here): owner, question and option are
  // checked against it, and whether the attempt is still open by the write itself. One statement.
  const known = draws.get(attemptId);
  const order = known?.userId === userId ? known.options.get(questionId) : undefined;
  if (order !== undefined && optionOrderHas(order, optionId)) {
    if ((await writeAnswer(attemptId, questionId, optionId, now, ip, latest)) === 1) return { savedAt: now.toISOString() };
    // Not written: closed, overdue or gone; the full path below answers which.
  }
  const q = sql();
  const row = await q.row<{ userId: string; status: string; startedAt: unknown; deadlineAt: unknown; questions: string | null }>(S.forSave, [attemptId]);
  if (!row || row.userId !== userId) throw new AttemptError("NOT_FOUND");
  const a = clockOf(row);
  if (!isOpen(a, now)) {
    if (isOverdue(a, now)) await closeAttempt(attemptId, "expire", now, null);
    throw new AttemptError("ATTEMPT_CLOSED");
  }
  // The draw never changes: the next saves of this attempt in this process need no read.
  const optionOrder = rememberDraw(attemptId, row.userId, decodeDraw(row.questions)).get(questionId);
  if (optionOrder === undefined) throw new AttemptError("QUESTION_NOT_IN_ATTEMPT");
  if (!optionOrderHas(optionOrder, optionId)) throw new AttemptError("OPTION_NOT_IN_QUESTION");
  const written = await writeAnswer(attemptId, questionId, optionId, now, ip, latest);
  if (written === 0) throw new AttemptError("ATTEMPT_CLOSED");
  return { savedAt: now.toISOString() };
}

/**
 * The conditional upsert of one answer, committed with the others of this turn of the event loop:
 * on SQLite in the group transaction (sql.server.ts), on PostgreSQL as one multi-row statement for
 * all the saves of the turn (one commit, one fsync, instead of one each). Resolves to the rows
 * written: 0 when the attempt is no longer open.
 */
function writeAnswer(attemptId: string, questionId: string, optionId: string, now: Date, ip: string | null, latest: Date): Promise<number> {
  if (sql().engine !== "postgres") return sql().runGrouped(S.saveAnswer, [attemptId, questionId, optionId, now, ip, latest]);
  return new Promise((resolve, reject) => {
    pgSaves.push({ key: `${attemptId}|${questionId}`, params: [attemptId, questionId, optionId, now, ip, latest], resolve, reject });
    if (!pgSavesScheduled) {
      pgSavesScheduled = true;
      setImmediate(() => void flushPgSaves());
    }
  });
}

type PendingSave = { key: string; params: [string, string, string, Date, string | null, Date]; resolve: (n: number) => void; reject: (e: unknown) => void };
let pgSaves: PendingSave[] = [];
let pgSavesScheduled = false;
const PG_SAVES_MAX = 500;

async function flushPgSaves() {
  pgSavesScheduled = false;
  // One row per (attempt, question) in a statement: a second save of the same answer waits for the
  // next statement, so the later choice is the one that stays.
  const batch: PendingSave[] = [];
  const later: PendingSave[] = [];
  const keys = new Set<string>();
  for (const w of pgSaves) {
    if (batch.length < PG_SAVES_MAX && !keys.has(w.key)) {
      keys.add(w.key);
      batch.push(w);
    } else later.push(w);
  }
  pgSaves = later;
  if (later.length) {
    pgSavesScheduled = true;
    setImmediate(() => void flushPgSaves());
  }
  if (batch.length === 0) return;
  // Rows in key order: concurrent statements (other processes) take their row locks in one order.
  batch.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const iso = (d: Date) => d.toISOString(); // timestamps as UTC text (see sql.server.ts)
  try {
    const rows = await sql().rows<{ attemptId: string; questionId: string }>(S.saveMany, [
      batch.map((w) => w.params[0]),
      batch.map((w) => w.params[1]),
      batch.map((w) => w.params[2]),
      batch.map((w) => iso(w.params[3])),
      batch.map((w) => w.params[4]),
      batch.map((w) => iso(w.params[5])),
    ]);
    const written = new Set(rows.map((r) => `${r.attemptId}|${r.questionId}`));
    for (const w of batch) w.resolve(written.has(w.key) ? 1 : 0);
  } catch {
    // The statement failed as a whole (a deadlock with another process's, a lost connection):
    // each save alone, so one bad row cannot fail the others.
    await Promise.all(batch.map((w) => sql().run(S.saveAnswer, w.params).then(w.resolve, w.reject)));
  }
}

// ---------- closing ----------

/**
 * Closes an in-progress attempt exactly once (a conditional update: safe against a double submit,
 * and against the sweep running in several processes at once), then scores it and updates the
 * contestant's standing, all in one transaction.
 */
async function closeAttempt(attemptId: string, how: "submit" | "expire", now: Date, prediction: number | null): Promise<boolean> {
  const closedRound = await sql().transactionGrouped(async (tx) => {
    const a = await tx.row<AttemptRow>(S.attempt, [attemptId]);
    if (!a) return null;
    const clock = clockOf(a);
    const closedAt = how === "submit" ? now : clock.deadlineAt;
    const claimed = await tx.run(S.close, [attemptId, how === "submit" ? "submitted" : "expired", closedAt, durationMs(clock, closedAt), prediction]);
    if (claimed !== 1) return null;
    const scored = await tx.row<{ n: number }>(S.score, [attemptId]);
    await tx.run(S.setScore, [attemptId, Number(scored?.n ?? 0)]);
    await refreshStandingSql(tx, a.roundId, a.userId, now);
    return a.roundId;
  });
  if (closedRound === null) return false;
  standingsChanged(closedRound);
  return true;
}

type ResultRow = { id: string; status: string; correctCount: number | null; questionCount: number; durationMs: number | null; closedAt: unknown; prediction: number | null };

function resultOf(a: ResultRow): AttemptResult {
  const closedAt = toDateOrNull(a.closedAt);
  return {
    attemptId: a.id,
    status: a.status as AttemptStatus,
    correctCount: a.correctCount ?? 0,
    questionCount: a.questionCount,
    durationMs: a.durationMs ?? 0,
    submittedAt: closedAt?.toISOString() ?? null,
    prediction: a.prediction,
  };
}

async function readResult(attemptId: string): Promise<AttemptResult> {
  const a = await sql().row<ResultRow>(S.attemptResult, [attemptId]);
  if (!a) throw new AttemptError("NOT_FOUND");
  return resultOf(a);
}

/**
 * Submits; submitting again returns the same result. Past the deadline (and its grace) the attempt
 * is closed as expired with the answers saved in time, and the late prediction is not recorded.
 */
export async function submitAttempt(attemptId: string, userId: string, prediction: number | null, now: Date): Promise<AttemptResult> {
  const a = await loadOwned(attemptId, userId);
  if (a.status === "in_progress") {
    if (isOpen(a, now)) {
      const round = await sql().row<{ prediction: unknown }>(S.roundPrediction, [a.roundId]);
      const wantsPrediction = round?.prediction === true || round?.prediction === 1;
      if (wantsPrediction && prediction === null && now < a.deadlineAt) throw new AttemptError("PREDICTION_REQUIRED");
      await closeAttempt(a.id, "submit", now, wantsPrediction ? prediction : null);
    } else {
      await closeAttempt(a.id, "expire", now, null);
    }
  }
  return readResult(a.id);
}

export async function getResult(attemptId: string, userId: string, now: Date): Promise<AttemptResult> {
  const a = await loadOwned(attemptId, userId);
  if (isOverdue(a, now)) await closeAttempt(a.id, "expire", now, null);
  return readResult(a.id);
}

/**
 * The periodic sweep: closes attempts whose deadline and grace have passed. Safe in many processes
 * at once: each close is a conditional update, so an attempt two sweeps race for closes once.
 */
export async function expireOverdueAttempts(now: Date, limit = 500): Promise<number> {
  const overdue = await sql().rows<{ id: string }>(S.overdue, [new Date(now.getTime() - GRACE_MS), limit]);
  let closed = 0;
  for (const a of overdue) if (await closeAttempt(a.id, "expire", now, null)) closed++;
  return closed;
}

// ---------- events ----------

export const EVENT_TYPES = ["hidden", "visible", "blur", "focus", "copy", "paste", "offline", "online"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** What the page reports during an attempt; kept for the judges' review, never blocks anything. */
export async function recordEvent(attemptId: string, userId: string, type: EventType, clientAt: Date | null, ip: string | null) {
  if (impossibleId(attemptId)) throw new AttemptError("NOT_FOUND");
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
  const full = await db().attempt.findUniqueOrThrow({ where: { id: a.id }, include: { draw: true, answers: true } });
  const drawn = decodeDraw(full.draw?.questions);
  const ids = drawn.map((d) => d.questionId);
  const [questions, options] = await Promise.all([
    db().question.findMany({ where: { id: { in: ids } }, select: { id: true, text: true, explanation: true } }),
    db().option.findMany({ where: { questionId: { in: ids } }, select: { id: true, text: true, correct: true } }),
  ]);
  const q = new Map(questions.map((x) => [x.id, x]));
  const o = new Map(options.map((x) => [x.id, x]));
  const chosen = new Map(full.answers.map((x) => [x.questionId, x.optionId]));
  return drawn.map((aq) => ({
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
