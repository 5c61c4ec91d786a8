// Standings: one row per contestant and round, kept current as attempts close or are voided.
// Live leaderboards read the top of an index; the final order (with prediction closeness, known
// only after the round closes) is computed once per change and cached.
import { maskName } from "~/domain/names";
import { communeBoard, type CommuneRow, type CommuneTally } from "~/domain/participation";
import { bestAttempt, compareAttempts, type RankedAttempt } from "~/domain/ranking";
import { parseTieBreak, roundStatus, type TieBreak } from "~/domain/rounds";
import { db, type Db } from "~/utils/db.server";
import { sql, statement, toDateOrNull, type Queries, type Statement } from "~/utils/sql.server";
import { NotFoundError } from "./question-bank.server";

type Tx = Pick<Db, "attempt" | "standing" | "user">;

/** The live order: score, then time taken, then submission time (the prediction is not known yet). */
const LIVE_TIE_BREAK: TieBreak[] = ["duration", "submittedAt"];

type ClosedAttempt = { id: string; correctCount: number | null; questionCount: number; durationMs: number | null; closedAt: Date | null; prediction: number | null };

/** The standing row of a contestant from their closed, non-voided attempts (null: none count). */
function standingOf(attempts: readonly ClosedAttempt[], user: { communeCode: string | null; group: string | null }) {
  const ranked = attempts.map((a) => ({
    id: a.id,
    correctCount: a.correctCount ?? 0,
    questionCount: a.questionCount,
    durationMs: a.durationMs ?? 0,
    closedAt: a.closedAt ?? new Date(0),
    prediction: a.prediction,
  }));
  const best = bestAttempt(ranked, LIVE_TIE_BREAK, null);
  if (!best) return null;
  return {
    attemptId: best.id,
    communeCode: user.communeCode ?? "",
    group: user.group ?? "",
    correctCount: best.correctCount,
    questionCount: best.questionCount,
    durationMs: best.durationMs,
    closedAt: best.closedAt,
    prediction: best.prediction,
    attemptCount: ranked.length,
  };
}

/** Recomputes one contestant's standing from their closed, non-voided attempts. */
export async function refreshStanding(tx: Tx, roundId: string, userId: string): Promise<void> {
  const attempts = await tx.attempt.findMany({
    where: { roundId, userId, status: { in: ["submitted", "expired"] } },
    select: { id: true, correctCount: true, questionCount: true, durationMs: true, closedAt: true, prediction: true },
  });
  const user = attempts.length ? await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { communeCode: true, group: true } }) : null;
  const row = user && standingOf(attempts, user);
  if (!row) {
    await tx.standing.deleteMany({ where: { roundId, userId } });
    bumpVersion(roundId);
    return;
  }
  await tx.standing.upsert({ where: { roundId_userId: { roundId, userId } }, create: { roundId, userId, ...row }, update: row });
  bumpVersion(roundId);
}

/** Exported for the query-plan test (tests/integration/query-plans.test.ts). */
export const standingStatements = {
  closed: statement(
    "standing_closed_attempts",
    `SELECT "id", "correctCount", "questionCount", "durationMs", "closedAt", "prediction" FROM "Attempt"
      WHERE "roundId" = $1 AND "userId" = $2 AND "status" IN ('submitted', 'expired')`,
  ),
  user: statement("standing_user", `SELECT "communeCode", "group" FROM "User" WHERE "id" = $1`),
  remove: statement("standing_delete", `DELETE FROM "Standing" WHERE "roundId" = $1 AND "userId" = $2`),
  removeRound: statement("standings_delete_round", `DELETE FROM "Standing" WHERE "roundId" = $1`),
  upsert: statement(
    "standing_upsert",
    `INSERT INTO "Standing" ("roundId", "userId", "attemptId", "communeCode", "group", "correctCount", "questionCount", "durationMs", "closedAt", "prediction", "attemptCount", "updatedAt")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT ("roundId", "userId") DO UPDATE SET "attemptId" = EXCLUDED."attemptId", "communeCode" = EXCLUDED."communeCode", "group" = EXCLUDED."group",
       "correctCount" = EXCLUDED."correctCount", "questionCount" = EXCLUDED."questionCount", "durationMs" = EXCLUDED."durationMs", "closedAt" = EXCLUDED."closedAt",
       "prediction" = EXCLUDED."prediction", "attemptCount" = EXCLUDED."attemptCount", "updatedAt" = EXCLUDED."updatedAt"`,
  ),
};
const S = standingStatements;

