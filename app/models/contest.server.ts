import { roundStatus, type RoundStatus } from "~/domain/rounds";
import { db } from "~/utils/db.server";

export interface PublicRound {
  id: string;
  name: string;
  opensAt: string;
  closesAt: string;
  durationSeconds: number;
  questionCount: number;
  maxAttempts: number;
  prediction: boolean;
  status: RoundStatus;
}

export interface PublicContest {
  id: string;
  title: string;
  description: string;
  rounds: PublicRound[];
}

/** Contests and their rounds as anyone may see them (GET /api/v1/contests, the home page). */
export async function listPublicContests(now: Date): Promise<PublicContest[]> {
  const contests = await db().contest.findMany({
    orderBy: { createdAt: "desc" },
    include: { rounds: { orderBy: { opensAt: "asc" } } },
  });
  return contests.map((c) => ({
    id: c.id,
    title: c.title,
    description: c.description,
    rounds: c.rounds.map((r) => ({
      id: r.id,
      name: r.name,
      opensAt: r.opensAt.toISOString(),
      closesAt: r.closesAt.toISOString(),
      durationSeconds: r.durationSeconds,
      questionCount: r.questionCount,
      maxAttempts: r.maxAttempts,
      prediction: r.prediction,
      status: roundStatus(r, now),
    })),
  }));
}

/** Every contest, newest first (id and title), for the judges' home. */
export async function listContests(): Promise<{ id: string; title: string }[]> {
  return db().contest.findMany({ orderBy: { createdAt: "desc" }, select: { id: true, title: true } });
}
