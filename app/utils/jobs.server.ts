// Periodic work of a server process: close overdue attempts, then run the flagging rules on newly
// closed ones. Every process of a deployment runs it (node:cluster workers, several machines).
// Correct however many run at once: closing is a conditional update (an attempt two sweeps race
// for closes once, and its standing is written by the one that closed it), and a flag is unique
// per attempt and rule. On PostgreSQL the processes also take turns (an advisory lock), so they do
// not all read the same overdue attempts every interval; a process that dies releases the lock
// with its connection.
import { expireOverdueAttempts } from "~/models/attempt.server";
import { checkPendingFlags } from "~/models/flag.server";
import { pgPool } from "./db.server";
import { env } from "./env.server";

/** SWEEP_INTERVAL_MS (default 15 s). */
export const SWEEP_INTERVAL_MS = (() => {
  const n = Number(process.env.SWEEP_INTERVAL_MS ?? 15_000);
  return Number.isFinite(n) && n >= 100 ? n : 15_000;
})();

/** The advisory lock key of the sweep (any constant; "cchc" in ASCII). */
const SWEEP_LOCK = 0x63636863;

const g = globalThis as unknown as { __jobs?: NodeJS.Timeout; __sweeping?: boolean };

/** One sweep. Resolves to false when another process holds the PostgreSQL lock (nothing done). */
export async function sweep(now: Date): Promise<boolean> {
  const work = async () => {
    await expireOverdueAttempts(now);
    await checkPendingFlags(now);
  };
  if (!env().isPostgres) {
    await work();
    return true;
  }
  // A transaction-scoped lock, held by a transaction left open for the sweep's duration (the work
  // runs on other connections): released at COMMIT, or when the connection dies; safe behind
  // PgBouncer in transaction mode, unlike a session lock.
  const client = await pgPool().connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_xact_lock($1) AS locked", [SWEEP_LOCK]);
    if (rows[0]?.locked) await work();
    return rows[0]?.locked === true;
  } finally {
    await client.query("COMMIT").catch(() => {});
    client.release();
  }
}

export function startBackgroundJobs() {
  if (g.__jobs || process.env.DISABLE_BACKGROUND_JOBS === "true") return;
  g.__jobs = setInterval(() => {
    // One sweep at a time per process; a slow one is not stacked on.
    if (g.__sweeping) return;
    g.__sweeping = true;
    sweep(new Date())
      .catch((e) => console.error("[sweep]", e instanceof Error ? e.message : e))
      .finally(() => (g.__sweeping = false));
  }, SWEEP_INTERVAL_MS);
  g.__jobs.unref();
}
