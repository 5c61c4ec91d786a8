// Direct SQL for the hot paths (answer saves, starts, submits, the session lookup), through the
// same connections as Prisma (db.server.ts): on SQLite the process's one better-sqlite3 connection,
// its statements compiled once and run synchronously behind the same gate as Prisma's; on
// PostgreSQL the process's pool, with named (server-side prepared) statements. The profile of the
// Prisma version spent most of a request in Prisma's query pipeline, not in the database.
//
// A statement is written once in PostgreSQL's `$1` notation (numbered, reusable); an engine whose
// SQL differs gets its own text. Dates go in as Date and come out as Date (`toDate` for SQLite's
// ISO strings), in the formats Prisma itself writes, so rows stay readable by Prisma.
import type Database from "better-sqlite3";
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { env } from "./env.server";
import { pgPool, sqliteConnection, type Gate } from "./db.server";

export interface Statement {
  readonly name: string;
  readonly pg: string;
  readonly sqlite: string;
  /** SQLite: which parameter ($n) each `?` takes, in order. */
  readonly order: readonly number[];
}

/** A statement in PostgreSQL's `$1` notation; `sqliteText` when SQLite needs other SQL. */
export function statement(name: string, pgText: string, sqliteText = pgText): Statement {
  const order: number[] = [];
  const sqlite = sqliteText.replace(/\$(\d+)/g, (_, n: string) => {
    order.push(Number(n) - 1);
    return "?";
  });
  return { name, pg: pgText, sqlite, order };
}

export interface Queries {
  rows<T>(s: Statement, params?: readonly unknown[]): Promise<T[]>;
  row<T>(s: Statement, params?: readonly unknown[]): Promise<T | undefined>;
  /** Runs a write; resolves to the number of rows it changed. */
  run(s: Statement, params?: readonly unknown[]): Promise<number>;
}

export interface Sql extends Queries {
  readonly engine: "sqlite" | "postgres";
  /**
   * A single-statement write, committed together with the other grouped work of this turn of the
   * event loop (SQLite: one transaction for all of it, see "Group commit" below). Resolves to the
   * rows it changed once the group has committed, so an acknowledged write is as durable as with
   * `run`. PostgreSQL: the same as `run`.
   */
  runGrouped(s: Statement, params?: readonly unknown[]): Promise<number>;
  /**
   * A transaction committed with the other grouped work of this turn (SQLite: inside a SAVEPOINT of
   * the group's transaction; `fn` must only use the `q` it is given, and do nothing but statements).
   * PostgreSQL: the same as `transaction`.
   */
  transactionGrouped<T>(fn: (q: Queries) => Promise<T>): Promise<T>;
  /**
   * A transaction. SQLite: BEGIN IMMEDIATE with the gate held throughout (Prisma's statements wait).
   * PostgreSQL: one pooled connection from BEGIN to COMMIT. A throw rolls back.
   */
  transaction<T>(fn: (q: Queries) => Promise<T>): Promise<T>;
}

/**
 * A list of ids as one statement parameter: an array for PostgreSQL (`= ANY($1::text[])`), JSON
 * text for SQLite (`IN (SELECT "value" FROM json_each($1))`).
 */
export function idList(ids: readonly string[]): readonly string[] | string {
  return env().isPostgres ? ids : JSON.stringify(ids);
}

/** A DATETIME column as SQLite returns it (Prisma's ISO text) or PostgreSQL (Date). */
export function toDate(v: unknown): Date {
  return v instanceof Date ? v : new Date(v as string);
}
export function toDateOrNull(v: unknown): Date | null {
  return v === null || v === undefined ? null : toDate(v);
}

/** A unique key refused the write, from Prisma (P2002), SQLite or PostgreSQL (23505). */
export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return code === "P2002" || code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

let idCounter = randomBytes(2).readUInt16BE(0);
/**
 * A new primary key for rows inserted here rather than through Prisma (which makes cuid()s): the
 * same shape, 25 lower-case letters and digits starting with "c", time-ordered, 62 random bits.
 */
export function newId(): string {
  idCounter = (idCounter + 1) % 1_679_616; // 36^4
  const time = Date.now().toString(36).padStart(8, "0").slice(-8);
  const count = idCounter.toString(36).padStart(4, "0");
  const random = BigInt(`0x${randomHex(16)}`).toString(36).padStart(13, "0").slice(-12);
  return `c${time}${count}${random}`;
}

/**
 * `n` random hex digits (n at most 30), from randomUUID(), whose random bytes Node draws in batches:
 * a getrandom() call per id cost ~25 µs on the 2-core test machine, more than an insert.
 */
