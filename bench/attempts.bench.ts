// Load on the production server: contestants starting, answering and submitting, and readers of the
// leaderboard; and the same load on the floor (bench/floor-server.mjs: bare node:http doing the same
// database statements per request), so every figure also reads as a ratio to the floor.
//
// Setup (not measured): a bank of 100 questions, an open round (20 questions, 30 min, one attempt,
// with a prediction), and contestants inserted with one precomputed password hash, each with a
// session row and its signed cookie (as a login makes them; BENCH_LOGINS more log in over HTTP,
// captcha included, measured apart: scrypt-bound). The database is then copied for the floor, so
// both servers start from the same rows.
//
// Phases, each against `node server.mjs` (NODE_ENV=production, TRUST_PROXY=1, one X-Forwarded-For
// address per contestant, the default rate limits, the 15 s sweep) and then against the floor, after
// the client has opened all its connections (not measured; see runAgainst):
//   1. throughput: BENCH_VUS (256) clients back to back over BENCH_USERS contestants: all start,
//      then all save 20 answers (each contestant's in order), then all submit. → …PerSec.
//   2. latency at the target rates (app only): BENCH_PACED_USERS other contestants at a fixed
//      arrival rate, whatever the replies: starts at BENCH_START_RATE (1,500/s), answers at
//      BENCH_SAVE_RATE (5,000/s), submits at the start rate. Latency counts from the moment a
//      request was due, so a server that falls behind shows it (no coordinated omission). → p50/p99.
//   3. mixed: BENCH_MIXED_WRITERS (200) clients each taking the next of BENCH_MIXED_USERS
//      contestants through start, 20 answers, submit, while BENCH_READERS (56) anonymous clients
//      read GET /api/v1/rounds/:id/leaderboard?limit=50 back to back. → leaderboardReadsPerSec.
// At the end each database must hold exactly the attempts, answers and submissions made, and no
// request may have failed; otherwise the bench prints why and exits with status 1.
// The runner (bench/run.mjs) provides a migrated, seeded database in DATABASE_URL.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { createCookie } from "@remix-run/node";
import type { QuestionDraft } from "~/domain/questions";
import { roundSchema } from "~/domain/rounds";
import { createBank, insertQuestions } from "~/models/question-bank.server";
import { createRound } from "~/models/round.server";
import { db, disconnectDb, sqlitePath } from "~/utils/db.server";
import { hashPassword } from "~/utils/password.server";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const int = (name: string, fallback: number, min = 1) => {
  const raw = process.env[name];
  const v = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isInteger(v) || v < min) fail(`${name} must be a whole number ≥ ${min} (got ${raw})`);
  return v;
};
const USERS = int("BENCH_USERS", 6000);
const PACED_USERS = int("BENCH_PACED_USERS", 3000, 0);
const SUSTAINED_SHARE = Number(process.env.BENCH_SUSTAINED_SHARE ?? 0.7);
const PACED_SECONDS = 12;
const MIXED_SECONDS = 20;
let mixedCount: number | undefined; // contestants of the mixed phase, fixed by the app's run
let pacedCount: number | undefined; // contestants of the paced phase, fixed by the app's run
const MIXED_USERS = int("BENCH_MIXED_USERS", 2000, 0);
const LOGINS = int("BENCH_LOGINS", 20, 0);
const VUS = int("BENCH_VUS", 256);
const MIXED_WRITERS = int("BENCH_MIXED_WRITERS", 200);
const READERS = int("BENCH_READERS", 56, 0);
const START_RATE = int("BENCH_START_RATE", 1500);
const SAVE_RATE = int("BENCH_SAVE_RATE", 5000);
const WEB_CONCURRENCY = int("BENCH_WEB_CONCURRENCY", 1);
const FLOOR = process.env.BENCH_FLOOR !== "0";
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF || null; // a directory: run the app server with --cpu-prof there
const SERVER_LOG = process.env.BENCH_SERVER_LOG || null; // a file: everything the app server prints goes there too
// The app server's node flags: those of `npm run serve` (package.json), as in production, unless
// BENCH_SERVER_NODE_ARGS gives others ("" for none).
const serverNodeArgs = () => (process.env.BENCH_SERVER_NODE_ARGS ?? serveFlags()).split(/\s+/).filter(Boolean);
function serveFlags(): string {
  const script = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.serve;
  const m = /^node((?:\s+--\S+)*)\s+scripts\/serve\.mjs$/.exec(script.trim());
  if (!m) fail(`package.json's "serve" script is not \`node [--flags] scripts/serve.mjs\`: ${script}`);
  return m[1];
}
const BANK_SIZE = 100;
const QUESTIONS = 20;
const PASSWORD = "mat-khau-thi-sinh";
const SYSTEM = { id: null };
const MIN = 60_000;
const DATABASE_URL = process.env.DATABASE_URL ?? "";
const isPg = /^postgres(ql)?:\/\//.test(DATABASE_URL);
const SECRET = randomBytes(24).toString("hex"); // the app server's SESSION_SECRET (48 characters)

const children = new Set<ChildProcess>();
const killChildren = () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
};
process.on("exit", killChildren);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    killChildren();
    process.exit(130);
  });
}

