// Benchmark runner: `npm run bench [-- <filter>…]`.
//
// Runs every bench/*.bench.ts (sorted by name; with filters, only those whose name contains one of
// them) in its own Node process through tsx, each on a fresh database: a temporary SQLite file
// (always) and, when BENCH_POSTGRES_URL is set (or else DATABASE_URL names a PostgreSQL server), the
// PostgreSQL database `cchc_bench` on that server (dropped and recreated before every bench; the
// database named in the URL is never touched).
// Both are migrated with `prisma migrate deploy` and loaded with reference data (scripts/seed.ts,
// SEED_DEMO=false).
//
// A bench reports by printing lines `BENCH_RESULT {json}` on stdout (see bench/README.md). The
// runner prints a table and writes bench/results/<bench>.<sqlite|postgres>.json per run; then the
// flat numbers of every bench and database in bench/results/summary.json, also printed as JSON.
// Numbers, not assertions: a bench fails only when what it measured did not actually happen.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(benchDir, "..");
const resultsDir = path.join(benchDir, "results");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const tsxLoader = import.meta.resolve("tsx");
const BENCH_DB = "cchc_bench";
const SUFFIX = ".bench.ts";
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 15 * 60_000);
const keep = process.env.BENCH_KEEP_DB === "1";

// ---------------------------------------------------------------------------------------------
// What to run

const filters = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const allBenches = fs
  .readdirSync(benchDir)
  .filter((f) => f.endsWith(SUFFIX))
  .sort()
  .map((f) => ({ name: f.slice(0, -SUFFIX.length), file: path.join(benchDir, f) }));
const benches = filters.length ? allBenches.filter((b) => filters.some((f) => b.name.includes(f))) : allBenches;
if (benches.length === 0) {
  console.error(`No bench matches ${filters.map((f) => JSON.stringify(f)).join(", ")}. Available: ${allBenches.map((b) => b.name).join(", ") || "(none)"}`);
  process.exit(1);
}

const machine = {
  node: process.version,
  cpu: os.cpus()[0]?.model?.trim() ?? "unknown",
  cores: os.availableParallelism?.() ?? os.cpus().length,
  memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
  platform: `${os.platform()} ${os.release()} ${os.arch()}`,
};
const commit = (() => {
  const r = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
})();

// ---------------------------------------------------------------------------------------------
// Databases

// Ctrl-C (or a kill): stop the running bench and leave no temporary files behind.
let currentChild = null;
const onInterrupt = [];
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    currentChild?.kill("SIGKILL");
    for (const fn of onInterrupt) fn();
    process.exit(130);
  });
}

const baseEnv = {
  ...process.env,
  NODE_ENV: process.env.NODE_ENV ?? "production",
  SESSION_SECRET: process.env.SESSION_SECRET ?? randomBytes(32).toString("hex"),
  SEED_DEMO: "false",
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
};

