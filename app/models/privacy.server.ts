// Data retention: after a contest (and its complaint windows) is over, the personal data of the
// contestants who won nothing is anonymised. Attempts, answers, standings and published results
// stay (with the user ids they refer to), so statistics, rankings and `ranking:verify` still work;
// what goes is what identifies a person: CCCD, phone, e-mail, birth date, workplace, addresses and
// devices, the password (and sessions). The full name becomes its public masked form ("Nguyễn V.
// A."), exactly what the leaderboards already show. Winners (anyone holding an Award row) are kept
// whole: accounting rules need their records.
import { maskName } from "~/domain/names";
import { purgeRefusals } from "~/domain/retention";
import { contestKey } from "~/models/award.server";
import { audit } from "~/models/audit.server";
import { db } from "~/utils/db.server";

/** Not a scrypt hash: verifyPassword() refuses every password against it. */
export const PURGED_PASSWORD = "!purged";
const CHUNK = 400;

export interface PurgeReport {
  refusals: string[];
  participants: number;
  winners: number; // participants kept because they hold a prize
  activeLater: number; // kept: registered or took an attempt on or after the cut-off
  alreadyAnonymised: number;
  anonymised: number; // done now (or, in a dry run, that would be)
}

const chunks = <T>(items: T[], n = CHUNK) => Array.from({ length: Math.ceil(items.length / n) }, (_, i) => items.slice(i * n, (i + 1) * n));

export async function purgeContestPersonalData(opts: { contestId: string; before: Date; now: Date; dryRun?: boolean; actorId?: string | null }): Promise<PurgeReport> {
  const { contestId, before, now } = opts;
  const report: PurgeReport = { refusals: [], participants: 0, winners: 0, activeLater: 0, alreadyAnonymised: 0, anonymised: 0 };
  const contest = await db().contest.findUnique({ where: { id: contestId }, select: { id: true } });
  if (!contest) return { ...report, refusals: ["no contest with that id"] };
  const rounds = await db().round.findMany({ where: { contestId }, select: { id: true, name: true, closesAt: true } });
  const plans = await db().awardPlan.findMany({
    where: { roundId: { in: [...rounds.map((r) => r.id), contestKey(contestId)] } },
    select: { roundId: true, status: true, publishedAt: true, complaintDays: true },
  });
  report.refusals = purgeRefusals({ before, now, rounds, plans });
  if (report.refusals.length) return report;

  const participants = (
    await db().attempt.findMany({ where: { roundId: { in: rounds.map((r) => r.id) } }, select: { userId: true }, distinct: ["userId"] })
  ).map((a) => a.userId);
  report.participants = participants.length;
  // Any prize, in any contest, and replaced ones too (the reason may still be disputed): kept.
  const prized = new Set((await db().award.findMany({ select: { userId: true }, distinct: ["userId"] })).map((a) => a.userId));
  const later = new Set(
    (await db().attempt.findMany({ where: { startedAt: { gte: before } }, select: { userId: true }, distinct: ["userId"] })).map((a) => a.userId),
  );

  const candidates: { id: string; fullName: string }[] = [];
  for (const ids of chunks(participants)) {
    const users = await db().user.findMany({
      where: { id: { in: ids }, role: "contestant" },
      select: { id: true, fullName: true, createdAt: true, nationalId: true, phone: true, email: true, birthDate: true },
    });
    for (const u of users) {
      if (prized.has(u.id)) report.winners++;
      else if (later.has(u.id) || u.createdAt >= before) report.activeLater++;
      else if (!u.nationalId && !u.phone && !u.email && !u.birthDate) report.alreadyAnonymised++;
      else candidates.push(u);
    }
  }
  report.anonymised = candidates.length;
  if (opts.dryRun || candidates.length === 0) return report;

  for (const part of chunks(candidates)) {
    const ids = part.map((u) => u.id);
    await db().$transaction(async (tx) => {
      for (const u of part) {
        await tx.user.update({
          where: { id: u.id },
          data: {
            fullName: maskName(u.fullName) || "—",
            nationalId: null,
            phone: null,
            email: null,
            birthDate: null,
            workplace: null,
            registrationIp: null,
            registrationDevice: null,
            passwordHash: PURGED_PASSWORD,
          },
        });
      }
      await tx.session.deleteMany({ where: { userId: { in: ids } } });
      await tx.attempt.updateMany({ where: { userId: { in: ids } }, data: { ip: null, userAgent: null, deviceId: null } });
      await tx.answer.updateMany({ where: { attempt: { userId: { in: ids } } }, data: { ip: null } });
      await tx.attemptEvent.updateMany({ where: { attempt: { userId: { in: ids } } }, data: { ip: null } });
    });
  }
  await audit({
    actorId: opts.actorId ?? null,
    action: "privacy.purge",
    entityType: "contest",
    entityId: contestId,
    detail: { before: before.toISOString(), anonymised: report.anonymised, keptWinners: report.winners, keptActive: report.activeLater },
  });
  return report;
}
