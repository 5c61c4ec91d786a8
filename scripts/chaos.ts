// Crash test: `npm run chaos`. A simulated round on the production server while the server is
// killed outright (SIGKILL) several times and restarted; afterwards the database must hold every
// answer the server acknowledged, and no attempt may be in an impossible state.
//
// Two roles in one file:
// - the runner (no CHAOS_WORKER): builds if needed, makes a fresh database per engine (a temporary
//   SQLite file always; PostgreSQL database `cchc_chaos` when CHAOS_DATABASE_URL or
//   BENCH_POSTGRES_URL names a PostgreSQL server: dropped, recreated and dropped again, the database
//   named in the URL is never touched), migrates and seeds it, runs a worker on it, cleans up, and
//   checks that no server process it started is still alive;
// - the worker (CHAOS_WORKER=1, DATABASE_URL set): sets up a bank, an open round and N contestants,
//   serves the build with `node server.mjs` as a child, logs everyone in (captcha included), then
//   runs the clients and the killer at once, stops the server and checks the database.
//
// Clients: each starts an attempt, answers 20 questions with small random delays (changing some
// answers), then submits. Answers go through the browser's own queue (app/lib/answer-queue.ts:
// retry with backoff on network errors, 401, 429 and 5xx), so what was not acknowledged is sent
// again. A few "late" clients take a round that closes seconds after the start: once its deadline
// and grace have passed they send an answer right after a restart, which must be refused (409).
//
// Settings (environment): CHAOS_CLIENTS (300), CHAOS_ANSWERS (20), CHAOS_KILLS (5), CHAOS_LATE (10),
// CHAOS_DATABASE_URL / BENCH_POSTGRES_URL (a PostgreSQL server, also run there), CHAOS_KEEP_DB=1,
// CHAOS_SQLITE_BASE (a migrated, seeded SQLite file to copy), CHAOS_BUILD=1 (always build first),
// CHAOS_FULL_HASH=1 (the production password hash cost for the test accounts), CHAOS_LATE_CLOSE_MS
// (how long after the load begins the late round closes, default 20 s), CHAOS_INJECT_FAULTS=1
// (self-test: damage the database before the checks, which must then fail), CHAOS_TIMEOUT_MS (the
// worker gives up with a diagnosis after this long, default 8 min).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes, randomInt, scryptSync } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
const CHAOS_DB = "cchc_chaos";

function intEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`✗ ${name} must be a whole number from ${min} to ${max} (got ${raw})`);
    process.exit(2);
  }
  return n;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const between = (lo: number, hi: number) => lo + randomInt(hi - lo + 1);

/** A password hash in the format of app/utils/password.server.ts (scrypt$N$r$p$salt$hash), cheaper to check. */
function lightHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize("NFC"), salt, 32, { N: 2 ** 12, r: 8, p: 1 });
  return ["scrypt", 2 ** 12, 8, 1, salt.toString("base64"), key.toString("base64")].join("$");
}

if (process.env.CHAOS_WORKER === "1") await worker();
else await runner();

// =============================================================================================
// The runner
// =============================================================================================

