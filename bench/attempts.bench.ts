// Load on the production server: many contestants starting, answering and submitting at once.
//
// Setup (not measured): a bank of 100 questions, an open round (20 questions, 30 min, one attempt,
// with a prediction), and N contestants (BENCH_USERS, default 1,000) inserted with one precomputed
// password hash. Then the production build is served by `node server.mjs` as a child process on a
// free port (TRUST_PROXY=1: each contestant sends its own X-Forwarded-For address, as behind a
// reverse proxy), and every contestant logs in over HTTP, captcha included (measured on its own:
// scrypt bound).
// Load phase: BENCH_VUS (default 200) virtual users, each taking the next contestant: POST start,
// 20 × PUT answer (a random option), POST submit with a prediction. Latency per request and kind,
// throughput over the phase, and the server child's peak RSS and CPU time from /proc.
// At the end the database must hold N submitted attempts and N × 20 answers, and no request may
// have failed; otherwise the bench prints why and exits with status 1.
// The runner (bench/run.mjs) provides a migrated, seeded database in DATABASE_URL.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import type { QuestionDraft } from "~/domain/questions";
import { roundSchema } from "~/domain/rounds";
import { createBank, insertQuestions } from "~/models/question-bank.server";
import { createRound } from "~/models/round.server";
import { db, disconnectDb } from "~/utils/db.server";
import { hashPassword } from "~/utils/password.server";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const USERS = Number(process.env.BENCH_USERS ?? 1000);
const VUS = Number(process.env.BENCH_VUS ?? 200);
const LOGIN_CONCURRENCY = Number(process.env.BENCH_LOGIN_CONCURRENCY ?? 8);
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF || null; // a directory: run the server with --cpu-prof there
const SERVER_LOG = process.env.BENCH_SERVER_LOG || null; // a file: everything the server prints goes there too
const TRACE = process.env.BENCH_TRACE || null; // a file: one CSV line per request (start ms, kind, latency ms, status)
const BANK_SIZE = 100;
const QUESTIONS = 20;
const PASSWORD = "mat-khau-thi-sinh";
const SYSTEM = { id: null };
const MIN = 60_000;

