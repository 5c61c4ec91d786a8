// npm run backup / npm run restore on SQLite: the backup runs in its own process while this one
// keeps committing, and must hold a consistent snapshot (a prefix of the commits, each commit whole);
// restore refuses while the database is open elsewhere, then brings the backed-up data back.
// Skipped on PostgreSQL, where both commands only print the pg_dump / pg_restore to use (tested below).
import { spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { db, disconnectDb } from "~/utils/db.server";

const root = path.resolve(__dirname, "..", "..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");
const sqlite = inject("engine") === "sqlite";

function runScript(script: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(tsx, [script, ...args], { cwd: root, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const MARK = `backup-test-${randomUUID().slice(0, 8)}`;
/** One commit = two rows with the same sequence number; a torn commit would leave one alone. */
async function commit(seq: number) {
  await db().$transaction([
    db().auditLog.create({ data: { action: `${MARK}.a`, entityType: "backup-test", entityId: String(seq) } }),
    db().auditLog.create({ data: { action: `${MARK}.b`, entityType: "backup-test", entityId: String(seq) } }),
  ]);
}
function sequences(file: string): { a: number[]; b: number[] } {
  const d = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const seqs = (action: string) =>
      (d.prepare(`SELECT "entityId" AS s FROM "AuditLog" WHERE "action" = ?`).all(action) as { s: string }[]).map((r) => Number(r.s)).sort((x, y) => x - y);
    return { a: seqs(`${MARK}.a`), b: seqs(`${MARK}.b`) };
  } finally {
    d.close();
  }
}

describe.skipIf(!sqlite)("npm run backup / npm run restore (SQLite)", () => {
  const dbFile = () => path.resolve(String(process.env.DATABASE_URL).replace(/^file:/, ""));
  const outDir = path.join(root, "tests", ".tmp", `backups-${randomUUID().slice(0, 8)}`);

  it("backs up while another process commits, restores after the database changed", { timeout: 180_000 }, async () => {
    // Some bulk, so that the copy itself takes a moment (about 10 MB).
    const filler = "x".repeat(2000);
    for (let i = 0; i < 10; i++) {
      await db().auditLog.createMany({
        data: Array.from({ length: 500 }, () => ({ action: "backup-test.filler", entityType: "backup-test", detail: JSON.stringify({ filler }) })),
      });
    }

    // A writer commits as fast as it can, before, during and after the backup.
    let seq = 0;
    let writing = true;
    // better-sqlite3 is synchronous, so a commit resolves in microtasks alone: yield to the event
    // loop after each one, or the child's output (and every timer) would wait forever.
    const writer = (async () => {
      while (writing) {
        await commit(++seq);
        await new Promise((r) => setImmediate(r));
      }
    })();
    while (seq < 20) await new Promise((r) => setTimeout(r, 10));
    const atStart = seq;
    const out = path.join(outDir, "during-writes.db");
    const backup = await runScript("scripts/backup.ts", ["--out", out]);
    const atEnd = seq;
    // Keep writing a little after the backup, so the live database is ahead of it.
    while (seq < atEnd + 20) await new Promise((r) => setTimeout(r, 10));
    writing = false;
    await writer;

    expect(backup.stderr).toBe("");
    expect(backup.status).toBe(0);
    expect(backup.stdout).toContain(`✓ Backup written: ${out}`);
    expect(backup.stdout).toMatch(/size [\d.]+ MB \(\d+ bytes\), [\d.]+ s, integrity_check ok/);
    expect(backup.stdout).toMatch(/rows: User \d+, Session \d+, Round \d+, Question \d+, Attempt \d+, Answer \d+, Standing \d+, Award \d+, AuditLog \d+/);
    console.log(`[backup] ${backup.stdout.split("\n")[1]?.trim()}; commits during the backup process: ${atEnd - atStart}`);
    // Writes really happened while the backup process ran.
    expect(atEnd - atStart).toBeGreaterThan(5);
    expect(fs.existsSync(`${out}.partial`)).toBe(false);
    expect(fs.statSync(out).mode & 0o077).toBe(0); // owner only: the file holds personal data

    // The copy: sound, a single file, and a snapshot as of one commit (1..k, both rows of each).
    const copy = new Database(out, { readonly: true, fileMustExist: true });
    expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(copy.pragma("journal_mode", { simple: true })).toBe("delete");
    copy.close();
    const snap = sequences(out);
    const k = snap.a.length;
    expect(snap.b).toEqual(snap.a);
    expect(snap.a).toEqual(Array.from({ length: k }, (_, i) => i + 1));
    expect(k).toBeGreaterThanOrEqual(atStart);
    expect(k).toBeLessThanOrEqual(atEnd);
    expect(sequences(dbFile()).a.length).toBe(seq); // the live database went on past it

    // The database changes after the backup: marker rows deleted, a user added.
    await db().auditLog.deleteMany({ where: { action: { startsWith: MARK } } });
    const intruder = await db().user.create({ data: { fullName: "Sau Sao Lưu", passwordHash: "x", role: "contestant" } });

    // Restore refuses while the database is open in another process (this one, standing in for the app).
    const refused = await runScript("scripts/restore.ts", [out]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("in use by another process");
    expect(await db().user.count({ where: { id: intruder.id } })).toBe(1);
    expect(fs.readdirSync(path.dirname(dbFile())).some((f) => f.startsWith(`${path.basename(dbFile())}.before-restore`))).toBe(false);

    // A damaged backup is refused before anything is touched.
    const damaged = path.join(outDir, "damaged.db");
    fs.copyFileSync(out, damaged);
    const fd = fs.openSync(damaged, "r+");
    fs.writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, 4096 * 3); // overwrite a page in the middle
    fs.closeSync(fd);
    await disconnectDb();
    const bad = await runScript("scripts/restore.ts", [damaged]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/integrity_check|not a readable SQLite database/);
    expect(fs.readdirSync(path.dirname(dbFile())).some((f) => f.startsWith(`${path.basename(dbFile())}.before-restore`))).toBe(false);

    // App stopped: the restore goes through.
    const restored = await runScript("scripts/restore.ts", [out]);
    expect(restored.stderr).toBe("");
    expect(restored.status).toBe(0);
    expect(restored.stdout).toContain(`✓ Restored ${dbFile()}`);
    for (const f of [`${dbFile()}-wal`, `${dbFile()}-shm`]) expect(fs.existsSync(f)).toBe(false);
    const kept = /previous database is kept at (\S+)/.exec(restored.stdout)?.[1] ?? "";
    expect(fs.existsSync(kept)).toBe(true);

    // The app (a new connection, as after a restart) sees the backup's data, not the later changes.
    expect(sequences(dbFile()).a).toEqual(snap.a);
    expect(await db().user.count({ where: { id: intruder.id } })).toBe(0);
    expect(await db().auditLog.count({ where: { action: `${MARK}.a` } })).toBe(k);
    // …and the kept copy has them.
    const before = new Database(kept, { readonly: true });
    expect((before.prepare(`SELECT COUNT(*) AS n FROM "User" WHERE "id" = ?`).get(intruder.id) as { n: number }).n).toBe(1);
    before.close();

    await disconnectDb();
    fs.rmSync(outDir, { recursive: true, force: true });
    fs.rmSync(kept, { force: true });
  });

  it("refuses to overwrite an existing backup and a missing restore file", { timeout: 120_000 }, async () => {
    fs.mkdirSync(outDir, { recursive: true });
    const taken = path.join(outDir, "taken.db");
    fs.writeFileSync(taken, "");
    const again = await runScript("scripts/backup.ts", ["--out", taken]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("already exists");
    const missing = await runScript("scripts/restore.ts", [path.join(outDir, "nothing.db")]);
    expect(missing.status).toBe(1);
    expect((await runScript("scripts/restore.ts", [])).status).toBe(2);
    fs.rmSync(outDir, { recursive: true, force: true });
  });
});

describe("npm run backup / npm run restore on PostgreSQL", () => {
  it("print the pg_dump / pg_restore commands and exit non-zero, touching nothing", { timeout: 120_000 }, () => {
    const env = { ...process.env, DATABASE_URL: "postgresql://contest:secret@db.example:5432/contest" };
    for (const script of ["scripts/backup.ts", "scripts/restore.ts"]) {
      const r = spawnSync(tsx, [script, "backups/x.dump"].slice(0, script.includes("restore") ? 2 : 1), { cwd: root, env, encoding: "utf8" });
      expect(r.status).toBe(3);
      expect(r.stderr).toContain("pg_dump --format=custom");
      expect(r.stderr).toContain("pg_restore --clean");
      expect(r.stderr).toContain("archive_command");
      expect(r.stderr).not.toContain("secret"); // the URL's password is never printed
    }
  });
});
