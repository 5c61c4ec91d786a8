import type { FlagRule } from "./types";

/**
 * Answers no person could have given: saved before the attempt started, a burst of answers faster
 * than a question can be read, or answers from two addresses at once: going BACK to an address
 * within seconds (A → B → A). Moving from Wi-Fi to 4G, or on to an office network, is normal.
 * A burst right after the page came back online is the answer queue sending what was chosen
 * offline; since the browser reports "online" itself, only the first `maxFlushAnswers` of such a
 * burst are excused, so a faked event cannot hide a whole scripted attempt.
 */
export const impossibleTimeline: FlagRule = {
  name: "impossible-timeline",
  defaults: { minGapMs: 700, maxFastGaps: 3, ipSwitchSeconds: 10, maxIpSwitches: 0, flushWindowSeconds: 10, maxFlushAnswers: 8 },
  evaluate({ attempt, answers, events }, s) {
    const sorted = [...answers].sort((a, b) => a.savedAt.getTime() - b.savedAt.getTime());
    const beforeStart = sorted.filter((a) => a.savedAt < attempt.startedAt).length;
    const onlineAt = events.filter((e) => e.type === "online").map((e) => e.receivedAt.getTime());
    const afterReconnect = (t: number) => onlineAt.some((o) => t >= o && t - o <= s.flushWindowSeconds * 1000);
    let fastGaps = 0;
    let ipSwitches = 0;
    let flushing = false;
    let flushed = 0;
    const seen = new Set<string>(sorted[0]?.ip ? [sorted[0].ip] : []);
    for (let i = 1; i < sorted.length; i++) {
      const gap = sorted[i].savedAt.getTime() - sorted[i - 1].savedAt.getTime();
      if (gap < s.minGapMs) {
        // A run of fast answers that began just after a reconnect is one queue flush.
        if (!flushing && afterReconnect(sorted[i - 1].savedAt.getTime())) {
          flushing = true;
          flushed = 0;
        }
        if (flushing && flushed < s.maxFlushAnswers) flushed++;
        else fastGaps++;
      } else flushing = false;
      const [a, b] = [sorted[i - 1].ip, sorted[i].ip];
      // A return to an address already used, within seconds of the other one: two places at once.
      if (a && b && a !== b && seen.has(b) && gap < s.ipSwitchSeconds * 1000) ipSwitches++;
      if (b) seen.add(b);
    }
    const detail = { beforeStart, fastGaps, ipSwitches, ips: [...new Set(sorted.map((a) => a.ip).filter(Boolean))].slice(0, 5) };
    if (beforeStart > 0 || ipSwitches > s.maxIpSwitches) return { severity: "high", detail };
    if (fastGaps >= s.maxFastGaps) return { severity: "medium", detail };
    return null;
  },
};
