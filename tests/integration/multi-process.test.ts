// Two app processes, one PostgreSQL database: what a process keeps must hold across processes.
// Rate limits (answer saves alternating between the processes are limited once in all), attempt
// limits (a one-attempt round started at once through both gives one attempt, and a second start
// after submitting is refused by the other process), leaderboards (a submission through A shows on
// B's board within B's cache time, 2 s), captcha replays (a captcha used on A is refused on B), and
// the deadline sweep (both sweep every 0.5 s here; every overdue attempt is closed once, with its
// standing). Both servers are the production build (`node server.mjs`), like a deployment with
// WEB_CONCURRENCY=2 or two machines behind a proxy.
//
// Runs in the PostgreSQL pass (TEST_POSTGRES_URL): several processes need PostgreSQL (with SQLite
// one process serves, and `npm run serve` refuses more; that refusal is checked in the SQLite
// pass). Skipped, with a warning, when build/ is missing or older than the sources.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { QuestionDraft } from "~/domain/questions";
import { createBank, insertQuestions } from "~/models/question-bank.server";
import { createRound } from "~/models/round.server";
import * as registerApi from "~/routes/api.v1.auth.register";
import { db } from "~/utils/db.server";
import { args, cookieOf, mintedCaptcha, newContestant, req } from "./helpers";
import { productionBuildReady } from "./build";

const root = path.resolve(__dirname, "..", "..");
const MIN = 60_000;
const SYSTEM = { id: null };
const BOARD_TTL_MS = 2_000; // standing.server.ts: boards are cached 2 s per process
const ANSWER_LIMIT = 5; // answerAccount for this test's servers: 5 saves per minute and account

const postgres = inject("engine") === "postgres";
const runnable = postgres && productionBuildReady("multi-process.test");
if (!postgres) console.info("[multi-process.test] the two-process checks run in the PostgreSQL pass (several processes need PostgreSQL)");

// ---------------------------------------------------------------------------------------------
// Two servers

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const children: ChildProcess[] = [];
const output: string[] = [];

async function startServer(label: string): Promise<string> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    DATABASE_URL: inject("databaseUrl"),
    DATABASE_POOL_SIZE: "4",
    SESSION_SECRET: process.env.SESSION_SECRET, // the cookies made in this process work there
    SECURE_COOKIES: "false",
    RATE_LIMITS: `answerAccount=${ANSWER_LIMIT}/60`,
    SWEEP_INTERVAL_MS: "500",
  };
  for (const k of ["REDIS_URL", "RATE_LIMIT_STORE", "DISABLE_BACKGROUND_JOBS", "TRUST_PROXY"]) delete env[k];
  // The server exits when this test process is gone, however it ended.
  const watchdog = `data:text/javascript,${encodeURIComponent("const p=process.ppid;setInterval(()=>{if(process.ppid!==p)process.exit(1)},500).unref();")}`;
  const child = spawn(process.execPath, ["--import", watchdog, "server.mjs"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not start:\n${output.join("")}`)), 30_000);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      output.push(`[${label}] ${text}`);
      if (text.includes("serving on")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited with ${code}:\n${output.join("")}`));
    });
  });
  return `http://127.0.0.1:${port}`;
}

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
});

