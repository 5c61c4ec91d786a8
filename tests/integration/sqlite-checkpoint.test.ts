// SQLite's WAL checkpoints run on a worker thread (app/utils/sqlite-checkpoint.server.ts): the
// connection that writes never checkpoints itself, the worker copies the WAL into the file as it
// grows, the WAL is started over once it is long, and a worker that cannot run hands the
// checkpoints back to the connection. SQLite only (PostgreSQL checkpoints on its own).
import Database from "better-sqlite3";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { db, Gate, sqliteCheckpointer, sqliteConnection } from "~/utils/db.server";
import { startCheckpointer, type Checkpointer } from "~/utils/sqlite-checkpoint.server";

const sqlite = inject("engine") === "sqlite";

/** `get()`'s value once it is truthy (vitest's waitFor: every 20 ms, for up to 10 s). */
const until = <T>(what: string, get: () => T | undefined | null | false): Promise<T> =>
  vi.waitFor(
    () => {
      const v = get();
      if (!v) throw new Error(`still waiting for ${what}`);
      return v;
    },
    { timeout: 10_000, interval: 20 },
  );

const opened: { conn: Database.Database; checkpointer: Checkpointer | null; dir: string }[] = [];
function scratch(options: Parameters<typeof startCheckpointer>[2] = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-ckpt-"));
  const file = path.join(dir, "t.db");
  const conn = new Database(file);
  conn.pragma("journal_mode = WAL");
  conn.pragma("synchronous = NORMAL");
  conn.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  const gate = new Gate();
  const checkpointer = startCheckpointer(conn, gate, { intervalMs: 20, ...options });
  opened.push({ conn, checkpointer, dir });
  return { conn, gate, checkpointer, file };
}

/** `n` commits of 20 rows of 1 KiB: about 5 pages of WAL each. */
function write(conn: Database.Database, n: number, from = 0) {
  const insert = conn.prepare("INSERT INTO t (id, body) VALUES (?, ?)");
  for (let c = 0; c < n; c++) conn.transaction(() => {
    for (let i = 0; i < 20; i++) insert.run(from + c * 20 + i, "x".repeat(1024));
  })();
}

const walFrames = (file: string) => Math.max(0, (fs.statSync(`${file}-wal`).size - 32) / (4096 + 24));

afterEach(async () => {
  for (const o of opened.splice(0)) {
    await o.checkpointer?.stop();
    if (o.conn.open) o.conn.close();
    fs.rmSync(o.dir, { recursive: true, force: true });
  }
});

describe.skipIf(!sqlite)("SQLite checkpoints on a worker thread", () => {
  it("the app's connection never checkpoints itself; its worker keeps the WAL copied into the file", async () => {
    await db().$queryRawUnsafe("SELECT 1");
    const { conn } = await sqliteConnection();
    expect(Number(conn.pragma("wal_autocheckpoint", { simple: true }))).toBe(0);
    const checkpointer = sqliteCheckpointer();
    expect(checkpointer).not.toBeNull();
    // Something to copy: a commit through the app's own connection.
    await db().$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS "CheckpointProbe" ("id" INTEGER PRIMARY KEY, "body" TEXT)`);
    await db().$executeRawUnsafe(`INSERT INTO "CheckpointProbe" ("body") VALUES ('${"y".repeat(5000)}')`);
    const after = await until("a checkpoint that copied every frame", () => {
      const r = checkpointer!.last;
      return r && !r.error && (r.log ?? 0) > 0 && r.log === r.checkpointed ? r : null;
    });
    expect(after.busy).toBe(0);
  });

  it("copies while the connection writes, and the rows are in the database file itself", async () => {
    const { conn, checkpointer, file } = scratch();
    write(conn, 100);
    await until("the worker to catch up", () => checkpointer!.last && checkpointer!.last.log === checkpointer!.last.checkpointed && (checkpointer!.last.log ?? 0) > 0);
    // Read the main file alone: a copy of it without its WAL must hold every row.
    const copy = `${file}.copy`;
    fs.copyFileSync(file, copy);
    const alone = new Database(copy, { readonly: true });
    expect(alone.prepare("SELECT COUNT(*) AS n FROM t").get()).toEqual({ n: 2000 });
    alone.close();
  });

  it("starts the WAL over once it is longer than restartFrames, even under writes that never pause", async () => {
    const { conn, gate, checkpointer, file } = scratch({ restartFrames: 200 });
    // Writes through the gate, as the app's, back to back for a while: a passive checkpoint alone
    // would never find the WAL wholly copied with nothing new, and the WAL would only grow.
    const logs: number[] = [];
    let id = 0;
    const end = Date.now() + 2_000;
    while (Date.now() < end) {
      await gate.enter();
      try {
        write(conn, 2, id);
        id += 40;
      } finally {
        gate.leave();
      }
      const log = checkpointer!.last?.log;
      if (log !== undefined && log !== logs.at(-1)) logs.push(log);
      await new Promise((r) => setImmediate(r));
    }
    // The WAL passed the mark, then was started over (a checkpoint saw it shorter than before).
    const peak = logs.findIndex((l) => l >= 200);
    expect(peak).toBeGreaterThanOrEqual(0);
    expect(logs.slice(peak + 1).some((l) => l < logs[peak])).toBe(true);
    // Its file is cut back to the limit when it starts over (journal_size_limit: restartFrames pages).
    // Measured at the loop's end instead, the size was whatever the writes since the last restart
    // made it (2,780 frames once on CI, on a busy machine): so, once a report after the loop shows
    // the worker caught up, one more write starts the WAL over and the file must be back to the limit.
    const atEnd = checkpointer!.last;
    await until("the worker to catch up after the loop", () => {
      const r = checkpointer!.last;
      return r !== atEnd && r && !r.error && (r.log ?? 0) > 0 && r.log === r.checkpointed;
    });
    write(conn, 1, id);
    id += 20;
    expect(walFrames(file)).toBeLessThan(2 * 200);
    expect(conn.prepare("SELECT COUNT(*) AS n FROM t").get()).toEqual({ n: id });
  });

  it("holds the gate while it finishes a restart: no statement of the process runs meanwhile", async () => {
    const { checkpointer, gate } = scratch();
    const during = checkpointer!.restart();
    expect(gate.free).toBe(false);
    const r = await during;
    expect(r.error).toBeUndefined();
    expect(gate.free).toBe(true);
  });

  it("a worker that cannot start hands the checkpoints back to the connection", async () => {
    const errors: string[] = [];
    const original = console.error;
    console.error = (...a: unknown[]) => void errors.push(a.join(" "));
    try {
      const { conn } = scratch({ driver: path.join(os.tmpdir(), "no-such-driver.js") });
      expect(conn.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
      await until("the fallback", () => conn.pragma("wal_autocheckpoint", { simple: true }) === 1000);
      expect(errors.join("\n")).toMatch(/checkpoint worker: .*the connection checkpoints itself again/);
    } finally {
      console.error = original;
    }
  });

  it("leaves a database that is not in WAL mode alone", () => {
    const conn = new Database(":memory:");
    expect(startCheckpointer(conn, new Gate())).toBeNull();
    expect(conn.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
    conn.close();
  });
});