function fail(message: string): never {
  console.error(`✗ ${message}`);
  killChildren();
  process.exit(1);
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// The production build

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
  if (process.env.BENCH_BUILD !== "1" && fs.existsSync(stamp) && fs.statSync(stamp).mtimeMs >= sources) return 0;
  console.log("building the app (remix vite:build)…");
  const t0 = performance.now();
  const r = spawnSync(path.join(root, "node_modules", ".bin", "remix"), ["vite:build"], { cwd: root, env: { ...process.env, NODE_ENV: "production" }, encoding: "utf8" });
  if (r.status !== 0) fail(`remix vite:build failed (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return performance.now() - t0;
}

// ---------------------------------------------------------------------------------------------
// Server children

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

interface Server {
  child: ChildProcess;
  pids: () => number[];
  log: string[];
  lines: () => number;
}

async function startServer(label: string, args: string[], env: NodeJS.ProcessEnv, readyLines = 1, logFile: string | null = null): Promise<Server> {
  // If this bench is killed outright, the server notices that its parent is gone and exits.
  const watchdog = `data:text/javascript,${encodeURIComponent("const p=process.ppid;setInterval(()=>{if(process.ppid!==p)process.exit(1)},1000).unref();")}`;
  const child = spawn(process.execPath, ["--import", watchdog, ...args], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  const log: string[] = [];
  let lines = 0;
  const workers = new Set<number>();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the ${label} server did not start within 60 s:\n${log.join("\n")}`)), 60_000);
    const out = logFile ? fs.createWriteStream(path.resolve(logFile)) : null;
    let ready = 0;
    const partial = { out: "", err: "" };
    const onData = (stream: "out" | "err") => (chunk: Buffer) => {
      out?.write(chunk);
      const ls = (partial[stream] + chunk.toString("utf8")).split("\n");
      partial[stream] = ls.pop() ?? "";
      for (const line of ls) {
        if (!line.trim()) continue;
        lines++;
        if (log.length < 2000) log.push(line);
        const pid = /pid (\d+)/.exec(line);
        if (pid && line.includes("serving on")) workers.add(Number(pid[1]));
        if (line.includes("serving on") && ++ready === readyLines) {
          clearTimeout(timer);
          resolve();
        }
      }
    };
    child.stdout!.on("data", onData("out"));
    child.stderr!.on("data", onData("err"));
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the ${label} server exited with ${code ?? signal} before it was ready:\n${log.join("\n")}`));
    });
  }).catch((e: Error) => fail(e.message));
  return { child, log, lines: () => lines, pids: () => [child.pid!, ...workers] };
}

async function stopServer(s: Server) {
  const child = s.child;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
  children.delete(child);
}

const CLK_TCK = (() => {
  const r = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" });
  return Number(r.stdout?.trim()) || 100;
})();

/** Peak RSS (VmHWM, MiB, summed over the processes) and CPU time (user + system, s), from /proc. */
function procStats(pids: number[]): { peakRssMiB: number; cpuSec: number } {
  let hwm = 0;
  let ticks = 0;
  for (const pid of pids) {
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
      hwm += Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0);
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields from 3 (state) on
      ticks += Number(fields[14 - 3]) + Number(fields[15 - 3]);
    } catch {
      // a process that is gone counts nothing
    }
  }
  return { peakRssMiB: round1(hwm / 1024), cpuSec: ticks / CLK_TCK };
}

// ---------------------------------------------------------------------------------------------
// HTTP client: undici's Pool, one connection per client

interface Reply {
  status: number;
  text: string;
  setCookie: string | null;
}
interface Client {
  kind: string;
  send(method: string, urlPath: string, body: unknown, who?: Who): Promise<Reply>;
  close(): Promise<void>;
}
interface Who {
  cookie?: string;
  ip: string;
  userId?: string;
}

async function makeClient(origin: string, connections: number): Promise<Client> {
  const undici = (await import("undici")) as unknown as {
    Pool: new (origin: string, opts: object) => {
      request(o: object): Promise<{ statusCode: number; headers: Record<string, string | string[] | undefined>; body: { text(): Promise<string> } }>;
      close(): Promise<void>;
    };
  };
  const version = JSON.parse(fs.readFileSync(path.join(root, "node_modules", "undici", "package.json"), "utf8")).version as string;
  const pool = new undici.Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 30_000, keepAliveTimeoutThreshold: 4_000 });
  return {
    kind: `undici ${version} Pool(connections: ${connections})`,
    async send(method, urlPath, body, who) {
      const headers: Record<string, string> = {};
      if (body !== undefined) headers["content-type"] = "application/json";
      if (who?.cookie) headers.cookie = who.cookie;
      if (who?.ip) headers["x-forwarded-for"] = who.ip;
      if (who?.userId) headers["x-bench-user"] = who.userId; // the floor's "session"; the app ignores it
      const res = await pool.request({ method, path: urlPath, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.body.text();
      const sc = res.headers["set-cookie"];
      return { status: res.statusCode, text, setCookie: Array.isArray(sc) ? sc[0] : (sc ?? null) };
    },
    close: () => pool.close(),
  };
}

// ---------------------------------------------------------------------------------------------
// Measuring

type Kind = "login" | "start" | "save" | "submit" | "read";

class Recorder {
  latencies: Record<Kind, number[]> = { login: [], start: [], save: [], submit: [], read: [] };
  errors: Record<Kind, number> = { login: 0, start: 0, save: 0, submit: 0, read: 0 };
  firstErrors = new Map<string, number>();
  network = 0;
  note(kind: Kind, what: string) {
    this.errors[kind]++;
    if (what.startsWith("network error")) this.network++;
    const key = `${kind} ${what.replace(/\s+/g, " ").slice(0, 300)}`;
    this.firstErrors.set(key, (this.firstErrors.get(key) ?? 0) + 1);
  }
  count = (k: Kind) => this.latencies[k].length;
  totalErrors = () => Object.values(this.errors).reduce((a, b) => a + b, 0);
}

/** One request, timed from `due` (default: now); a non-2xx status or a network error is an error. */
async function call(rec: Recorder, client: Client, kind: Kind, method: string, urlPath: string, body: unknown, who?: Who, due?: number): Promise<Reply | null> {
  const t0 = due ?? performance.now();
  let reply: Reply;
  try {
    reply = await client.send(method, urlPath, body, who);
  } catch (e) {
    rec.latencies[kind].push(performance.now() - t0);
    rec.note(kind, `network error: ${(e as Error).message}`);
    return null;
  }
  rec.latencies[kind].push(performance.now() - t0);
  if (reply.status < 200 || reply.status > 299) {
    rec.note(kind, `HTTP ${reply.status} ${reply.text}`);
    return null;
  }
  return reply;
}

function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
const sortedOf = (xs: number[]) => Float64Array.from(xs).sort();
const p = (xs: number[], q: number) => round2(quantile(sortedOf(xs), q));

/** Closed loop: `concurrency` clients, each taking the next item as soon as its last one is done. */
async function pooled<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      for (;;) {
        const i = next++;
        if (i >= items.length) return;
        await work(items[i]);
      }
    }),
  );
}

/** Open loop: item i is due at start + i / rate seconds, sent then whatever the replies. */
async function paced<T>(items: readonly T[], ratePerSec: number, work: (item: T, due: number) => Promise<void>) {
  const t0 = performance.now() + 20;
  const inflight = new Set<Promise<void>>();
  let i = 0;
  while (i < items.length) {
    const now = performance.now();
    while (i < items.length && t0 + (i * 1000) / ratePerSec <= now) {
      const job = work(items[i], t0 + (i * 1000) / ratePerSec);
      inflight.add(job);
      void job.finally(() => inflight.delete(job));
      i++;
    }
    // Sleep until the next one is due (timers fire in ~1 ms steps; the due time is kept exactly):
    // a busy loop here would take a core from the server it measures.
    if (i < items.length) await sleep(Math.max(1, t0 + (i * 1000) / ratePerSec - performance.now()));
  }
  await Promise.all(inflight);
}

interface Phase {
  wallMs: number;
  serverCpuSec: number;
  benchCpuSec: number;
  /** Wall-clock start and end (ms since the epoch), to pick the server's own timings of the phase. */
  from: number;
  to: number;
}
async function timed(pids: () => number[], fn: () => Promise<void>): Promise<Phase> {
  const cpu0 = procStats(pids()).cpuSec;
  const bench0 = process.cpuUsage();
  const from = Date.now();
  const t0 = performance.now();
  await fn();
  const wallMs = performance.now() - t0;
  const b = process.cpuUsage(bench0);
  return { wallMs, serverCpuSec: procStats(pids()).cpuSec - cpu0, benchCpuSec: (b.user + b.system) / 1e6, from, to: Date.now() };
}

// ---------------------------------------------------------------------------------------------
// Setup (not measured)

const setupStarted = performance.now();
const buildMs = ensureBuild();

const drafts: QuestionDraft[] = Array.from({ length: BANK_SIZE }, (_, i) => ({
  topic: ["Cải cách thủ tục hành chính", "Chính quyền điện tử", "Dịch vụ công trực tuyến", "Một cửa liên thông"][i % 4],
  text: `Câu hỏi kiểm tra tải số ${i + 1}: thủ tục nào được giải quyết tại bộ phận một cửa cấp xã?`,
  options: ["Đăng ký khai sinh", "Cấp giấy phép xây dựng", "Chứng thực bản sao", "Đăng ký kết hôn"],
  correct: i % 4,
  explanation: "Giải thích.",
  difficulty: (["easy", "medium", "hard"] as const)[i % 3],
  source: "",
}));
const bank = await createBank({ name: "Ngân hàng kiểm tra tải" }, SYSTEM);
await db().$transaction((tx) => insertQuestions(tx, bank.id, drafts, SYSTEM));
const now = Date.now();
// Through the app's own schema, as the organizer's API does: settings not named here get their defaults.
const round = await createRound(
  roundSchema.parse({
    name: "Vòng kiểm tra tải",
    description: "",
    opensAt: new Date(now - MIN).toISOString(),
    closesAt: new Date(now + 24 * 60 * MIN).toISOString(),
    durationSeconds: 30 * 60,
    questionCount: QUESTIONS,
    maxAttempts: 1,
    bankId: bank.id,
    prediction: true,
  }),
  SYSTEM,
  new Date(),
);

// One scrypt hash for everyone: N hashes would take minutes. Valid, unique CCCD and phone numbers:
// CCCD 064 (Gia Lai) + 0 (male, 1900s) + 90 (born 1990) + a 6-digit serial; phone 091 + 7 digits.
interface Contestant extends Who {
  nationalId: string;
  userId: string;
  cookie: string;
}
const total = USERS + 2 * PACED_USERS + MIXED_USERS + LOGINS;
if (total > 999_999) fail("at most 999,999 contestants in all");
const passwordHash = await hashPassword(PASSWORD);
const serial = (i: number, width: number) => String(i).padStart(width, "0");
const people: Contestant[] = Array.from({ length: total }, (_, i) => ({
  nationalId: `064090${serial(i, 6)}`,
  userId: `cbench${serial(i, 7)}${randomBytes(6).toString("hex")}`,
  ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
  cookie: "",
}));
const CHUNK = 500;
for (let i = 0; i < total; i += CHUNK) {
  await db().user.createMany({
    data: people.slice(i, i + CHUNK).map((c, j) => ({
      id: c.userId,
      role: "contestant",
      fullName: `Thí sinh Số ${i + j + 1}`.replace(/\d/g, (d) => "KHBNMPLTVX"[Number(d)]), // names hold letters only
      nationalId: c.nationalId,
      phone: `091${serial(i + j, 7)}`,
      birthDate: "1990-05-17",
      gender: "male",
      communeCode: "21583",
      group: "citizen",
      passwordHash,
    })),
  });
}
if ((await db().user.count({ where: { role: "contestant" } })) !== total) fail("not every contestant was inserted");

// Sessions as a login makes them: a Session row, and the cookie carrying its id signed with the
// server's secret (session.server.ts: "__session", SESSION_SECRET).
const sessionCookie = createCookie("__session", { secrets: [SECRET] });
const withSessions = people.slice(LOGINS);
for (let i = 0; i < withSessions.length; i += CHUNK) {
  const rows = withSessions.slice(i, i + CHUNK).map((c) => ({ id: `sbench${randomBytes(12).toString("hex")}`, userId: c.userId, expiresAt: new Date(Date.now() + 24 * 3600_000) }));
  await db().session.createMany({ data: rows });
  for (const [j, r] of rows.entries()) withSessions[i + j].cookie = (await sessionCookie.serialize({ sid: r.id })).split(";")[0];
}
const loginPeople = people.slice(0, LOGINS);
const burst = people.slice(LOGINS, LOGINS + USERS);
const pacedPeople = people.slice(LOGINS + USERS, LOGINS + USERS + PACED_USERS);
const sustainedPeople = people.slice(LOGINS + USERS + PACED_USERS, LOGINS + USERS + 2 * PACED_USERS);
const mixedPeople = people.slice(LOGINS + USERS + 2 * PACED_USERS);
await disconnectDb();

// The floor's copy of the database, taken now: both servers start from the same rows.
let floorUrl: string | null = null;
let dropFloorDb: (() => Promise<void>) | null = null;
if (FLOOR) {
  if (isPg) {
    const pg = (await import("pg")).default;
    const admin = new URL(DATABASE_URL);
    const source = decodeURIComponent(admin.pathname.slice(1));
    const copy = `${source}_floor`;
    admin.pathname = "/postgres";
    const q = async (text: string) => {
      const c = new pg.Client({ connectionString: admin.toString() });
      await c.connect();
      try {
        await c.query(text);
      } finally {
        await c.end();
      }
    };
    await q(`DROP DATABASE IF EXISTS "${copy}" WITH (FORCE)`);
    await q(`CREATE DATABASE "${copy}" TEMPLATE "${source}"`);
    const u = new URL(DATABASE_URL);
    u.pathname = `/${copy}`;
    floorUrl = u.toString();
    dropFloorDb = () => q(`DROP DATABASE IF EXISTS "${copy}" WITH (FORCE)`);
  } else {
    const file = sqlitePath(DATABASE_URL);
    const copy = `${file}.floor.db`;
    for (const f of ["", "-wal", "-shm"]) if (fs.existsSync(file + f)) fs.copyFileSync(file + f, copy + f);
    floorUrl = `file:${copy}`;
    dropFloorDb = async () => {
      for (const f of ["", "-wal", "-shm"]) fs.rmSync(copy + f, { force: true });
    };
  }
}
const setupMs = performance.now() - setupStarted;
console.log(
  `setup ${(setupMs / 1000).toFixed(1)} s${buildMs ? ` (build ${(buildMs / 1000).toFixed(1)} s)` : ""}: ${total} contestants (${USERS} throughput, 2 × ${PACED_USERS} paced, ${MIXED_USERS} mixed, ${LOGINS} log in); ${VUS} clients; load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`,
);

// ---------------------------------------------------------------------------------------------
// One contestant's requests

type AttemptJson = { id: string; questions: { id: string; options: { id: string }[] }[] };
const attemptOf = new Map<string, AttemptJson>(); // userId → the attempt started (per target run)
let wrongDraws = 0;

async function startOne(rec: Recorder, client: Client, c: Contestant, due?: number) {
  const r = await call(rec, client, "start", "POST", `/api/v1/rounds/${round.id}/attempts`, {}, c, due);
  if (!r) return;
  const attempt = (JSON.parse(r.text) as { attempt: AttemptJson }).attempt;
  if (r.status !== 201 || attempt.questions.length !== QUESTIONS) wrongDraws++;
  attemptOf.set(c.userId, attempt);
}
const choice = (a: AttemptJson, j: number) => a.questions[j].options[randomInt(a.questions[j].options.length)].id;
async function saveOne(rec: Recorder, client: Client, c: Contestant, j: number, due?: number) {
  const a = attemptOf.get(c.userId);
  if (!a) return;
  await call(rec, client, "save", "PUT", `/api/v1/attempts/${a.id}/answers/${a.questions[j].id}`, { optionId: choice(a, j) }, c, due);
}
async function submitOne(rec: Recorder, client: Client, c: Contestant, due?: number) {
  const a = attemptOf.get(c.userId);
  if (!a) return;
  await call(rec, client, "submit", "POST", `/api/v1/attempts/${a.id}/submit`, { prediction: randomInt(total * 2 + 1) }, c, due);
}

// ---------------------------------------------------------------------------------------------
// A run against one server

interface RunResult {
  rec: Recorder;
  phases: Record<string, Phase>;
  counts: Record<string, number>;
  serverCpuSec: number;
  peakRssMiB: number;
  logins?: { ms: number; count: number; latencies: number[]; captchaMs: number[] };
  paced?: Recorder;
  sustained?: Recorder & { startRate: number; saveRate: number };
  client: string;
  /** The app server's own time per hot request (server.mjs, BENCH_TIMINGS_FILE): kind, arrival (epoch ms), ms. */
  serverTimings?: ServerTimings;
}

type ServerTimings = { kind: string[]; at: number[]; ms: number[] };

/** The server's own latencies of one kind of request that arrived during `phase`. */
function serverLatencies(t: ServerTimings | undefined, kind: string, phase: Phase | undefined): number[] {
  if (!t || !phase) return [];
  const out: number[] = [];
  for (let i = 0; i < t.kind.length; i++) if (t.kind[i] === kind && t.at[i] >= phase.from && t.at[i] <= phase.to) out.push(t.ms[i]);
  return out;
}

async function runAgainst(target: "app" | "floor", url: string): Promise<RunResult> {
  const port = await freePort();
  const timingsDir = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-bench-timings-"));
  const timingsFile = path.join(timingsDir, "hot");
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATABASE_URL: url, NODE_ENV: "production" };
  let server: Server;
  if (target === "app") {
    Object.assign(env, {
      SESSION_SECRET: SECRET,
      // As behind the reverse proxy of a real deployment: each contestant comes from its own
      // address (X-Forwarded-For), so the per-address rate limits see many addresses, not one.
      TRUST_PROXY: "1",
      // The login captcha's proof of work is the browser's cost, not the server's: keep it cheap here.
      CAPTCHA_MAX_NUMBER: process.env.CAPTCHA_MAX_NUMBER ?? "100",
      WEB_CONCURRENCY: String(WEB_CONCURRENCY),
    });
    delete env.DISABLE_BACKGROUND_JOBS; // the 15 s sweep runs, as in production
    delete env.RATE_LIMITS; // the default limits, as in production
    env.BENCH_TIMINGS_FILE = timingsFile;
    const prof = CPU_PROF_DIR ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(CPU_PROF_DIR)}`] : [];
    const script = WEB_CONCURRENCY > 1 ? "scripts/serve.mjs" : "server.mjs";
    server = await startServer("app", [...serverNodeArgs(), ...prof, script], env, WEB_CONCURRENCY, SERVER_LOG);
  } else {
    server = await startServer("floor", ["bench/floor-server.mjs"], env, 1);
  }
  const pids = server.pids;
  const cpuAtStart = procStats(pids()).cpuSec;
  const client = await makeClient(`http://127.0.0.1:${port}`, VUS + READERS);
  const rec = new Recorder();
  const phases: Record<string, Phase> = {};
  attemptOf.clear();
  console.log(`${target}: pid ${pids().join(", ")} on port ${port}; load average ${os.loadavg()[0].toFixed(2)}`);

  // Logins over HTTP (app only), captcha included: GET /api/v1/captcha, solve it as the browser's
  // widget does, POST /api/v1/auth/login.
  let logins: RunResult["logins"];
  if (target === "app" && loginPeople.length) {
    const altcha = (await import("altcha-lib")) as unknown as { solveChallenge(o: object): Promise<unknown> };
    const { deriveKey } = (await import("altcha-lib/algorithms/sha")) as unknown as { deriveKey: unknown };
    const captchaMs: number[] = [];
    const t0 = performance.now();
    await pooled(loginPeople, 4, async (c) => {
      let captcha: string | undefined;
      const tc = performance.now();
      const r = await client.send("GET", "/api/v1/captcha", undefined, c);
      captchaMs.push(performance.now() - tc);
      if (r.status === 200) {
        const challenge = JSON.parse(r.text);
        const solution = await altcha.solveChallenge({ challenge, deriveKey });
        captcha = Buffer.from(JSON.stringify({ challenge, solution })).toString("base64");
      }
      const res = await call(rec, client, "login", "POST", "/api/v1/auth/login", { identifier: c.nationalId, password: PASSWORD, ...(captcha ? { captcha } : {}) }, c);
      if (res?.setCookie?.startsWith("__session=")) c.cookie = res.setCookie.split(";")[0];
      else if (res) rec.note("login", `no session cookie in the reply: ${res.text}`);
    });
    logins = { ms: performance.now() - t0, count: loginPeople.filter((c) => c.cookie).length, latencies: rec.latencies.login, captchaMs };
    console.log(`  logins: ${logins.count}/${loginPeople.length} in ${(logins.ms / 1000).toFixed(1)} s`);
  }

  // Every connection is opened before anything is measured, as a reverse proxy keeps its upstream
  // connections open. Opened by the 256 clients' first starts instead, they met a busy server whose one
  // thread accepted them slowly (a bare node:http server in a standalone script: 63 accepted after 1 s,
  // ss showing ~200 still in the listen queue), and their first requests waited up to 6 s, the floor's
  // as much as the app's.
  await Promise.all(Array.from({ length: VUS + READERS }, () => client.send("GET", `/api/v1/rounds/${round.id}/leaderboard?limit=1`, undefined, { ip: "192.0.2.1" })));

  // 1. Throughput: starts, then answers, then submissions, each closed loop over VUS clients.
  phases.start = await timed(pids, () => pooled(burst, VUS, (c) => startOne(rec, client, c)));
  phases.save = await timed(pids, () =>
    pooled(burst, VUS, async (c) => {
      for (let j = 0; j < QUESTIONS; j++) await saveOne(rec, client, c, j);
    }),
  );
  phases.submit = await timed(pids, () => pooled(burst, VUS, (c) => submitOne(rec, client, c)));
  const counts: Record<string, number> = { start: rec.count("start"), save: rec.count("save"), submit: rec.count("submit") };
  console.log(
    `  throughput: starts ${round1(counts.start / (phases.start.wallMs / 1000))}/s, saves ${round1(counts.save / (phases.save.wallMs / 1000))}/s, submits ${round1(counts.submit / (phases.submit.wallMs / 1000))}/s; errors ${rec.totalErrors()}`,
  );

  // 2. Latency at fixed arrival rates: the targets, then (app only) 70% of this run's own
  // throughput (what the server sustains without a queue). The floor takes the first part too, with
  // as many contestants as the app: what these two cores allow at those rates to any server that
  // runs the same statements.
  const pacedRun = async (label: string, group: Contestant[], startRate: number, saveRate: number) => {
    const pr = new Recorder();
    phases[`${label}Start`] = await timed(pids, () => paced(group, startRate, (c, due) => startOne(pr, client, c, due)));
    const saves = Array.from({ length: group.length * QUESTIONS }, (_, i) => ({ c: group[i % group.length], j: Math.floor(i / group.length) }));
    phases[`${label}Save`] = await timed(pids, () => paced(saves, saveRate, ({ c, j }, due) => saveOne(pr, client, c, j, due)));
    phases[`${label}Submit`] = await timed(pids, () => paced(group, startRate, (c, due) => submitOne(pr, client, c, due)));
    console.log(
      `  ${label}: starts at ${startRate}/s p99 ${p(pr.latencies.start, 0.99)} ms, saves at ${saveRate}/s p99 ${p(pr.latencies.save, 0.99)} ms, submits p99 ${p(pr.latencies.submit, 0.99)} ms; errors ${pr.totalErrors()}`,
    );
    return pr;
  };
  let pacedRec: Recorder | undefined;
  let sustainedRec: RunResult["sustained"];
  // Each paced phase is kept to about what the server did in PACED_SECONDS of phase 1, so that
  // a slow server (PostgreSQL here) does not turn it into minutes of backlog.
  const measured = counts.save / (phases.save.wallMs / 1000);
  const sized = (group: Contestant[], saveRate: number) => group.slice(0, Math.max(50, Math.ceil((Math.min(saveRate, measured) * PACED_SECONDS) / QUESTIONS)));
  if (pacedPeople.length) {
    const pacedGroup = pacedCount === undefined ? sized(pacedPeople, SAVE_RATE) : pacedPeople.slice(0, pacedCount);
    pacedCount ??= pacedGroup.length;
    pacedRec = await pacedRun("paced", pacedGroup, START_RATE, SAVE_RATE);
  }
  if (target === "app" && pacedPeople.length) {
    const startRate = Math.max(1, Math.round((SUSTAINED_SHARE * counts.start) / (phases.start.wallMs / 1000)));
    const saveRate = Math.max(1, Math.round(SUSTAINED_SHARE * measured));
    sustainedRec = Object.assign(await pacedRun("sustained", sized(sustainedPeople, saveRate), startRate, saveRate), { startRate, saveRate });
  }

  // 3. Mixed: whole contestants while the leaderboard is read; as many as phase 1's save rate
  // serves in about MIXED_SECONDS (the same number for the floor, which runs after the app).
  mixedCount ??= Math.min(mixedPeople.length, Math.max(50, Math.ceil(((counts.save / (phases.save.wallMs / 1000)) * MIXED_SECONDS) / (QUESTIONS + 2))));
  const mixedGroup = mixedPeople.slice(0, mixedCount);
  const mixedBefore = { start: rec.count("start"), save: rec.count("save"), submit: rec.count("submit") };
  let writing = true;
  const mixedLatencyFrom = { start: mixedBefore.start, save: mixedBefore.save, submit: mixedBefore.submit };
  phases.mixed = await timed(pids, async () => {
    const readers = Array.from({ length: mixedGroup.length ? READERS : 0 }, async (_, k) => {
      const who = { ip: `172.16.${k >> 8}.${k & 255}` };
      while (writing) await call(rec, client, "read", "GET", `/api/v1/rounds/${round.id}/leaderboard?limit=50`, undefined, who);
    });
    await pooled(mixedGroup, MIXED_WRITERS, async (c) => {
      await startOne(rec, client, c);
      for (let j = 0; j < QUESTIONS; j++) await saveOne(rec, client, c, j);
      await submitOne(rec, client, c);
    });
    writing = false;
    await Promise.all(readers);
  });
  counts.mixedStart = rec.count("start") - mixedBefore.start;
  counts.mixedSave = rec.count("save") - mixedBefore.save;
  counts.mixedSubmit = rec.count("submit") - mixedBefore.submit;
  counts.read = rec.count("read");
  counts.mixedLatencyFromStart = mixedLatencyFrom.start;
  counts.mixedLatencyFromSave = mixedLatencyFrom.save;
  counts.mixedLatencyFromSubmit = mixedLatencyFrom.submit;
  console.log(`  mixed: ${round1(counts.read / (phases.mixed.wallMs / 1000))} leaderboard reads/s with ${round1(counts.mixedSave / (phases.mixed.wallMs / 1000))} saves/s; errors ${rec.totalErrors()}`);

  const end = procStats(pids());
  await client.close();
  await stopServer(server);
  let serverTimings: ServerTimings | undefined;
  for (const f of fs.readdirSync(timingsDir)) {
    const t = JSON.parse(fs.readFileSync(path.join(timingsDir, f), "utf8")) as ServerTimings;
    serverTimings ??= { kind: [], at: [], ms: [] };
    for (let i = 0; i < t.kind.length; i++) {
      serverTimings.kind.push(t.kind[i]);
      serverTimings.at.push(t.at[i]);
      serverTimings.ms.push(t.ms[i]);
    }
  }
  fs.rmSync(timingsDir, { recursive: true, force: true });
  const serverErrors = server.log.filter((l) => !l.includes("serving on"));
  if (serverErrors.length) {
    const distinct = new Map<string, number>();
    for (const l of serverErrors) distinct.set(l.slice(0, 300), (distinct.get(l.slice(0, 300)) ?? 0) + 1);
    console.error(`  the ${target} server printed ${server.lines() - WEB_CONCURRENCY} more lines:`);
    for (const [l, n] of [...distinct].slice(0, 10)) console.error(`    ${n} × ${l}`);
  }
  return { rec, phases, counts, serverCpuSec: end.cpuSec - cpuAtStart, peakRssMiB: end.peakRssMiB, logins, paced: pacedRec, sustained: sustainedRec, client: client.kind, serverTimings };
}