if (!Number.isInteger(USERS) || USERS < 1 || USERS > 1_000_000) fail(`BENCH_USERS must be a whole number from 1 to 1,000,000 (got ${process.env.BENCH_USERS})`);
if (!Number.isInteger(VUS) || VUS < 1) fail(`BENCH_VUS must be a positive whole number (got ${process.env.BENCH_VUS})`);

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
const mib = (kb: number) => round1(kb / 1024);

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
  const sources = Math.max(
    newestMtime(path.join(root, "app")),
    newestMtime(path.join(root, "public")),
    newestMtime(path.join(root, "vite.config.ts")),
    newestMtime(path.join(root, "package.json")),
  );
  if (process.env.BENCH_BUILD !== "1" && fs.existsSync(stamp) && fs.statSync(stamp).mtimeMs >= sources) return 0;
  console.log("building the app (remix vite:build)…");
  const t0 = performance.now();
  const r = spawnSync(path.join(root, "node_modules", ".bin", "remix"), ["vite:build"], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production" },
    encoding: "utf8",
  });
  if (r.status !== 0) fail(`remix vite:build failed (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return performance.now() - t0;
}

// ---------------------------------------------------------------------------------------------
// The server child

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

const serverLog: string[] = []; // the first 2,000 lines the server printed
let serverLines = 0;

async function startServer(port: number): Promise<ChildProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    NODE_ENV: "production",
    SESSION_SECRET: randomBytes(20).toString("hex"), // 40 characters
    // As behind the reverse proxy of a real deployment: each contestant comes from its own address
    // (X-Forwarded-For), so the per-address rate limits see many addresses, not one.
    TRUST_PROXY: "1",
    // The login captcha's proof of work is the browser's cost, not the server's: keep it cheap here.
    CAPTCHA_MAX_NUMBER: process.env.CAPTCHA_MAX_NUMBER ?? "100",
  };
  delete env.DISABLE_BACKGROUND_JOBS; // the 15 s sweep runs, as in production
  // If this bench is killed outright (the runner's timeout uses SIGKILL), the server notices that
  // its parent is gone and exits, instead of serving a deleted database forever.
  const watchdog = `data:text/javascript,${encodeURIComponent("const p=process.ppid;setInterval(()=>{if(process.ppid!==p)process.exit(1)},1000).unref();")}`;
  const args = ["--import", watchdog, ...(CPU_PROF_DIR ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(CPU_PROF_DIR)}`] : []), "server.mjs"];
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  server = child;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the server did not start within 30 s")), 30_000);
    const logFile = SERVER_LOG ? fs.createWriteStream(path.resolve(SERVER_LOG)) : null;
    let ready = false;
    const partial = { out: "", err: "" };
    const onData = (stream: "out" | "err") => (chunk: Buffer) => {
      logFile?.write(chunk);
      const lines = (partial[stream] + chunk.toString("utf8")).split("\n");
      partial[stream] = lines.pop() ?? "";
      for (const line of lines) {
        if (!line.trim()) continue;
        serverLines++;
        if (serverLog.length < 2000) serverLog.push(line);
        if (!ready && line.includes("serving on")) {
          ready = true;
          clearTimeout(timer);
          resolve();
        }
      }
    };
    child.stdout!.on("data", onData("out"));
    child.stderr!.on("data", onData("err"));
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code ?? signal} before it was ready:\n${serverLog.join("\n")}`));
    });
  }).catch((e: Error) => fail(e.message));
  return child;
}

const CLK_TCK = (() => {
  const r = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" });
  return Number(r.stdout?.trim()) || 100;
})();

/** Peak RSS (VmHWM, MiB) and CPU time (user + system, s) of a live process, from /proc. */
function procStats(pid: number): { peakRssMiB: number; cpuSec: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const hwm = Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? NaN);
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields from 3 (state) on
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  return { peakRssMiB: mib(hwm), cpuSec: (utime + stime) / CLK_TCK };
}

async function stopServer(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------------
// HTTP client: undici when it can be loaded (less client CPU), else node:http with a keep-alive agent

interface Reply {
  status: number;
  text: string;
  setCookie: string | null;
}
interface Client {
  kind: string;
  send(method: string, urlPath: string, body: unknown, cookie?: string, ip?: string): Promise<Reply>;
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
    // Node's server closes a keep-alive connection after 5 s idle (and says so in Keep-Alive:
    // timeout=5); undici stops reusing it 4 s before that, so a request is never sent on a socket the
    // server is closing at that moment (which would be a client-made ECONNRESET, not the server's).
    const pool = new undici.Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 1_000, keepAliveTimeoutThreshold: 4_000 });
    const version = (() => {
      try {
        return JSON.parse(fs.readFileSync(path.join(root, "node_modules", "undici", "package.json"), "utf8")).version as string;
      } catch {
        return "?";
      }
    })();
    return {
      kind: `undici ${version} Pool(connections: ${connections})`,
      async send(method, urlPath, body, cookie, ip) {
        const headers: Record<string, string> = {};
        if (body !== undefined) headers["content-type"] = "application/json";
        if (cookie) headers.cookie = cookie;
        if (ip) headers["x-forwarded-for"] = ip;
        const res = await pool.request({ method, path: urlPath, headers, body: body === undefined ? undefined : JSON.stringify(body) });
        const text = await res.body.text();
        const sc = res.headers["set-cookie"];
        return { status: res.statusCode, text, setCookie: Array.isArray(sc) ? sc[0] : (sc ?? null) };
      },
      close: () => pool.close(),
    };
  } catch {
    const url = new URL(origin);
    const agent = new http.Agent({ keepAlive: true, maxSockets: connections, timeout: 1_000 });
    return {
      kind: `node:http Agent(keepAlive, maxSockets: ${connections})`,
      send(method, urlPath, body, cookie, ip) {
        const payload = Buffer.from(body === undefined ? "" : JSON.stringify(body));
        return new Promise((resolve, reject) => {
          const headers: Record<string, string | number> = { "content-length": payload.length };
          if (body !== undefined) headers["content-type"] = "application/json";
          if (cookie) headers.cookie = cookie;
          if (ip) headers["x-forwarded-for"] = ip;
          const req = http.request({ host: url.hostname, port: url.port, path: urlPath, method, headers, agent }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => {
              const sc = res.headers["set-cookie"];
              resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), setCookie: sc?.[0] ?? null });
            });
            res.on("error", reject);
          });
          req.on("error", reject);
          req.end(payload);
        });
      },
      async close() {
        agent.destroy();
      },
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Measuring

type Kind = "login" | "start" | "save" | "submit";
const latencies: Record<Kind, number[]> = { login: [], start: [], save: [], submit: [] };
const errorCount: Record<Kind, number> = { login: 0, start: 0, save: 0, submit: 0 };
const firstErrors = new Map<string, number>();

let networkErrors = 0;
function noteError(kind: Kind, what: string) {
  errorCount[kind]++;
  if (what.startsWith("network error")) networkErrors++;
  const key = `${kind} ${what.replace(/\s+/g, " ").slice(0, 300)}`;
  firstErrors.set(key, (firstErrors.get(key) ?? 0) + 1);
}

const trace: string[] = [];

/** One request, timed; a non-2xx status or a network error counts as an error. Returns null then. */
async function call(client: Client, kind: Kind, method: string, urlPath: string, body: unknown, who?: { cookie?: string; ip: string }): Promise<Reply | null> {
  const t0 = performance.now();
  let reply: Reply;
  try {
    reply = await client.send(method, urlPath, body, who?.cookie, who?.ip);
  } catch (e) {
    latencies[kind].push(performance.now() - t0);
    if (TRACE) trace.push(`${t0.toFixed(1)},${kind},${(performance.now() - t0).toFixed(1)},0`);
    noteError(kind, `network error: ${(e as Error).message}`);
    return null;
  }
  latencies[kind].push(performance.now() - t0);
  if (TRACE) trace.push(`${t0.toFixed(1)},${kind},${(performance.now() - t0).toFixed(1)},${reply.status}`);
  if (reply.status < 200 || reply.status > 299) {
    noteError(kind, `HTTP ${reply.status} ${reply.text}`);
    return null;
  }
  return reply;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
const sortedOf = (xs: number[]) => Float64Array.from(xs).sort() as unknown as number[];

async function pooled<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
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
const passwordHash = await hashPassword(PASSWORD);
const serial = (i: number, width: number) => String(i).padStart(width, "0");
const contestants = Array.from({ length: USERS }, (_, i) => ({
  nationalId: `064090${serial(i, 6)}`,
  phone: `091${serial(i, 7)}`,
  ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
  cookie: "",
}));
const CHUNK = 500;
for (let i = 0; i < USERS; i += CHUNK) {
  await db().user.createMany({
    data: contestants.slice(i, i + CHUNK).map((c, j) => ({
      role: "contestant",
      fullName: `Thí sinh Số ${i + j + 1}`.replace(/\d/g, (d) => "KHBNMPLTVX"[Number(d)]), // names hold letters only
      nationalId: c.nationalId,
      phone: c.phone,
      birthDate: "1990-05-17",
      gender: "male",
      communeCode: "21583",
      group: "citizen",
      passwordHash,
    })),
  });
}
if ((await db().user.count({ where: { role: "contestant" } })) !== USERS) fail("not every contestant was inserted");
// Only the server touches the database from here on.
await disconnectDb();

const port = await freePort();
const child = await startServer(port);
const pid = child.pid!;
const origin = `http://127.0.0.1:${port}`;
const client = await makeClient(origin, VUS);
const setupMs = performance.now() - setupStarted;
console.log(`setup ${(setupMs / 1000).toFixed(1)} s${buildMs ? ` (build ${(buildMs / 1000).toFixed(1)} s)` : ""}; server pid ${pid} on ${origin}; ${USERS} contestants, ${VUS} virtual users, ${client.kind}`);

