// Periodic work of a server process: close overdue attempts, then run the flagging rules on newly
// closed ones. Safe in every process at once: closing is a conditional update, and a flag is
// unique per attempt and rule.
import { expireOverdueAttempts } from "~/models/attempt.server";
import { checkPendingFlags } from "~/models/flag.server";

export const SWEEP_INTERVAL_MS = 15_000;

const g = globalThis as unknown as { __jobs?: NodeJS.Timeout };

export function startBackgroundJobs() {
  if (g.__jobs || process.env.DISABLE_BACKGROUND_JOBS === "true") return;
  g.__jobs = setInterval(() => {
    const now = new Date();
    expireOverdueAttempts(now)
      .then(() => checkPendingFlags(now))
      .catch((e) => console.error("[sweep]", e instanceof Error ? e.message : e));
  }, SWEEP_INTERVAL_MS);
  g.__jobs.unref();
}
