// Periodic work of a server process. The sweep is safe to run in every process at once: closing an
// attempt is a conditional update, so each overdue attempt is closed exactly once.
import { expireOverdueAttempts } from "~/models/attempt.server";

export const SWEEP_INTERVAL_MS = 15_000;

const g = globalThis as unknown as { __jobs?: NodeJS.Timeout };

export function startBackgroundJobs() {
  if (g.__jobs || process.env.DISABLE_BACKGROUND_JOBS === "true") return;
  g.__jobs = setInterval(() => {
    expireOverdueAttempts(new Date()).catch((e) => console.error("[sweep]", e instanceof Error ? e.message : e));
  }, SWEEP_INTERVAL_MS);
  g.__jobs.unref();
}
