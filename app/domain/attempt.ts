// The attempt's life, on the server's clock only. Times are passed in; nothing here reads a clock.
//
//   in_progress ──submit──▶ submitted ──void──▶ voided
//        │                      ▲ (clear keeps it)
//        └──deadline passed──▶ expired ──void──▶ voided
export const ATTEMPT_STATUSES = ["in_progress", "submitted", "expired", "voided"] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

/** Network grace: an answer sent just before the deadline may arrive a moment after it. */
export const GRACE_MS = 5_000;

/** The prediction is a head count: a whole number, bounded so it fits every integer column. */
export const MAX_PREDICTION = 100_000_000;

export type AttemptEvent = "submit" | "expire" | "void";

const TRANSITIONS: Record<AttemptStatus, Partial<Record<AttemptEvent, AttemptStatus>>> = {
  in_progress: { submit: "submitted", expire: "expired" },
  submitted: { void: "voided" },
  expired: { void: "voided" },
  voided: {},
};

export function transition(from: AttemptStatus, event: AttemptEvent): AttemptStatus | null {
  return TRANSITIONS[from][event] ?? null;
}

/** startedAt + duration, cut at the round's close. */
export function deadlineFor(startedAt: Date, durationSeconds: number, roundClosesAt: Date): Date {
  return new Date(Math.min(startedAt.getTime() + durationSeconds * 1000, roundClosesAt.getTime()));
}

export interface AttemptClock {
  status: string;
  startedAt: Date;
  deadlineAt: Date;
}

/** May the server still accept an answer (or a submission) for this attempt at `now`? */
export function isOpen(a: AttemptClock, now: Date, graceMs = GRACE_MS): boolean {
  return a.status === "in_progress" && now.getTime() <= a.deadlineAt.getTime() + graceMs;
}

/** An attempt still marked in progress whose deadline and grace have passed: the server closes it. */
export function isOverdue(a: AttemptClock, now: Date, graceMs = GRACE_MS): boolean {
  return a.status === "in_progress" && now.getTime() > a.deadlineAt.getTime() + graceMs;
}

/** Time taken: to the submission, never beyond the deadline (the grace is the network's, not the contestant's). */
export function durationMs(a: { startedAt: Date; deadlineAt: Date }, closedAt: Date): number {
  return Math.max(0, Math.min(closedAt.getTime(), a.deadlineAt.getTime()) - a.startedAt.getTime());
}

/** Seconds left on the server's clock, never negative. */
export function secondsLeft(a: { deadlineAt: Date }, now: Date): number {
  return Math.max(0, Math.ceil((a.deadlineAt.getTime() - now.getTime()) / 1000));
}

/** One drawn question: its id and its options' ids in the order this contestant sees them, joined by commas. */
export interface DrawnQuestion {
  questionId: string;
  optionOrder: string;
}

/**
 * An attempt's draw as stored (AttemptDraw.questions): JSON, `[[questionId, optionOrder], …]` in the
 * order shown. One row per attempt instead of one per question: a start writes one row, not 20.
 */
export function encodeDraw(drawn: readonly DrawnQuestion[]): string {
  return JSON.stringify(drawn.map((d) => [d.questionId, d.optionOrder]));
}

/** The stored draw back; anything that is not a list of [id, order] pairs of strings reads as no question. */
export function decodeDraw(stored: string | null | undefined): DrawnQuestion[] {
  if (!stored) return [];
  let v: unknown;
  try {
    v = JSON.parse(stored);
  } catch {
    return [];
  }
  if (!Array.isArray(v)) return [];
  const out: DrawnQuestion[] = [];
  for (const pair of v) {
    if (!Array.isArray(pair) || typeof pair[0] !== "string" || typeof pair[1] !== "string") return [];
    out.push({ questionId: pair[0], optionOrder: pair[1] });
  }
  return out;
}

/**
 * Whether `optionId` is one of the ids of a drawn question's option order (ids joined by commas):
 * `order.split(",").includes(optionId)` without the array, as every answer save asks it (an id
 * never holds a comma).
 */
export function optionOrderHas(order: string, optionId: string): boolean {
  return !optionId.includes(",") && `,${order},`.includes(`,${optionId},`);
}