// ---------------------------------------------------------------------------------------------
// Logins (measured on their own)

// The login asks for a solved captcha (ALTCHA proof of work) when the app has one: GET
// /api/v1/captcha, solve it as the browser's widget does, send it along.
type Solver = (challenge: unknown) => Promise<string>;
let solver: Solver | null | undefined;
async function captchaFor(c: { ip: string }): Promise<string | undefined> {
  if (solver === null) return undefined;
  const t0 = performance.now();
  const r = await client.send("GET", "/api/v1/captcha", undefined, undefined, c.ip);
  captchaMs.push(performance.now() - t0);
  if (r.status === 404) {
    solver = null;
    return undefined;
  }
  if (r.status !== 200) {
    noteError("login", `GET /api/v1/captcha: HTTP ${r.status} ${r.text}`);
    return undefined;
  }
  if (solver === undefined) {
    const altcha = (await import("altcha-lib")) as unknown as { solveChallenge(o: object): Promise<unknown> };
    const { deriveKey } = (await import("altcha-lib/algorithms/sha")) as unknown as { deriveKey: unknown };
    solver = async (challenge) => {
      const solution = await altcha.solveChallenge({ challenge, deriveKey });
      if (!solution) throw new Error("could not solve the captcha challenge");
      return Buffer.from(JSON.stringify({ challenge, solution })).toString("base64");
    };
  }
  return solver!(JSON.parse(r.text));
}
const captchaMs: number[] = [];

