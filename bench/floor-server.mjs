// The floor of `npm run bench -- attempts`: a bare node:http server that does, per request, the
// same database statements as the app for that kind of request, and nothing else: no Express, no
// Remix, no session, no rate limit, no validation, no draw (20 questions picked at random from the
// bank loaded at start-up). The app's throughput divided by this one's is the "floor ratio".
//
//   POST /api/v1/rounds/:roundId/attempts          insert the attempt, its 20 questions, stamp them used
//   PUT  /api/v1/attempts/:id/answers/:questionId  the app's conditional upsert of the answer
//   POST /api/v1/attempts/:id/submit               the app's close: read, conditional update, score,
//                                                   the contestant's closed attempts and place, standing upsert
//   GET  /api/v1/rounds/:roundId/leaderboard       the top 50 standings with names (no cache)
// The contestant is the X-Bench-User header (the app ignores it). Same paths and reply shapes as the
// app, so the bench drives both with one client. DATABASE_URL as the app's; SQLite with the app's
// pragmas (WAL, synchronous=NORMAL), PostgreSQL with a pool of DATABASE_POOL_SIZE (10).
import { randomBytes, randomInt } from "node:crypto";
import http from "node:http";

const url = process.env.DATABASE_URL ?? "";
const isPg = /^postgres(ql)?:\/\//.test(url);
const port = Number(process.env.PORT ?? 3999);
const host = process.env.HOST ?? "127.0.0.1";
const GRACE_MS = 5_000;

const SQL = {
  bank: `SELECT o."id", o."questionId" FROM "Option" o JOIN "Question" q ON q."id" = o."questionId" WHERE q."bankId" = (SELECT "bankId" FROM "Round" WHERE "id" = $1) AND q."status" = 'active' ORDER BY o."questionId", o."position"`,
  round: `SELECT "durationSeconds", "closesAt" FROM "Round" WHERE "id" = $1`,
  insertAttempt: `INSERT INTO "Attempt" ("id", "roundId", "userId", "number", "status", "seed", "startedAt", "deadlineAt", "questionCount", "ip", "userAgent", "deviceId", "createdAt") VALUES ($1, $2, $3, $4, 'in_progress', $5, $6, $7, $8, $9, $10, $11, $12)`,
  insertDraw: `INSERT INTO "AttemptDraw" ("attemptId", "questions") VALUES ($1, $2)`,
  stampPg: `UPDATE "Question" SET "firstUsedAt" = $2, "updatedAt" = $2 WHERE "id" = ANY($1::text[]) AND "firstUsedAt" IS NULL`,
  stampSqlite: `UPDATE "Question" SET "firstUsedAt" = $2, "updatedAt" = $2 WHERE "id" IN (SELECT "value" FROM json_each($1)) AND "firstUsedAt" IS NULL`,
  saveAnswerPg: `INSERT INTO "Answer" ("attemptId", "questionId", "optionId", "savedAt", "ip") SELECT $1::text, $2::text, $3::text, $4::timestamp(3), $5::text WHERE EXISTS (SELECT 1 FROM "Attempt" WHERE "id" = $1::text AND "status" = 'in_progress' AND "deadlineAt" >= $6::timestamp(3) FOR SHARE) ON CONFLICT ("attemptId", "questionId") DO UPDATE SET "optionId" = EXCLUDED."optionId", "savedAt" = EXCLUDED."savedAt", "ip" = EXCLUDED."ip"`,
  saveAnswerSqlite: `INSERT INTO "Answer" ("attemptId", "questionId", "optionId", "savedAt", "ip") SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM "Attempt" WHERE "id" = $1 AND "status" = 'in_progress' AND "deadlineAt" >= $6) ON CONFLICT ("attemptId", "questionId") DO UPDATE SET "optionId" = excluded."optionId", "savedAt" = excluded."savedAt", "ip" = excluded."ip"`,
  attempt: `SELECT "id", "roundId", "userId", "startedAt", "deadlineAt" FROM "Attempt" WHERE "id" = $1`,
  close: `UPDATE "Attempt" SET "status" = $2, "closedAt" = $3, "durationMs" = $4, "prediction" = $5 WHERE "id" = $1 AND "status" = 'in_progress'`,
  score: `SELECT COUNT(*) AS "n" FROM "Answer" a JOIN "Option" o ON o."id" = a."optionId" WHERE a."attemptId" = $1 AND o."correct"`,
  setScore: `UPDATE "Attempt" SET "correctCount" = $2 WHERE "id" = $1`,
  closed: `SELECT "id", "correctCount", "questionCount", "durationMs", "closedAt", "prediction" FROM "Attempt" WHERE "roundId" = $1 AND "userId" = $2 AND "status" IN ('submitted', 'expired')`,
  user: `SELECT "communeCode", "group" FROM "User" WHERE "id" = $1`,
  standing: `INSERT INTO "Standing" ("roundId", "userId", "attemptId", "communeCode", "group", "correctCount", "questionCount", "durationMs", "closedAt", "prediction", "attemptCount", "updatedAt") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT ("roundId", "userId") DO UPDATE SET "attemptId" = EXCLUDED."attemptId", "communeCode" = EXCLUDED."communeCode", "group" = EXCLUDED."group", "correctCount" = EXCLUDED."correctCount", "questionCount" = EXCLUDED."questionCount", "durationMs" = EXCLUDED."durationMs", "closedAt" = EXCLUDED."closedAt", "prediction" = EXCLUDED."prediction", "attemptCount" = EXCLUDED."attemptCount", "updatedAt" = EXCLUDED."updatedAt"`,
  leaderboard: `SELECT s."userId", s."communeCode", s."correctCount", s."questionCount", s."durationMs", u."fullName" FROM "Standing" s JOIN "User" u ON u."id" = s."userId" WHERE s."roundId" = $1 ORDER BY s."correctCount" DESC, s."durationMs", s."closedAt", s."userId" LIMIT 50`,
};

