// Reports for commune officers and organizers: participation read from attempts and users,
// results read from standings. The only place these queries live; each page and its Excel
// download call the same function, so a table on screen and its file always agree.
//
// Days and hours are the contest's (Asia/Ho_Chi_Minh): Vietnam keeps UTC+7 all year (no daylight
// saving), so a fixed offset in SQL gives the same buckets as the time zone, on both engines.
import ExcelJS from "exceljs";
import { GRACE_MS } from "~/domain/attempt";
import { communeFullName } from "~/domain/communes";
import { maskPhone } from "~/domain/identity";
import { GROUPS } from "~/domain/roles";
import { roundStatus, type RoundStatus } from "~/domain/rounds";
import { vi } from "~/i18n/vi";
import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import type { CellFormat, TableColumn } from "~/components/charts";

const UTC_OFFSET_HOURS = 7;
const CLOSED_STATUSES = ["submitted", "expired"];
const B = vi.boards;

// ---------------------------------------------------------------------------------------------
// Tables: what pages render and workbooks write

export type Cell = string | number | null;
/** How a value is shown (components/charts.tsx): `duration` holds milliseconds, `percent` a fraction (0.25 = 25 %). */
export type { CellFormat };
export type Column = TableColumn;
export interface ReportTable {
  key: string;
  title: string;
  columns: Column[];
  rows: Record<string, Cell>[];
}

const col = (key: string, label: string, format: CellFormat = "int"): Column => ({ key, label, format });

/** Thrown when someone without a commune of their own asks for a commune's report. */
export class NoCommuneError extends Error {
  constructor() {
    super("the account has no commune");
  }
}

// ---------------------------------------------------------------------------------------------
// SQL helpers (portable across SQLite and PostgreSQL)

const isPg = () => env().isPostgres;

function localDay(column: string): string {
  return isPg()
    ? `to_char(${column} + interval '${UTC_OFFSET_HOURS} hours', 'YYYY-MM-DD')`
    : `strftime('%Y-%m-%d', ${column}, '+${UTC_OFFSET_HOURS} hours')`;
}

function localHour(column: string): string {
  return isPg()
    ? `CAST(EXTRACT(HOUR FROM ${column} + interval '${UTC_OFFSET_HOURS} hours') AS INTEGER)`
    : `CAST(strftime('%H', ${column}, '+${UTC_OFFSET_HOURS} hours') AS INTEGER)`;
}

/** Raw SQL with `?` placeholders (rewritten to $1, $2… for PostgreSQL). No `?` inside literals. */
function query<T>(sql: string, ...params: unknown[]): Promise<T[]> {
  let i = 0;
  return db().$queryRawUnsafe<T[]>(isPg() ? sql.replace(/\?/g, () => `$${++i}`) : sql, ...params);
}

/** Counts come back as BigInt from COUNT(*) on both engines. */
const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const round2 = (n: number) => Math.round(n * 100) / 100;

/** An attempt still being answered at `now` (the server's deadline plus the network grace). */
const liveSince = (now: Date) => new Date(now.getTime() - GRACE_MS);

// ---------------------------------------------------------------------------------------------
// Rounds

export interface ReportRound {
  id: string;
  name: string;
  contestId: string;
  contestTitle: string;
  status: RoundStatus;
  questionCount: number;
  opensAt: string;
  closesAt: string;
}

export async function reportRounds(now: Date): Promise<ReportRound[]> {
  const rounds = await db().round.findMany({
    select: { id: true, name: true, contestId: true, opensAt: true, closesAt: true, publishedAt: true, questionCount: true, contest: { select: { title: true } } },
    orderBy: [{ opensAt: "asc" }, { createdAt: "asc" }],
  });
  return rounds.map((r) => ({
    id: r.id,
    name: r.name,
    contestId: r.contestId,
    contestTitle: r.contest.title,
    status: roundStatus(r, now),
    questionCount: r.questionCount,
    opensAt: r.opensAt.toISOString(),
    closesAt: r.closesAt.toISOString(),
  }));
}

