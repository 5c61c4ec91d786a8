// Leaderboards at contest scale.
//
// 1. Generation (timed apart, not part of any metric): contestants spread over the 135 communes in
//    proportion to their population, and closed attempts of two open rounds (100,000 and
//    1,000,000 attempts, 2–3 per contestant; a few expired or voided), written straight into the
//    database with multi-row INSERTs through db().$executeRawUnsafe in large transactions.
// 2. Recompute: rebuildStandings() for each round, timed; then a sample of standings is checked
//    against the best attempts computed while generating.
// 3. Reads under load: the production build (`node server.mjs`, NODE_ENV=production) as a child
//    process; BENCH_LEADERBOARD_WRITERS (50) contestants log in over HTTP, start an attempt in the
//    1,000,000-attempt round and PUT answers in a loop, while BENCH_LEADERBOARD_READERS (200)
//    anonymous readers GET the round's leaderboard (also filtered by a commune) and its commune
//    standings, for BENCH_LEADERBOARD_SECONDS (20) seconds. Latency per request, throughput.
// BENCH_LEADERBOARD_MAX caps the largest round (default 1,000,000; 100,000 skips the big one).
// Also timed on the big round: the organizers' dashboard and the commune standings, cold.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { solveChallenge, type Challenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/sha";
import type { QuestionDraft } from "~/domain/questions";
import { dashboard, pickRound, reportRounds } from "~/models/dashboard.server";
import { createBank, insertQuestions } from "~/models/question-bank.server";
import { createRound } from "~/models/round.server";
import { communeStandings, rebuildStandings } from "~/models/standing.server";
import { db, disconnectDb } from "~/utils/db.server";
import { hashPassword } from "~/utils/password.server";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const MAX = Number(process.env.BENCH_LEADERBOARD_MAX ?? 1_000_000);
const READERS = Number(process.env.BENCH_LEADERBOARD_READERS ?? 200);
const WRITERS = Number(process.env.BENCH_LEADERBOARD_WRITERS ?? 50);
const READ_SECONDS = Number(process.env.BENCH_LEADERBOARD_SECONDS ?? 20);
const SERVER_LOG = process.env.BENCH_SERVER_LOG || null;
const QUESTIONS = 20;
const PASSWORD = "mat-khau-thi-sinh";
const ATTEMPTS_PER_USER = 2.5; // 2 and 3 in turn
const SYSTEM = { id: null };
const MIN = 60_000;
const isPg = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "");

if (!Number.isInteger(MAX) || MAX < 1000 || MAX > 2_000_000) fail(`BENCH_LEADERBOARD_MAX must be a whole number from 1,000 to 2,000,000 (got ${process.env.BENCH_LEADERBOARD_MAX})`);
for (const [name, v] of [["READERS", READERS], ["WRITERS", WRITERS], ["SECONDS", READ_SECONDS]] as const) {
  if (!Number.isInteger(v) || v < 1) fail(`BENCH_LEADERBOARD_${name} must be a positive whole number`);
}
const SIZES = [100_000, 1_000_000].filter((n) => n <= MAX);
if (SIZES.length === 0 || (MAX > 100_000 && MAX < 1_000_000)) SIZES.push(MAX);
const BIG = SIZES[SIZES.length - 1];

let server: ChildProcess | null = null;
const killServer = () => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
};
process.on("exit", killServer);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    killServer();
    process.exit(130);
  });
}

function fail(message: string): never {
  console.error(`✗ ${message}`);
  killServer();
  process.exit(1);
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const ms2 = (v: number) => Math.round(v * 100) / 100;
const peakRss = () => round1(process.resourceUsage().maxRSS / 1024);

// A fixed-seed generator: the same data every run.
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(20251129);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];

// ---------------------------------------------------------------------------------------------
// Raw bulk inserts

/** An instant as the engine stores it: Prisma's SQLite text form, or a PostgreSQL timestamp literal. */
const ts = (ms: number) => {
  const iso = new Date(ms).toISOString();
  return `'${isPg ? iso : iso.replace("Z", "+00:00")}'`;
};
const str = (s: string | null) => (s === null ? "NULL" : `'${s.replace(/'/g, "''")}'`);