// ---------------------------------------------------------------------------------------------
// The runs, and what the databases hold afterwards

const problems: string[] = [];
const app = await runAgainst("app", DATABASE_URL);

async function verify(label: string, expected: { attempts: number; answers: number }) {
  const attempts = await db().attempt.count({ where: { roundId: round.id } });
  const submitted = await db().attempt.count({ where: { roundId: round.id, status: "submitted", prediction: { not: null }, correctCount: { not: null } } });
  const answers = await db().answer.count({ where: { attempt: { roundId: round.id } } });
  const standings = await db().standing.count({ where: { roundId: round.id } });
  await disconnectDb();
  if (attempts !== expected.attempts || submitted !== expected.attempts || standings !== expected.attempts) {
    problems.push(`${label}: the database holds ${attempts} attempts, ${submitted} submitted with a prediction and a score, ${standings} standings; expected ${expected.attempts}`);
  }
  if (answers !== expected.answers) problems.push(`${label}: the database holds ${answers} answers; expected ${expected.answers}`);
}
const appContestants = USERS + (mixedCount ?? 0) + (app.paced?.count("start") ?? 0) + (app.sustained?.count("start") ?? 0);
await verify("app", { attempts: appContestants, answers: appContestants * QUESTIONS });

let floor: RunResult | null = null;
if (floorUrl) {
  floor = await runAgainst("floor", floorUrl);
  // Count the floor's rows with a plain client (the app's modules keep their first DATABASE_URL).
  const floorContestants = USERS + (mixedCount ?? 0) + (floor.paced?.count("start") ?? 0);
  let counts: { attempts: number; submitted: number; answers: number };
  if (isPg) {
    const pg = (await import("pg")).default;
    const c = new pg.Client({ connectionString: floorUrl });
    await c.connect();
    const one = async (text: string) => Number((await c.query(text, [round.id])).rows[0].n);
    counts = {
      attempts: await one(`SELECT COUNT(*) AS n FROM "Attempt" WHERE "roundId" = $1`),
      submitted: await one(`SELECT COUNT(*) AS n FROM "Attempt" WHERE "roundId" = $1 AND "status" = 'submitted' AND "correctCount" IS NOT NULL`),
      answers: await one(`SELECT COUNT(*) AS n FROM "Answer" a JOIN "Attempt" t ON t."id" = a."attemptId" WHERE t."roundId" = $1`),
    };
    await c.end();
  } else {
    const Database = (await import("better-sqlite3")).default;
    const c = new Database(floorUrl.slice("file:".length), { readonly: true });
    const one = (text: string) => Number((c.prepare(text).get(round.id) as { n: number }).n);
    counts = {
      attempts: one(`SELECT COUNT(*) AS n FROM "Attempt" WHERE "roundId" = ?`),
      submitted: one(`SELECT COUNT(*) AS n FROM "Attempt" WHERE "roundId" = ? AND "status" = 'submitted' AND "correctCount" IS NOT NULL`),
      answers: one(`SELECT COUNT(*) AS n FROM "Answer" a JOIN "Attempt" t ON t."id" = a."attemptId" WHERE t."roundId" = ?`),
    };
    c.close();
  }
  if (counts.attempts !== floorContestants || counts.submitted !== floorContestants || counts.answers !== floorContestants * QUESTIONS) {
    problems.push(`floor: the database holds ${counts.attempts} attempts (${counts.submitted} submitted) and ${counts.answers} answers; expected ${floorContestants} and ${floorContestants * QUESTIONS}`);
  }
  await dropFloorDb?.();
}

