import type { FlagRule } from "./types";

/**
 * Answers no person could have given: saved before the attempt started, a burst of answers faster
 * than a question can be read, or answers coming from two addresses at once (back and forth: one
 * move from Wi-Fi to 4G is normal). A burst right after the page came back online is the answer
 * queue sending what was chosen offline, not reading speed.
 */
export const impossibleTimeline: FlagRule = {
  name: "impossible-timeline",
  defaults: { minGapMs: 700, maxFastGaps: 3, ipSwitchSeconds: 10, maxIpSwitches: 1, flushWindowSeconds: 10 },
  evaluate({ attempt, answers, events }, s) {
    const sorted = [...answers].sort((a, b) => a.savedAt.getTime() - b.savedAt.getTime());
    const beforeStart = sorted.filter((a) => a.savedAt < attempt.startedAt).length;
    const onlineAt = events.filter((e) => e.type === "online").map((e) => e.receivedAt.getTime());
    const afterReconnect = (t: number) => onlineAt.some((o) => t >= o && t - o <= s.flushWindowSeconds * 1000);
    let fastGaps = 0;
    let ipSwitches = 0;
    let flushing = false;
    for (let i = 1; i < sorted.length; i++) {
      const gap = sorted[i].savedAt.getTime() - sorted[i - 1].savedAt.getTime();
      if (gap < s.minGapMs) {
        // A run of fast answers that began just after a reconnect is one queue flush.
        flushing = flushing || afterReconnect(sorted[i - 1].savedAt.getTime());
        if (!flushing) fastGaps++;
      } else flushing = false;
      const [a, b] = [sorted[i - 1].ip, sorted[i].ip];
      if (a && b && a !== b && gap < s.ipSwitchSeconds * 1000) ipSwitches++;
    }
    const detail = { beforeStart, fastGaps, ipSwitches, ips: [...new Set(sorted.map((a) => a.ip).filter(Boolean))].slice(0, 5) };
    if (beforeStart > 0 || ipSwitches > s.maxIpSwitches) return { severity: "high", detail };
    if (fastGaps >= s.maxFastGaps) return { severity: "medium", detail };
    return null;
  },
};