const loginStarted = performance.now();
await pooled(contestants, LOGIN_CONCURRENCY, async (c) => {
  let captcha: string | undefined;
  try {
    captcha = await captchaFor(c);
  } catch (e) {
    noteError("login", `captcha: ${(e as Error).message}`);
  }
  const r = await call(client, "login", "POST", "/api/v1/auth/login", { identifier: c.nationalId, password: PASSWORD, ...(captcha ? { captcha } : {}) }, c);
  if (r && r.setCookie?.startsWith("__session=")) c.cookie = r.setCookie.split(";")[0];
  else if (r) noteError("login", `no session cookie in the reply: ${r.text}`);
});
const loginMs = performance.now() - loginStarted;
const loggedIn = contestants.filter((c) => c.cookie);
console.log(`logins: ${loggedIn.length}/${USERS} in ${(loginMs / 1000).toFixed(1)} s (${LOGIN_CONCURRENCY} at a time)`);
if (loggedIn.length === 0) fail(`no contestant could log in: ${[...firstErrors.keys()].slice(0, 3).join("; ")}`);

// ---------------------------------------------------------------------------------------------
// Load phase

type AttemptJson = { id: string; questions: { id: string; options: { id: string }[] }[] };
let wrongDraws = 0;
const cpuBefore = procStats(pid).cpuSec;
const benchCpuBefore = process.cpuUsage();
const loadStarted = performance.now();
await pooled(loggedIn, VUS, async (c) => {
  const started = await call(client, "start", "POST", `/api/v1/rounds/${round.id}/attempts`, {}, c);
  if (!started) return;
  const attempt = (JSON.parse(started.text) as { attempt: AttemptJson }).attempt;
  if (started.status !== 201 || attempt.questions.length !== QUESTIONS) wrongDraws++;
  for (const q of attempt.questions) {
    const option = q.options[randomInt(q.options.length)];
    await call(client, "save", "PUT", `/api/v1/attempts/${attempt.id}/answers/${q.id}`, { optionId: option.id }, c);
  }
  await call(client, "submit", "POST", `/api/v1/attempts/${attempt.id}/submit`, { prediction: randomInt(USERS * 2 + 1) }, c);
});
const loadMs = performance.now() - loadStarted;
const benchCpu = process.cpuUsage(benchCpuBefore);
const end = procStats(pid);
const serverLoadCpuSec = end.cpuSec - cpuBefore;

