import type { BlockingRule } from "./types";

/** A round may be for some groups only (e.g. officials). */
export const eligibleGroup: BlockingRule = {
  name: "eligible-group",
  check: ({ user, round }) => (user.group !== null && round.eligibleGroups.includes(user.group) ? null : "NOT_ELIGIBLE"),
};
