// The one Prisma client of the process. SQLite (better-sqlite3) by default, PostgreSQL when
// DATABASE_URL is a postgresql:// URL. Both clients are generated from one schema (scripts/generate.mjs).
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { PrismaClient as PostgresClient } from "~/generated/postgres/client";
import { PrismaClient as SqliteClient } from "~/generated/sqlite/client";
import { env } from "./env.server";

/** Both generated clients share one shape; code is typed against the SQLite one (the common subset). */
export type Db = SqliteClient;
export type { Prisma } from "~/generated/sqlite/client";

/** A unique index refused the write (Prisma's P2002): two requests raced for the same key. */
export const isUniqueViolation = (e: unknown) => (e as { code?: string })?.code === "P2002";

export function sqlitePath(url: string): string {
  return path.resolve(url.replace(/^file:/, "").split("?")[0]);
}

/**
 * WAL lets readers run while one writer commits, and synchronous=NORMAL then fsyncs at checkpoints
 * instead of every commit: a power cut may lose the last few commits, a process crash loses none.
 */
function prepareSqliteFile(file: string) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.close();
}

type SqliteAdapter = Awaited<ReturnType<PrismaBetterSqlite3["connect"]>>;
type SqliteTransaction = Awaited<ReturnType<SqliteAdapter["startTransaction"]>>;

/**
 * One better-sqlite3 connection serves the whole process. The adapter only serialises transactions
 * among themselves: a plain query from another request would run *inside* an open interactive
 * transaction (and vanish if it rolls back). So every statement outside a transaction waits while
 * one is open. Statements are synchronous in better-sqlite3, so this costs nothing otherwise; code
 * inside a transaction must use its `tx`, never `db()`.
 */
function serialized(adapter: SqliteAdapter): SqliteAdapter {
  let tail: Promise<void> = Promise.resolve();
  const lock = async (): Promise<() => void> => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const previous = tail;
    tail = previous.then(() => held);
    await previous;
    return release;
  };
  const guarded =
    <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      const release = await lock();
      try {
        return await fn(...a);
      } finally {
        release();
      }
    };
  const startTransaction = adapter.startTransaction.bind(adapter);
  return Object.assign(adapter, {
    queryRaw: guarded(adapter.queryRaw.bind(adapter)),
    executeRaw: guarded(adapter.executeRaw.bind(adapter)),
    executeScript: guarded(adapter.executeScript.bind(adapter)),
    startTransaction: async (...a: Parameters<SqliteAdapter["startTransaction"]>): Promise<SqliteTransaction> => {
      const release = await lock();
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

function serializedFactory(factory: PrismaBetterSqlite3): PrismaBetterSqlite3 {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => serialized(await connect());
  return factory;
}

function createClient(): Db {
  const { DATABASE_URL, isPostgres } = env();
  if (isPostgres) {
    const adapter = new PrismaPg({ connectionString: DATABASE_URL, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
    // Under a burst of starts every pooled connection may be busy for a moment: wait for one
    // (maxWait) rather than fail the request after Prisma's default 2 s.
    return new PostgresClient({ adapter, transactionOptions: { maxWait: 15_000, timeout: 30_000 } }) as unknown as Db;
  }
  const file = sqlitePath(DATABASE_URL);
  prepareSqliteFile(file);
  const adapter = serializedFactory(new PrismaBetterSqlite3({ url: `file:${file}`, timeout: 10_000 }));
  const client = new SqliteClient({ adapter, transactionOptions: { maxWait: 15_000, timeout: 30_000 } });
  void client.$executeRawUnsafe("PRAGMA synchronous = NORMAL").catch(() => {});
  return client;
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
}