const STANDING_COLUMNS = `"roundId", "userId", "attemptId", "communeCode", "group", "correctCount", "questionCount", "durationMs", "closedAt", "prediction", "attemptCount", "updatedAt"`;
const INSERT_ROWS = 500; // 12 parameters a row: 6,000 per statement, under both engines' limits
const insertStatements = new Map<number, Statement>();
/** INSERT of `n` standings in one statement (one compiled statement per row count). */
function insertStandings(n: number): Statement {
  let st = insertStatements.get(n);
  if (!st) {
    const values = Array.from({ length: n }, (_, r) => `(${Array.from({ length: 12 }, (_, c) => `$${r * 12 + c + 1}`).join(", ")})`).join(", ");
    st = statement(`standings_insert_${n}`, `INSERT INTO "Standing" (${STANDING_COLUMNS}) VALUES ${values}`);
    insertStatements.set(n, st);
  }
  return st;
}

/**
 * The same as `refreshStanding`, in a direct-SQL transaction (closing an attempt, the hot path).
 * The caller calls `standingsChanged(roundId)` once the transaction has committed.
 */
export async function refreshStandingSql(tx: Queries, roundId: string, userId: string, now: Date): Promise<void> {
  const attempts = (await tx.rows<ClosedAttempt & { closedAt: unknown }>(S.closed, [roundId, userId])).map((a) => ({ ...a, closedAt: toDateOrNull(a.closedAt) }));
  const user = attempts.length ? await tx.row<{ communeCode: string | null; group: string | null }>(S.user, [userId]) : undefined;
  const row = user && standingOf(attempts, user);
  if (!row) {
    await tx.run(S.remove, [roundId, userId]);
    return;
  }
  await tx.run(S.upsert, [
    roundId,
    userId,
    row.attemptId,
    row.communeCode,
    row.group,
    row.correctCount,
    row.questionCount,
    row.durationMs,
    row.closedAt,
    row.prediction,
    row.attemptCount,
    now,
  ]);
}

// ---------- caching ----------

const TTL_MS = 2_000;
const cache = new Map<string, { at: number; value: unknown }>();
const inFlight = new Map<string, Promise<unknown>>();
const versions = new Map<string, number>();

/** Changes in this process invalidate at once; other processes see them within the TTL. */
function bumpVersion(roundId: string) {
  versions.set(roundId, (versions.get(roundId) ?? 0) + 1);
}

/** A round's standings changed (an attempt closed): this process's cached boards are stale. */
export const standingsChanged = bumpVersion;

/**
 * A short-lived cache with one computation per miss: concurrent requests that miss share the
 * same promise instead of each recomputing (a commune table over a million attempts takes seconds
 * of the only thread on SQLite).
 */
async function cached<T>(key: string, roundId: string, now: number, compute: () => Promise<T>, ttlMs = TTL_MS): Promise<T> {
  const k = `${key}|v${versions.get(roundId) ?? 0}`;
  const hit = cache.get(k);
  if (hit && now - hit.at < ttlMs) return hit.value as T;
  const running = inFlight.get(k);
  if (running) return running as Promise<T>;
  const p = compute()
    .then((value) => {
      cache.set(k, { at: Date.now(), value });
      if (cache.size > 5_000) for (const old of [...cache.keys()].slice(0, 1_000)) cache.delete(old);
      return value;
    })
    .finally(() => inFlight.delete(k));
  inFlight.set(k, p);
  return p;
}

// ---------- individual leaderboard ----------

export interface LeaderboardFilter {
  commune?: string;
  group?: string;
  limit?: number;
}

export interface LeaderboardEntry {
  rank: number;
  displayName: string;
  communeCode: string;
  correctCount: number;
  questionCount: number;
  durationMs: number;
}

type StandingRow = { userId: string; attemptId: string; communeCode: string; group: string; correctCount: number; questionCount: number; durationMs: number; closedAt: Date; prediction: number | null };

const toRanked = (s: StandingRow): RankedAttempt & { userId: string } => ({
  id: s.attemptId,
  userId: s.userId,
  correctCount: s.correctCount,
  questionCount: s.questionCount,
  durationMs: s.durationMs,
  closedAt: s.closedAt,
  prediction: s.prediction,
});

