// `npm run serve` (and the end of `npm start`): serves the production build, in one process or, with
// WEB_CONCURRENCY=N (or "auto": one per core), in N worker processes sharing the port (node:cluster;
// the primary hands out connections and restarts a worker that dies). No build, no migration here:
// `npm start` does those first. Several processes need PostgreSQL: rate limits, captcha replays and
// the sweep are then shared through it (or Redis), and caches are short-lived (see README,
// Production). SQLite is served by one process (its connection and counters are the process's own).
import cluster from "node:cluster";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadEnv, isPostgres } from "./lib.mjs";

loadEnv();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const server = path.join(root, "server.mjs");

function workers() {
  const raw = (process.env.WEB_CONCURRENCY ?? "1").trim().toLowerCase();
  const n = raw === "auto" ? (os.availableParallelism?.() ?? os.cpus().length) : Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`✗ WEB_CONCURRENCY must be a whole number ≥ 1 or "auto" (got "${process.env.WEB_CONCURRENCY}")`);
    process.exit(1);
  }
  return n;
}

const n = workers();
if (n === 1) {
  await import(server);
} else if (!isPostgres(process.env.DATABASE_URL)) {
  console.error(
    `✗ WEB_CONCURRENCY=${process.env.WEB_CONCURRENCY} needs PostgreSQL: with SQLite one process serves the contest ` +
      "(one connection to the file, counters in its memory). Set DATABASE_URL=postgresql://… or WEB_CONCURRENCY=1.",
  );
  process.exit(1);
} else {
  cluster.setupPrimary({ exec: server });
  let stopping = false;
  const started = new Map(); // worker id → start time
  const fork = (k) => {
    const w = cluster.fork({ WORKER_LABEL: `worker ${k} of ${n}` });
    started.set(w.id, { k, at: Date.now() });
  };
  for (let k = 1; k <= n; k++) fork(k);
  cluster.on("exit", (w, code, signal) => {
    const info = started.get(w.id);
    started.delete(w.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    // A worker that dies is replaced; one that dies within 5 s of starting waits a little first,
    // so a broken build or database does not make a fork loop.
    const quick = info && Date.now() - info.at < 5_000;
    console.error(`[serve] worker ${info?.k ?? "?"} (pid ${w.process.pid}) exited with ${code ?? signal}; starting another${quick ? " in 2 s" : ""}`);
    setTimeout(() => fork(info?.k ?? 0), quick ? 2_000 : 0);
  });
  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGTERM");
    setTimeout(() => process.exit(0), 15_000).unref();
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