// ---------------------------------------------------------------------------------------------
// Report

const perSec = (n: number, ph: Phase | undefined) => (ph && ph.wallMs > 0 ? round1(n / (ph.wallMs / 1000)) : 0);
const rates = (r: RunResult) => ({
  starts: perSec(r.counts.start, r.phases.start),
  saves: perSec(r.counts.save, r.phases.save),
  submits: perSec(r.counts.submit, r.phases.submit),
  reads: perSec(r.counts.read, r.phases.mixed),
  mixedSaves: perSec(r.counts.mixedSave, r.phases.mixed),
});
// Throughput phases count only their own requests (counted when each phase ended).
const a = rates(app);
const f = floor ? rates(floor) : null;
const ratio = (x: number, y: number | undefined) => (y ? round2(x / y) : 0);
const phaseLat = (r: RunResult, k: "start" | "save" | "submit") => r.rec.latencies[k].slice(0, k === "start" ? r.counts.start : k === "save" ? r.counts.save : r.counts.submit);
const allOf = (r: Recorder | undefined) => (r ? [...r.latencies.start, ...r.latencies.save, ...r.latencies.submit] : []);
const pacedAll = allOf(app.paced);
const sustainedAll = allOf(app.sustained);
const mixedAll = [
  ...app.rec.latencies.start.slice(app.counts.mixedLatencyFromStart),
  ...app.rec.latencies.save.slice(app.counts.mixedLatencyFromSave),
  ...app.rec.latencies.submit.slice(app.counts.mixedLatencyFromSubmit),
];
const appRequests = app.counts.start + app.counts.save + app.counts.submit + app.counts.mixedStart + app.counts.mixedSave + app.counts.mixedSubmit + app.counts.read + pacedAll.length + sustainedAll.length;
const errors = app.rec.totalErrors() + (app.paced?.totalErrors() ?? 0) + (app.sustained?.totalErrors() ?? 0);
const loadCpu = Object.values(app.phases).reduce((s, ph) => s + ph.serverCpuSec, 0);

