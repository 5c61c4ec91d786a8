// The flagging rules, in one list. A new check is one file, one entry here, one test.
import { focusLost } from "./focus-lost";
import { identity } from "./identity";
import { impossibleTimeline } from "./impossible-timeline";
import { sameAnswers } from "./same-answers";
import { sharedDevice } from "./shared-device";
import { tooFast } from "./too-fast";
import type { FlagContext, FlagRule, RaisedFlag, Settings } from "./types";

export const FLAG_RULES: readonly FlagRule[] = [tooFast, focusLost, sharedDevice, sameAnswers, identity, impossibleTimeline];

export const FLAG_RULE_NAMES = FLAG_RULES.map((r) => r.name);

/**
 * The attempts a closed attempt is compared with (its peers): those of the same round started
 * within PEER_WINDOW_MS of it, or on the same device; the newest PEER_LIMIT of them.
 */
export const PEER_WINDOW_MS = 60 * 60_000;
export const PEER_LIMIT = 200;

/** A round's overrides: {rule: {enabled?: 0|1|boolean, threshold: number}}. */
export type RoundFlagSettings = Record<string, Record<string, number | boolean>>;

/** Defaults merged with the round's overrides; unknown keys and non-numbers are ignored. */
export function effectiveSettings(rule: FlagRule, overrides: RoundFlagSettings): { enabled: boolean; settings: Settings } {
  const o = overrides[rule.name] ?? {};
  const settings: Settings = { ...rule.defaults };
  for (const k of Object.keys(rule.defaults)) {
    const v = o[k];
    if (typeof v === "number" && Number.isFinite(v) && v >= 0) settings[k] = v;
  }
  return { enabled: o.enabled !== false && o.enabled !== 0, settings };
}

export function evaluateFlags(ctx: FlagContext, overrides: RoundFlagSettings = {}, rules = FLAG_RULES): { rule: string; flag: RaisedFlag }[] {
  const out: { rule: string; flag: RaisedFlag }[] = [];
  for (const rule of rules) {
    const { enabled, settings } = effectiveSettings(rule, overrides);
    if (!enabled) continue;
    const flag = rule.evaluate(ctx, settings);
    if (flag) out.push({ rule: rule.name, flag });
  }
  return out;
}

export type { FlagContext, FlagRule, PeerEvidence, RaisedFlag, Severity } from "./types";
