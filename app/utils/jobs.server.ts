// Periodic work of a server process: close overdue attempts, then run the flagging rules on newly
// closed ones. Safe in every process at once: closing is a conditional update, and a flag is
// unique per attempt and rule.
import { expireOverdueAttempts } from "~/models/attempt.server";
import { checkPendingFlags } from "~/models/flag.server";

export const SWEEP_INTERVAL_MS = 15_000;

const g = globalThis as unknown as { __jobs?: NodeJS.Timeout; __sweeping?: boolean };

export function startBackgroundJobs() {
  if (g.__jobs || process.env.DISABLE_BACKGROUND_JOBS === "true") return;
  g.__jobs = setInterval(() => {
    // One sweep at a time per process; a slow one is not stacked on.
    if (g.__sweeping) return;
    g.__sweeping = true;
    const now = new Date();
    expireOverdueAttempts(now)
      .then(() => checkPendingFlags(now))
      .catch((e) => console.error("[sweep]", e instanceof Error ? e.message : e))
      .finally(() => (g.__sweeping = false));
  }, SWEEP_INTERVAL_MS);
  g.__jobs.unref();
}