// ---------------------------------------------------------------------------------------------
// The database, as the app talks to it

let db; // { one(sql, params), all(sql, params), run(sql, params), tx(fn), sqlite }
if (isPg) {
  const pg = (await import("pg")).default;
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
  const types = { getTypeParser: (oid, format) => (oid === 1114 ? (s) => new Date(`${s.replace(" ", "T")}Z`) : oid === 20 ? Number : pg.types.getTypeParser(oid, format)) };
  const names = new Map();
  const nameOf = (text) => names.get(text) ?? (names.set(text, `floor_${names.size}`), names.get(text));
  const value = (v) => (v instanceof Date ? v.toISOString() : v === undefined ? null : v);
  const on = (c) => ({
    all: async (text, params = []) => (await c.query({ name: nameOf(text), text, values: params.map(value), types })).rows,
    one: async (text, params = []) => (await c.query({ name: nameOf(text), text, values: params.map(value), types })).rows[0],
    run: async (text, params = []) => (await c.query({ name: nameOf(text), text, values: params.map(value), types })).rowCount,
  });
  db = {
    sqlite: false,
    ...on(pool),
    async tx(fn) {
      const c = await pool.connect();
      try {
        await c.query("BEGIN");
        const r = await fn(on(c));
        await c.query("COMMIT");
        return r;
      } catch (e) {
        await c.query("ROLLBACK").catch(() => {});
        throw e;
      } finally {
        c.release();
      }
    },
  };
} else {
  const Database = (await import("better-sqlite3")).default;
  const conn = new Database(url.replace(/^file:/, "").split("?")[0], { timeout: 10_000 });
  conn.pragma("journal_mode = WAL");
  conn.pragma("synchronous = NORMAL");
  const compiled = new Map();
  const stmt = (text) => {
    let c = compiled.get(text);
    if (!c) {
      const order = [];
      const st = conn.prepare(text.replace(/\$(\d+)/g, (_, n) => (order.push(Number(n) - 1), "?")));
      compiled.set(text, (c = { st, order }));
    }
    return c;
  };
  const value = (v) => (v instanceof Date ? v.toISOString().replace("Z", "+00:00") : typeof v === "boolean" ? (v ? 1 : 0) : v === undefined ? null : v);
  const args = (c, params) => c.order.map((i) => value(params[i]));
  const direct = {
    all: async (text, params = []) => {
      const c = stmt(text);
      return c.st.all(args(c, params));
    },
    one: async (text, params = []) => {
      const c = stmt(text);
      return c.st.get(args(c, params));
    },
    run: async (text, params = []) => {
      const c = stmt(text);
      return c.st.run(args(c, params)).changes;
    },
  };
  // One connection, as in the app: while a transaction is open (its statements are separated by
  // awaits), other statements wait for it, or they would run inside it.
  let open = null; // the open transaction's promise
  const gated = (fn) => async (text, params) => {
    while (open) await open.catch(() => {});
    return fn(text, params); // runs synchronously up to its result
  };
  db = {
    sqlite: true,
    all: gated(direct.all),
    one: gated(direct.one),
    run: gated(direct.run),
    async tx(fn) {
      while (open) await open.catch(() => {});
      const run = (async () => {
        conn.prepare("BEGIN IMMEDIATE").run();
        try {
          const r = await fn(direct);
          conn.prepare("COMMIT").run();
          return r;
        } catch (e) {
          if (conn.inTransaction) conn.prepare("ROLLBACK").run();
          throw e;
        }
      })();
      open = run;
      try {
        return await run;
      } finally {
        if (open === run) open = null;
      }
    },
  };
}

const toDate = (v) => (v instanceof Date ? v : new Date(v));

// ---------------------------------------------------------------------------------------------
// Handlers

const banks = new Map(); // roundId → [{ id, options: [ids] }]
async function bankOf(roundId) {
  let questions = banks.get(roundId);
  if (!questions) {
    const byQuestion = new Map();
    for (const o of await db.all(SQL.bank, [roundId])) byQuestion.set(o.questionId, [...(byQuestion.get(o.questionId) ?? []), o.id]);
    questions = [...byQuestion].map(([id, options]) => ({ id, options }));
    banks.set(roundId, questions);
  }
  return questions;
}
const rounds = new Map();
const numbers = new Map(); // `${roundId}|${userId}` → last number