/** Competition ranks (1, 2, 2, 4): rows equal on every criterion share a rank. */
function withRanks<T extends RankedAttempt>(sorted: readonly T[], tieBreak: readonly TieBreak[], actual: number | null): (T & { rank: number })[] {
  const out: (T & { rank: number })[] = [];
  sorted.forEach((row, i) => {
    const rank = i > 0 && compareAttempts(sorted[i - 1], row, tieBreak, actual) === 0 ? out[i - 1].rank : i + 1;
    out.push({ ...row, rank });
  });
  return out;
}

async function roundInfo(roundId: string, now: Date) {
  const r = await cached(`round|${roundId}`, roundId, now.getTime(), () =>
    db().round.findUnique({ where: { id: roundId }, select: { opensAt: true, closesAt: true, publishedAt: true, tieBreak: true, questionCount: true } }),
  );
  if (!r) throw new NotFoundError(`round ${roundId}`);
  const status = roundStatus(r, now);
  return { ...r, status, final: status === "closed" || status === "published", tieBreak: parseTieBreak(r.tieBreak) };
}

/** Number of contestants whose counting attempt is all correct: the prediction question's answer. */
export async function actualAllCorrect(roundId: string): Promise<number> {
  const rows = await db().standing.findMany({ where: { roundId }, select: { correctCount: true, questionCount: true } });
  return rows.filter((r) => r.correctCount === r.questionCount && r.questionCount > 0).length;
}

/** The final order of a closed round: every standing, sorted by score and the round's tie-breaks. */
async function finalOrder(roundId: string, tieBreak: TieBreak[], now: number) {
  return cached(`final|${roundId}`, roundId, now, async () => {
    const rows = (await db().standing.findMany({ where: { roundId } })).map((s) => ({ ...toRanked(s), communeCode: s.communeCode, group: s.group }));
    const actual = rows.filter((r) => r.correctCount === r.questionCount && r.questionCount > 0).length;
    rows.sort((a, b) => compareAttempts(a, b, tieBreak, actual));
    return { actual, rows: withRanks(rows, tieBreak, actual) };
  });
}

const ORDER_LIVE = [{ correctCount: "desc" as const }, { durationMs: "asc" as const }, { closedAt: "asc" as const }, { userId: "asc" as const }];

/**
 * The public leaderboard: masked names and commune only. Live while the round runs (score, then
 * time), final once it has closed (score, then the round's tie-break order).
 */
export async function leaderboard(roundId: string, f: LeaderboardFilter, now: Date): Promise<{ final: boolean; entries: LeaderboardEntry[] }> {
  const round = await roundInfo(roundId, now);
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 500);
  const where = { roundId, ...(f.commune ? { communeCode: f.commune } : {}), ...(f.group ? { group: f.group } : {}) };
  const names = async (ids: string[]) => new Map((await db().user.findMany({ where: { id: { in: ids } }, select: { id: true, fullName: true } })).map((u) => [u.id, maskName(u.fullName)]));
  return cached(`board|${roundId}|${f.commune ?? ""}|${f.group ?? ""}|${limit}|${round.final}`, roundId, now.getTime(), async () => {
    let ranked: (RankedAttempt & { userId: string; communeCode: string; rank: number })[];
    if (round.final) {
      const { rows } = await finalOrder(roundId, round.tieBreak, now.getTime());
      const filtered = rows.filter((r) => (!f.commune || r.communeCode === f.commune) && (!f.group || r.group === f.group)).slice(0, limit);
      // Within a filter, ranks are re-counted among the filtered rows.
      ranked = f.commune || f.group ? withRanks(filtered, round.tieBreak, null) : filtered;
    } else {
      const rows = await db().standing.findMany({ where, orderBy: ORDER_LIVE, take: limit });
      ranked = withRanks(rows.map((s) => ({ ...toRanked(s), communeCode: s.communeCode })), LIVE_TIE_BREAK, null);
    }
    const nameOf = await names(ranked.map((r) => r.userId));
    return {
      final: round.final,
      entries: ranked.map((r) => ({
        rank: r.rank,
        displayName: nameOf.get(r.userId) ?? "",
        communeCode: r.communeCode,
        correctCount: r.correctCount,
        questionCount: r.questionCount,
        durationMs: r.durationMs,
      })),
    };
  });
}