/** Runs a setup command quietly; its output is shown only when it fails. */
function setupStep(cmd, args, env) {
  const r = spawnSync(cmd, args, { cwd: root, env: { ...baseEnv, ...env }, encoding: "utf8" });
  if (r.status !== 0) {
    throw new Error(`${path.basename(cmd)} ${args.join(" ")} failed (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  }
}

function migrateAndSeed(url) {
  setupStep(bin("prisma"), ["migrate", "deploy"], { DATABASE_URL: url });
  setupStep(bin("tsx"), ["scripts/seed.ts"], { DATABASE_URL: url });
}

function sqliteTarget() {
  let dir = null; // made on first use, so a run that stops early leaves nothing behind
  const tempDir = () => {
    if (dir) return dir;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-bench-"));
    if (!keep) onInterrupt.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    return dir;
  };
  let version = null;
  return {
    kind: "sqlite",
    async version() {
      if (version) return version;
      const { default: Database } = await import("better-sqlite3");
      const mem = new Database(":memory:");
      version = `SQLite ${mem.prepare("select sqlite_version() as v").get().v}`;
      mem.close();
      return version;
    },
    async prepare(bench) {
      const file = path.join(tempDir(), `${bench.name}.db`);
      for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
      const url = `file:${file}`;
      migrateAndSeed(url);
      return url;
    },
    async cleanup() {
      if (!dir) return;
      if (!keep) fs.rmSync(dir, { recursive: true, force: true });
      else console.log(`(BENCH_KEEP_DB=1: SQLite files kept in ${dir})`);
    },
  };
}

function postgresTarget(serverUrl) {
  const admin = new URL(serverUrl);
  const named = decodeURIComponent(admin.pathname.replace(/^\//, "")) || "postgres";
  if (named === BENCH_DB) {
    throw new Error(`BENCH_POSTGRES_URL names the database ${BENCH_DB} itself; point it at another database on the server (e.g. /postgres): the runner drops and recreates ${BENCH_DB}.`);
  }
  const benchUrl = new URL(serverUrl);
  benchUrl.pathname = `/${BENCH_DB}`;
  let pgModule;
  async function withAdmin(fn) {
    pgModule ??= (await import("pg")).default;
    const client = new pgModule.Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }
  const drop = (c) => c.query(`DROP DATABASE IF EXISTS "${BENCH_DB}" WITH (FORCE)`);
  return {
    kind: "postgres",
    version: () => withAdmin(async (c) => `PostgreSQL ${(await c.query("SHOW server_version")).rows[0].server_version}`),
    async prepare() {
      await withAdmin(async (c) => {
        await drop(c);
        await c.query(`CREATE DATABASE "${BENCH_DB}"`);
      });
      const url = benchUrl.toString();
      migrateAndSeed(url);
      return url;
    },
    async cleanup() {
      if (!keep) await withAdmin(drop);
      else console.log(`(BENCH_KEEP_DB=1: database ${BENCH_DB} kept)`);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Running one bench

const RESULT_PREFIX = "BENCH_RESULT ";

/** Infers a unit from a metric's name when the bench gives a bare number. */
function unitOf(key) {
  if (/Ms$/.test(key)) return "ms";
  if (/Sec(onds)?$/.test(key) && !/PerSec$/.test(key)) return "s";
  if (/MiB$/.test(key)) return "MiB";
  if (/Bytes$/.test(key)) return "bytes";
  if (/PerSec$/.test(key)) return "/s";
  return "";
}

function addMetrics(into, metrics, source) {
  if (!metrics || typeof metrics !== "object") throw new Error(`${source}: "metrics" must be an object`);
  for (const [key, m] of Object.entries(metrics)) {
    const entry = typeof m === "number" ? { value: m, unit: unitOf(key) } : m && typeof m === "object" ? { value: m.value, unit: m.unit ?? unitOf(key) } : null;
    if (!entry || typeof entry.value !== "number" || !Number.isFinite(entry.value)) {
      throw new Error(`${source}: metric ${key} is not a finite number (${JSON.stringify(m)})`);
    }
    into[key] = entry;
  }
}

function runBench(bench, target, url) {
  return new Promise((resolve) => {
    const started = performance.now();
    // `node --import tsx` rather than the tsx CLI: one process, so the bench's own
    // process.resourceUsage().maxRSS is the peak of the benchmark and nothing else.
    const child = spawn(process.execPath, ["--import", tsxLoader, bench.file], {
      cwd: root,
      env: { ...baseEnv, DATABASE_URL: url, BENCH_DATABASE: target.kind, BENCH_NAME: bench.name },
      stdio: ["ignore", "pipe", "inherit"],
    });
    currentChild = child;
    const metrics = {};
    const info = {};
    const problems = [];
    let buffered = "";
    const onLine = (line) => {
      if (!line.startsWith(RESULT_PREFIX)) {
        if (line.trim()) console.log(`    ${line}`);
        return;
      }
      try {
        const parsed = JSON.parse(line.slice(RESULT_PREFIX.length));
        addMetrics(metrics, parsed.metrics, bench.name);
        if (parsed.info && typeof parsed.info === "object") Object.assign(info, parsed.info);
      } catch (e) {
        problems.push(`unreadable BENCH_RESULT line: ${e.message}`);
      }
    };
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk) => {
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        onLine(buffered.slice(0, nl).replace(/\r$/, ""));
        buffered = buffered.slice(nl + 1);
      }
    });
    const timer = setTimeout(() => {
      problems.push(`timed out after ${TIMEOUT_MS / 1000} s (BENCH_TIMEOUT_MS)`);
      child.kill("SIGKILL");
    }, TIMEOUT_MS);
    child.on("close", (code, signal) => {
      currentChild = null;
      clearTimeout(timer);
      if (buffered) onLine(buffered);
      if (code !== 0) problems.push(`exited with ${code ?? signal}`);
      if (Object.keys(metrics).length === 0) problems.push("reported no BENCH_RESULT metrics");
      resolve({ metrics, info, problems, wallMs: performance.now() - started });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Output

function formatValue(v) {
  if (Number.isInteger(v)) return v.toLocaleString("en-US");
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 1 : abs >= 1 ? 2 : 3;
  return v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function printTable(rows) {
  const header = ["bench", "database", "metric", "value", "unit"];
  const cells = rows.map((r) => [r.name, r.database, r.metric, formatValue(r.value), r.unit]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => c.map((s, i) => (i === 3 ? s.padStart(widths[i]) : s.padEnd(widths[i]))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  let previous = "";
  for (const c of cells) {
    const group = `${c[0]}/${c[1]}`;
    if (previous && group !== previous) console.log("");
    previous = group;
    console.log(line(c));
  }
}

// ---------------------------------------------------------------------------------------------
// Main

const isPostgresUrl = (u) => /^postgres(ql)?:\/\//.test(u ?? "");
const postgresServer = process.env.BENCH_POSTGRES_URL || (isPostgresUrl(process.env.DATABASE_URL) ? process.env.DATABASE_URL : "");
// BENCH_VARIANT=<label> files this run's results apart (<bench>.<database>.<label>.json), e.g. a
// run with REDIS_URL set next to the default one.
const variant = process.env.BENCH_VARIANT ? `.${process.env.BENCH_VARIANT.replace(/[^a-z0-9-]/gi, "")}` : "";
// BENCH_DATABASES=sqlite or =postgres runs one engine only (default: every engine available).
const only = (process.env.BENCH_DATABASES ?? "").split(",").map((s) => s.trim()).filter(Boolean);
const wanted = (kind) => only.length === 0 || only.includes(kind);
const targets = wanted("sqlite") ? [sqliteTarget()] : [];
if (postgresServer && wanted("postgres")) {
  try {
    targets.push(postgresTarget(postgresServer));
  } catch (e) {
    console.error(`✗ ${e.message}`);
    process.exit(1);
  }
}

console.log(`Benchmarks: ${benches.map((b) => b.name).join(", ")}`);
console.log(`Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}${commit ? `, commit ${commit}` : ""}`);
if (!postgresServer) console.log("(neither BENCH_POSTGRES_URL nor DATABASE_URL names a PostgreSQL server: PostgreSQL runs are skipped)");

fs.mkdirSync(resultsDir, { recursive: true });
const rows = [];
const failures = [];
for (const target of targets) {
  let databaseVersion;
  try {
    databaseVersion = await target.version();
  } catch (e) {
    failures.push(`${target.kind}: cannot reach the database server: ${e.message}`);
    console.error(`✗ ${target.kind}: ${e.message}`);
    continue;
  }
  for (const bench of benches) {
    console.log(`\n▶ ${bench.name} on ${target.kind} (${databaseVersion})`);
    let url;
    const setupStarted = performance.now();
    try {
      url = await target.prepare(bench);
    } catch (e) {
      failures.push(`${bench.name}/${target.kind}: database setup failed`);
      console.error(`✗ database setup failed: ${e.message}`);
      continue;
    }
    const setupMs = performance.now() - setupStarted;
    // Other work on the machine skews every number: the load at the start goes into the results.
    const loadAvg1m = Math.round(os.loadavg()[0] * 100) / 100;
    if (loadAvg1m > machine.cores) console.log(`    (load average ${loadAvg1m} on ${machine.cores} cores: expect noisy numbers)`);
    const run = await runBench(bench, target, url);
    if (run.problems.length) {
      failures.push(`${bench.name}/${target.kind}: ${run.problems.join("; ")}`);
      console.error(`✗ ${bench.name} on ${target.kind}: ${run.problems.join("; ")} — no results written`);
      continue;
    }
    const result = {
      name: bench.name,
      database: target.kind,
      ...(variant ? { variant: variant.slice(1) } : {}),
      databaseVersion,
      date: new Date().toISOString(),
      node: machine.node,
      cpu: machine.cpu,
      cores: machine.cores,
      memoryGiB: machine.memoryGiB,
      platform: machine.platform,
      commit,
      setupMs: Math.round(setupMs),
      wallMs: Math.round(run.wallMs),
      loadAvg1m,
      ...(Object.keys(run.info).length ? { info: run.info } : {}),
      metrics: run.metrics,
    };
    const out = path.join(resultsDir, `${bench.name}.${target.kind}${variant}.json`);
    fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`✓ ${bench.name} on ${target.kind} in ${(run.wallMs / 1000).toFixed(1)} s (setup ${(setupMs / 1000).toFixed(1)} s) → ${path.relative(root, out)}`);
    for (const [metric, m] of Object.entries(run.metrics)) rows.push({ name: bench.name, database: `${target.kind}${variant}`, metric, value: m.value, unit: m.unit });
  }
  try {
    await target.cleanup();
  } catch (e) {
    console.error(`(cleanup of ${target.kind} failed: ${e.message})`);
  }
}

console.log("");
if (rows.length) printTable(rows);

// The flat numbers, per bench and database: this run's, over those of earlier runs kept in the file.
if (rows.length) {
  const summaryFile = path.join(resultsDir, "summary.json");
  let summary = {};
  try {
    summary = JSON.parse(fs.readFileSync(summaryFile, "utf8"));
  } catch {
    summary = {};
  }
  summary.benches ??= {};
  const ran = {};
  for (const r of rows) {
    ran[r.name] ??= {};
    ran[r.name][r.database] ??= {};
    ran[r.name][r.database][r.metric] = r.value;
  }
  for (const [name, perDb] of Object.entries(ran)) {
    summary.benches[name] ??= {};
    for (const [database, metrics] of Object.entries(perDb)) {
      const file = JSON.parse(fs.readFileSync(path.join(resultsDir, `${name}.${database}.json`), "utf8"));
      summary.benches[name][database] = { date: file.date, commit: file.commit, loadAvg1m: file.loadAvg1m, ...metrics };
    }
  }
  fs.writeFileSync(summaryFile, `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`\n${JSON.stringify(ran, null, 2)}`);
  console.log(`→ ${path.relative(root, summaryFile)}`);
}
if (failures.length) {
  console.error(`\n✗ ${failures.length} failed:\n${failures.map((f) => `  - ${f}`).join("\n")}`);
  process.exit(1);
}