await client.close();
await stopServer(child);
if (TRACE) fs.writeFileSync(path.resolve(TRACE), `startMs,kind,latencyMs,status\n${trace.join("\n")}\n`);

// ---------------------------------------------------------------------------------------------
// What the database holds

const attempts = await db().attempt.count({ where: { roundId: round.id } });
const submitted = await db().attempt.count({ where: { roundId: round.id, status: "submitted", prediction: { not: null }, correctCount: { not: null } } });
const answers = await db().answer.count({ where: { attempt: { roundId: round.id } } });
await disconnectDb();

// ---------------------------------------------------------------------------------------------
// Report

const counts = { start: latencies.start.length, save: latencies.save.length, submit: latencies.submit.length };
const sorted = { login: sortedOf(latencies.login), start: sortedOf(latencies.start), save: sortedOf(latencies.save), submit: sortedOf(latencies.submit) };
const all = sortedOf([...latencies.start, ...latencies.save, ...latencies.submit]);
const requests = counts.start + counts.save + counts.submit;
const errors = errorCount.start + errorCount.save + errorCount.submit;
const perSec = (n: number, ms: number) => round1(n / (ms / 1000));
const ms = (v: number) => Math.round(v * 100) / 100;

const metrics = {
  users: { value: USERS, unit: "contestants" },
  virtualUsers: { value: VUS, unit: "clients" },
  loginMs: round1(loginMs),
  loginsPerSec: perSec(loggedIn.length, loginMs),
  loginP50Ms: ms(quantile(sorted.login, 0.5)),
  loginP99Ms: ms(quantile(sorted.login, 0.99)),
  ...(captchaMs.length ? { captchaP50Ms: ms(quantile(sortedOf(captchaMs), 0.5)) } : {}),
  wallMs: round1(loadMs),
  requests: { value: requests, unit: "requests" },
  requestsPerSec: perSec(requests, loadMs),
  attemptStartsPerSec: perSec(counts.start, loadMs),
  answerSavesPerSec: perSec(counts.save, loadMs),
  submitsPerSec: perSec(counts.submit, loadMs),
  contestantsPerSec: perSec(counts.submit, loadMs),
  startP50Ms: ms(quantile(sorted.start, 0.5)),
  startP99Ms: ms(quantile(sorted.start, 0.99)),
  saveP50Ms: ms(quantile(sorted.save, 0.5)),
  saveP99Ms: ms(quantile(sorted.save, 0.99)),
  submitP50Ms: ms(quantile(sorted.submit, 0.5)),
  submitP99Ms: ms(quantile(sorted.submit, 0.99)),
  p50Ms: ms(quantile(all, 0.5)),
  p99Ms: ms(quantile(all, 0.99)),
  maxMs: ms(all[all.length - 1] ?? 0),
  errors: { value: errors, unit: "requests" },
  loginErrors: { value: errorCount.login, unit: "requests" },
  networkErrors: { value: networkErrors, unit: "requests" },
  serverPeakRssMiB: end.peakRssMiB,
  serverCpuSec: { value: Math.round(end.cpuSec * 100) / 100, unit: "s" },
  serverLoadCpuSec: { value: Math.round(serverLoadCpuSec * 100) / 100, unit: "s" },
  benchLoadCpuSec: { value: Math.round(((benchCpu.user + benchCpu.system) / 1e6) * 100) / 100, unit: "s" },
  peakRssMiB: round1(process.resourceUsage().maxRSS / 1024),
};
const info = {
  client: client.kind,
  round: `${QUESTIONS} of ${BANK_SIZE} questions, 30 min, maxAttempts 1, prediction`,
  flow: "per contestant: POST start, 20 × PUT answer (random option), POST submit {prediction}; each virtual user does one contestant after another",
  rates: "…PerSec = requests of that kind / wallMs of the whole load phase; serverCpuSec since server start (logins included), serverLoadCpuSec during the load phase only",
  loginConcurrency: String(LOGIN_CONCURRENCY),
  login: solver === null ? "POST /api/v1/auth/login" : `GET /api/v1/captcha, solve (CAPTCHA_MAX_NUMBER=${process.env.CAPTCHA_MAX_NUMBER ?? "100"}), POST /api/v1/auth/login; loginsPerSec counts all three`,
  server: "node server.mjs, NODE_ENV=production, TRUST_PROXY=1, one X-Forwarded-For address per contestant, default rate limits",
  ...(CPU_PROF_DIR ? { cpuProfile: path.resolve(CPU_PROF_DIR) } : {}),
};
console.log(`BENCH_RESULT ${JSON.stringify({ metrics, info })}`);
// The numbers in short on the console too: the runner records nothing for a failed run.
console.log(
  `load: ${requests} requests in ${(loadMs / 1000).toFixed(1)} s = ${metrics.requestsPerSec}/s (starts ${metrics.attemptStartsPerSec}/s, saves ${metrics.answerSavesPerSec}/s, submits ${metrics.submitsPerSec}/s); errors ${errors}`,
);
console.log(
  `latency p50/p99 ms: start ${metrics.startP50Ms}/${metrics.startP99Ms}, save ${metrics.saveP50Ms}/${metrics.saveP99Ms}, submit ${metrics.submitP50Ms}/${metrics.submitP99Ms}, all ${metrics.p50Ms}/${metrics.p99Ms}, max ${metrics.maxMs}`,
);
console.log(
  `server: CPU ${metrics.serverLoadCpuSec.value} s in the load phase (${round1((serverLoadCpuSec * 1000) / Math.max(1, requests))} ms a request), ${metrics.serverCpuSec.value} s in all; peak RSS ${end.peakRssMiB} MiB; bench CPU ${metrics.benchLoadCpuSec.value} s`,
);

