// The one Prisma client of the process. SQLite (better-sqlite3) by default, PostgreSQL when
// DATABASE_URL is a postgresql:// URL. Both clients are generated from one schema (scripts/generate.mjs).
// The hot paths (answer saves, starts, submits) bypass Prisma through the same connections: see
// sql.server.ts, which reaches them through `sqliteConnection()` and `pgPool()` below.
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { PrismaClient as PostgresClient } from "~/generated/postgres/client";
import { PrismaClient as SqliteClient } from "~/generated/sqlite/client";
import { env } from "./env.server";
import { startCheckpointer, type Checkpointer } from "./sqlite-checkpoint.server";

/** Both generated clients share one shape; code is typed against the SQLite one (the common subset). */
export type Db = SqliteClient;
export type { Prisma } from "~/generated/sqlite/client";

/** A unique index refused the write (Prisma's P2002): two requests raced for the same key. */
export const isUniqueViolation = (e: unknown) => (e as { code?: string })?.code === "P2002";

export function sqlitePath(url: string): string {
  return path.resolve(url.replace(/^file:/, "").split("?")[0]);
}

/** PostgreSQL connections per process (DATABASE_POOL_SIZE, default 10; as many again for rate-limit counters). */
export function poolSize(): number {
  const n = Number(process.env.DATABASE_POOL_SIZE ?? 10);
  return Number.isInteger(n) && n > 0 ? n : 10;
}

/**
 * The connection's settings. WAL (set on the file, below) lets readers run while a write commits;
 * synchronous=NORMAL then syncs the WAL at checkpoints instead of every commit: a crash of the
 * process loses nothing committed, a power cut or OS crash may lose the commits since the last
 * checkpoint (never corrupts the file). A 64 MiB page cache keeps a contest's hot pages in memory
 * (the default 2 MiB made reads into read() calls once the database grew); sorts stay in memory.
 */
function sqlitePragmas(conn: Database.Database) {
  conn.pragma("synchronous = NORMAL");
  conn.pragma("cache_size = -65536");
  conn.pragma("temp_store = MEMORY");
}

function prepareSqliteFile(file: string) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.close();
}

// ---------------------------------------------------------------------------------------------
// SQLite: one connection per process, and a gate in front of it

/**
 * Who may use the process's one SQLite connection right now. An open interactive transaction holds
 * the gate until it commits or rolls back; every other statement waits for it (a plain statement
 * run meanwhile would land *inside* that transaction and vanish if it rolled back). Synchronous
 * code (better-sqlite3 is synchronous) may run whenever the gate is free, without entering it:
 * nothing can interleave with it.
 */
export class Gate {
  private held = false;
  private readonly waiters: (() => void)[] = [];
  get free(): boolean {
    return !this.held;
  }
  enter(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  /** Hands the gate to the next waiter (it stays held), or frees it. */
  leave(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.held = false;
  }
}

type SqliteAdapter = Awaited<ReturnType<PrismaBetterSqlite3["connect"]>>;
type SqliteTransaction = Awaited<ReturnType<SqliteAdapter["startTransaction"]>>;

const sqliteState = globalThis as unknown as { __sqliteGate?: Gate; __sqliteConn?: Database.Database | null; __checkpointer?: Checkpointer | null };
const gate = (sqliteState.__sqliteGate ??= new Gate());

/**
 * better-sqlite3 compiles a statement on every `prepare`, and Prisma's adapter prepares every query
 * anew (about a tenth of a request's CPU in the profile). Keep the compiled statements by SQL text;
 * a statement is reused only synchronously, so one object can serve every caller.
 */
function cachePreparedStatements(conn: Database.Database) {
  const prepare = conn.prepare.bind(conn);
  const cache = new Map<string, Database.Statement>();
  (conn as unknown as { prepare: (sql: string) => unknown }).prepare = (sql: string) => {
    let st = cache.get(sql);
    if (!st) {
      st = prepare(sql);
      if (cache.size >= 2_000) cache.delete(cache.keys().next().value!);
      cache.set(sql, st);
    }
    const s = st;
    // The adapter's use: prepare(sql).bind(args), then .reader, .run(), .columns(), .raw().all();
    // and prepare("BEGIN").run().
    return {
      reader: s.reader,
      run: () => s.run(),
      bind: (args: unknown[]) => ({
        reader: s.reader,
        run: () => s.run(args),
        columns: () => s.columns(),
        raw: () => ({ all: () => s.raw(true).all(args) }),
      }),
    };
  };
  return prepare;
}

const rawPrepare = new WeakMap<Database.Database, (sql: string) => Database.Statement>();

/** Every statement through Prisma waits at the gate; a transaction holds it until commit or rollback. */
function gated(adapter: SqliteAdapter): SqliteAdapter {
  const conn = (adapter as unknown as { client: Database.Database }).client;
  sqlitePragmas(conn);
  rawPrepare.set(conn, cachePreparedStatements(conn));
  sqliteState.__sqliteConn = conn;
  // WAL checkpoints run on a worker thread, not in the commit that crosses SQLite's mark (see there).
  sqliteState.__checkpointer = startCheckpointer(conn, gate);
  const guarded =
    <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      await gate.enter();
      try {
        return await fn(...a);
      } finally {
        gate.leave();
      }
    };
  const startTransaction = adapter.startTransaction.bind(adapter);
  return Object.assign(adapter, {
    queryRaw: guarded(adapter.queryRaw.bind(adapter)),
    executeRaw: guarded(adapter.executeRaw.bind(adapter)),
    executeScript: guarded(adapter.executeScript.bind(adapter)),
    startTransaction: async (...a: Parameters<SqliteAdapter["startTransaction"]>): Promise<SqliteTransaction> => {
      await gate.enter();
      let released = false;
      const release = () => {
        if (!released) gate.leave();
        released = true;
      };
      try {
        const tx = await startTransaction(...a);
        const commit = tx.commit.bind(tx);
        const rollback = tx.rollback.bind(tx);
        tx.commit = async () => {
          try {
            return await commit();
          } finally {
            release();
          }
        };
        tx.rollback = async () => {
          try {
            return await rollback();
          } finally {
            release();
          }
        };
        return tx;
      } catch (e) {
        release();
        throw e;
      }
    },
  });
}