const metrics: Record<string, number | { value: number; unit: string }> = {
  attemptStartsPerSec: a.starts,
  answerSavesPerSec: a.saves,
  submitsPerSec: a.submits,
  leaderboardReadsPerSec: a.reads,
  // p50/p99: every start, save and submit of the paced phase (at the target rates), from when it was due.
  p50Ms: app.paced ? p(pacedAll, 0.5) : p(mixedAll, 0.5),
  p99Ms: app.paced ? p(pacedAll, 0.99) : p(mixedAll, 0.99),
  errors: { value: errors, unit: "requests" },
  floorRatio: f ? ratio(a.saves, f.saves) : 0,
  startsFloorRatio: f ? ratio(a.starts, f.starts) : 0,
  submitsFloorRatio: f ? ratio(a.submits, f.submits) : 0,
  leaderboardReadsFloorRatio: f ? ratio(a.reads, f.reads) : 0,
  floorAttemptStartsPerSec: f?.starts ?? 0,
  floorAnswerSavesPerSec: f?.saves ?? 0,
  floorSubmitsPerSec: f?.submits ?? 0,
  floorLeaderboardReadsPerSec: f?.reads ?? 0,
  floorErrors: { value: (floor?.rec.totalErrors() ?? 0) + (floor?.paced?.totalErrors() ?? 0), unit: "requests" },
  // Latency while saturated (phase 1: closed loop, VUS clients): queueing, by Little's law ≈ VUS / rate.
  saturatedStartP50Ms: p(phaseLat(app, "start"), 0.5),
  saturatedStartP99Ms: p(phaseLat(app, "start"), 0.99),
  saturatedSaveP50Ms: p(phaseLat(app, "save"), 0.5),
  saturatedSaveP99Ms: p(phaseLat(app, "save"), 0.99),
  saturatedSubmitP99Ms: p(phaseLat(app, "submit"), 0.99),
  ...(app.paced
    ? {
        pacedStartRate: { value: START_RATE, unit: "/s" },
        pacedSaveRate: { value: SAVE_RATE, unit: "/s" },
        pacedStartsAchievedPerSec: perSec(app.paced.count("start"), app.phases.pacedStart),
        pacedSavesAchievedPerSec: perSec(app.paced.count("save"), app.phases.pacedSave),
        startP50Ms: p(app.paced.latencies.start, 0.5),
        startP99Ms: p(app.paced.latencies.start, 0.99),
        saveP50Ms: p(app.paced.latencies.save, 0.5),
        saveP99Ms: p(app.paced.latencies.save, 0.99),
        submitP50Ms: p(app.paced.latencies.submit, 0.5),
        submitP99Ms: p(app.paced.latencies.submit, 0.99),
        pacedMaxMs: p(pacedAll, 1),
      }
    : {}),
  ...(app.sustained
    ? {
        sustainedStartRate: { value: app.sustained.startRate, unit: "/s" },
        sustainedSaveRate: { value: app.sustained.saveRate, unit: "/s" },
        sustainedSavesAchievedPerSec: perSec(app.sustained.count("save"), app.phases.sustainedSave),
        sustainedP50Ms: p(sustainedAll, 0.5),
        sustainedP99Ms: p(sustainedAll, 0.99),
        sustainedStartP99Ms: p(app.sustained.latencies.start, 0.99),
        sustainedSaveP99Ms: p(app.sustained.latencies.save, 0.99),
        sustainedSubmitP99Ms: p(app.sustained.latencies.submit, 0.99),
        serverSustainedStartP99Ms: p(serverLatencies(app.serverTimings, "start", app.phases.sustainedStart), 0.99),
        serverSustainedSaveP99Ms: p(serverLatencies(app.serverTimings, "save", app.phases.sustainedSave), 0.99),
      }
    : {}),
  // The server's own time (request parsed → answer written; server.mjs with BENCH_TIMINGS_FILE), per
  // phase: the part of the latency above that is not the client's (it shares the two cores).
  serverSaturatedSaveP99Ms: p(serverLatencies(app.serverTimings, "save", app.phases.save), 0.99),
  serverSaturatedStartP99Ms: p(serverLatencies(app.serverTimings, "start", app.phases.start), 0.99),
  ...(app.paced
    ? {
        serverPacedStartP50Ms: p(serverLatencies(app.serverTimings, "start", app.phases.pacedStart), 0.5),
        serverPacedStartP99Ms: p(serverLatencies(app.serverTimings, "start", app.phases.pacedStart), 0.99),
        serverPacedSaveP50Ms: p(serverLatencies(app.serverTimings, "save", app.phases.pacedSave), 0.5),
        serverPacedSaveP99Ms: p(serverLatencies(app.serverTimings, "save", app.phases.pacedSave), 0.99),
        serverPacedSubmitP99Ms: p(serverLatencies(app.serverTimings, "submit", app.phases.pacedSubmit), 0.99),
      }
    : {}),
  mixedAnswerSavesPerSec: a.mixedSaves,
  mixedContestantsPerSec: perSec(app.counts.mixedSubmit, app.phases.mixed),
  mixedP50Ms: p(mixedAll, 0.5),
  mixedP99Ms: p(mixedAll, 0.99),
  leaderboardP50Ms: p(app.rec.latencies.read, 0.5),
  leaderboardP99Ms: p(app.rec.latencies.read, 0.99),
  serverCpuSec: { value: round2(loadCpu), unit: "s" },
  serverCpuMsPerRequest: { value: round2((loadCpu * 1000) / Math.max(1, appRequests)), unit: "ms" },
  serverSaveCpuMsPerRequest: { value: round2((app.phases.save.serverCpuSec * 1000) / Math.max(1, app.counts.save)), unit: "ms" },
  serverStartCpuMsPerRequest: { value: round2((app.phases.start.serverCpuSec * 1000) / Math.max(1, app.counts.start)), unit: "ms" },
  serverPeakRssMiB: app.peakRssMiB,
  benchCpuSec: { value: round2(Object.values(app.phases).reduce((s, ph) => s + ph.benchCpuSec, 0)), unit: "s" },
  ...(floor
    ? {
        floorServerCpuSec: { value: round2(Object.values(floor.phases).reduce((s, ph) => s + ph.serverCpuSec, 0)), unit: "s" },
        floorSaveCpuMsPerRequest: { value: round2((floor.phases.save.serverCpuSec * 1000) / Math.max(1, floor.counts.save)), unit: "ms" },
        floorServerPeakRssMiB: floor.peakRssMiB,
        floorSaturatedSaveP99Ms: p(phaseLat(floor, "save"), 0.99),
        floorSaturatedStartP50Ms: p(phaseLat(floor, "start"), 0.5),
        floorSaturatedStartP99Ms: p(phaseLat(floor, "start"), 0.99),
        ...(floor.paced
          ? {
              floorP99Ms: p(allOf(floor.paced), 0.99),
              floorPacedStartsAchievedPerSec: perSec(floor.paced.count("start"), floor.phases.pacedStart),
              floorPacedSavesAchievedPerSec: perSec(floor.paced.count("save"), floor.phases.pacedSave),
              floorPacedStartP99Ms: p(floor.paced.latencies.start, 0.99),
              floorPacedSaveP99Ms: p(floor.paced.latencies.save, 0.99),
            }
          : {}),
      }
    : {}),
  ...(app.logins
    ? {
        loginsPerSec: round1(app.logins.count / (app.logins.ms / 1000)),
        loginP50Ms: p(app.logins.latencies, 0.5),
        loginP99Ms: p(app.logins.latencies, 0.99),
      }
    : {}),
  users: { value: USERS, unit: "contestants" },
  clients: { value: VUS, unit: "clients" },
  webConcurrency: { value: WEB_CONCURRENCY, unit: "processes" },
};
const info = {
  client: app.client,
  round: `${QUESTIONS} of ${BANK_SIZE} questions, 30 min, maxAttempts 1, prediction`,
  phases:
    `throughput: ${USERS} contestants, ${VUS} clients back to back (all start, then 20 answers each, then submit); ` +
    `paced: ${app.paced?.count("start") ?? 0} contestants (up to ${PACED_USERS}, about ${PACED_SECONDS} s of the measured save rate), starts and submits due at ${START_RATE}/s, answers at ${SAVE_RATE}/s, latency from when due; ` +
    `sustained: ${app.sustained?.count("start") ?? 0} more, the same at ${Math.round(SUSTAINED_SHARE * 100)}% of the measured throughput; ` +
    `mixed: ${mixedCount ?? 0} contestants (up to ${MIXED_USERS}, about ${MIXED_SECONDS} s of the measured save rate) through ${MIXED_WRITERS} clients (start, 20 answers, submit) while ${READERS} clients read the leaderboard`,
  rates: "…PerSec = requests of that kind / wall time of its throughput phase (leaderboard reads: of the mixed phase); p50Ms/p99Ms over the paced phase",
  floor: "bench/floor-server.mjs: node:http, the same statements per request as the app, no session/limits/validation; same client, same phases (paced: the same contestants and rates; no sustained phase)",
  server: `node ${WEB_CONCURRENCY > 1 ? `scripts/serve.mjs (WEB_CONCURRENCY=${WEB_CONCURRENCY})` : "server.mjs"}, NODE_ENV=production, TRUST_PROXY=1, one X-Forwarded-For address per contestant, default rate limits${isPg ? ` (store: ${process.env.REDIS_URL ? "Redis" : "PostgreSQL"})` : " (memory)"}`,
  loadAverageAtEnd: os.loadavg().map((l) => l.toFixed(2)).join(" "),
  ...(CPU_PROF_DIR ? { cpuProfile: path.resolve(CPU_PROF_DIR) } : {}),
};
console.log(`BENCH_RESULT ${JSON.stringify({ metrics, info })}`);