const problems: string[] = [];
if (errors > 0 || errorCount.login > 0) {
  problems.push(`${errors + errorCount.login} requests failed (login ${errorCount.login}, start ${errorCount.start}, save ${errorCount.save}, submit ${errorCount.submit})`);
  console.error("first distinct failures (count × kind, status and body):");
  for (const [what, n] of [...firstErrors].slice(0, 8)) console.error(`  ${n} × ${what}`);
}
if (wrongDraws) problems.push(`${wrongDraws} starts did not create a fresh ${QUESTIONS}-question attempt`);
if (attempts !== USERS || submitted !== USERS) problems.push(`the database holds ${attempts} attempts, ${submitted} of them submitted and scored with a prediction; expected ${USERS}`);
if (answers !== USERS * QUESTIONS) problems.push(`the database holds ${answers} answers; expected ${USERS} × ${QUESTIONS} = ${USERS * QUESTIONS}`);
const serverErrors = serverLog.filter((l) => !l.includes("serving on"));
if (serverErrors.length) {
  const distinct = new Map<string, number>();
  for (const l of serverErrors) distinct.set(l.slice(0, 300), (distinct.get(l.slice(0, 300)) ?? 0) + 1);
  console.error(`the server wrote ${serverLines - 1} more lines than its start-up line${serverLines > serverLog.length ? ` (the first ${serverLog.length} counted here)` : ""}:`);
  for (const [l, n] of [...distinct].slice(0, 10)) console.error(`  ${n} × ${l}`);
}
if (problems.length) fail(problems.join("; "));
process.exit(0);
