// Ordering attempts: score first, then the round's tie-break order. Used to pick a contestant's
// counting attempt and, later, for leaderboards and the judges' final ranking.
import type { TieBreak } from "./rounds";

export interface RankedAttempt {
  id: string;
  correctCount: number;
  questionCount: number;
  durationMs: number;
  closedAt: Date;
  prediction: number | null;
}

/** |prediction − actual|; no prediction (or no actual yet) sorts after every prediction. */
export function predictionError(prediction: number | null, actualAllCorrect: number | null): number | null {
  if (prediction === null || actualAllCorrect === null) return null;
  return Math.abs(prediction - actualAllCorrect);
}

/**
 * Negative when `a` ranks before `b`. `actualAllCorrect` is null while the round runs: prediction
 * closeness is unknown then and is skipped. Returns 0 for a true tie (the caller must not break it
 * silently).
 */
export function compareAttempts(a: RankedAttempt, b: RankedAttempt, tieBreak: readonly TieBreak[], actualAllCorrect: number | null): number {
  if (a.correctCount !== b.correctCount) return b.correctCount - a.correctCount;
  for (const rule of tieBreak) {
    if (rule === "prediction") {
      if (actualAllCorrect === null) continue;
      const ea = predictionError(a.prediction, actualAllCorrect);
      const eb = predictionError(b.prediction, actualAllCorrect);
      if (ea !== eb) {
        if (ea === null) return 1;
        if (eb === null) return -1;
        return ea - eb;
      }
    } else if (rule === "duration") {
      if (a.durationMs !== b.durationMs) return a.durationMs - b.durationMs;
    } else if (rule === "submittedAt") {
      const d = a.closedAt.getTime() - b.closedAt.getTime();
      if (d !== 0) return d;
    }
  }
  return 0;
}

/** A contestant's counting attempt under the "best" policy (ties: the earlier attempt). */
export function bestAttempt<T extends RankedAttempt>(attempts: readonly T[], tieBreak: readonly TieBreak[], actualAllCorrect: number | null): T | null {
  let best: T | null = null;
  for (const a of attempts) {
    if (!best) best = a;
    else {
      const c = compareAttempts(a, best, tieBreak, actualAllCorrect);
      if (c < 0 || (c === 0 && a.closedAt < best.closedAt)) best = a;
    }
  }
  return best;
}
