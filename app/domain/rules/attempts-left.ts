import type { BlockingRule } from "./types";

/** At most maxAttempts per contestant and round; voided attempts still count (no retry by cheating). */
export const attemptsLeft: BlockingRule = {
  name: "attempts-left",
  check: ({ round, attempts }) => (attempts.length < round.maxAttempts ? null : "NO_ATTEMPTS_LEFT"),
};
