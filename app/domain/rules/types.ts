// Access rules, one small file each (after Moodle's quiz access rules): a blocking rule answers
// "may this person start now?" with a refusal code or null. Time comes in through the context.
import type { Role } from "../roles";

export interface StartContext {
  now: Date;
  user: { id: string; role: Role; group: string | null };
  round: { opensAt: Date; closesAt: Date; maxAttempts: number; eligibleGroups: readonly string[] };
  /** Attempts of this user in this round, any status. */
  attempts: readonly { status: string }[];
}

export type RefusalCode = "ROUND_NOT_OPEN" | "NO_ATTEMPTS_LEFT" | "NOT_ELIGIBLE";

export interface BlockingRule {
  name: string;
  check(ctx: StartContext): RefusalCode | null;
}