/** The requested round; else the open one opened last; else the last that has opened; else the first. */
export function pickRound(rounds: readonly ReportRound[], requested: string | null | undefined): ReportRound | null {
  if (requested) {
    const r = rounds.find((x) => x.id === requested);
    if (r) return r;
  }
  const open = rounds.filter((r) => r.status === "open");
  if (open.length) return open[open.length - 1];
  const started = rounds.filter((r) => r.status !== "upcoming");
  if (started.length) return started[started.length - 1];
  return rounds[0] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Building blocks (a commune code narrows a block to that commune's registered contestants)

/**
 * One commune's rows are reached from its users (index on the commune) to their attempts or
 * standings (index on the user): a few thousand lookups rather than a scan of the whole round.
 * SQLite's planner, without statistics, would start from the round; CROSS JOIN fixes its order.
 */
const forcedJoin = () => (isPg() ? "JOIN" : "CROSS JOIN");

/** FROM … WHERE … over a round's attempts, optionally of one commune's contestants (then with `u`). */
function roundAttempts(roundId: string, communeCode: string | null, withUser = false): { from: string; params: unknown[] } {
  if (communeCode) return { from: `"User" u ${forcedJoin()} "Attempt" a ON a."userId" = u."id" AND a."roundId" = ? WHERE u."communeCode" = ?`, params: [roundId, communeCode] };
  return withUser
    ? { from: `"Attempt" a JOIN "User" u ON u."id" = a."userId" WHERE a."roundId" = ?`, params: [roundId] }
    : { from: `"Attempt" a WHERE a."roundId" = ?`, params: [roundId] };
}

/** The same over a round's standings (`s`), with the contestant as `u` when narrowed to a commune. */
function roundStandings(roundId: string, communeCode: string): { from: string; params: unknown[] } {
  return { from: `"User" u ${forcedJoin()} "Standing" s ON s."roundId" = ? AND s."userId" = u."id" WHERE u."communeCode" = ?`, params: [roundId, communeCode] };
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Attempts started, distinct contestants and attempts finished per contest day (gaps filled with zeros). */
async function perDay(roundId: string, communeCode: string | null): Promise<ReportTable> {
  const { from, params } = roundAttempts(roundId, communeCode);
  const found = await query<{ day: string; attempts: bigint; contestants: bigint; finished: bigint }>(
    `SELECT ${localDay(`a."startedAt"`)} AS "day", COUNT(*) AS "attempts", COUNT(DISTINCT a."userId") AS "contestants",
            SUM(CASE WHEN a."status" IN ('submitted', 'expired') THEN 1 ELSE 0 END) AS "finished"
       FROM ${from}
      GROUP BY 1 ORDER BY 1`,
    ...params,
  );
  const byDay = new Map(found.map((r) => [r.day, r]));
  const rows: ReportTable["rows"] = [];
  if (found.length) {
    const last = found[found.length - 1].day;
    // At most a year of empty days between the first and the last with attempts.
    for (let day = found[0].day, n = 0; day <= last && n < 400; day = nextDay(day), n++) {
      const r = byDay.get(day);
      rows.push({ day, contestants: num(r?.contestants), attempts: num(r?.attempts), finished: num(r?.finished) });
    }
  }
  return {
    key: "days",
    title: B.perDayTitle,
    columns: [col("day", B.day, "text"), col("contestants", B.contestantsPerDay), col("attempts", B.attemptsStarted), col("finished", B.attemptsFinished)],
    rows,
  };
}

/** Attempts started and distinct contestants by hour of the day (all 24 hours). */
async function perHour(roundId: string, communeCode: string | null): Promise<ReportTable> {
  const { from, params } = roundAttempts(roundId, communeCode);
  const found = await query<{ hour: number | bigint; attempts: bigint; contestants: bigint }>(
    `SELECT ${localHour(`a."startedAt"`)} AS "hour", COUNT(*) AS "attempts", COUNT(DISTINCT a."userId") AS "contestants"
       FROM ${from}
      GROUP BY 1`,
    ...params,
  );
  const byHour = new Map(found.map((r) => [num(r.hour), r]));
  return {
    key: "hours",
    title: B.perHourTitle,
    columns: [col("hour", B.hour, "text"), col("attempts", B.attemptsStarted), col("contestants", B.contestantsPerDay)],
    rows: Array.from({ length: 24 }, (_, h) => ({ hour: B.hourLabel(h), attempts: num(byHour.get(h)?.attempts), contestants: num(byHour.get(h)?.contestants) })),
  };
}

interface Tally {
  registered: number;
  participants: number;
  attempts: number;
  inProgress: number;
  finishers: number;
  correctSum: number;
  allCorrect: number;
}
const emptyTally = (): Tally => ({ registered: 0, participants: 0, attempts: 0, inProgress: 0, finishers: 0, correctSum: 0, allCorrect: 0 });
const addTally = (into: Tally, t: Partial<Tally>) => {
  for (const k of Object.keys(t) as (keyof Tally)[]) into[k] += t[k] ?? 0;
};

/** One cell per (commune, group) of the contestants: every contestant is in exactly one, so distinct counts add up. */
type Cell2 = { communeCode: string; group: string } & Tally;
const cellKey = (communeCode: string | null, group: string | null) => `${communeCode ?? ""}|${group ?? ""}`;

/**
 * The slow part (full scans of the round's attempts and standings): registered accounts,
 * participation (attempts, by the contestant's current commune and group) and results (standings,
 * by the commune and group recorded with them, as the leaderboards do). A commune code narrows it
 * to that commune's registered contestants.
 */
async function slowCells(roundId: string, communeCode: string | null): Promise<Map<string, Cell2>> {
  const attempts = roundAttempts(roundId, communeCode, true);
  const [registered, participation, results] = await Promise.all([
    db().user.groupBy({ by: ["communeCode", "group"], where: { role: "contestant", ...(communeCode ? { communeCode } : {}) }, _count: { _all: true } }),
    query<{ c: string | null; g: string | null; participants: bigint; attempts: bigint }>(
      `SELECT u."communeCode" AS "c", u."group" AS "g", COUNT(DISTINCT a."userId") AS "participants", COUNT(*) AS "attempts"
         FROM ${attempts.from}
        GROUP BY u."communeCode", u."group"`,
      ...attempts.params,
    ),
    communeCode
      ? query<{ c: string | null; g: string | null; finishers: bigint; correctSum: bigint; allCorrect: bigint }>(
          `SELECT u."communeCode" AS "c", u."group" AS "g", COUNT(*) AS "finishers", SUM(s."correctCount") AS "correctSum",
                  SUM(CASE WHEN s."correctCount" = s."questionCount" AND s."questionCount" > 0 THEN 1 ELSE 0 END) AS "allCorrect"
             FROM ${roundStandings(roundId, communeCode).from}
            GROUP BY u."communeCode", u."group"`,
          ...roundStandings(roundId, communeCode).params,
        )
      : query<{ c: string | null; g: string | null; finishers: bigint; correctSum: bigint; allCorrect: bigint }>(
          `SELECT "communeCode" AS "c", "group" AS "g", COUNT(*) AS "finishers", SUM("correctCount") AS "correctSum",
                  SUM(CASE WHEN "correctCount" = "questionCount" AND "questionCount" > 0 THEN 1 ELSE 0 END) AS "allCorrect"
             FROM "Standing"
            WHERE "roundId" = ?
            GROUP BY "communeCode", "group"`,
          roundId,
        ),
  ]);
  const out = new Map<string, Cell2>();
  const at = (c: string | null, g: string | null) => {
    const key = cellKey(c, g);
    let cell = out.get(key);
    if (!cell) out.set(key, (cell = { communeCode: c ?? "", group: g ?? "", ...emptyTally() }));
    return cell;
  };
  for (const r of registered) at(r.communeCode, r.group).registered = r._count._all;
  for (const r of participation) addTally(at(r.c, r.g), { participants: num(r.participants), attempts: num(r.attempts) });
  for (const r of results) addTally(at(r.c, r.g), { finishers: num(r.finishers), correctSum: num(r.correctSum), allCorrect: num(r.allCorrect) });
  return out;
}

/** Attempts being answered right now, by the contestant's commune and group (an index range: cheap, never cached). */
async function liveCells(roundId: string, now: Date, communeCode: string | null) {
  const live = communeCode
    ? { from: `${roundAttempts(roundId, communeCode).from} AND a."status" = 'in_progress' AND a."deadlineAt" >= ?`, params: [roundId, communeCode, liveSince(now)] }
    : { from: `"Attempt" a JOIN "User" u ON u."id" = a."userId" WHERE a."status" = 'in_progress' AND a."deadlineAt" >= ? AND a."roundId" = ?`, params: [liveSince(now), roundId] };
  return query<{ c: string | null; g: string | null; n: bigint }>(
    `SELECT u."communeCode" AS "c", u."group" AS "g", COUNT(*) AS "n" FROM ${live.from} GROUP BY u."communeCode", u."group"`,
    ...live.params,
  );
}

// The organizers' tables read every attempt of the round: on SQLite that blocks the server's only
// thread for a while at a million attempts, so they are kept for a short time (one computation
// shared by everyone asking meanwhile). What is happening right now is always read fresh.
const CACHE_TTL_MS = 30_000;
const slowCache = new Map<string, { at: number; value: Promise<unknown> }>();
function shortCached<T>(key: string, now: Date, compute: () => Promise<T>): Promise<T> {
  const hit = slowCache.get(key);
  const t = now.getTime();
  if (hit && t >= hit.at && t - hit.at < CACHE_TTL_MS) return hit.value as Promise<T>;
  const value = compute();
  slowCache.set(key, { at: t, value });
  value.catch(() => slowCache.delete(key));
  for (const k of slowCache.keys()) {
    if (slowCache.size <= 100) break;
    slowCache.delete(k);
  }
  return value;
}

async function cells(roundId: string, now: Date, communeCode: string | null): Promise<Cell2[]> {
  const [slow, live] = await Promise.all([
    communeCode ? slowCells(roundId, communeCode) : shortCached(`cells|${roundId}`, now, () => slowCells(roundId, null)),
    liveCells(roundId, now, communeCode),
  ]);
  const out = new Map([...slow].map(([k, v]) => [k, { ...v }]));
  for (const r of live) {
    const key = cellKey(r.c, r.g);
    const cell = out.get(key) ?? { communeCode: r.c ?? "", group: r.g ?? "", ...emptyTally() };
    cell.inProgress += num(r.n);
    out.set(key, cell);
  }
  return [...out.values()];
}

function tallies(all: Cell2[], by: "communeCode" | "group"): Map<string, Tally> {
  const out = new Map<string, Tally>();
  for (const c of all) {
    const key = c[by];
    const t = out.get(key) ?? emptyTally();
    addTally(t, c);
    out.set(key, t);
  }
  return out;
}

const tallyCells = (t: Tally) => ({
  registered: t.registered,
  participants: t.participants,
  attempts: t.attempts,
  inProgress: t.inProgress,
  finishers: t.finishers,
  averageCorrect: t.finishers ? round2(t.correctSum / t.finishers) : null,
  allCorrect: t.allCorrect,
});

const tallyColumns = () => [
  col("registered", B.registered),
  col("participants", B.participants),
  col("attempts", B.attempts),
  col("inProgress", B.inProgress),
  col("finishers", B.finishers),
  col("averageCorrect", B.averageCorrect, "decimal"),
  col("allCorrect", B.allCorrect),
];

function perGroup(all: Cell2[]): ReportTable {
  const t = tallies(all, "group");
  const known = new Set<string>(GROUPS);
  const other = emptyTally();
  for (const [k, v] of t) if (!known.has(k)) addTally(other, v);
  const rows: ReportTable["rows"] = GROUPS.map((g) => ({ group: vi.groups[g] as string, ...tallyCells(t.get(g) ?? emptyTally()) }));
  if (Object.values(other).some((v) => v > 0)) rows.push({ group: B.otherGroup, ...tallyCells(other) });
  return { key: "groups", title: B.perGroupTitle, columns: [col("group", B.group, "text"), ...tallyColumns()], rows };
}

const allCommunes = () => db().commune.findMany({ select: { code: true, name: true, type: true, population: true }, orderBy: { sortOrder: "asc" } });

/** Every one of the 135 communes, most participants first (official order among equals). */
function perCommune(all: Cell2[], communes: Awaited<ReturnType<typeof allCommunes>>): ReportTable {
  const t = tallies(all, "communeCode");
  const rows = communes
    .map((c, order) => {
      const tally = t.get(c.code) ?? emptyTally();
      return { order, participants: tally.participants, row: { commune: communeFullName(c), ...tallyCells(tally), per10k: c.population > 0 ? round2((tally.participants * 10_000) / c.population) : null } };
    })
    .sort((a, b) => b.participants - a.participants || a.order - b.order)
    .map((x) => x.row);
  return {
    key: "communes",
    title: B.perCommuneTitle,
    columns: [col("commune", B.commune, "text"), ...tallyColumns(), col("per10k", B.per10k, "decimal")],
    rows,
  };
}

/** How many contestants' counting attempt got 0, 1, … N right, and how many closed attempts did. */
async function distribution(round: ReportRound): Promise<ReportTable> {
  const [best, attempts] = await Promise.all([
    db().standing.groupBy({ by: ["correctCount"], where: { roundId: round.id }, _count: { _all: true } }),
    db().attempt.groupBy({ by: ["correctCount"], where: { roundId: round.id, status: { in: CLOSED_STATUSES } }, _count: { _all: true } }),
  ]);
  const bestOf = new Map(best.map((r) => [r.correctCount, r._count._all]));
  const attemptsOf = new Map(attempts.map((r) => [r.correctCount ?? 0, r._count._all]));
  const total = best.reduce((s, r) => s + r._count._all, 0);
  const top = Math.max(round.questionCount, ...best.map((r) => r.correctCount), ...attempts.map((r) => r.correctCount ?? 0));
  return {
    key: "distribution",
    title: B.distributionTitle,
    columns: [col("correct", B.correctK), col("contestants", B.contestantsBest), col("share", B.share, "percent"), col("attempts", B.attemptsClosed)],
    rows: Array.from({ length: top + 1 }, (_, k) => ({
      correct: k,
      contestants: bestOf.get(k) ?? 0,
      share: total ? (bestOf.get(k) ?? 0) / total : 0,
      attempts: attemptsOf.get(k) ?? 0,
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// The organizers' dashboard

export const DASHBOARD_TABLES = ["days", "hours", "communes", "groups", "distribution"] as const;
export type DashboardTableKey = (typeof DASHBOARD_TABLES)[number];
export const isDashboardTable = (s: string): s is DashboardTableKey => (DASHBOARD_TABLES as readonly string[]).includes(s);

export interface DashboardSummary {
  registered: number;
  participants: number;
  attempts: number;
  finishers: number;
  averageCorrect: number | null;
  allCorrect: number;
  inProgressRound: number;
  inProgressAll: number;
}

function summaryOf(all: Cell2[], inProgressAll: number): DashboardSummary {
  const t = emptyTally();
  for (const c of all) addTally(t, c);
  return {
    registered: t.registered,
    participants: t.participants,
    attempts: t.attempts,
    finishers: t.finishers,
    averageCorrect: t.finishers ? round2(t.correctSum / t.finishers) : null,
    allCorrect: t.allCorrect,
    inProgressRound: t.inProgress,
    inProgressAll,
  };
}

/** One table of the dashboard (what /admin/dashboard/<table>.xlsx writes). */
export async function dashboardTable(round: ReportRound, key: DashboardTableKey, now: Date): Promise<ReportTable> {
  switch (key) {
    case "days":
      return shortCached(`days|${round.id}`, now, () => perDay(round.id, null));
    case "hours":
      return shortCached(`hours|${round.id}`, now, () => perHour(round.id, null));
    case "communes": {
      const [all, communes] = await Promise.all([cells(round.id, now, null), allCommunes()]);
      return perCommune(all, communes);
    }
    case "groups":
      return perGroup(await cells(round.id, now, null));
    case "distribution":
      return shortCached(`distribution|${round.id}`, now, () => distribution(round));
  }
}

export async function dashboard(round: ReportRound, now: Date) {
  const [all, communes, inProgressAll, days, hours, dist] = await Promise.all([
    cells(round.id, now, null),
    allCommunes(),
    db().attempt.count({ where: { status: "in_progress", deadlineAt: { gte: liveSince(now) } } }),
    dashboardTable(round, "days", now),
    dashboardTable(round, "hours", now),
    dashboardTable(round, "distribution", now),
  ]);
  const tables: Record<DashboardTableKey, ReportTable> = { days, hours, communes: perCommune(all, communes), groups: perGroup(all), distribution: dist };
  return { summary: summaryOf(all, inProgressAll), tables };
}

// ---------------------------------------------------------------------------------------------
// The commune officer's view: always the officer's own commune, never one named in a request

export interface Officer {
  role: string;
  communeCode: string | null;
}

async function officerCommune(officer: Officer) {
  if (officer.role !== "commune_officer" || !officer.communeCode) throw new NoCommuneError();
  const c = await db().commune.findUnique({ where: { code: officer.communeCode }, select: { code: true, name: true, type: true, population: true } });
  if (!c) throw new NoCommuneError();
  return { code: c.code, name: communeFullName(c), population: c.population };
}

export interface OfficerContestant {
  fullName: string;
  group: string;
  workplace: string;
  phone: string;
  correctCount: number | null;
  questionCount: number | null;
  durationMs: number | null;
  attempts: number;
  inProgress: boolean;
}

const collator = new Intl.Collator("vi", { sensitivity: "base" });
/** Vietnamese lists go by given name (the last word), then the whole name. */
const givenName = (fullName: string) => fullName.trim().split(/\s+/).pop() ?? "";

/** Every contestant registered in the commune with their result in the round, best first, then by name. */
async function communeContestants(communeCode: string, roundId: string, now: Date): Promise<OfficerContestant[]> {
  const [users, standings, attempts] = await Promise.all([
    db().user.findMany({ where: { role: "contestant", communeCode }, select: { id: true, fullName: true, group: true, workplace: true, phone: true } }),
    query<{ userId: string; correctCount: number | bigint; questionCount: number | bigint; durationMs: number | bigint }>(
      `SELECT s."userId", s."correctCount", s."questionCount", s."durationMs" FROM ${roundStandings(roundId, communeCode).from}`,
      ...roundStandings(roundId, communeCode).params,
    ),
    query<{ userId: string; n: bigint; live: bigint }>(
      `SELECT a."userId", COUNT(*) AS "n", SUM(CASE WHEN a."status" = 'in_progress' AND a."deadlineAt" >= ? THEN 1 ELSE 0 END) AS "live"
         FROM ${roundAttempts(roundId, communeCode).from}
        GROUP BY a."userId"`,
      liveSince(now),
      ...roundAttempts(roundId, communeCode).params,
    ),
  ]);
  const standingOf = new Map(standings.map((s) => [s.userId, s]));
  const attemptsOf = new Map(attempts.map((a) => [a.userId, a]));
  const rows = users.map((u) => {
    const s = standingOf.get(u.id);
    const a = attemptsOf.get(u.id);
    return {
      fullName: u.fullName,
      group: u.group && (GROUPS as readonly string[]).includes(u.group) ? vi.groups[u.group as (typeof GROUPS)[number]] : B.otherGroup,
      workplace: u.workplace ?? "",
      phone: u.phone ? maskPhone(u.phone) : "",
      correctCount: s ? num(s.correctCount) : null,
      questionCount: s ? num(s.questionCount) : null,
      durationMs: s ? num(s.durationMs) : null,
      attempts: num(a?.n),
      inProgress: num(a?.live) > 0,
    };
  });
  const tier = (r: OfficerContestant) => (r.correctCount !== null ? 0 : r.attempts > 0 ? 1 : 2);
  // Sort keys once (a commune may have tens of thousands of contestants).
  const keyed = rows.map((r) => ({ r, tier: tier(r), given: givenName(r.fullName) }));
  keyed.sort(
    (a, b) =>
      a.tier - b.tier ||
      (b.r.correctCount ?? 0) - (a.r.correctCount ?? 0) ||
      (a.r.durationMs ?? 0) - (b.r.durationMs ?? 0) ||
      collator.compare(a.given, b.given) ||
      collator.compare(a.r.fullName, b.r.fullName),
  );
  return keyed.map((k) => k.r);
}

const contestantColumns: Column[] = [
  col("fullName", B.fullName, "text"),
  col("group", B.group, "text"),
  col("workplace", B.workplace, "text"),
  col("phone", B.phone, "text"),
  col("correctCount", B.bestCorrect),
  col("questionCount", B.questionCount),
  col("durationMs", B.duration, "duration"),
  col("attempts", B.attemptCount),
];

export const OFFICER_PAGE_SIZE = 100;

export async function officerView(officer: Officer, opts: { roundId?: string | null; page?: number }, now: Date) {
  const commune = await officerCommune(officer);
  const rounds = await reportRounds(now);
  const round = pickRound(rounds, opts.roundId);
  if (!round) return { commune, rounds, round: null, summary: null, days: null, groups: null, contestants: { total: 0, page: 1, pages: 1, rows: [] as OfficerContestant[] } };
  const [days, groupCells, all] = await Promise.all([perDay(round.id, commune.code), cells(round.id, now, commune.code), communeContestants(commune.code, round.id, now)]);
  const groups = perGroup(groupCells);
  const sum = (k: string) => groups.rows.reduce((s, r) => s + num(r[k]), 0);
  const finishers = all.filter((r) => r.correctCount !== null);
  const participants = sum("participants");
  const pages = Math.max(1, Math.ceil(all.length / OFFICER_PAGE_SIZE));
  const page = Math.min(Math.max(1, opts.page ?? 1), pages);
  return {
    commune,
    rounds,
    round,
    summary: {
      registered: all.length,
      participants,
      attempts: sum("attempts"),
      finishers: finishers.length,
      averageCorrect: finishers.length ? round2(finishers.reduce((s, r) => s + (r.correctCount ?? 0), 0) / finishers.length) : null,
      allCorrect: sum("allCorrect"),
      inProgress: all.filter((r) => r.inProgress).length,
      per10k: commune.population > 0 ? round2((participants * 10_000) / commune.population) : null,
    },
    days,
    groups,
    contestants: { total: all.length, page, pages, rows: all.slice((page - 1) * OFFICER_PAGE_SIZE, page * OFFICER_PAGE_SIZE) },
  };
}

/** The officer's Excel file: every contestant of the commune, then the tables by day and by group. */
export async function officerWorkbook(officer: Officer, roundId: string | null, now: Date): Promise<{ fileName: string; bytes: Buffer }> {
  const commune = await officerCommune(officer);
  const round = pickRound(await reportRounds(now), roundId);
  const title = round ? `${B.officerTitle(commune.name)} · ${round.name}` : B.officerTitle(commune.name);
  if (!round) return { fileName: `${title}.xlsx`, bytes: await writeWorkbook([], title) };
  const [days, groupCells, all] = await Promise.all([perDay(round.id, commune.code), cells(round.id, now, commune.code), communeContestants(commune.code, round.id, now)]);
  const groups = perGroup(groupCells);
  const contestants: ReportTable = {
    key: "contestants",
    title: B.sheetContestants,
    columns: contestantColumns,
    rows: all.map((r) => ({ ...r, inProgress: null, attempts: r.attempts })),
  };
  return { fileName: `${title}.xlsx`, bytes: await writeWorkbook([contestants, days, groups], title) };
}


// ---------------------------------------------------------------------------------------------
// Workbooks

// Characters XML 1.0 cannot carry (a pasted control character would make Excel refuse the file).
// eslint-disable-next-line no-control-regex
const XML_UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const sheetName = (title: string, used: Set<string>) => {
  const base = title.replace(/[[\]:*?/\\]/g, " ").trim().slice(0, 31) || "Sheet";
  let name = base;
  for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base.slice(0, 28)} ${i}`;
  used.add(name.toLowerCase());
  return name;
};

const NUM_FMT: Record<CellFormat, string | undefined> = { text: "@", int: "#,##0", decimal: "0.00", percent: "0.0%", duration: "[m]:ss" };

/** One sheet per table: a bold header row, numbers as numbers, durations as Excel durations. */
export async function writeWorkbook(tables: ReportTable[], title: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "cchc-contest";
  workbook.title = title.replace(XML_UNSAFE, "");
  const used = new Set<string>();
  for (const t of tables) {
    const sheet = workbook.addWorksheet(sheetName(t.title, used), { views: [{ state: "frozen", ySplit: 1 }] });
    sheet.columns = t.columns.map((c) => ({
      header: c.label,
      key: c.key,
      width: c.format === "text" ? Math.min(45, Math.max(14, c.label.length + 2, ...t.rows.slice(0, 500).map((r) => String(r[c.key] ?? "").length + 2))) : Math.max(12, c.label.length + 2),
      style: { numFmt: NUM_FMT[c.format] },
    }));
    const header = sheet.getRow(1);
    header.font = { bold: true, color: { argb: "FFFFFFFF" } };
    header.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FF1F5F99" } };
    header.alignment = { wrapText: true, vertical: "middle", horizontal: "center" };
    header.height = 32;
    for (const r of t.rows) {
      const values: Record<string, Cell | number> = {};
      for (const c of t.columns) {
        const v = r[c.key];
        if (v === null || v === undefined) values[c.key] = null;
        else if (c.format === "duration") values[c.key] = Number(v) / 86_400_000;
        else if (typeof v === "string") values[c.key] = v.replace(XML_UNSAFE, "");
        else values[c.key] = v;
      }
      sheet.addRow(values);
    }
  }
  if (tables.length === 0) workbook.addWorksheet(sheetName(title, used));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
