// The blocking rules checked before an attempt starts, in order; the first refusal wins.
// A new rule is one file, one entry here, one test.
import { attemptsLeft } from "./attempts-left";
import { eligibleGroup } from "./eligible-group";
import { roundOpen } from "./round-open";
import { staffMayNotCompete } from "./staff-may-not-compete";
import type { BlockingRule, RefusalCode, StartContext } from "./types";

export const START_RULES: readonly BlockingRule[] = [staffMayNotCompete, roundOpen, eligibleGroup, attemptsLeft];

export function checkStart(ctx: StartContext, rules = START_RULES): { code: RefusalCode; rule: string } | null {
  for (const rule of rules) {
    const code = rule.check(ctx);
    if (code) return { code, rule: rule.name };
  }
  return null;
}

export type { BlockingRule, RefusalCode, StartContext } from "./types";