function pick(list, n) {
  const copy = list.slice();
  for (let i = copy.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n);
}

async function start(roundId, userId, ip, userAgent) {
  const questions = pick(await bankOf(roundId), 20).map((q) => ({ id: q.id, options: pick(q.options, q.options.length) }));
  let round = rounds.get(roundId);
  if (!round) rounds.set(roundId, (round = await db.one(SQL.round, [roundId])));
  const now = new Date();
  const deadlineAt = new Date(Math.min(now.getTime() + round.durationSeconds * 1000, toDate(round.closesAt).getTime()));
  const key = `${roundId}|${userId}`;
  const number = (numbers.get(key) ?? 0) + 1;
  numbers.set(key, number);
  const id = `f${randomBytes(12).toString("hex")}`;
  const ids = questions.map((q) => q.id);
  await db.tx(async (t) => {
    await t.run(SQL.insertAttempt, [id, roundId, userId, number, randomBytes(16).toString("hex"), now, deadlineAt, 20, ip, userAgent, null, now]);
    await t.run(SQL.insertDraw, [id, JSON.stringify(questions.map((q) => [q.id, q.options.join(",")]))]);
    await t.run(db.sqlite ? SQL.stampSqlite : SQL.stampPg, [db.sqlite ? JSON.stringify(ids) : ids, now]);
  });
  return { attempt: { id, questions: questions.map((q) => ({ id: q.id, text: "", options: q.options.map((o) => ({ id: o, text: "" })) })) } };
}

async function saveAnswer(attemptId, questionId, optionId, ip) {
  const now = new Date();
  const written = await db.run(db.sqlite ? SQL.saveAnswerSqlite : SQL.saveAnswerPg, [attemptId, questionId, optionId, now, ip, new Date(now.getTime() - GRACE_MS)]);
  if (written !== 1) throw Object.assign(new Error("attempt closed"), { status: 409 });
  return { savedAt: now.toISOString() };
}

async function submit(attemptId, prediction) {
  const now = new Date();
  await db.tx(async (t) => {
    const a = await t.one(SQL.attempt, [attemptId]);
    const startedAt = toDate(a.startedAt);
    const deadlineAt = toDate(a.deadlineAt);
    const durationMs = Math.max(0, Math.min(now.getTime(), deadlineAt.getTime()) - startedAt.getTime());
    if ((await t.run(SQL.close, [attemptId, "submitted", now, durationMs, prediction])) !== 1) return;
    const n = Number((await t.one(SQL.score, [attemptId])).n);
    await t.run(SQL.setScore, [attemptId, n]);
    const closed = await t.all(SQL.closed, [a.roundId, a.userId]);
    const user = await t.one(SQL.user, [a.userId]);
    const best = closed.sort((x, y) => (y.correctCount ?? 0) - (x.correctCount ?? 0) || (x.durationMs ?? 0) - (y.durationMs ?? 0))[0];
    await t.run(SQL.standing, [a.roundId, a.userId, best.id, user.communeCode ?? "", user.group ?? "", best.correctCount ?? 0, 20, best.durationMs ?? 0, toDate(best.closedAt), best.prediction, closed.length, now]);
  });
  return { result: { attemptId, status: "submitted" } };
}

async function leaderboard(roundId) {
  const rows = await db.all(SQL.leaderboard, [roundId]);
  return { final: false, entries: rows.map((r, i) => ({ rank: i + 1, displayName: r.fullName, communeCode: r.communeCode, correctCount: r.correctCount, questionCount: r.questionCount, durationMs: r.durationMs })) };
}

// ---------------------------------------------------------------------------------------------
// HTTP

function body(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      try {
        resolve(chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {});
      } catch (e) {
        reject(e);
      }
    });
    req.on("error", reject);
  });
}

const server = http.createServer(async (req, res) => {
  try {
    const path = (req.url ?? "").split("?")[0];
    const parts = path.split("/"); // "", "api", "v1", …
    const userId = req.headers["x-bench-user"];
    const ip = req.headers["x-forwarded-for"] ?? null;
    let out;
    let status = 200;
    if (req.method === "PUT" && parts[3] === "attempts" && parts[5] === "answers") {
      out = await saveAnswer(parts[4], parts[6], (await body(req)).optionId, ip);
    } else if (req.method === "POST" && parts[3] === "attempts" && parts[5] === "submit") {
      out = await submit(parts[4], (await body(req)).prediction ?? null);
    } else if (req.method === "POST" && parts[3] === "rounds" && parts[5] === "attempts") {
      await body(req);
      out = await start(parts[4], userId, ip, req.headers["user-agent"] ?? null);
      status = 201;
    } else if (req.method === "GET" && parts[3] === "rounds" && parts[5] === "leaderboard") {
      out = await leaderboard(parts[4]);
    } else {
      status = 404;
      out = { error: "not found" };
    }
    const text = JSON.stringify(out);
    res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
    res.end(text);
  } catch (e) {
    res.writeHead(e.status ?? 500, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ error: e.message }));
  }
});
server.keepAliveTimeout = 65_000;
server.listen(port, host, () => console.log(`✓ floor server is serving on http://${host}:${port}`));
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
