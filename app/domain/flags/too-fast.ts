import type { FlagRule } from "./types";

/** Faster than a person reads: a low average time per question, or all correct in very little time. */
export const tooFast: FlagRule = {
  name: "too-fast",
  defaults: { minSecondsPerQuestion: 3, allCorrectMinSeconds: 60 },
  evaluate({ attempt }, s) {
    const perQuestion = attempt.durationMs / 1000 / Math.max(1, attempt.questionCount);
    const allCorrect = attempt.correctCount === attempt.questionCount && attempt.questionCount > 0;
    const seconds = attempt.durationMs / 1000;
    if (perQuestion < s.minSecondsPerQuestion) {
      return { severity: allCorrect ? "high" : "medium", detail: { secondsPerQuestion: round1(perQuestion), seconds: round1(seconds), allCorrect } };
    }
    if (allCorrect && seconds < s.allCorrectMinSeconds) {
      return { severity: "medium", detail: { secondsPerQuestion: round1(perQuestion), seconds: round1(seconds), allCorrect } };
    }
    return null;
  },
};

const round1 = (n: number) => Math.round(n * 10) / 10;