/** A signed-in contestant's own place, even outside the top N (null when they have no standing). */
export async function ownRank(roundId: string, userId: string, f: LeaderboardFilter, now: Date): Promise<(LeaderboardEntry & { of: number }) | null> {
  const round = await roundInfo(roundId, now);
  const mine = await db().standing.findUnique({ where: { roundId_userId: { roundId, userId } } });
  if (!mine || (f.commune && mine.communeCode !== f.commune) || (f.group && mine.group !== f.group)) return null;
  const user = await db().user.findUniqueOrThrow({ where: { id: userId }, select: { fullName: true } });
  const base = { displayName: maskName(user.fullName), communeCode: mine.communeCode, correctCount: mine.correctCount, questionCount: mine.questionCount, durationMs: mine.durationMs };
  const scope = { roundId, ...(f.commune ? { communeCode: f.commune } : {}), ...(f.group ? { group: f.group } : {}) };
  if (round.final) {
    const { rows, actual } = await finalOrder(roundId, round.tieBreak, now.getTime());
    const inScope = rows.filter((r) => (!f.commune || r.communeCode === f.commune) && (!f.group || r.group === f.group));
    const me = toRanked(mine);
    const better = inScope.filter((r) => compareAttempts(r, me, round.tieBreak, actual) < 0).length;
    return { ...base, rank: better + 1, of: inScope.length };
  }
  const [better, of] = await Promise.all([
    db().standing.count({
      where: {
        ...scope,
        OR: [
          { correctCount: { gt: mine.correctCount } },
          { correctCount: mine.correctCount, durationMs: { lt: mine.durationMs } },
          { correctCount: mine.correctCount, durationMs: mine.durationMs, closedAt: { lt: mine.closedAt } },
        ],
      },
    }),
    db().standing.count({ where: scope }),
  ]);
  return { ...base, rank: better + 1, of };
}

// ---------- communes ----------

/** Participation tables change slowly and cost a scan: 10 seconds is fresh enough. */
const COMMUNE_TTL_MS = 10_000;

async function communesWithPopulation() {
  return db().commune.findMany({ select: { code: true, name: true, type: true, population: true }, orderBy: { sortOrder: "asc" } });
}

function talliesFrom(rows: { communeCode: string; _count: { _all: number }; _sum: { attemptCount: number | null; correctCount: number | null } }[], allCorrect: Map<string, number>): CommuneTally[] {
  return rows.map((r) => ({
    communeCode: r.communeCode,
    participants: r._count._all,
    attempts: r._sum.attemptCount ?? 0,
    correctSum: r._sum.correctCount ?? 0,
    allCorrect: allCorrect.get(r.communeCode) ?? 0,
  }));
}

/** Participation and results of every commune in one round (communes with nobody included). */
export async function communeStandings(roundId: string, now: Date): Promise<(CommuneRow & { name: string; type: string })[]> {
  const round = await roundInfo(roundId, now);
  return cached(`communes|${roundId}`, roundId, now.getTime(), async () => {
    const [groups, full, communes] = await Promise.all([
      db().standing.groupBy({ by: ["communeCode"], where: { roundId }, _count: { _all: true }, _sum: { attemptCount: true, correctCount: true } }),
      db().standing.groupBy({ by: ["communeCode"], where: { roundId, correctCount: round.questionCount }, _count: { _all: true } }),
      communesWithPopulation(),
    ]);
    const rows = communeBoard(talliesFrom(groups, new Map(full.map((g) => [g.communeCode, g._count._all]))), communes);
    const info = new Map(communes.map((c) => [c.code, c]));
    return rows.map((r) => ({ ...r, name: info.get(r.communeCode)?.name ?? r.communeCode, type: info.get(r.communeCode)?.type ?? "" }));
  }, COMMUNE_TTL_MS);
}

/** The same over the whole contest: distinct participants across its rounds. */
export async function contestCommuneStandings(contestId: string, now: Date) {
  const rounds = await db().round.findMany({ where: { contestId }, select: { id: true, questionCount: true } });
  const ids = rounds.map((r) => r.id);
  return cached(`contest-communes|${contestId}`, contestId, now.getTime(), async () => {
    const rows = await db().standing.findMany({ where: { roundId: { in: ids } }, select: { userId: true, communeCode: true, attemptCount: true, correctCount: true, questionCount: true } });
    const byCommune = new Map<string, { users: Set<string>; attempts: number; correctSum: number; entries: number; allCorrect: number }>();
    for (const r of rows) {
      const t = byCommune.get(r.communeCode) ?? { users: new Set(), attempts: 0, correctSum: 0, entries: 0, allCorrect: 0 };
      t.users.add(r.userId);
      t.attempts += r.attemptCount;
      t.correctSum += r.correctCount;
      t.entries += 1;
      if (r.correctCount === r.questionCount) t.allCorrect += 1;
      byCommune.set(r.communeCode, t);
    }
    const communes = await communesWithPopulation();
    // Average correct and all-correct share are per round entry; participants are distinct people.
    const tallies: CommuneTally[] = [...byCommune.entries()].map(([code, t]) => ({ communeCode: code, participants: t.users.size, attempts: t.attempts, correctSum: t.correctSum, allCorrect: t.allCorrect }));
    const board = communeBoard(tallies, communes).map((row) => {
      const t = byCommune.get(row.communeCode);
      if (!t) return row;
      return { ...row, averageCorrect: Math.round((t.correctSum / t.entries) * 100) / 100, allCorrectShare: Math.round((t.allCorrect / t.entries) * 100) / 100 };
    });
    const info = new Map(communes.map((c) => [c.code, c]));
    return board.map((r) => ({ ...r, name: info.get(r.communeCode)?.name ?? r.communeCode, type: info.get(r.communeCode)?.type ?? "" }));
  }, COMMUNE_TTL_MS);
}


