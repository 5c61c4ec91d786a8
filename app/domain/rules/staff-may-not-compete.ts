import { mayCompete } from "../roles";
import type { BlockingRule } from "./types";

/** Organizers, judges, commune officers and administrators may not compete. */
export const staffMayNotCompete: BlockingRule = {
  name: "staff-may-not-compete",
  check: ({ user }) => (mayCompete(user.role) ? null : "NOT_ELIGIBLE"),
};
