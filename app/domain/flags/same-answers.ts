import type { FlagRule } from "./types";

/**
 * Two accounts answering the same questions the same way, started close together and taking about
 * the same time: one script or one person driving both. Draws differ, so only the questions both
 * attempts had are compared, and only when there are enough of them.
 */
export const sameAnswers: FlagRule = {
  name: "same-answers",
  defaults: { minCommonQuestions: 10, minSameShare: 0.95, maxStartGapMinutes: 10, maxDurationGapShare: 0.1 },
  evaluate({ attempt, answers, peers }, s) {
    const mine = new Map(answers.map((a) => [a.questionId, a.optionId]));
    const twins: { id: string; common: number; same: number }[] = [];
    for (const p of peers) {
      if (p.userId === attempt.userId) continue;
      if (Math.abs(p.startedAt.getTime() - attempt.startedAt.getTime()) > s.maxStartGapMinutes * 60_000) continue;
      const longer = Math.max(p.durationMs, attempt.durationMs, 1);
      if (Math.abs(p.durationMs - attempt.durationMs) / longer > s.maxDurationGapShare) continue;
      let common = 0;
      let same = 0;
      for (const [q, o] of mine) {
        const theirs = p.choices.get(q);
        if (theirs === undefined) continue;
        common++;
        if (theirs === o) same++;
      }
      if (common >= s.minCommonQuestions && same / common >= s.minSameShare) twins.push({ id: p.id, common, same });
    }
    if (twins.length === 0) return null;
    return { severity: twins.length > 1 ? "high" : "medium", detail: { matches: twins.length, examples: twins.slice(0, 5) }, alsoAttempts: twins.map((t) => t.id) };
  },
};