type Reply = { status: number; body: any };
async function call(origin: string, method: string, urlPath: string, cookie?: string, json?: unknown): Promise<Reply> {
  const res = await fetch(`${origin}${urlPath}`, {
    method,
    headers: { ...(cookie ? { cookie } : {}), ...(json !== undefined ? { "content-type": "application/json" } : {}) },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

// ---------------------------------------------------------------------------------------------
// A contest to take

const uniq = () => randomBytes(4).toString("hex");
function drafts(n: number): QuestionDraft[] {
  const tag = uniq();
  return Array.from({ length: n }, (_, i) => ({
    topic: "Cải cách thủ tục hành chính",
    text: `Câu hỏi nhiều tiến trình ${tag} số ${i + 1}?`,
    options: ["Phương án một", "Phương án hai", "Phương án ba", "Phương án bốn"],
    correct: i % 4,
    explanation: "Giải thích.",
    difficulty: "medium",
    source: "",
  }));
}
async function oneAttemptRound(bankId: string) {
  const now = Date.now();
  return createRound(
    {
      name: `Vòng nhiều tiến trình ${uniq()}`,
      description: "",
      opensAt: new Date(now - MIN),
      closesAt: new Date(now + 60 * MIN),
      durationSeconds: 600,
      questionCount: 10,
      maxAttempts: 1,
      bankId,
      topics: {},
      difficulty: {},
      eligibleGroups: ["official", "citizen", "student", "business"],
      groupBanks: {},
      prediction: false,
      tieBreak: ["duration", "submittedAt"],
      attemptPolicy: "best",
      revealAnswers: "after_close",
      flagRules: {},
    },
    SYSTEM,
    new Date(),
  );
}
async function contestant(): Promise<{ cookie: string; id: string }> {
  const res = await registerApi.action(args(req("/api/v1/auth/register", { json: newContestant() })));
  expect(res.status).toBe(201);
  const { user } = (await res.json()) as { user: { id: string } };
  return { cookie: cookieOf(res), id: user.id };
}

let A = "";
let B = "";
let roundId = "";
beforeAll(async () => {
  if (!runnable) return;
  [A, B] = await Promise.all([startServer("A"), startServer("B")]);
  const bank = await createBank({ name: `Ngân hàng nhiều tiến trình ${uniq()}` }, SYSTEM);
  await db().$transaction((tx) => insertQuestions(tx, bank.id, drafts(20), SYSTEM));
  roundId = (await oneAttemptRound(bank.id)).id;
}, 60_000);

describe.skipIf(!runnable)("two app processes on one PostgreSQL database", () => {
  it("rate limits count across both: saves alternating between them are limited once in all", async () => {
    const c = await contestant();
    const started = await call(A, "POST", `/api/v1/rounds/${roundId}/attempts`, c.cookie, {});
    expect(started.status).toBe(201);
    const attempt = started.body.attempt as { id: string; questions: { id: string; options: { id: string }[] }[] };
    const statuses: number[] = [];
    for (let i = 0; i < ANSWER_LIMIT + 3; i++) {
      const q = attempt.questions[i];
      const r = await call(i % 2 === 0 ? A : B, "PUT", `/api/v1/attempts/${attempt.id}/answers/${q.id}`, c.cookie, { optionId: q.options[0].id });
      statuses.push(r.status);
      if (r.status === 429) expect(r.body.error.code).toBe("RATE_LIMITED");
    }
    // Per-process counters would have let 2 × 5 through.
    expect(statuses).toEqual([...Array(ANSWER_LIMIT).fill(200), 429, 429, 429]);
    expect(await db().answer.count({ where: { attemptId: attempt.id } })).toBe(ANSWER_LIMIT);
  });

  it("attempt limits hold across both: racing starts give one attempt, a second start after submitting is refused", async () => {
    const people = await Promise.all(Array.from({ length: 8 }, () => contestant()));
    for (const c of people) {
      const [a, b] = await Promise.all([call(A, "POST", `/api/v1/rounds/${roundId}/attempts`, c.cookie, {}), call(B, "POST", `/api/v1/rounds/${roundId}/attempts`, c.cookie, {})]);
      expect([a.status, b.status].sort()).toEqual(a.status === 201 || b.status === 201 ? [200, 201] : [200, 200]);
      expect(a.body.attempt.id).toBe(b.body.attempt.id);
      expect(await db().attempt.count({ where: { roundId, userId: c.id } })).toBe(1);
      expect((await call(A, "POST", `/api/v1/attempts/${a.body.attempt.id}/submit`, c.cookie, {})).status).toBe(200);
      const again = await call(B, "POST", `/api/v1/rounds/${roundId}/attempts`, c.cookie, {});
      expect(again.status).toBe(403);
      expect(again.body.error.code).toBe("NO_ATTEMPTS_LEFT");
    }
  });

  it(`a submission through A is on B's leaderboard within B's cache time (${BOARD_TTL_MS / 1000} s)`, async () => {
    const c = await contestant();
    const board = (origin: string) => call(origin, "GET", `/api/v1/rounds/${roundId}/leaderboard?limit=500`);
    const before = await board(B); // B caches the board as it is now
    expect(before.status).toBe(200);
    const started = await call(A, "POST", `/api/v1/rounds/${roundId}/attempts`, c.cookie, {});
    const attempt = started.body.attempt as { id: string; questions: { id: string; options: { id: string }[] }[] };
    const key = await db().option.findMany({ where: { questionId: { in: attempt.questions.map((q) => q.id) }, correct: true } });
    // All correct, so the new standing is at the top whatever else the round holds.
    for (const q of attempt.questions.slice(0, ANSWER_LIMIT)) {
      const right = key.find((o) => o.questionId === q.id)!;
      expect((await call(A, "PUT", `/api/v1/attempts/${attempt.id}/answers/${q.id}`, c.cookie, { optionId: right.id })).status).toBe(200);
    }
    const submitted = await call(A, "POST", `/api/v1/attempts/${attempt.id}/submit`, c.cookie, {});
    expect(submitted.status).toBe(200);
    const at = Date.now();
    const count = (r: Reply) => (r.body.entries as unknown[]).length;
    // A invalidated its own cache when the attempt closed: the board there has one entry more now.
    expect(count(await board(A))).toBe(count(before) + 1);
    let seenAfter = -1;
    while (Date.now() - at < BOARD_TTL_MS + 2_000) {
      if (count(await board(B)) === count(before) + 1) {
        seenAfter = Date.now() - at;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(seenAfter, "B never showed the new standing").toBeGreaterThanOrEqual(0);
    expect(seenAfter).toBeLessThanOrEqual(BOARD_TTL_MS + 500);
    // And B reads the contestant's own place from the shared standings at once.
    const mine = await call(B, "GET", `/api/v1/rounds/${roundId}/leaderboard`, c.cookie);
    expect(mine.body.me).toMatchObject({ correctCount: ANSWER_LIMIT, questionCount: 10 });
  });

  it("a captcha used on A is refused on B", async () => {
    const captcha = mintedCaptcha();
    const first = await call(A, "POST", "/api/v1/auth/register", undefined, { ...newContestant(), captcha });
    expect(first.status).toBe(201);
    const replay = await call(B, "POST", "/api/v1/auth/register", undefined, { ...newContestant(), captcha });
    expect(replay.status).toBe(400);
    expect(replay.body.error.code).toBe("CAPTCHA_REPLAYED");
  });

  it("both sweeps close every overdue attempt once, with the answers saved in time and one standing each", async () => {
    const people = await Promise.all(Array.from({ length: 6 }, () => contestant()));
    const attempts: { id: string; userId: string; questionId: string; optionId: string }[] = [];
    for (const [i, c] of people.entries()) {
      const r = await call(i % 2 ? A : B, "POST", `/api/v1/rounds/${roundId}/attempts`, c.cookie, {});
      const a = r.body.attempt as { id: string; questions: { id: string; options: { id: string }[] }[] };
      const q = a.questions[0];
      expect((await call(i % 2 ? B : A, "PUT", `/api/v1/attempts/${a.id}/answers/${q.id}`, c.cookie, { optionId: q.options[1].id })).status).toBe(200);
      attempts.push({ id: a.id, userId: c.id, questionId: q.id, optionId: q.options[1].id });
    }
    // Their time ran out a minute ago (deadline + grace long past), and nobody submitted.
    const deadlineAt = new Date(Date.now() - MIN);
    await db().attempt.updateMany({ where: { id: { in: attempts.map((a) => a.id) } }, data: { startedAt: new Date(deadlineAt.getTime() - 600_000), deadlineAt } });
    const ids = attempts.map((a) => a.id);
    const until = Date.now() + 10_000;
    while ((await db().attempt.count({ where: { id: { in: ids }, status: "expired" } })) < ids.length && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    const rows = await db().attempt.findMany({ where: { id: { in: ids } } });
    const correct = new Set((await db().option.findMany({ where: { id: { in: attempts.map((a) => a.optionId) }, correct: true } })).map((o) => o.id));
    for (const a of attempts) {
      const row = rows.find((r) => r.id === a.id)!;
      expect(row.status).toBe("expired");
      expect(row.closedAt?.getTime()).toBe(deadlineAt.getTime());
      expect(row.durationMs).toBe(600_000);
      expect(row.correctCount).toBe(correct.has(a.optionId) ? 1 : 0);
      expect(await db().answer.count({ where: { attemptId: a.id } })).toBe(1);
      const standing = await db().standing.findMany({ where: { roundId, userId: a.userId } });
      expect(standing).toHaveLength(1);
      expect(standing[0]).toMatchObject({ attemptId: a.id, attemptCount: 1, correctCount: row.correctCount });
    }
    // Both processes are still serving.
    expect((await call(A, "GET", `/api/v1/rounds/${roundId}/leaderboard`)).status).toBe(200);
    expect((await call(B, "GET", `/api/v1/rounds/${roundId}/leaderboard`)).status).toBe(200);
    expect(output.join("")).not.toMatch(/\[sweep\]|unexpected error/);
  });
});

describe.runIf(!postgres)("several processes on SQLite", () => {
  it("npm run serve refuses WEB_CONCURRENCY > 1 and says why", () => {
    const r = spawnSync(process.execPath, ["scripts/serve.mjs"], {
      cwd: root,
      env: { ...process.env, WEB_CONCURRENCY: "2", DATABASE_URL: inject("databaseUrl") },
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/WEB_CONCURRENCY=2 needs PostgreSQL/);
  });
});
