import type { FlagRule } from "./types";

/**
 * Answers no person could have given: saved before the attempt started, a burst of answers faster
 * than a question can be read, or answers coming from two addresses at once.
 */
export const impossibleTimeline: FlagRule = {
  name: "impossible-timeline",
  defaults: { minGapMs: 700, maxFastGaps: 3, ipSwitchSeconds: 10 },
  evaluate({ attempt, answers }, s) {
    const sorted = [...answers].sort((a, b) => a.savedAt.getTime() - b.savedAt.getTime());
    const beforeStart = sorted.filter((a) => a.savedAt < attempt.startedAt).length;
    let fastGaps = 0;
    let ipSwitches = 0;
    for (let i = 1; i < sorted.length; i++) {
      const gap = sorted[i].savedAt.getTime() - sorted[i - 1].savedAt.getTime();
      if (gap < s.minGapMs) fastGaps++;
      const [a, b] = [sorted[i - 1].ip, sorted[i].ip];
      if (a && b && a !== b && gap < s.ipSwitchSeconds * 1000) ipSwitches++;
    }
    const detail = { beforeStart, fastGaps, ipSwitches, ips: [...new Set(sorted.map((a) => a.ip).filter(Boolean))].slice(0, 5) };
    if (beforeStart > 0 || ipSwitches > 0) return { severity: "high", detail };
    if (fastGaps >= s.maxFastGaps) return { severity: "medium", detail };
    return null;
  },
};