async function runner() {
  const started = performance.now();
  const keep = process.env.CHAOS_KEEP_DB === "1";
  const pgServer = process.env.CHAOS_DATABASE_URL || process.env.BENCH_POSTGRES_URL || "";
  if (pgServer && !/^postgres(ql)?:\/\//.test(pgServer)) fatal(`CHAOS_DATABASE_URL must be a postgresql:// URL (got ${pgServer})`);
  if (pgServer && decodeURIComponent(new URL(pgServer).pathname.slice(1)) === CHAOS_DB) {
    fatal(`the PostgreSQL URL names ${CHAOS_DB} itself; point it at another database (e.g. /postgres): ${CHAOS_DB} is dropped and recreated`);
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-chaos-"));
  const pidsFile = path.join(tmp, "server-pids");
  let current: ChildProcess | null = null;
  let pgCreated = false;
  const cleanup = async () => {
    if (!keep) fs.rmSync(tmp, { recursive: true, force: true });
    else console.log(`(CHAOS_KEEP_DB=1: files kept in ${tmp}${pgCreated ? `, database ${CHAOS_DB} kept` : ""})`);
    if (pgCreated && !keep) await withPg(pgServer, (c) => c.query(`DROP DATABASE IF EXISTS "${CHAOS_DB}" WITH (FORCE)`)).catch(() => {});
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      // The worker kills its server on SIGTERM; the server's watchdog covers a worker that is gone.
      current?.kill("SIGTERM");
      void cleanup().finally(() => process.exit(130));
    });
  }

  const buildMs = ensureBuild();
  if (buildMs) console.log(`built the app in ${secs(buildMs)}`);

  // CHAOS_SQLITE_BASE: an already migrated and seeded SQLite file, copied instead of migrating anew.
  const sqliteBase = process.env.CHAOS_SQLITE_BASE?.replace(/^file:/, "") || null;
  const targets: { kind: "sqlite" | "postgres"; migrated?: boolean; prepare(): Promise<string> }[] = [
    {
      kind: "sqlite",
      migrated: Boolean(sqliteBase),
      async prepare() {
        const file = path.join(tmp, "chaos.db");
        if (sqliteBase) fs.copyFileSync(sqliteBase, file);
        return `file:${file}`;
      },
    },
  ];
  if (pgServer) {
    targets.push({
      kind: "postgres",
      async prepare() {
        await withPg(pgServer, async (c) => {
          await c.query(`DROP DATABASE IF EXISTS "${CHAOS_DB}" WITH (FORCE)`);
          await c.query(`CREATE DATABASE "${CHAOS_DB}"`);
        });
        pgCreated = true;
        const u = new URL(pgServer);
        u.pathname = `/${CHAOS_DB}`;
        return u.toString();
      },
    });
  } else {
    console.log("(CHAOS_DATABASE_URL / BENCH_POSTGRES_URL not set: SQLite only)");
  }

  const failures: string[] = [];
  for (const target of targets) {
    console.log(`\n▶ chaos on ${target.kind}`);
    const t0 = performance.now();
    let url: string;
    try {
      url = await target.prepare();
      const env = { ...process.env, DATABASE_URL: url, SEED_DEMO: "false", PRISMA_HIDE_UPDATE_MESSAGE: "1" };
      for (const [cmd, args] of target.migrated ? [] : [
        [bin("prisma"), ["migrate", "deploy"]],
        [bin("tsx"), ["scripts/seed.ts"]],
      ] as const) {
        const r = spawnSync(cmd, [...args], { cwd: root, env, encoding: "utf8" });
        if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(" ")} failed (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
      }
    } catch (e) {
      failures.push(`${target.kind}: database setup failed`);
      console.error(`✗ database setup failed: ${(e as Error).message}`);
      continue;
    }
    console.log(`  database ${target.migrated ? `copied from ${sqliteBase}` : "migrated and seeded"} in ${secs(performance.now() - t0)}`);
    const code = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url)], {
        cwd: root,
        env: {
          ...process.env,
          CHAOS_WORKER: "1",
          CHAOS_ENGINE: target.kind,
          CHAOS_PIDS_FILE: pidsFile,
          DATABASE_URL: url,
          NODE_ENV: "production",
          // One secret for the worker and every start of the server: cookies survive the crashes.
          SESSION_SECRET: randomBytes(24).toString("hex"),
        },
        stdio: "inherit",
      });
      current = child;
      child.on("exit", (c, s) => {
        current = null;
        resolve(c ?? (s ? 128 : 1));
      });
    });
    if (code !== 0) failures.push(`${target.kind}: the run failed (exit ${code})`);
    // A server the worker started must not outlive it (SIGKILL by the worker, or the watchdog).
    const leftover = await survivors(pidsFile);
    if (leftover.length) {
      failures.push(`${target.kind}: server process(es) ${leftover.join(", ")} still running after the run; killed now`);
      for (const pid of leftover) process.kill(pid, "SIGKILL");
    } else {
      const n = fs.existsSync(pidsFile) ? fs.readFileSync(pidsFile, "utf8").trim().split("\n").filter(Boolean).length : 0;
      console.log(`  no leftover process: all ${n} server processes started are gone`);
    }
    fs.rmSync(pidsFile, { force: true });
    if (target.kind === "sqlite" && !keep) for (const f of ["chaos.db", "chaos.db-wal", "chaos.db-shm"]) fs.rmSync(path.join(tmp, f), { force: true });
  }
  await cleanup();
  console.log(`\nchaos: ${failures.length ? "FAILED" : "passed"} in ${secs(performance.now() - started)}${buildMs ? ` (build ${secs(buildMs)})` : ""}`);
  if (failures.length) {
    for (const f of failures) console.error(`  ✗ ${f}`);
    process.exit(1);
  }
}

function fatal(message: string): never {
  console.error(`✗ ${message}`);
  process.exit(1);
}

/** Server pids recorded by the worker that are still alive (signal 0 only asks). */
async function survivors(pidsFile: string): Promise<number[]> {
  if (!fs.existsSync(pidsFile)) return [];
  const pids = fs.readFileSync(pidsFile, "utf8").trim().split("\n").filter(Boolean).map(Number);
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  // The watchdog of a server whose worker died needs up to a second to notice.
  for (let i = 0; i < 30 && pids.some(alive); i++) await sleep(100);
  return pids.filter(alive);
}

async function withPg<T>(url: string, fn: (c: { query(sql: string): Promise<unknown> }) => Promise<T>): Promise<T> {
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, e)));
  return newest;
}

