// Every index is justified by a query, and every hot query has its index: the database's own
// planner is asked (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN with sequential scans
// discouraged, so that it takes an index whenever one can serve the query) how it would run each
// statement of the hot paths (session lookup, start, save, submit, standings, the deadline sweep,
// shared rate-limit claims) and the leaderboard reads. A full scan of a table fails the test: at
// 100,000 attempts (2 million answers) a scan per save is the difference between a millisecond
// and seconds. The README's "Indexes" table lists which query each index serves.
import { describe, expect, inject, it } from "vitest";
import { attemptStatements as A } from "~/models/attempt.server";
import { flagStatements as F } from "~/models/flag.server";
import { standingStatements as ST } from "~/models/standing.server";
import { SESSION_USER } from "~/utils/hot-api.server";
import { CLAIM } from "~/utils/rate-limit.server";
import { sql, statement, type Queries, type Statement } from "~/utils/sql.server";

const engine = inject("engine");
const now = new Date("2026-11-29T08:00:00Z");
const ids = ["ca", "cb"];
const list = engine === "postgres" ? ids : JSON.stringify(ids);

// What Prisma sends for the leaderboard (standing.server.ts: ORDER_LIVE, with and without a commune
// or group filter) and for the contestant's own place, written out here as SQL.
const ORDER = `ORDER BY "correctCount" DESC, "durationMs" ASC, "closedAt" ASC, "userId" ASC LIMIT 50`;
const leaderboard = statement("plan_board", `SELECT "userId", "correctCount", "durationMs" FROM "Standing" WHERE "roundId" = $1 ${ORDER}`);
const boardCommune = statement("plan_board_commune", `SELECT "userId" FROM "Standing" WHERE "roundId" = $1 AND "communeCode" = $2 ${ORDER}`);
const boardGroup = statement("plan_board_group", `SELECT "userId" FROM "Standing" WHERE "roundId" = $1 AND "group" = $2 ${ORDER}`);
const ahead = statement(
  "plan_ahead",
  `SELECT COUNT(*) FROM "Standing" WHERE "roundId" = $1 AND ("correctCount" > $2 OR ("correctCount" = $2 AND "durationMs" < $3))`,
);

// What Prisma sends for the flagging rules' registration counts (flag.server.ts: contextOf).
const sameDevice = statement("plan_same_device", `SELECT COUNT(*) FROM "User" WHERE "registrationDevice" = $1 AND "createdAt" >= $2 AND "createdAt" <= $3`);
const sameIp = statement("plan_same_ip", `SELECT COUNT(*) FROM "User" WHERE "registrationIp" = $1 AND "createdAt" >= $2 AND "createdAt" <= $3`);

/** [what, statement, parameters] */
const CASES: [string, Statement, unknown[]][] = [
  ["session lookup (every signed-in request)", SESSION_USER, ["sid"]],
  ["attempt by id", A.attempt, ["a"]],
  ["attempt for a save (owner, clock, draw)", A.forSave, ["a"]],
  ["answer save (conditional upsert)", A.saveAnswer, ["a", "q", "o", now, "1.2.3.4", now]],
  ["round for a start", A.roundForStart, ["r"]],
  ["a contestant's attempts in a round", A.attemptsOf, ["r", "u"]],
  ["texts of drawn questions", A.texts, [list]],
  ["stamp drawn questions as used", A.stampUsed, [list, now]],
  ["an attempt's draw", A.draw, ["a"]],
  ["an attempt's answers", A.answers, ["a"]],
  ["close an attempt", A.close, ["a", "submitted", now, 1000, null]],
  ["score an attempt", A.score, ["a"]],
  ["deadline sweep", A.overdue, [now, 100]],
  ["closed attempts of a contestant (standing)", ST.closed, ["r", "u"]],
  ["standing upsert", ST.upsert, ["r", "u", "a", "21583", "citizen", 1, 20, 1000, now, null, 1, now]],
  ["leaderboard", leaderboard, ["r"]],
  ["leaderboard of a commune", boardCommune, ["r", "21583"]],
  ["leaderboard of a group", boardGroup, ["r", "student"]],
  ["places ahead of a contestant", ahead, ["r", 10, 1000]],
  ["flagging: attempts near one (time window or device)", F.peers, ["r", "a", now, now, "d", 200]],
  ["flagging: the answers of those attempts", F.peerAnswers, [list]],
  ["flagging: registrations from one device", sameDevice, ["d", now, now]],
  ["flagging: registrations from one address", sameIp, ["1.2.3.4", now, now]],
];
if (engine === "postgres") {
  CASES.push(["saves of a turn in one statement", A.saveMany, [["a"], ["q"], ["o"], [now], [null], [now]]]);
  CASES.push(["shared rate-limit claim", CLAIM, ["k", 1, 0]]);
}

/** The full scans in a plan, as "table" strings; [] when every table is reached through an index. */
async function fullScans(q: Queries, s: Statement, params: unknown[]): Promise<string[]> {
  if (engine === "sqlite") {
    const explain: Statement = { name: `${s.name}_plan`, pg: "", sqlite: `EXPLAIN QUERY PLAN ${s.sqlite}`, order: s.order };
    const rows = await q.rows<{ detail: string }>(explain, params);
    // "SCAN json_each VIRTUAL TABLE" (the id list) and "SCAN CONSTANT ROW" are not tables, nor is
    // the scan of a subquery's result ("CO-ROUTINE w" … "SCAN w"), whose own plan is checked.
    const details = rows.map((r) => r.detail);
    const subqueries = new Set(details.flatMap((d) => /^(?:CO-ROUTINE|MATERIALIZE) (\S+)/.exec(d)?.[1] ?? []));
    return details.filter((d) => /^SCAN /.test(d) && !/VIRTUAL TABLE|CONSTANT ROW/.test(d) && !subqueries.has(d.slice(5)));
  }
  const explain: Statement = { name: `${s.name}_plan`, pg: `EXPLAIN (FORMAT JSON) ${s.pg}`, sqlite: "", order: s.order };
  const [row] = await q.rows<{ "QUERY PLAN": unknown }>(explain, params);
  const raw = row["QUERY PLAN"];
  const plan = (typeof raw === "string" ? JSON.parse(raw) : raw) as { Plan: PgNode }[];
  const scans: string[] = [];
  const walk = (n: PgNode) => {
    if (n["Node Type"] === "Seq Scan") scans.push(`Seq Scan on ${n["Relation Name"]}`);
    for (const c of n.Plans ?? []) walk(c);
  };
  walk(plan[0].Plan);
  return scans;
}
type PgNode = { "Node Type": string; "Relation Name"?: string; Plans?: PgNode[] };

const DISCOURAGE_SEQSCAN = statement("plan_no_seqscan", "SET LOCAL enable_seqscan = off");

describe(`query plans (${engine})`, () => {
  it.each(CASES)("%s uses an index", async (_what, s, params) => {
    const scans = await sql().transaction(async (q) => {
      if (engine === "postgres") await q.run(DISCOURAGE_SEQSCAN);
      return fullScans(q, s, params);
    });
    expect(scans).toEqual([]);
  });

  it("notices a full scan (the check itself works)", async () => {
    const unindexed = statement("plan_unindexed", `SELECT "id" FROM "Attempt" WHERE "ip" = $1`);
    const scans = await sql().transaction(async (q) => {
      if (engine === "postgres") await q.run(DISCOURAGE_SEQSCAN);
      return fullScans(q, unindexed, ["1.2.3.4"]);
    });
    expect(scans.join(" ")).toMatch(/Attempt/);
  });
});