/**
 * Rebuilds a round's standings from its attempts in one pass (after an upgrade, or to verify the
 * incremental ones): attempts are read in pages by id, the best per contestant kept in memory.
 */
export async function rebuildStandings(roundId: string, pageSize = 20_000): Promise<number> {
  const best = new Map<string, RankedAttempt & { attempts: number }>();
  let cursor: string | undefined;
  for (;;) {
    const page = await db().attempt.findMany({
      where: { roundId, status: { in: ["submitted", "expired"] } },
      select: { id: true, userId: true, correctCount: true, questionCount: true, durationMs: true, closedAt: true, prediction: true },
      orderBy: { id: "asc" },
      take: pageSize,
      ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
    });
    if (page.length === 0) break;
    for (const a of page) {
      const r = { id: a.id, correctCount: a.correctCount ?? 0, questionCount: a.questionCount, durationMs: a.durationMs ?? 0, closedAt: a.closedAt ?? new Date(0), prediction: a.prediction };
      const cur = best.get(a.userId);
      if (!cur) best.set(a.userId, { ...r, attempts: 1 });
      else {
        const winner = bestAttempt([cur, r], LIVE_TIE_BREAK, null)!;
        best.set(a.userId, { ...winner, attempts: cur.attempts + 1 });
      }
    }
    cursor = page[page.length - 1].id;
  }
  const users = new Map<string, { communeCode: string | null; group: string | null }>();
  const ids = [...best.keys()];
  for (let i = 0; i < ids.length; i += 10_000) {
    const rows = await db().user.findMany({ where: { id: { in: ids.slice(i, i + 10_000) } }, select: { id: true, communeCode: true, group: true } });
    for (const u of rows) users.set(u.id, u);
  }
  const rows = [...best.entries()].map(([userId, b]) => ({
    roundId,
    userId,
    attemptId: b.id,
    communeCode: users.get(userId)?.communeCode ?? "",
    group: users.get(userId)?.group ?? "",
    correctCount: b.correctCount,
    questionCount: b.questionCount,
    durationMs: b.durationMs,
    closedAt: b.closedAt,
    prediction: b.prediction,
    attemptCount: b.attempts,
  }));
  // Multi-row INSERTs in one transaction: Prisma's createMany wrote ~1,500 rows/s here (27 s for
  // 40,000 standings), these ~30,000 rows/s.
  const now = new Date();
  await sql().transaction(async (tx) => {
    await tx.run(S.removeRound, [roundId]);
    for (let i = 0; i < rows.length; i += INSERT_ROWS) {
      const chunk = rows.slice(i, i + INSERT_ROWS);
      await tx.run(
        insertStandings(chunk.length),
        chunk.flatMap((r) => [r.roundId, r.userId, r.attemptId, r.communeCode, r.group, r.correctCount, r.questionCount, r.durationMs, r.closedAt, r.prediction, r.attemptCount, now]),
      );
    }
  });
  bumpVersion(roundId);
  return rows.length;
}

/** Rounds whose attempts predate the standings table get theirs built once (idempotent). */
export async function backfillStandings(): Promise<number> {
  const rounds = await db().round.findMany({ select: { id: true } });
  let built = 0;
  for (const r of rounds) {
    const [closed, standings] = await Promise.all([
      db().attempt.count({ where: { roundId: r.id, status: { in: ["submitted", "expired"] } } }),
      db().standing.count({ where: { roundId: r.id } }),
    ]);
    if (closed > 0 && standings === 0) built += await rebuildStandings(r.id);
  }
  return built;
}
