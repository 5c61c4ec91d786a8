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

/**
 * Whether `optionId` is one of the ids of a drawn question's option order (ids joined by commas, as
 * stored in AttemptQuestion.optionOrder): `order.split(",").includes(optionId)` without the array,
 * as every answer save asks it (an id never holds a comma).
 */
export function optionOrderHas(order: string, optionId: string): boolean {
  return !optionId.includes(",") && `,${order},`.includes(`,${optionId},`);
}