/** Builds like `npm start` does: when build/server/index.js is missing or older than the sources. */
function ensureBuild(): number {
  const stamp = path.join(root, "build", "server", "index.js");
  const sources = Math.max(...["app", "public", "vite.config.ts", "package.json"].map((p) => newestMtime(path.join(root, p))));
  if (process.env.CHAOS_BUILD !== "1" && fs.existsSync(stamp) && fs.statSync(stamp).mtimeMs >= sources) return 0;
  console.log("building the app (remix vite:build)…");
  const t0 = performance.now();
  const r = spawnSync(bin("remix"), ["vite:build"], { cwd: root, env: { ...process.env, NODE_ENV: "production" }, encoding: "utf8" });
  if (r.status !== 0) fatal(`remix vite:build failed (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return performance.now() - t0;
}

// =============================================================================================
// The worker
// =============================================================================================

async function worker() {
  const { GRACE_MS, ATTEMPT_STATUSES, decodeDraw, durationMs: durationOf } = await import("~/domain/attempt");
  const { AnswerQueue, httpSender } = await import("~/lib/answer-queue");
  const { createBank, insertQuestions } = await import("~/models/question-bank.server");
  const { createRound } = await import("~/models/round.server");
  const { rebuildStandings } = await import("~/models/standing.server");
  const { db, disconnectDb } = await import("~/utils/db.server");
  const { hashPassword } = await import("~/utils/password.server");
  type QuestionDraft = import("~/domain/questions").QuestionDraft;
  type RoundInput = import("~/domain/rounds").RoundInput;

  const CLIENTS = intEnv("CHAOS_CLIENTS", 300, 1, 5000);
  const ANSWERS = intEnv("CHAOS_ANSWERS", 20, 1, 50);
  const KILLS = intEnv("CHAOS_KILLS", 5, 1, 50);
  const LATE = intEnv("CHAOS_LATE", 10, 0, 100);
  const LATE_ANSWERS = Math.min(3, ANSWERS);
  const LATE_CLOSE_MS = intEnv("CHAOS_LATE_CLOSE_MS", 20_000, 5_000, 600_000); // the late round closes this long after it is created
  // Only for a server that hangs: a killed one refuses or resets connections at once. Shorter
  // timeouts make clients give up on requests a busy server is still working on, and the retries
  // pile onto it (browsers wait minutes).
  const REQUEST_TIMEOUT_MS = 60_000;
  const CLIENT_DEADLINE_MS = 150_000; // a client that is not done by then is a failure
  const PASSWORD = "mat-khau-thi-sinh";
  const SYSTEM = { id: null };
  const MIN = 60_000;
  const engine = process.env.CHAOS_ENGINE ?? "sqlite";
  const pidsFile = process.env.CHAOS_PIDS_FILE ?? null;
  const problems: string[] = [];
  const problem = (what: string) => {
    if (problems.length < 1000) problems.push(what);
  };

  // ------------------------------------------------------------------ the server child
  let server: ChildProcess | null = null;
  const expectedExit = new WeakSet<ChildProcess>(); // servers we stop or kill ourselves
  const serverTail: string[] = []; // the server's last lines, whatever they are
  let killerStep = "not started";
  const killServer = () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      expectedExit.add(server);
      server.kill("SIGKILL");
    }
  };
  process.on("exit", killServer);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      killServer();
      process.exit(130);
    });
  }
  const die = (message: string): never => {
    console.error(`✗ ${message}`);
    killServer();
    process.exit(1);
  };
  // Whatever happens, the worker ends: a hang is a failure with a reason, not a stuck terminal.
  const WORKER_TIMEOUT_MS = intEnv("CHAOS_TIMEOUT_MS", 8 * 60_000, 10_000, 3_600_000);
  setTimeout(() => die(`no result after ${WORKER_TIMEOUT_MS / 1000} s (CHAOS_TIMEOUT_MS; killer: ${killerStep}); the server's last lines:\n${serverTail.join("\n")}`), WORKER_TIMEOUT_MS).unref();

  // A free port below the ephemeral range (32768+): ports handed out for listen(0) elsewhere on the
  // machine cannot take it over while the server is down between a kill and its restart.
  const canListen = (port: number) =>
    new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.once("error", () => resolve(false));
      s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
    });
  let port = 0;
  for (let i = 0; i < 50 && !port; i++) {
    const candidate = between(20_000, 32_000);
    if (await canListen(candidate)) port = candidate;
  }
  if (!port) die("no free port found between 20000 and 32000");
  const origin = `http://127.0.0.1:${port}`;
  const serverEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    NODE_ENV: "production",
    RATE_LIMITS: "off",
    // Cheap proof of work for the logins (the app's own knob; the captcha is still required and checked).
    CAPTCHA_MAX_NUMBER: "100",
  };
  delete serverEnv.CHAOS_WORKER;
  delete serverEnv.DISABLE_BACKGROUND_JOBS; // the 15 s sweep runs, as in production
  // If this worker is killed outright, the server notices that its parent is gone and exits.
  const watchdog = `data:text/javascript,${encodeURIComponent("const p=process.ppid;setInterval(()=>{if(process.ppid!==p)process.exit(1)},500).unref();")}`;
  const serverLines: string[] = [];
  let serverLineCount = 0;
  let restartListeners: ((restarted: boolean) => void)[] = [];

  async function startServer(): Promise<void> {
    const child = spawn(process.execPath, ["--import", watchdog, "server.mjs"], { cwd: root, env: serverEnv, stdio: ["ignore", "pipe", "pipe"] });
    server = child;
    if (pidsFile && child.pid) fs.appendFileSync(pidsFile, `${child.pid}\n`);
    let listening = false;
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (!line.trim()) continue;
        serverTail.push(line);
        if (serverTail.length > 20) serverTail.shift();
        if (line.includes("is serving on")) {
          listening = true;
          continue;
        }
        serverLineCount++;
        if (serverLines.length < 20) serverLines.push(line);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code, signal) => {
      if (!expectedExit.has(child)) problem(`server pid ${child.pid} exited on its own (${code ?? signal}); its last lines:\n${serverTail.join("\n")}`);
    });
    const t0 = Date.now();
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) die(`the server exited with ${child.exitCode ?? child.signalCode} while starting:\n${serverTail.join("\n")}`);
      if (Date.now() - t0 > 30_000) die(`the server did not answer GET /api/v1/communes within 30 s:\n${serverTail.join("\n")}`);
      // Only once this child says it listens: anything else answering on the port is not ours.
      if (!listening) {
        await sleep(20);
        continue;
      }
      try {
        const r = await fetch(`${origin}/api/v1/communes`, { signal: AbortSignal.timeout(2_000) });
        await r.arrayBuffer();
        if (r.status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
  }

  async function killHard(): Promise<void> {
    const child = server!;
    expectedExit.add(child);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill("SIGKILL");
    await exited;
  }

  async function stopGracefully(): Promise<void> {
    const child = server!;
    expectedExit.add(child);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  }

  // ------------------------------------------------------------------ HTTP
  const errorKinds: Record<string, number> = {};
  const noteNetworkError = (e: unknown) => {
    const err = e as { name?: string; cause?: { code?: string; name?: string } };
    const kind = err?.name === "TimeoutError" ? "timeout" : (err?.cause?.code ?? err?.cause?.name ?? err?.name ?? "error");
    errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
    counts.networkErrors++;
  };
  type Reply = { status: number; body: any; setCookie: string | null };
  async function send(method: string, urlPath: string, body?: unknown, cookie?: string): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers["content-type"] = "application/json";
    if (cookie) headers.cookie = cookie;
    const res = await fetch(`${origin}${urlPath}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed, setCookie: res.headers.getSetCookie()[0] ?? null };
  }

  const counts = { startRetries: 0, submitRetries: 0, answerRetries: 0, answerSends: 0, networkErrors: 0, status5xx: 0, status401: 0 };
  const RETRY_MS = [250, 500, 1_000, 2_000];
  /** A request retried like the browser does: on network errors, 401, 429 and 5xx. Returns the first other answer. */
  async function withRetry(kind: "start" | "submit" | "late", method: string, urlPath: string, body: unknown, cookie: string): Promise<Reply> {
    const until = Date.now() + CLIENT_DEADLINE_MS;
    for (let tries = 0; ; tries++) {
      if (tries > 0) {
        if (kind === "start") counts.startRetries++;
        else if (kind === "submit") counts.submitRetries++;
        await sleep(RETRY_MS[Math.min(tries - 1, RETRY_MS.length - 1)]);
      }
      if (Date.now() > until) throw new Error(`${method} ${urlPath}: no answer after retrying for ${CLIENT_DEADLINE_MS / 1000} s`);
      let r: Reply;
      try {
        r = await send(method, urlPath, body, cookie);
      } catch (e) {
        noteNetworkError(e);
        continue;
      }
      if (r.status >= 500) counts.status5xx++;
      if (r.status === 401) counts.status401++;
      if (r.status === 401 || r.status === 429 || r.status >= 500) continue;
      return r;
    }
  }

  // ------------------------------------------------------------------ setup
  const tSetup = performance.now();
  const drafts: QuestionDraft[] = Array.from({ length: Math.max(60, ANSWERS * 2) }, (_, i) => ({
    topic: ["Cải cách thủ tục hành chính", "Chính quyền điện tử", "Dịch vụ công trực tuyến", "Một cửa liên thông"][i % 4],
    text: `Câu hỏi kiểm tra sự cố số ${i + 1}: thủ tục nào được giải quyết tại bộ phận một cửa cấp xã?`,
    options: ["Đăng ký khai sinh", "Cấp giấy phép xây dựng", "Chứng thực bản sao", "Đăng ký kết hôn"],
    correct: i % 4,
    explanation: "Giải thích.",
    difficulty: (["easy", "medium", "hard"] as const)[i % 3],
    source: "",
  }));
  const bank = await createBank({ name: "Ngân hàng kiểm tra sự cố" }, SYSTEM);
  await db().$transaction((tx) => insertQuestions(tx, bank.id, drafts, SYSTEM));
  const roundInput = (name: string, opensAt: Date, closesAt: Date, questionCount: number): RoundInput => ({
    name,
    description: "",
    opensAt,
    closesAt,
    durationSeconds: 30 * 60,
    questionCount,
    maxAttempts: 2, // more than one: a start replayed after a crash must resume, not start a second attempt
    bankId: bank.id,
    topics: {},
    difficulty: {},
    eligibleGroups: ["official", "citizen", "student", "business"],
    groupBanks: {},
    prediction: true,
    tieBreak: ["prediction", "duration", "submittedAt"],
    attemptPolicy: "best",
    revealAnswers: "after_close",
    flagRules: {},
  });
  const main = await createRound(roundInput("Vòng kiểm tra sự cố", new Date(Date.now() - MIN), new Date(Date.now() + 24 * 60 * MIN), ANSWERS), SYSTEM, new Date());

  // One hash for everyone (N hashes would take minutes). By default in the app's stored format with
  // a lower scrypt cost (N=2^12 instead of 2^15; verifyPassword reads N from the hash), so that the
  // logins, all on the same few cores, do not dominate the run; CHAOS_FULL_HASH=1 uses hashPassword.
  const passwordHash = process.env.CHAOS_FULL_HASH === "1" ? await hashPassword(PASSWORD) : lightHash(PASSWORD);
  const serial = (i: number, width: number) => String(i).padStart(width, "0");
  type Person = { i: number; nationalId: string; cookie: string; late: boolean };
  const people: Person[] = Array.from({ length: CLIENTS + LATE }, (_, i) => ({ i, nationalId: `064090${serial(i, 6)}`, cookie: "", late: i >= CLIENTS }));
  for (let i = 0; i < people.length; i += 500) {
    await db().user.createMany({
      data: people.slice(i, i + 500).map((p) => ({
        role: "contestant",
        fullName: `Thí sinh Số ${p.i + 1}`.replace(/\d/g, (d) => "KHBNMPLTVX"[Number(d)]),
        nationalId: p.nationalId,
        phone: `091${serial(p.i, 7)}`,
        birthDate: "1990-05-17",
        gender: "male",
        communeCode: "21583",
        group: "citizen",
        passwordHash,
      })),
    });
  }
  await disconnectDb();

  // Logins on a first server (not killed): GET /api/v1/captcha, solve it as the widget does, POST.
  const tLogins = performance.now();
  await startServer();
  const { solveChallenge } = await import("altcha-lib");
  const { deriveKey } = await import("altcha-lib/algorithms/sha");
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (;;) {
        const p = people[next++];
        if (!p) return;
        const c = await send("GET", "/api/v1/captcha");
        if (c.status !== 200) die(`GET /api/v1/captcha answered ${c.status}: ${JSON.stringify(c.body)}`);
        const solution = await solveChallenge({ challenge: c.body, deriveKey });
        if (!solution) die("could not solve a captcha challenge");
        const captcha = Buffer.from(JSON.stringify({ challenge: c.body, solution })).toString("base64");
        const r = await send("POST", "/api/v1/auth/login", { identifier: p.nationalId, password: PASSWORD, captcha });
        if (r.status !== 200 || !r.setCookie?.startsWith("__session=")) die(`login of ${p.nationalId} answered ${r.status}: ${JSON.stringify(r.body)}`);
        p.cookie = r.setCookie!.split(";")[0];
      }
    }),
  );
  await stopGracefully();
  const loginMs = performance.now() - tLogins;

  // The late round closes a few seconds from now: its deadline passes while the server is being killed.
  const lateRound = LATE
    ? await createRound(roundInput("Vòng đóng sớm", new Date(Date.now() - MIN), new Date(Date.now() + LATE_CLOSE_MS), LATE_ANSWERS), SYSTEM, new Date())
    : null;
  await disconnectDb();
  const setupMs = performance.now() - tSetup;
  console.log(`  setup ${secs(setupMs)} (incl. ${people.length} logins with captcha); ${CLIENTS} clients × ${ANSWERS} answers, ${LATE} late clients, ${KILLS} kills; server on ${origin}`);

  // ------------------------------------------------------------------ the ledger of answers sent
  type Sent = { attemptId: string; questionId: string; optionId: string; seq: number; acked: boolean };
  const sent = new Map<string, Sent[]>(); // by attemptId|questionId, in the order sent
  let seq = 0;
  let savesInFlight = 0;

  /** fetch for the queue's httpSender: the same request against our server, with the cookie, recorded. */
  const recordingFetch =
    (cookie: string): typeof fetch =>
    async (input, init) => {
      const url = String(input);
      const m = /^\/api\/v1\/attempts\/([^/]+)\/answers\/([^/]+)$/.exec(url);
      if (!m || !init) throw new Error(`unexpected request from the answer queue: ${url}`);
      const entry: Sent = {
        attemptId: decodeURIComponent(m[1]),
        questionId: decodeURIComponent(m[2]),
        optionId: (JSON.parse(String(init.body)) as { optionId: string }).optionId,
        seq: ++seq,
        acked: false,
      };
      const key = `${entry.attemptId}|${entry.questionId}`;
      const list = sent.get(key) ?? [];
      if (list.length && !list[list.length - 1].acked) counts.answerRetries++; // the previous send got no 200
      list.push(entry);
      sent.set(key, list);
      counts.answerSends++;
      savesInFlight++;
      try {
        const res = await fetch(`${origin}${url}`, { ...init, headers: { ...(init.headers as Record<string, string>), cookie }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        if (res.status === 200) entry.acked = true;
        if (res.status >= 500) counts.status5xx++;
        if (res.status === 401) counts.status401++;
        return res;
      } catch (e) {
        noteNetworkError(e);
        throw e;
      } finally {
        savesInFlight--;
      }
    };

  function queueFor(attemptId: string, cookie: string, refusedOk: boolean) {
    const sender = httpSender(attemptId, recordingFetch(cookie));
    return new AnswerQueue(`answers:${attemptId}`, {
      send: async (questionId, optionId) => {
        const outcome = await sender(questionId, optionId);
        if (outcome === "invalid" || (outcome === "refused" && !refusedOk)) problem(`answer ${attemptId}/${questionId} → ${outcome}`);
        return outcome;
      },
      storage: null,
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
    });
  }

  // ------------------------------------------------------------------ clients, killer
  type AttemptJson = { id: string; status: string; deadlineAt: string; questions: { id: string; options: { id: string }[] }[] };
  let restarts = 0;
  let tLoad = 0;
  // The late clients' milestones: all started (the first kill waits for it, so none misses the
  // round), and all past deadline + grace (the last kill waits for it: they answer right after it).
  let lateStarted!: () => void;
  const lateStartedP = new Promise<void>((r) => (lateStarted = r));
  let lateReady!: () => void;
  const lateReadyP = new Promise<void>((r) => (lateReady = r));
  if (!LATE) {
    lateStarted();
    lateReady();
  }
  const kills: { at: number; inFlight: number; downMs: number }[] = [];
  let killerDone = false;
  /** Resolves true at the next restart, false when there will be none. */
  const nextRestart = () => new Promise<boolean>((resolve) => (killerDone ? resolve(false) : restartListeners.push(resolve)));
  const tellRestart = (restarted: boolean) => {
    const listeners = restartListeners;
    restartListeners = [];
    for (const l of listeners) l(restarted);
  };

  const mainAttempts = new Map<string, string>(); // attemptId → user index
  const lateAttempts = new Map<string, string>();
  const late = { checked: 0, refused: 0, accepted: 0, rightAfterRestart: 0, msAfterRestart: [] as number[], expired: 0 };
  let mainDone = 0;
  const finishedAt: number[] = [];

  async function mainClient(p: Person) {
    await sleep(between(0, 4_000));
    const s = await withRetry("start", "POST", `/api/v1/rounds/${main.id}/attempts`, {}, p.cookie);
    if (s.status !== 200 && s.status !== 201) throw new Error(`start answered ${s.status}: ${JSON.stringify(s.body)}`);
    const a = (s.body as { attempt: AttemptJson }).attempt;
    mainAttempts.set(a.id, String(p.i));
    const queue = queueFor(a.id, p.cookie, false);
    const changeLater: { q: string; options: { id: string }[] }[] = [];
    for (const q of a.questions) {
      await sleep(between(300, 1_500));
      queue.choose(q.id, q.options[randomInt(q.options.length)].id);
      // About one answer in five is changed a little later (the newest choice must win).
      const c = changeLater.shift();
      if (c) queue.choose(c.q, c.options[randomInt(c.options.length)].id);
      if (randomInt(5) === 0) changeLater.push({ q: q.id, options: q.options });
    }
    for (const c of changeLater) queue.choose(c.q, c.options[randomInt(c.options.length)].id);
    if (!(await queue.drain(CLIENT_DEADLINE_MS))) throw new Error(`answers of ${a.id} still not saved after ${CLIENT_DEADLINE_MS / 1000} s`);
    queue.dispose();
    const r = await withRetry("submit", "POST", `/api/v1/attempts/${a.id}/submit`, { prediction: randomInt(CLIENTS + 1) }, p.cookie);
    if (r.status !== 200 || r.body?.result?.status !== "submitted") throw new Error(`submit answered ${r.status}: ${JSON.stringify(r.body)}`);
    mainDone++;
    finishedAt.push(performance.now() - tLoad);
  }

  async function lateClient(p: Person, started: () => void) {
    const s = await withRetry("start", "POST", `/api/v1/rounds/${lateRound!.id}/attempts`, {}, p.cookie).finally(started);
    if (s.status !== 200 && s.status !== 201) throw new Error(`late start answered ${s.status}: ${JSON.stringify(s.body)}`);
    const a = (s.body as { attempt: AttemptJson }).attempt;
    lateAttempts.set(a.id, String(p.i));
    const queue = queueFor(a.id, p.cookie, true);
    for (const q of a.questions) queue.choose(q.id, q.options[randomInt(q.options.length)].id);
    await queue.drain(Date.parse(a.deadlineAt) - Date.now());
    queue.dispose();
    // Past deadline and grace, wait for the next restart, then answer at once: a different option
    // than the one saved, so an answer that slipped through would show in the database.
    const wait = Date.parse(a.deadlineAt) + GRACE_MS + 300 - Date.now();
    if (wait > 0) await sleep(wait);
    return a;
  }

  async function lateCheck(list: { p: Person; a: AttemptJson }[]) {
    const restartedP = nextRestart();
    lateReady();
    const restarted = await restartedP;
    const at = Date.now();
    await Promise.all(
      list.map(async ({ p, a }) => {
        const q = a.questions[0];
        const saved = sent.get(`${a.id}|${q.id}`)?.filter((e) => e.acked).at(-1)?.optionId;
        const other = q.options.find((o) => o.id !== saved) ?? q.options[0];
        const first = Date.now();
        const r = await withRetry("late", "PUT", `/api/v1/attempts/${a.id}/answers/${q.id}`, { optionId: other.id }, p.cookie);
        late.checked++;
        if (restarted) {
          late.rightAfterRestart++;
          late.msAfterRestart.push(first - at);
        }
        if (r.status === 409) late.refused++;
        else {
          late.accepted++;
          problem(`late answer to ${a.id} (deadline ${a.deadlineAt}) answered ${r.status}, not 409`);
        }
        const sub = await withRetry("submit", "POST", `/api/v1/attempts/${a.id}/submit`, { prediction: 1 }, p.cookie);
        if (sub.status === 200 && sub.body?.result?.status === "expired") late.expired++;
        else problem(`late submit of ${a.id} answered ${sub.status} ${JSON.stringify(sub.body)}, expected an expired result`);
      }),
    );
  }

  async function killer() {
    killerStep = "waiting for the late clients to start";
    await Promise.race([lateStartedP, sleep(30_000)]);
    while (kills.length < KILLS) {
      killerStep = "pausing";
      await sleep(between(1_500, 3_000));
      killerStep = "waiting for the late clients' deadline";
      if (kills.length === KILLS - 1) await Promise.race([lateReadyP, sleep(60_000)]);
      // Strike while an answer is on its way (a few ms at light load): wait for one, briefly.
      killerStep = "waiting for a save in flight";
      const until = Date.now() + 3_000;
      while (savesInFlight === 0 && mainDone < CLIENTS && Date.now() < until) await sleep(1);
      const inFlight = savesInFlight;
      const down = Date.now();
      killerStep = `killing pid ${server?.pid}`;
      await killHard();
      await sleep(between(100, 400));
      killerStep = "restarting";
      await startServer();
      killerStep = "restarted";
      kills.push({ at: performance.now() - tLoad, inFlight, downMs: Date.now() - down });
      restarts++;
      tellRestart(true);
    }
    killerDone = true;
    tellRestart(false);
  }

  await startServer();
  tLoad = performance.now();
  let acks = 0;
  const progress = setInterval(() => {
    for (const list of sent.values()) for (const e of list) if (e.acked) acks++;
    console.log(
      `  … ${secs(performance.now() - tLoad)}: ${mainAttempts.size} started, ${mainDone} done, ${acks} answers acknowledged, ${savesInFlight} in flight, ${kills.length} kills (killer: ${killerStep}), ${counts.networkErrors} network errors`,
    );
    acks = 0;
  }, 10_000);
  progress.unref();
  const clientErrors: string[] = [];
  const guard = (f: Promise<unknown>) =>
    f.catch((e: Error) => {
      if (clientErrors.length < 20) clientErrors.push(e.message);
    });
  const lateRun = (async () => {
    const ready: { p: Person; a: AttemptJson }[] = [];
    let started = 0;
    const lateOnes = people.filter((p) => p.late);
    const tick = () => void (++started === lateOnes.length && lateStarted());
    await Promise.all(
      lateOnes.map((p) => {
        let counted = false;
        const once = () => void (!counted && (counted = true) && tick());
        return guard(lateClient(p, once).then((a) => void ready.push({ p, a }))).finally(once);
      }),
    );
    if (ready.length) await lateCheck(ready);
    else lateReady();
  })();
  await Promise.all([killer(), ...people.filter((p) => !p.late).map((p) => guard(mainClient(p))), guard(lateRun)]);
  const loadMs = performance.now() - tLoad;
  clearInterval(progress);
  await stopGracefully();
  for (const e of clientErrors) problem(`client: ${e}`);

  // ------------------------------------------------------------------ verification, in the database
  const tVerify = performance.now();
  if (process.env.CHAOS_INJECT_FAULTS === "1") {
    // Self-test of the checks below: lose one acknowledged answer, skew one standing, and leave one
    // attempt submitted without a score. The run must then fail on each of them.
    const victim = [...sent.values()].flat().find((e) => e.acked)!;
    await db().answer.deleteMany({ where: { attemptId: victim.attemptId, questionId: victim.questionId } });
    const s0 = await db().standing.findFirstOrThrow({ where: { roundId: main.id } });
    await db().standing.update({ where: { roundId_userId: { roundId: s0.roundId, userId: s0.userId } }, data: { durationMs: s0.durationMs + 1 } });
    await db().attempt.updateMany({ where: { roundId: main.id, id: { not: victim.attemptId }, userId: { not: s0.userId } }, data: { correctCount: null }, limit: 1 });
    console.log("  (CHAOS_INJECT_FAULTS=1: one answer deleted, one standing and one attempt altered)");
  }
  const roundIds = [main.id, ...(lateRound ? [lateRound.id] : [])];
  const attempts = await db().attempt.findMany({ where: { roundId: { in: roundIds } } });
  const attemptIds = attempts.map((a) => a.id);
  const [answers, drawn, correctOptions] = await Promise.all([
    db().answer.findMany({ where: { attemptId: { in: attemptIds } } }),
    db().attemptDraw.findMany({ where: { attemptId: { in: attemptIds } } }),
    db().option.findMany({ where: { question: { bankId: bank.id }, correct: true }, select: { id: true } }),
  ]);
  const stored = new Map(answers.map((x) => [`${x.attemptId}|${x.questionId}`, x]));

  // 1. Every acknowledged answer is there, or a later acknowledged change of the same question is.
  let acknowledged = 0;
  let found = 0;
  const lostExamples: string[] = [];
  for (const [key, list] of sent) {
    const now = stored.get(key)?.optionId;
    list.forEach((e, i) => {
      if (!e.acked) return;
      acknowledged++;
      if (now === e.optionId || list.slice(i + 1).some((later) => later.acked && later.optionId === now)) found++;
      else if (lostExamples.length < 5) lostExamples.push(`${key}: acknowledged ${e.optionId}, stored ${now ?? "nothing"}`);
    });
    const lastAcked = list.filter((e) => e.acked).at(-1);
    if (lastAcked && now !== lastAcked.optionId) problem(`${key}: stored ${now ?? "nothing"}, but the last acknowledged choice is ${lastAcked.optionId}`);
  }
  const lost = acknowledged - found;
  for (const key of stored.keys()) if (!sent.has(key)) problem(`${key}: an answer no client sent`);

  // 2. Attempts: a state of the machine, closed ones scored and timed, no answer after the close.
  const correct = new Set(correctOptions.map((o) => o.id));
  const answersOf = new Map<string, typeof answers>();
  for (const x of answers) answersOf.set(x.attemptId, [...(answersOf.get(x.attemptId) ?? []), x]);
  const drawnOf = new Map<string, Map<string, string[]>>();
  for (const d of drawn) drawnOf.set(d.attemptId, new Map(decodeDraw(d.questions).map((q) => [q.questionId, q.optionOrder.split(",")])));
  const perUser = new Map<string, number>();
  const statusCount: Record<string, number> = {};
  for (const a of attempts) {
    const id = `attempt ${a.id}`;
    statusCount[a.status] = (statusCount[a.status] ?? 0) + 1;
    perUser.set(`${a.roundId}|${a.userId}`, (perUser.get(`${a.roundId}|${a.userId}`) ?? 0) + 1);
    if (!(ATTEMPT_STATUSES as readonly string[]).includes(a.status)) problem(`${id}: status "${a.status}" is not a state of the machine`);
    const mine = answersOf.get(a.id) ?? [];
    const questions = drawnOf.get(a.id) ?? new Map<string, string[]>();
    if (questions.size !== a.questionCount) problem(`${id}: ${questions.size} questions drawn, questionCount ${a.questionCount}`);
    for (const x of mine) {
      if (!questions.get(x.questionId)?.includes(x.optionId)) problem(`${id}: answer to ${x.questionId} is not an option of a drawn question`);
      if (x.savedAt.getTime() > a.deadlineAt.getTime() + GRACE_MS) problem(`${id}: answer saved at ${x.savedAt.toISOString()}, after deadline + grace`);
      if (a.closedAt && x.savedAt > a.closedAt && a.status === "submitted") problem(`${id}: answer saved at ${x.savedAt.toISOString()}, after closedAt ${a.closedAt.toISOString()}`);
    }
    if (a.status === "in_progress") {
      if (a.closedAt || a.correctCount !== null || a.durationMs !== null) problem(`${id}: in progress but closed, scored or timed`);
      if (Date.now() > a.deadlineAt.getTime() + GRACE_MS + 20_000) problem(`${id}: still in progress long after its deadline`);
      continue;
    }
    if (a.status === "voided") continue; // nothing here voids; a voided attempt is reported by the counts below
    if (!a.closedAt || a.correctCount === null || a.durationMs === null) {
      problem(`${id}: ${a.status} without closedAt, score or duration`);
      continue;
    }
    const score = mine.filter((x) => correct.has(x.optionId)).length;
    if (a.correctCount !== score) problem(`${id}: score ${a.correctCount}, but ${score} of its stored answers are correct`);
    if (a.durationMs !== durationOf(a, a.closedAt)) problem(`${id}: durationMs ${a.durationMs}, expected ${durationOf(a, a.closedAt)}`);
    if (a.status === "submitted" && a.closedAt.getTime() > a.deadlineAt.getTime() + GRACE_MS) problem(`${id}: submitted after deadline + grace`);
    if (a.status === "submitted" && a.prediction === null) problem(`${id}: submitted in time without the prediction the round asks for`);
    if (a.status === "expired" && a.closedAt.getTime() !== a.deadlineAt.getTime()) problem(`${id}: expired, closedAt ${a.closedAt.toISOString()} ≠ deadline`);
  }
  for (const [key, n] of perUser) if (n !== 1) problem(`${key}: ${n} attempts, each client started one`);
  const mainAttemptRows = attempts.filter((a) => a.roundId === main.id);
  if (mainAttemptRows.length !== CLIENTS) problem(`${mainAttemptRows.length} attempts in the main round, ${CLIENTS} clients`);
  if (mainAttemptRows.some((a) => a.status !== "submitted")) problem(`main round attempts not all submitted: ${JSON.stringify(statusCount)}`);
  if (lateRound) {
    const lateRows = attempts.filter((a) => a.roundId === lateRound.id);
    if (lateRows.length !== LATE || lateRows.some((a) => a.status !== "expired")) problem(`late round: ${lateRows.length} attempts (${lateRows.map((a) => a.status).join(",")}), expected ${LATE} expired`);
  }

  // 3. Standings: what was kept up to date as attempts closed must equal a rebuild from the attempts.
  const standingKey = (s: { roundId: string; userId: string }) => `${s.roundId}|${s.userId}`;
  const standingValue = (s: { attemptId: string; communeCode: string; group: string; correctCount: number; questionCount: number; durationMs: number; closedAt: Date; prediction: number | null; attemptCount: number }) =>
    JSON.stringify([s.attemptId, s.communeCode, s.group, s.correctCount, s.questionCount, s.durationMs, s.closedAt.getTime(), s.prediction, s.attemptCount]);
  const before = new Map((await db().standing.findMany({ where: { roundId: { in: roundIds } } })).map((s) => [standingKey(s), standingValue(s)]));
  for (const id of roundIds) await rebuildStandings(id);
  const after = new Map((await db().standing.findMany({ where: { roundId: { in: roundIds } } })).map((s) => [standingKey(s), standingValue(s)]));
  let standingsDiffer = 0;
  for (const k of new Set([...before.keys(), ...after.keys()])) {
    if (before.get(k) !== after.get(k)) {
      standingsDiffer++;
      if (standingsDiffer <= 5) problem(`standing ${k}: stored ${before.get(k) ?? "none"}, rebuilt ${after.get(k) ?? "none"}`);
    }
  }
  await disconnectDb();
  const verifyMs = performance.now() - tVerify;

  // ------------------------------------------------------------------ report
  const killsWithSaves = kills.filter((k) => k.inFlight > 0).length;
  if (restarts < KILLS) problem(`only ${restarts} restarts, ${KILLS} planned`);
  if (killsWithSaves === 0) problem("no kill happened while answers were being saved: the load ended too early");
  if (lost > 0) problem(`${lost} acknowledged answers lost: ${lostExamples.join("; ")}`);
  if (LATE && late.checked !== LATE) problem(`only ${late.checked} of ${LATE} late clients sent their late answer`);
  if (counts.status401) problem(`${counts.status401} requests answered 401: sessions did not survive a restart`);
  const retried = counts.answerRetries;
  const avg = (xs: number[]) => (xs.length ? Math.round(xs.reduce((s, x) => s + x, 0) / xs.length) : 0);

  console.log(`  load ${secs(loadMs)}, verification ${secs(verifyMs)} (${engine}); ${mainDone}/${CLIENTS} clients finished`);
  console.log(`  kills (s after the load began: saves in flight, time down): ${kills.map((k) => `${secs(k.at)}: ${k.inFlight}, ${secs(k.downMs)}`).join(" | ")}`);
  const sortedFinish = [...finishedAt].sort((x, y) => x - y);
  const pct = (q: number) => secs(sortedFinish[Math.min(sortedFinish.length - 1, Math.floor(q * sortedFinish.length))] ?? 0);
  console.log(`  clients done after: p50 ${pct(0.5)}, p90 ${pct(0.9)}, last ${pct(1)}`);
  console.log(
    `  requests: ${counts.answerSends} answer sends, ${counts.networkErrors} network errors ${JSON.stringify(errorKinds)}, ${counts.status5xx} × 5xx; retries: start ${counts.startRetries}, submit ${counts.submitRetries}`,
  );
  if (LATE) {
    console.log(
      `  late answers (after deadline + grace): ${late.refused}/${late.checked} refused with 409, ${late.accepted} accepted; ${late.rightAfterRestart} sent right after a restart (first ${avg(late.msAfterRestart)} ms after it on average); ${late.expired} late submits → expired`,
    );
  }
  console.log(`  attempts: ${JSON.stringify(statusCount)}; standings: ${after.size} rebuilt, ${standingsDiffer} differed`);
  if (serverLineCount) {
    console.log(`  the server printed ${serverLineCount} other lines; the first ones:`);
    for (const l of serverLines.slice(0, 8)) console.log(`    ${l.slice(0, 300)}`);
  }
  console.log(`  acknowledged ${acknowledged}, found ${found}, lost ${lost}, retried ${retried}, restarts ${restarts}`);
  console.log(`  time: ${secs(performance.now() - tSetup)} (setup ${secs(setupMs)}, logins ${secs(loginMs)}, load ${secs(loadMs)}, verification ${secs(verifyMs)})`);
  if (problems.length) {
    console.error(`✗ ${engine}: ${problems.length} problem(s):`);
    for (const p of problems.slice(0, 30)) console.error(`  - ${p}`);
    process.exit(1);
  }
  console.log(`✓ ${engine}: every acknowledged answer survived ${restarts} SIGKILL restarts; all invariants hold`);
  process.exit(0);
}
