// What the contestant's round page needs, in one place (no personal data of anyone else).
import { isOpen } from "~/domain/attempt";
import { bestAttempt, type RankedAttempt } from "~/domain/ranking";
import { parseTieBreak, roundStatus } from "~/domain/rounds";
import { db } from "~/utils/db.server";
import { listOwnAttempts } from "./attempt.server";
import { NotFoundError } from "./question-bank.server";

export async function roundForContestant(roundId: string, userId: string | null, now: Date) {
  const r = await db().round.findUnique({ where: { id: roundId }, include: { contest: { select: { title: true } } } });
  if (!r) throw new NotFoundError(`round ${roundId}`);
  const attempts = userId ? await listOwnAttempts(userId, roundId) : [];
  const tieBreak = parseTieBreak(r.tieBreak);
  const ranked: (RankedAttempt & { id: string })[] = attempts
    .filter((a) => a.status === "submitted" || a.status === "expired")
    .map((a) => ({ id: a.attemptId, correctCount: a.correctCount, questionCount: a.questionCount, durationMs: a.durationMs, closedAt: new Date(a.submittedAt ?? 0), prediction: a.prediction }));
  const counting = bestAttempt(ranked, tieBreak, null);
  const live = attempts.find((a) => a.status === "in_progress" && isOpen({ status: a.status, startedAt: new Date(a.startedAt), deadlineAt: new Date(a.deadlineAt) }, now));
  return {
    round: {
      id: r.id,
      name: r.name,
      description: r.description,
      contestTitle: r.contest.title,
      opensAt: r.opensAt.toISOString(),
      closesAt: r.closesAt.toISOString(),
      durationSeconds: r.durationSeconds,
      questionCount: r.questionCount,
      maxAttempts: r.maxAttempts,
      prediction: r.prediction,
      tieBreak,
      eligibleGroups: r.eligibleGroups.split(","),
      status: roundStatus(r, now),
    },
    attempts: attempts.map((a) => ({ ...a, counting: a.attemptId === counting?.id })),
    liveAttemptId: live?.attemptId ?? null,
  };
}