export function randomHex(n: number): string {
  const u = randomUUID(); // 8-4-4-4-12 hex digits; all but the version and variant digits random
  return (u.slice(0, 8) + u.slice(9, 13) + u.slice(15, 18) + u.slice(20, 23) + u.slice(24)).slice(0, n);
}

// ---------------------------------------------------------------------------------------------
// SQLite

/** As Prisma's better-sqlite3 adapter writes them: ISO 8601 with +00:00; booleans as 1/0. */
function sqliteValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString().replace("Z", "+00:00");
  if (typeof v === "boolean") return v ? 1 : 0;
  return v === undefined ? null : v;
}

type SqliteHandle = {
  conn: Database.Database;
  gate: Gate;
  prepare: (sql: string) => Database.Statement;
  compiled: Map<Statement, Database.Statement>;
  /** The queries outside a transaction, made once (a request runs several). */
  free?: Queries;
};
const sqliteHandles = new WeakMap<Database.Database, SqliteHandle>();
let currentSqlite: SqliteHandle | null = null;

async function sqliteHandle(): Promise<SqliteHandle> {
  if (currentSqlite?.conn.open) return currentSqlite;
  const { conn, gate, prepare } = await sqliteConnection();
  let h = sqliteHandles.get(conn);
  if (!h) sqliteHandles.set(conn, (h = { conn, gate, prepare, compiled: new Map() }));
  currentSqlite = h;
  return h;
}

function compiled(h: SqliteHandle, s: Statement): Database.Statement {
  let st = h.compiled.get(s);
  if (!st) {
    st = h.prepare(s.sqlite);
    if (st.reader) st.safeIntegers(false);
    h.compiled.set(s, st);
  }
  return st;
}

const sqliteArgs = (s: Statement, params: readonly unknown[]) => s.order.map((i) => sqliteValue(params[i]));

function sqliteQueries(h: SqliteHandle, direct: boolean): Queries {
  // Outside a transaction a statement runs at once when the gate is free (synchronous: nothing can
  // interleave), else after the open transaction ends. Inside ours (`direct`) we hold the gate.
  const whenFree = async <T>(fn: () => T): Promise<T> => {
    if (direct || h.gate.free) return fn();
    await h.gate.enter();
    try {
      return fn();
    } finally {
      h.gate.leave();
    }
  };
  return {
    rows: <T>(s: Statement, params: readonly unknown[] = []) => whenFree(() => compiled(h, s).all(sqliteArgs(s, params)) as T[]),
    row: <T>(s: Statement, params: readonly unknown[] = []) => whenFree(() => compiled(h, s).get(sqliteArgs(s, params)) as T | undefined),
    run: (s: Statement, params: readonly unknown[] = []) => whenFree(() => compiled(h, s).run(sqliteArgs(s, params)).changes),
  };
}

const freeQueries = (h: SqliteHandle) => (h.free ??= sqliteQueries(h, false));

const BEGIN = statement("begin", "BEGIN", "BEGIN IMMEDIATE");
const COMMIT = statement("commit", "COMMIT");
const ROLLBACK = statement("rollback", "ROLLBACK");

// Group commit. A commit costs several times the writes it commits (the WAL frames go out in one
// write() each, and every ~1,000 frames a checkpoint fsyncs), so the hot path's writes wait for
// the end of the current turn of the event loop and then commit together: one BEGIN … COMMIT for
// every save, start and submission that reached its write in that turn. Each transaction job runs
// inside its own SAVEPOINT, so one that fails is undone alone. Nothing is acknowledged before the
// COMMIT that holds it.
type Job =
  | { kind: "run"; s: Statement; params: readonly unknown[]; resolve: (v: number) => void; reject: (e: unknown) => void }
  | { kind: "tx"; fn: (q: Queries) => Promise<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void };
const GROUP_MAX = 500;
let group: Job[] = [];
let groupScheduled = false;
const SAVEPOINT = statement("savepoint", "SAVEPOINT hot_job");
const RELEASE = statement("release", "RELEASE hot_job");
const ROLLBACK_TO = statement("rollback_to", "ROLLBACK TO hot_job");

