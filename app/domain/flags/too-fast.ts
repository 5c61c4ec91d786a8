import type { FlagRule } from "./types";

/**
 * Faster than a person reads: a low average time per ANSWERED question, or all correct in very
 * little time. Someone who answers two questions and gives up is slow, not fast.
 */
export const tooFast: FlagRule = {
  name: "too-fast",
  defaults: { minSecondsPerQuestion: 3, allCorrectMinSeconds: 60 },
  evaluate({ attempt, answers }, s) {
    if (answers.length === 0) return null;
    const perQuestion = attempt.durationMs / 1000 / answers.length;
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