const v = (k: string) => {
  const m = metrics[k];
  return typeof m === "number" ? m : (m?.value ?? 0);
};
console.log(
  `app:   starts ${a.starts}/s, saves ${a.saves}/s, submits ${a.submits}/s, leaderboard reads ${a.reads}/s; paced p50/p99 ${v("p50Ms")}/${v("p99Ms")} ms; errors ${errors}; server CPU ${v("serverCpuMsPerRequest")} ms/request, peak RSS ${app.peakRssMiB} MiB`,
);
if (f) console.log(`floor: starts ${f.starts}/s, saves ${f.saves}/s, submits ${f.submits}/s, leaderboard reads ${f.reads}/s → ratios ${v("startsFloorRatio")}, ${v("floorRatio")}, ${v("submitsFloorRatio")}, ${v("leaderboardReadsFloorRatio")}`);
if (floor?.paced)
  console.log(`floor paced at the same rates: p99 ${v("floorP99Ms")} ms (starts ${v("floorPacedStartP99Ms")} ms, saves ${v("floorPacedSaveP99Ms")} ms); saturated start p50/p99 ${v("floorSaturatedStartP50Ms")}/${v("floorSaturatedStartP99Ms")} ms`);
const check = (ok: boolean, what: string) => console.log(`  ${ok ? "✓" : "✗"} ${what}`);
console.log("targets (issue 8, SQLite on 2 cores):");
check(a.saves >= 5000, `≥ 5,000 answer saves/s: ${a.saves}`);
check(a.starts >= 1500, `≥ 1,500 attempt starts/s: ${a.starts}`);
if (app.paced)
  check(
    v("p99Ms") < 100,
    `p99 < 100 ms at ${SAVE_RATE} saves/s and ${START_RATE} starts/s with ${VUS} connections: ${v("p99Ms")} ms (starts ${v("startP99Ms")} ms, saves ${v("saveP99Ms")} ms)`,
  );
