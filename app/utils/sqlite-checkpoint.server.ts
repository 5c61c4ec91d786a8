// SQLite's WAL checkpoints on a thread of their own.
//
// With SQLite's automatic checkpoint (every 1,000 pages of WAL), the commit that crosses the mark
// copies the WAL into the database file and syncs both before it returns: 15–100 ms on this
// machine's disk, on the server's only thread. Measured on a copy of the bench's database, batches
// of 30 answer saves: 93 of 3,000 commits took over 5 ms and together 1.5 s of the 3.9 s; with no
// automatic checkpoint the same writes took 1.9 s. In the server those commits stalled every
// request in flight.
//
// So the process's connection never checkpoints (wal_autocheckpoint=0), and a worker thread with a
// connection of its own runs a PASSIVE checkpoint every second: it copies and syncs while
// the main thread goes on writing (a passive checkpoint takes no lock that a writer needs, and
// never waits). A WAL the checkpoints have wholly copied is started over by the next write; under
// writes that never pause that moment may not come, so once the WAL holds `restartFrames` the main
// thread holds the gate (statements wait; the event loop does not) while the worker copies the
// rest. Durability is unchanged: with synchronous=NORMAL a commit reaches the disk at the
// checkpoint after it, whichever thread runs it.
import type Database from "better-sqlite3";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { Gate } from "./db.server";

export interface CheckpointOptions {
  /** Between two checkpoints (1 s). */
  intervalMs?: number;
  /** WAL frames (pages) past which it is started over (16,384: 64 MiB at SQLite's 4 KiB pages). */
  restartFrames?: number;
  /** The driver the worker loads (better-sqlite3; a test gives a broken one). */
  driver?: string;
}

/** The worker: CommonJS, run with `eval`; `driver` is better-sqlite3's resolved path. */
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
const checkpoint = () => {
  try {
    const [r] = db.pragma("wal_checkpoint(PASSIVE)");
    return { busy: r.busy, log: r.log, checkpointed: r.checkpointed };
  } catch (e) {
    return { error: String((e && e.message) || e) };
  }
};
const timer = setInterval(() => parentPort.postMessage(checkpoint()), workerData.intervalMs);
parentPort.on("message", (m) => {
  if (m === "now") parentPort.postMessage({ ...checkpoint(), now: true });
  else if (m === "stop") {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
`;

const RESTART_TIMEOUT_MS = 10_000;

export interface CheckpointResult {
  busy?: number;
  /** Frames in the WAL. */
  log?: number;
  /** Of those, copied into the database file. */
  checkpointed?: number;
  error?: string;
  now?: boolean;
}

export interface Checkpointer {
  /** The latest checkpoint's result (for tests and diagnostics). */
  last: CheckpointResult | null;
  /** A checkpoint now, while the gate is held: afterwards the next write starts the WAL over. */
  restart(): Promise<CheckpointResult>;
  stop(): Promise<void>;
}

/**
 * Takes over the checkpoints of `conn` (a file in WAL mode; anything else is left as it is).
 * Stops by itself when `conn` closes. If the worker fails, the connection checkpoints itself again.
 */
export function startCheckpointer(conn: Database.Database, gate: Gate, options: CheckpointOptions = {}): Checkpointer | null {
  if (conn.memory || String(conn.pragma("journal_mode", { simple: true })).toLowerCase() !== "wal") return null;
  const restartFrames = options.restartFrames ?? 16_384;
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { driver: options.driver ?? createRequire(import.meta.url).resolve("better-sqlite3"), file: conn.name, intervalMs: options.intervalMs ?? 1000 },
  });
  worker.unref();
  conn.pragma("wal_autocheckpoint = 0");
  // When the WAL is started over, its file is cut back to this size: the disk it takes stays bounded.
  conn.pragma(`journal_size_limit = ${restartFrames * 4096}`);

  let stopped = false;
  let restarting = false;
  const waiting: ((r: CheckpointResult) => void)[] = [];
  const self: Checkpointer = {
    last: null,
    async restart() {
      await gate.enter();
      try {
        if (stopped || !conn.open) return { error: "stopped" };
        // Never holds the gate for good: a worker that does not answer is given up.
        let timer: NodeJS.Timeout | undefined;
        const answer = new Promise<CheckpointResult>((resolve) => {
          waiting.push(resolve);
          worker.postMessage("now");
        });
        const silence = new Promise<CheckpointResult>((resolve) => {
          timer = setTimeout(() => resolve({ error: `no answer in ${RESTART_TIMEOUT_MS / 1000} s` }), RESTART_TIMEOUT_MS);
        });
        const r = await Promise.race([answer, silence]);
        clearTimeout(timer);
        if (r.error && !r.now) fallBack(r.error);
        return r;
      } finally {
        gate.leave();
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(watch);
      worker.ref(); // the process waits for it: its connection is closed when this resolves
      worker.postMessage("stop");
      await new Promise((r) => worker.once("exit", r));
    },
  };
  const fallBack = (why: string) => {
    if (stopped) return;
    stopped = true;
    clearInterval(watch);
    console.error(`[sqlite] checkpoint worker: ${why.split("\n")[0]}; the connection checkpoints itself again`);
    if (conn.open) conn.pragma("wal_autocheckpoint = 1000");
    for (const w of waiting.splice(0)) w({ error: why });
    void worker.terminate();
  };
  worker.on("message", (r: CheckpointResult) => {
    self.last = r;
    if (r.now) waiting.shift()?.(r);
    if (r.error && !/SQLITE_BUSY|database is locked/i.test(r.error)) return fallBack(r.error);
    if (!r.now && !restarting && (r.log ?? 0) >= restartFrames) {
      restarting = true;
      void self.restart().finally(() => (restarting = false));
    }
  });
  worker.on("error", (e) => fallBack(e.message));
  worker.on("exit", (code) => {
    if (!stopped) fallBack(`exited with ${code}`);
  });
  // The connection closed (a disconnect, the end of a test): the worker goes with it.
  const watch = setInterval(() => {
    if (!conn.open) void self.stop();
  }, 1000);
  watch.unref();
  return self;
}