async function flushGroup() {
  groupScheduled = false;
  const batch = group.length > GROUP_MAX ? group.splice(0, GROUP_MAX) : group;
  if (batch === group) group = [];
  if (group.length) scheduleGroup();
  let h: SqliteHandle;
  try {
    h = await sqliteHandle();
  } catch (e) {
    for (const job of batch) job.reject(e);
    return;
  }
  await h.gate.enter();
  try {
    const direct = sqliteQueries(h, true);
    const results: ({ value: unknown } | { error: unknown })[] = [];
    try {
      compiled(h, BEGIN).run();
      for (const job of batch) {
        if (job.kind === "run") {
          try {
            results.push({ value: compiled(h, job.s).run(sqliteArgs(job.s, job.params)).changes });
          } catch (e) {
            results.push({ error: e }); // SQLite undid just this statement
          }
          continue;
        }
        compiled(h, SAVEPOINT).run();
        try {
          results.push({ value: await job.fn(direct) });
          compiled(h, RELEASE).run();
        } catch (e) {
          compiled(h, ROLLBACK_TO).run();
          compiled(h, RELEASE).run();
          results.push({ error: e });
        }
      }
      compiled(h, COMMIT).run();
    } catch (e) {
      if (h.conn.inTransaction) compiled(h, ROLLBACK).run();
      for (const job of batch) job.reject(e);
      return;
    }
    batch.forEach((job, i) => {
      const r = results[i];
      if ("error" in r) job.reject(r.error);
      else (job.resolve as (v: unknown) => void)(r.value);
    });
  } finally {
    h.gate.leave();
  }
}
function scheduleGroup() {
  if (groupScheduled) return;
  groupScheduled = true;
  setImmediate(() => void flushGroup());
}
type JobSpec = { kind: "run"; s: Statement; params: readonly unknown[] } | { kind: "tx"; fn: (q: Queries) => Promise<unknown> };
function enqueue<T>(job: JobSpec): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    group.push({ ...job, resolve, reject } as Job);
    scheduleGroup();
  });
}

const sqliteSql: Sql = {
  engine: "sqlite",
  runGrouped: (s, params = []) => enqueue<number>({ kind: "run", s, params }),
  transactionGrouped: <T>(fn: (q: Queries) => Promise<T>) => enqueue<T>({ kind: "tx", fn }),
  rows: async (s, p) => freeQueries(currentSqlite?.conn.open ? currentSqlite : await sqliteHandle()).rows(s, p),
  row: async (s, p) => freeQueries(currentSqlite?.conn.open ? currentSqlite : await sqliteHandle()).row(s, p),
  run: async (s, p) => freeQueries(currentSqlite?.conn.open ? currentSqlite : await sqliteHandle()).run(s, p),
  async transaction(fn) {
    const h = await sqliteHandle();
    await h.gate.enter();
    try {
      compiled(h, BEGIN).run();
      try {
        const result = await fn(sqliteQueries(h, true));
        compiled(h, COMMIT).run();
        return result;
      } catch (e) {
        if (h.conn.inTransaction) compiled(h, ROLLBACK).run();
        throw e;
      }
    } finally {
      h.gate.leave();
    }
  },
};

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/**
 * Timestamps are `timestamp(3)` without time zone holding UTC (as Prisma writes them): sent as ISO
 * text (PostgreSQL ignores the Z for this type) and read back as UTC, whatever the process's TZ.
 */
function pgValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  return v === undefined ? null : v;
}
const TIMESTAMP = 1114;
const INT8 = 20;
const pgTypes = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === TIMESTAMP) return (s: string) => new Date(`${s.replace(" ", "T")}Z`);
    if (oid === INT8) return (s: string) => Number(s);
    return pg.types.getTypeParser(oid, format as "text");
  }) as pg.CustomTypesConfig["getTypeParser"],
};

function pgQueries(client: pg.Pool | pg.PoolClient): Queries {
  const query = async (s: Statement, params: readonly unknown[]) =>
    client.query({ name: s.name, text: s.pg, values: params.map(pgValue), types: pgTypes } as pg.QueryConfig);
  return {
    rows: async <T>(s: Statement, params: readonly unknown[] = []) => (await query(s, params)).rows as T[],
    row: async <T>(s: Statement, params: readonly unknown[] = []) => (await query(s, params)).rows[0] as T | undefined,
    run: async (s: Statement, params: readonly unknown[] = []) => (await query(s, params)).rowCount ?? 0,
  };
}

let pgSql: Sql | null = null;
let pgSqlPool: pg.Pool | null = null;
function postgresSql(): Sql {
  const pool = pgPool();
  if (pgSql && pgSqlPool === pool) return pgSql;
  pgSqlPool = pool;
  const direct = pgQueries(pool);
  pgSql = {
    engine: "postgres",
    ...direct,
    runGrouped: direct.run,
    transactionGrouped: (fn) => pgSql!.transaction(fn),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        try {
          const result = await fn(pgQueries(client));
          await client.query("COMMIT");
          return result;
        } catch (e) {
          await client.query("ROLLBACK").catch(() => {});
          throw e;
        }
      } finally {
        client.release();
      }
    },
  };
  return pgSql;
}

/** The direct-SQL runner of this process's database. */
export function sql(): Sql {
  return env().isPostgres ? postgresSql() : sqliteSql;
}