if (app.paced && app.serverTimings)
  console.log(
    `    (inside the server, request parsed → answer written, at those rates: starts p99 ${v("serverPacedStartP99Ms")} ms, saves p99 ${v("serverPacedSaveP99Ms")} ms; the rest is spent before the server reads the request: the client and the socket queues, on the same two cores)`,
  );
if (app.sustained)
  console.log(
    `    (at ${app.sustained.saveRate} saves/s and ${app.sustained.startRate} starts/s, ${Math.round(SUSTAINED_SHARE * 100)}% of the measured throughput: p99 ${v("sustainedP99Ms")} ms; inside the server: starts p99 ${v("serverSustainedStartP99Ms")} ms, saves p99 ${v("serverSustainedSaveP99Ms")} ms)`,
  );
// The other reading of "200+ concurrent clients": that many requests always in flight, as in phase 1.
// There latency is set by the throughput (Little's law), whatever the server; printed, not checked.
console.log(
  `    (${VUS} clients back to back, phase 1: starts p50/p99 ${v("saturatedStartP50Ms")}/${v("saturatedStartP99Ms")} ms, inside the server p99 ${v("serverSaturatedStartP99Ms")} ms; ` +
    `with ${VUS} always in flight, a start's latency and its client's time until the next one average ${VUS} / ${a.starts}/s = ${round1((VUS * 1000) / a.starts)} ms (Little's law), so a p99 under 100 ms needs about ${VUS * 10} starts/s or more` +
    `${f ? `; the floor: ${v("floorSaturatedStartP50Ms")}/${v("floorSaturatedStartP99Ms")} ms at ${f.starts} starts/s` : ""})`,
);
check(errors === 0, `zero errors: ${errors}`);
if (f) check(v("floorRatio") >= 0.5, `≥ half the floor's answer saves/s: ${v("floorRatio")}`);

if (errors > 0) {
  problems.push(`${errors} requests failed`);
  console.error("first distinct failures (count × kind, status and body):");
  for (const [what, n] of [...app.rec.firstErrors, ...(app.paced?.firstErrors ?? []), ...(app.sustained?.firstErrors ?? [])].slice(0, 8)) console.error(`  ${n} × ${what}`);
}
const floorErrors = (floor?.rec.totalErrors() ?? 0) + (floor?.paced?.totalErrors() ?? 0);
if (floor && floorErrors > 0) {
  problems.push(`${floorErrors} floor requests failed`);
  for (const [what, n] of [...floor.rec.firstErrors, ...(floor.paced?.firstErrors ?? [])].slice(0, 5)) console.error(`  floor: ${n} × ${what}`);
}
if (wrongDraws) problems.push(`${wrongDraws} starts did not create a fresh ${QUESTIONS}-question attempt`);
if (problems.length) fail(problems.join("; "));
process.exit(0);