/** Inserts rows (already SQL literals) in statements of `perStatement` rows, `perTx` rows per transaction. */
async function bulkInsert(table: string, columns: string[], rows: Iterable<string>, perStatement = 1000, perTx = 100_000): Promise<number> {
  const head = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES `;
  let batch: string[] = [];
  let statements: string[] = [];
  let inTx = 0;
  let total = 0;
  const flushTx = async () => {
    if (batch.length) statements.push(head + batch.join(","));
    batch = [];
    if (!statements.length) return;
    const todo = statements;
    statements = [];
    await db().$transaction(
      async (tx) => {
        for (const sql of todo) await tx.$executeRawUnsafe(sql);
      },
      { timeout: 600_000, maxWait: 60_000 },
    );
    inTx = 0;
  };
  for (const row of rows) {
    batch.push(row);
    total++;
    inTx++;
    if (batch.length >= perStatement) {
      statements.push(head + batch.join(","));
      batch = [];
    }
    if (inTx >= perTx) await flushTx();
  }
  await flushTx();
  return total;
}

// ---------------------------------------------------------------------------------------------
// The production build and the server child (as in attempts.bench.ts)

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, e)));
  return newest;
}

function ensureBuild(): number {
  const stamp = path.join(root, "build", "server", "index.js");
  const sources = Math.max(
    newestMtime(path.join(root, "app")),
    newestMtime(path.join(root, "public")),
    newestMtime(path.join(root, "vite.config.ts")),
    newestMtime(path.join(root, "package.json")),
  );
  if (process.env.BENCH_BUILD !== "1" && fs.existsSync(stamp) && fs.statSync(stamp).mtimeMs >= sources) return 0;
  console.log("building the app (remix vite:build)…");
  const t0 = performance.now();
  const r = spawnSync(path.join(root, "node_modules", ".bin", "remix"), ["vite:build"], { cwd: root, env: { ...process.env, NODE_ENV: "production" }, encoding: "utf8" });
  if (r.status !== 0) fail(`remix vite:build failed (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return performance.now() - t0;
}

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

const serverLog: string[] = [];
let serverLines = 0;

async function startServer(port: number): Promise<ChildProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    NODE_ENV: "production",
    SESSION_SECRET: randomBytes(20).toString("hex"),
    // Load measurement, not abuse protection: no rate limits, and a captcha the bench solves at once.
    RATE_LIMITS: "off",
    CAPTCHA_MAX_NUMBER: "1000",
  };
  const watchdog = `data:text/javascript,${encodeURIComponent("const p=process.ppid;setInterval(()=>{if(process.ppid!==p)process.exit(1)},1000).unref();")}`;
  const child = spawn(process.execPath, ["--import", watchdog, "server.mjs"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  server = child;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the server did not start within 30 s")), 30_000);
    const logFile = SERVER_LOG ? fs.createWriteStream(path.resolve(SERVER_LOG)) : null;
    let ready = false;
    const onData = (chunk: Buffer) => {
      logFile?.write(chunk);
      for (const line of chunk.toString("utf8").split("\n")) {
        if (!line.trim()) continue;
        serverLines++;
        if (serverLog.length < 50) serverLog.push(line);
        if (!ready && line.includes("serving on")) {
          ready = true;
          clearTimeout(timer);
          resolve();
        }
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code ?? signal} before it was ready:\n${serverLog.join("\n")}`));
    });
  }).catch((e: Error) => fail(e.message));
  return child;
}

async function stopServer(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

const CLK_TCK = (() => Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout?.trim()) || 100)();
function procStats(pid: number): { peakRssMiB: number; cpuSec: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const hwm = Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? NaN);
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { peakRssMiB: round1(hwm / 1024), cpuSec: (Number(fields[11]) + Number(fields[12])) / CLK_TCK };
}

// ---------------------------------------------------------------------------------------------
// HTTP client: undici when it loads (less client CPU on a 2-core machine), else node:http

interface Reply {
  status: number;
  text: string;
  setCookie: string | null;
}
interface Client {
  kind: string;
  send(method: string, urlPath: string, body?: unknown, cookie?: string): Promise<Reply>;
  close(): Promise<void>;
}

async function makeClient(origin: string, connections: number): Promise<Client> {
  try {
    const undici = (await import("undici")) as unknown as {
      Pool: new (origin: string, opts: object) => {
        request(o: object): Promise<{ statusCode: number; headers: Record<string, string | string[] | undefined>; body: { text(): Promise<string> } }>;
        close(): Promise<void>;
      };
    };
    const pool = new undici.Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
    return {
      kind: `undici Pool(connections: ${connections})`,
      async send(method, urlPath, body, cookie) {
        const headers: Record<string, string> = {};
        if (body !== undefined) headers["content-type"] = "application/json";
        if (cookie) headers.cookie = cookie;
        const res = await pool.request({ method, path: urlPath, headers, body: body === undefined ? undefined : JSON.stringify(body) });
        const text = await res.body.text();
        const sc = res.headers["set-cookie"];
        return { status: res.statusCode, text, setCookie: Array.isArray(sc) ? sc[0] : (sc ?? null) };
      },
      close: () => pool.close(),
    };
  } catch {
    const url = new URL(origin);
    const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
    return {
      kind: `node:http Agent(keepAlive, maxSockets: ${connections})`,
      send(method, urlPath, body, cookie) {
        const payload = body === undefined ? null : Buffer.from(JSON.stringify(body));
        return new Promise((resolve, reject) => {
          const headers: Record<string, string | number> = {};
          if (payload) Object.assign(headers, { "content-type": "application/json", "content-length": payload.length });
          if (cookie) headers.cookie = cookie;
          const req = http.request({ host: url.hostname, port: url.port, path: urlPath, method, headers, agent }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), setCookie: res.headers["set-cookie"]?.[0] ?? null }));
            res.on("error", reject);
          });
          req.on("error", reject);
          req.end(payload ?? undefined);
        });
      },
      async close() {
        agent.destroy();
      },
    };
  }
}

type Kind = "leaderboard" | "leaderboardCommune" | "communes" | "save" | "login" | "start";
const latencies: Record<Kind, number[]> = { leaderboard: [], leaderboardCommune: [], communes: [], save: [], login: [], start: [] };
const errorCount: Record<Kind, number> = { leaderboard: 0, leaderboardCommune: 0, communes: 0, save: 0, login: 0, start: 0 };
const firstErrors = new Map<string, number>();
let wrongBodies = 0;

async function call(client: Client, kind: Kind, method: string, urlPath: string, body?: unknown, cookie?: string): Promise<Reply | null> {
  const t0 = performance.now();
  let reply: Reply;
  try {
    reply = await client.send(method, urlPath, body, cookie);
  } catch (e) {
    latencies[kind].push(performance.now() - t0);
    errorCount[kind]++;
    const key = `${kind} network error: ${(e as Error).message}`;
    firstErrors.set(key, (firstErrors.get(key) ?? 0) + 1);
    return null;
  }
  latencies[kind].push(performance.now() - t0);
  if (reply.status < 200 || reply.status > 299) {
    errorCount[kind]++;
    const key = `${kind} HTTP ${reply.status} ${reply.text.slice(0, 200)}`;
    firstErrors.set(key, (firstErrors.get(key) ?? 0) + 1);
    return null;
  }
  return reply;
}

const sortedOf = (xs: number[]) => Float64Array.from(xs).sort();
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

// ---------------------------------------------------------------------------------------------
// 1. Generation

const t0All = performance.now();
const buildMs = ensureBuild();

const communes = await db().commune.findMany({ select: { code: true, population: true }, orderBy: { sortOrder: "asc" } });
if (communes.length !== 135) fail(`expected the 135 communes in the database, found ${communes.length}`);
const totalPopulation = communes.reduce((s, c) => s + c.population, 0);
const cumulative: number[] = [];
communes.reduce((s, c, i) => (cumulative[i] = s + c.population / totalPopulation), 0);
/** A commune drawn in proportion to its population. */
const communeAt = (u: number) => communes[Math.min(communes.length - 1, cumulative.findIndex((c) => u < c))].code;

const drafts: QuestionDraft[] = Array.from({ length: 100 }, (_, i) => ({
  topic: ["Cải cách thủ tục hành chính", "Chính quyền điện tử", "Dịch vụ công trực tuyến", "Một cửa liên thông"][i % 4],
  text: `Câu hỏi đo bảng xếp hạng số ${i + 1}: thủ tục nào được giải quyết tại bộ phận một cửa cấp xã?`,
  options: ["Đăng ký khai sinh", "Cấp giấy phép xây dựng", "Chứng thực bản sao", "Đăng ký kết hôn"],
  correct: i % 4,
  explanation: "Giải thích.",
  difficulty: (["easy", "medium", "hard"] as const)[i % 3],
  source: "",
}));
const bank = await createBank({ name: "Ngân hàng đo bảng xếp hạng" }, SYSTEM);
await db().$transaction((tx) => insertQuestions(tx, bank.id, drafts, SYSTEM));
const startedAt = Date.now();
const rounds = [] as { size: number; id: string }[];
for (const size of SIZES) {
  const r = await createRound(
    {
      name: `Vòng đo ${size.toLocaleString("vi-VN")} lượt`,
      description: "",
      opensAt: new Date(startedAt - 3 * 24 * 60 * MIN),
      closesAt: new Date(startedAt + 24 * 60 * MIN),
      durationSeconds: 30 * 60,
      questionCount: QUESTIONS,
      maxAttempts: 3,
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
    },
    SYSTEM,
    new Date(),
  );
  rounds.push({ size, id: r.id });
}

const FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Rơ Chăm", "Ksor", "Siu", "Rah Lan", "Đinh", "Nay"];
const MIDDLE = ["Văn", "Thị", "Đức", "Ngọc", "Minh", "Thu", "Quốc", "Kim", "Hữu", "Thanh"];
const GIVEN = ["An", "Bình", "Cường", "Dũng", "Hùng", "Khánh", "Lộc", "Phúc", "Quang", "Sơn", "Anh", "Bích", "Duyên", "Hạnh", "Hương", "Lan", "Mai", "Nhung", "Oanh", "Thảo", "Trang", "Yến", "Blúp"];
const GROUP_WEIGHTS: [string, number][] = [["official", 0.3], ["citizen", 0.4], ["student", 0.25], ["business", 0.05]];
const groupAt = (u: number) => {
  let s = 0;
  for (const [g, w] of GROUP_WEIGHTS) if (u < (s += w)) return g;
  return "citizen";
};

// A larger SQLite page cache while generating (the indexes of a million rows do not fit the
// default 2 MiB); set back before anything is measured.
if (!isPg) await db().$executeRawUnsafe("PRAGMA cache_size = -262144");

const USERS = Math.ceil(BIG / ATTEMPTS_PER_USER);
if (USERS + WRITERS > 999_999) fail("too many contestants for the identity number scheme");
const passwordHash = await hashPassword(PASSWORD);
const userIds: string[] = [];
const serial = (i: number, width: number) => String(i).padStart(width, "0");
const tUsers = performance.now();
const created = ts(startedAt - 4 * 24 * 60 * MIN);
function* userRows() {
  for (let i = 0; i < USERS + WRITERS; i++) {
    const writer = i >= USERS;
    const id = writer ? `benchw${i - USERS}` : `benchu${i.toString(36)}`;
    if (!writer) userIds.push(id);
    const name = `${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)}`;
    // CCCD 064 (Gia Lai) + 0 (male, 1900s) + 90 (born 1990) + a 6-digit serial; phone 091 + 7 digits.
    yield `(${str(id)}, 'contestant', ${str(name)}, '064090${serial(i, 6)}', '091${serial(i, 7)}', '1990-05-17', 'male', '${communeAt(rand())}', '${groupAt(rand())}', ${str(passwordHash)}, ${created}, ${created})`;
  }
}
await bulkInsert("User", ["id", "role", "fullName", "nationalId", "phone", "birthDate", "gender", "communeCode", "group", "passwordHash", "createdAt", "updatedAt"], userRows(), 1000, 200_000);
const generateUsersMs = performance.now() - tUsers;
console.log(`generated ${USERS.toLocaleString("en-US")} contestants (+${WRITERS} writers) in ${(generateUsersMs / 1000).toFixed(1)} s`);

interface Best {
  correctCount: number;
  durationMs: number;
  closedAt: number;
  attempts: number;
}
const expected = new Map<string, Map<string, Best>>(); // round → user → best counting attempt

/** `size` attempts of the round: users 0, 1, 2… take 2 or 3 attempts in turn; about 3% expire and 1% are voided. */
async function generateAttempts(roundId: string, size: number): Promise<number> {
  const best = new Map<string, Best>();
  expected.set(roundId, best);
  const span = 2 * 24 * 60 * MIN;
  function* rows() {
    let made = 0;
    for (let u = 0; made < size; u++) {
      const userId = userIds[u % userIds.length];
      const skill = 0.3 + rand() * 0.65;
      const k = Math.min(u % 2 === 0 ? 2 : 3, size - made);
      for (let n = 1; n <= k; n++, made++) {
        const started = startedAt - span + Math.floor(rand() * (span - 60 * MIN));
        const deadline = started + 30 * MIN;
        const roll = rand();
        const status = roll < 0.01 ? "voided" : roll < 0.04 ? "expired" : "submitted";
        let correct = 0;
        for (let q = 0; q < QUESTIONS; q++) if (rand() < skill) correct++;
        const duration = status === "expired" ? 30 * MIN : 60_000 + Math.floor(rand() * 20 * MIN);
        const closed = started + duration;
        const id = `bench${size.toString(36)}x${made.toString(36)}`;
        if (status !== "voided") {
          const cur = best.get(userId);
          const better = !cur || correct > cur.correctCount || (correct === cur.correctCount && (duration < cur.durationMs || (duration === cur.durationMs && closed < cur.closedAt)));
          if (better) best.set(userId, { correctCount: correct, durationMs: duration, closedAt: closed, attempts: (cur?.attempts ?? 0) + 1 });
          else cur.attempts++;
        }
        // flagsCheckedAt set: these attempts were looked at by the flagging rules when they closed
        // (otherwise the server's sweep would spend the whole read phase checking them).
        yield `(${str(id)}, ${str(roundId)}, ${str(userId)}, ${n}, '${status}', 'bench', ${ts(started)}, ${ts(deadline)}, ${ts(closed)}, ${correct}, ${QUESTIONS}, ${duration}, ${Math.floor(rand() * 5000)}, ${status === "voided" ? ts(closed + MIN) : "NULL"}, ${ts(closed)}, ${ts(started)})`;
      }
    }
  }
  return bulkInsert(
    "Attempt",
    ["id", "roundId", "userId", "number", "status", "seed", "startedAt", "deadlineAt", "closedAt", "correctCount", "questionCount", "durationMs", "prediction", "voidedAt", "flagsCheckedAt", "createdAt"],
    rows(),
    1000,
    100_000,
  );
}

const generateMs: Record<number, number> = {};
for (const r of rounds) {
  const t = performance.now();
  const n = await generateAttempts(r.id, r.size);
  generateMs[r.size] = performance.now() - t;
  if (n !== r.size || (await db().attempt.count({ where: { roundId: r.id } })) !== r.size) fail(`round of ${r.size}: ${n} attempts written`);
  console.log(`generated ${r.size.toLocaleString("en-US")} attempts in ${(generateMs[r.size] / 1000).toFixed(1)} s`);
}

if (!isPg) await db().$executeRawUnsafe("PRAGMA cache_size = -2000");

// ---------------------------------------------------------------------------------------------
// 2. Recompute

const recomputeMs: Record<number, number> = {};
for (const r of rounds) {
  const t = performance.now();
  const n = await rebuildStandings(r.id);
  recomputeMs[r.size] = performance.now() - t;
  const want = expected.get(r.id)!;
  if (n !== want.size) fail(`round of ${r.size}: rebuildStandings wrote ${n} standings, expected ${want.size}`);
  // A sample of standings against the best attempts computed while generating.
  const sample = [...want.keys()].filter((_, i) => i % Math.max(1, Math.floor(want.size / 500)) === 0);
  const got = await db().standing.findMany({ where: { roundId: r.id, userId: { in: sample } } });
  const wrong = got.filter((s) => {
    const b = want.get(s.userId)!;
    return s.correctCount !== b.correctCount || s.durationMs !== b.durationMs || s.closedAt.getTime() !== b.closedAt || s.attemptCount !== b.attempts;
  });
  if (got.length !== sample.length || wrong.length) fail(`round of ${r.size}: ${wrong.length} of ${sample.length} sampled standings differ from the best attempts (${got.length} found)`);
  console.log(`rebuildStandings: ${r.size.toLocaleString("en-US")} attempts → ${n.toLocaleString("en-US")} standings in ${(recomputeMs[r.size] / 1000).toFixed(1)} s`);
}
const bigRound = rounds[rounds.length - 1];

// The organizers' dashboard and the commune standings on the big round, cold (one call each).
let t = performance.now();
const dashRound = pickRound(await reportRounds(new Date()), bigRound.id)!;
const dash = await dashboard(dashRound, new Date());
const dashboardMs = performance.now() - t;
if (dash.summary.attempts !== BIG) fail(`the dashboard counts ${dash.summary.attempts} attempts, expected ${BIG}`);
t = performance.now();
const communeRows = await communeStandings(bigRound.id, new Date());
const communeStandingsMs = performance.now() - t;
if (communeRows.length !== 135) fail(`commune standings list ${communeRows.length} communes`);
const generationPeakRssMiB = peakRss();
await disconnectDb();

// ---------------------------------------------------------------------------------------------
// 3. Reads under load, while answers are being saved

const port = await freePort();
const child = await startServer(port);
const pid = child.pid!;
const client = await makeClient(`http://127.0.0.1:${port}`, READERS + WRITERS);
console.log(`server pid ${pid} on port ${port}; ${READERS} readers, ${WRITERS} writers, two phases of ${READ_SECONDS} s; ${client.kind}`);

async function solvedCaptcha(): Promise<string | undefined> {
  const r = await client.send("GET", "/api/v1/captcha");
  if (r.status === 404) return undefined;
  if (r.status !== 200) fail(`GET /api/v1/captcha answered ${r.status}`);
  const solution = await solveChallenge({ challenge: JSON.parse(r.text) as Challenge, deriveKey });
  if (!solution) fail("could not solve the captcha");
  return Buffer.from(JSON.stringify({ challenge: JSON.parse(r.text), solution })).toString("base64");
}

type AttemptJson = { id: string; questions: { id: string; options: { id: string }[] }[] };
const writers: { cookie: string; attempt: AttemptJson | null }[] = [];
for (let i = 0; i < WRITERS; i++) {
  const r = await call(client, "login", "POST", "/api/v1/auth/login", { identifier: `064090${serial(USERS + i, 6)}`, password: PASSWORD, captcha: await solvedCaptcha() });
  const cookie = r?.setCookie?.split(";")[0];
  if (!cookie) continue;
  const s = await call(client, "start", "POST", `/api/v1/rounds/${bigRound.id}/attempts`, {}, cookie);
  if (s) writers.push({ cookie, attempt: (JSON.parse(s.text) as { attempt: AttemptJson }).attempt });
}
if (writers.length !== WRITERS) fail(`only ${writers.length} of ${WRITERS} writers could log in and start: ${[...firstErrors.keys()].slice(0, 3).join("; ")}`);

/**
 * One load phase: the writers save answers in a loop while the readers request what `mix` draws,
 * for READ_SECONDS; every request still in flight is waited for. Latencies by kind, for this phase.
 */
async function phase(name: string, mix: { top: number; commune: number; communes: number }) {
  for (const k of Object.keys(latencies) as Kind[]) {
    latencies[k] = [];
    errorCount[k] = 0;
  }
  firstErrors.clear();
  wrongBodies = 0;
  let stop = false;
  const cpuBefore = procStats(pid).cpuSec;
  const benchCpuBefore = process.cpuUsage();
  const started = performance.now();
  const timer = setTimeout(() => (stop = true), READ_SECONDS * 1000);
  const writerLoops = writers.map(async (w) => {
    const qs = w.attempt!.questions;
    for (let i = 0; !stop; i++) {
      const q = qs[i % qs.length];
      await call(client, "save", "PUT", `/api/v1/attempts/${w.attempt!.id}/answers/${q.id}`, { optionId: q.options[Math.floor(Math.random() * q.options.length)].id }, w.cookie);
    }
  });
  const readerLoops = Array.from({ length: READERS }, async () => {
    while (!stop) {
      const roll = Math.random() * (mix.top + mix.commune + mix.communes);
      if (roll < mix.top) {
        const r = await call(client, "leaderboard", "GET", `/api/v1/rounds/${bigRound.id}/leaderboard?limit=50`);
        if (r && (JSON.parse(r.text) as { entries: unknown[] }).entries.length !== 50) wrongBodies++;
      } else if (roll < mix.top + mix.commune) {
        const r = await call(client, "leaderboardCommune", "GET", `/api/v1/rounds/${bigRound.id}/leaderboard?commune=${communeAt(Math.random())}&limit=50`);
        if (r && !Array.isArray((JSON.parse(r.text) as { entries: unknown[] }).entries)) wrongBodies++;
      } else {
        const r = await call(client, "communes", "GET", `/api/v1/rounds/${bigRound.id}/communes`);
        if (r && (JSON.parse(r.text) as { entries: unknown[] }).entries.length !== 135) wrongBodies++;
      }
    }
  });
  await Promise.all([...writerLoops, ...readerLoops]);
  clearTimeout(timer);
  const ms = performance.now() - started;
  const benchCpu = process.cpuUsage(benchCpuBefore);
  const readKinds: Kind[] = ["leaderboard", "leaderboardCommune", "communes"];
  const reads = readKinds.reduce((n, k) => n + latencies[k].length, 0);
  const readErrors = readKinds.reduce((n, k) => n + errorCount[k], 0);
  const all = sortedOf(readKinds.flatMap((k) => latencies[k]));
  const sorted = Object.fromEntries((Object.keys(latencies) as Kind[]).map((k) => [k, sortedOf(latencies[k])])) as Record<Kind, Float64Array>;
  const perSec = (n: number) => round1(n / (ms / 1000));
  const result = {
    ms,
    reads,
    readsPerSec: perSec(reads),
    p50Ms: ms2(quantile(all, 0.5)),
    p99Ms: ms2(quantile(all, 0.99)),
    maxMs: ms2(all[all.length - 1] ?? 0),
    readErrors,
    saves: latencies.save.length,
    saveErrors: errorCount.save,
    savesPerSec: perSec(latencies.save.length),
    wrongBodies,
    q: (k: Kind, p: number) => ms2(quantile(sorted[k], p)),
    count: (k: Kind) => latencies[k].length,
    serverCpuSec: Math.round((procStats(pid).cpuSec - cpuBefore) * 100) / 100,
    benchCpuSec: Math.round(((benchCpu.user + benchCpu.system) / 1e6) * 100) / 100,
    errors: [...firstErrors].slice(0, 6),
  };
  console.log(
    `${name}: ${reads} reads in ${(ms / 1000).toFixed(1)} s = ${result.readsPerSec}/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ${readErrors} failed; ` +
      `${result.saves} saves = ${result.savesPerSec}/s, ${result.saveErrors} failed${wrongBodies ? `; ${wrongBodies} wrong bodies` : ""}`,
  );
  for (const [what, n] of result.errors) console.log(`  ${n} × ${what}`);
  return result;
}

// Phase 1: the leaderboard endpoint alone (top 50, and filtered by a commune). Phase 2: the same
// readers also asking for the commune standings (GET /communes), as the public pages do.
const board = await phase("leaderboard", { top: 0.7, commune: 0.3, communes: 0 });
const mixed = await phase("with commune standings", { top: 0.6, commune: 0.25, communes: 0.15 });
const end = procStats(pid);
await client.close();
await stopServer(child);

// What the database holds: the writers' answers really landed.
const saved = await db().answer.count({ where: { attemptId: { in: writers.map((w) => w.attempt!.id) } } });
await disconnectDb();

// ---------------------------------------------------------------------------------------------
// Report

const metrics: Record<string, number | { value: number; unit: string }> = {
  contestants: { value: USERS, unit: "contestants" },
  generateUsersMs: round1(generateUsersMs),
  ...(generateMs[100_000] !== undefined ? { generate100kMs: round1(generateMs[100_000]) } : {}),
  ...(generateMs[1_000_000] !== undefined ? { generate1mMs: round1(generateMs[1_000_000]) } : {}),
  ...(recomputeMs[100_000] !== undefined ? { recompute100kMs: round1(recomputeMs[100_000]), standings100k: { value: expected.get(rounds[0].id)!.size, unit: "standings" } } : {}),
  ...(recomputeMs[1_000_000] !== undefined ? { recompute1mMs: round1(recomputeMs[1_000_000]), standings1m: { value: expected.get(bigRound.id)!.size, unit: "standings" } } : {}),
  ...(BIG !== 100_000 && BIG !== 1_000_000 ? { [`recompute${BIG}Ms`]: round1(recomputeMs[BIG]) } : {}),
  dashboardColdMs: round1(dashboardMs),
  communeStandingsColdMs: round1(communeStandingsMs),
  readers: { value: READERS, unit: "clients" },
  writers: { value: WRITERS, unit: "clients" },
  // Phase 1: leaderboard reads only.
  leaderboardReadsPerSec: board.readsPerSec,
  p50Ms: board.p50Ms,
  p99Ms: board.p99Ms,
  maxMs: board.maxMs,
  errors: { value: board.readErrors + board.saveErrors + board.wrongBodies, unit: "requests" },
  topP50Ms: board.q("leaderboard", 0.5),
  topP99Ms: board.q("leaderboard", 0.99),
  communeFilterP50Ms: board.q("leaderboardCommune", 0.5),
  communeFilterP99Ms: board.q("leaderboardCommune", 0.99),
  answerSavesPerSec: board.savesPerSec,
  saveP50Ms: board.q("save", 0.5),
  saveP99Ms: board.q("save", 0.99),
  phaseMs: round1(board.ms),
  serverPhaseCpuSec: { value: board.serverCpuSec, unit: "s" },
  benchPhaseCpuSec: { value: board.benchCpuSec, unit: "s" },
  // Phase 2: the commune standings endpoint in the mix.
  mixedReadsPerSec: mixed.readsPerSec,
  mixedP50Ms: mixed.p50Ms,
  mixedP99Ms: mixed.p99Ms,
  mixedMaxMs: mixed.maxMs,
  mixedErrors: { value: mixed.readErrors + mixed.saveErrors + mixed.wrongBodies, unit: "requests" },
  communesReads: { value: mixed.count("communes"), unit: "requests" },
  communesP50Ms: mixed.q("communes", 0.5),
  communesP99Ms: mixed.q("communes", 0.99),
  mixedAnswerSavesPerSec: mixed.savesPerSec,
  mixedSaveP99Ms: mixed.q("save", 0.99),
  mixedPhaseMs: round1(mixed.ms),
  serverPeakRssMiB: end.peakRssMiB,
  generationPeakRssMiB,
  peakRssMiB: peakRss(),
  totalMs: round1(performance.now() - t0All),
};
const info = {
  sizes: SIZES.join(", "),
  phases:
    "1: readers 70% GET leaderboard?limit=50, 30% the same filtered by a commune (drawn by population); 2: 60% / 25% / 15% GET communes. Writers: PUT answer in a loop on their own in-progress attempt, in both",
  server: "node server.mjs, NODE_ENV=production, RATE_LIMITS=off, CAPTCHA_MAX_NUMBER=1000",
  buildMs: String(Math.round(buildMs)),
  client: client.kind,
};
console.log(`BENCH_RESULT ${JSON.stringify({ metrics, info })}`);

// Slow answers and dropped connections are results (they are in the metrics); a bench that did
// not really read and write is a failure.
const problems: string[] = [];
for (const p of [board, mixed]) {
  if (p.wrongBodies) problems.push(`${p.wrongBodies} replies had the wrong number of entries`);
  if (p.reads - p.readErrors <= 0 || p.saves - p.saveErrors <= 0) problems.push("a phase had no successful reads or no successful saves");
}
// Every writer cycles through its 20 questions, so after a full cycle each has 20 answers stored.
if (board.saves >= WRITERS * QUESTIONS * 2 && saved !== WRITERS * QUESTIONS) problems.push(`${saved} answers are stored for ${WRITERS} writers, expected ${WRITERS * QUESTIONS}`);
const serverErrors = serverLog.filter((l) => !l.includes("serving on"));
if (serverErrors.length) {
  console.error(`the server wrote ${serverLines - 1} more lines than its start-up line; the first ones:`);
  for (const l of serverErrors.slice(0, 10)) console.error(`  ${l.slice(0, 300)}`);
}
if (problems.length) fail(problems.join("; "));
process.exit(0);