function gatedFactory(factory: PrismaBetterSqlite3): PrismaBetterSqlite3 {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => gated(await connect());
  return factory;
}

/** The checkpoint worker of the process's SQLite connection, if any (tests, diagnostics). */
export const sqliteCheckpointer = (): Checkpointer | null => sqliteState.__checkpointer ?? null;

/**
 * The process's SQLite connection and its gate, for statements that bypass Prisma (sql.server.ts).
 * `prepare` compiles outside the cache Prisma's queries use.
 */
export async function sqliteConnection(): Promise<{ conn: Database.Database; gate: Gate; prepare: (sql: string) => Database.Statement }> {
  let conn = sqliteState.__sqliteConn;
  if (!conn || !conn.open) {
    await db().$connect();
    conn = sqliteState.__sqliteConn;
    if (!conn || !conn.open) throw new Error("the SQLite connection is not open");
  }
  return { conn, gate, prepare: rawPrepare.get(conn)! };
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: one pool per process, shared by Prisma and the direct statements

const pgState = globalThis as unknown as { __pgPool?: pg.Pool | null; __pgCounters?: pg.Pool | null };

/** The process's PostgreSQL pool (Prisma's adapter uses the same one). */
export function pgPool(): pg.Pool {
  db();
  if (!pgState.__pgPool) throw new Error("pgPool() needs DATABASE_URL to be a postgresql:// URL");
  return pgState.__pgPool;
}

/**
 * A second pool for rate-limit counters, whose commits do not wait for the WAL to reach the disk
 * (synchronous_commit=off): a counter lost in a database crash only forgives a few requests, and
 * an fsync wait on every counter (two per answer saved) made them the bottleneck. As large as the
 * main pool: with half as many connections, answer saves queued for them (measured: 740 against
 * 1,060 saves/s). Everything else commits synchronously.
 */
export function pgCountersPool(): pg.Pool {
  const { DATABASE_URL, isPostgres } = env();
  if (!isPostgres) throw new Error("pgCountersPool() needs DATABASE_URL to be a postgresql:// URL");
  if (!pgState.__pgCounters) {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: poolSize(), options: "-c synchronous_commit=off" });
    pool.on("error", (e) => console.error("[db] idle PostgreSQL connection failed:", e.message));
    pgState.__pgCounters = pool;
  }
  return pgState.__pgCounters;
}

// ---------------------------------------------------------------------------------------------

function createClient(): Db {
  const { DATABASE_URL, isPostgres } = env();
  if (isPostgres) {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: poolSize() });
    pool.on("error", (e) => console.error("[db] idle PostgreSQL connection failed:", e.message));
    pgState.__pgPool = pool;
    // Under a burst of starts every pooled connection may be busy for a moment: wait for one
    // (maxWait) rather than fail the request after Prisma's default 2 s.
    return new PostgresClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }), transactionOptions: { maxWait: 15_000, timeout: 30_000 } }) as unknown as Db;
  }
  const file = sqlitePath(DATABASE_URL);
  prepareSqliteFile(file);
  const adapter = gatedFactory(new PrismaBetterSqlite3({ url: `file:${file}`, timeout: 10_000 }));
  return new SqliteClient({ adapter, transactionOptions: { maxWait: 15_000, timeout: 30_000 } });
}

const globalForDb = globalThis as unknown as { __db?: Db };

/** Lazily created, and kept across Vite's dev-server reloads. */
export function db(): Db {
  globalForDb.__db ??= createClient();
  return globalForDb.__db;
}

export async function disconnectDb() {
  await globalForDb.__db?.$disconnect();
  globalForDb.__db = undefined;
  sqliteState.__sqliteConn = null;
  // Its connection to the file is closed too before this resolves (a restore needs the file alone).
  const checkpointer = sqliteState.__checkpointer;
  sqliteState.__checkpointer = null;
  await checkpointer?.stop();
  pgState.__pgPool = null;
  const counters = pgState.__pgCounters;
  pgState.__pgCounters = null;
  await counters?.end();
}
