// npm run restore -- <backup file>
// Puts a backup made by `npm run backup` in place of the SQLite database. Stop the app first: the
// restore refuses while another process has the database open (it asks SQLite to leave WAL mode,
// which needs the only connection). Order: check the backup's integrity, keep the current database
// as <db>.before-restore-YYYYMMDD-HHMMSS, drop stale -wal/-shm files (a WAL left beside the restored
// file would be replayed into it), copy the backup beside the target and rename it into place.
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { fileSize, formatCounts, formatSize, integrityCheck, postgresAdvice, rowCounts, stamp, target } from "./backup-lib";

const USAGE = "Usage: npm run restore -- <backup file>   (stop the app first)";

let positionals: string[];
try {
  ({ positionals } = parseArgs({ allowPositionals: true, options: {} }));
} catch (e) {
  console.error(`✗ ${(e as Error).message}\n${USAGE}`);
  process.exit(2);
}

const t = target();
if (t.kind === "postgres") {
  console.error(postgresAdvice("restore"));
  process.exit(3);
}
if (positionals.length !== 1) {
  console.error(`✗ Name exactly one backup file.\n${USAGE}`);
  process.exit(2);
}
const backup = path.resolve(positionals[0]);
if (!fs.existsSync(backup)) {
  console.error(`✗ No file ${backup}.`);
  process.exit(1);
}
if (backup === t.file) {
  console.error("✗ That is the live database itself.");
  process.exit(2);
}

// 1. The backup must be a sound SQLite database of this app before anything is touched.
let integrity: string;
try {
  integrity = integrityCheck(backup);
} catch (e) {
  console.error(`✗ ${backup} is not a readable SQLite database: ${(e as Error).message}`);
  process.exit(1);
}
if (integrity !== "ok") {
  console.error(`✗ ${backup} failed PRAGMA integrity_check: ${integrity}. Nothing was changed.`);
  process.exit(1);
}
const counts = rowCounts(backup);
if (counts.User === undefined) {
  console.error(`✗ ${backup} has no User table: not a backup of this app. Nothing was changed.`);
  process.exit(1);
}

const sidecars = (file: string) => [`${file}-wal`, `${file}-shm`, `${file}-journal`];
let kept: string | null = null;
if (fs.existsSync(t.file)) {
  // 2. Nobody may have the live database open. Leaving WAL mode needs the only connection: SQLite
  //    answers SQLITE_BUSY while the app (or anything else) holds one. On success the WAL is folded
  //    into the file, so the copy kept below is complete.
  const live = new Database(t.file, { fileMustExist: true, timeout: 500 });
  try {
    const mode = live.pragma("journal_mode = DELETE", { simple: true });
    if (mode !== "delete") throw Object.assign(new Error(`journal mode stayed ${String(mode)}`), { code: "SQLITE_BUSY" });
  } catch (e) {
    live.close();
    const code = (e as { code?: string }).code ?? "";
    console.error(
      code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")
        ? `✗ ${t.file} is in use by another process: stop the app server (and any npm run script using the database) first. Nothing was changed.`
        : `✗ Could not open ${t.file}: ${(e as Error).message}. Nothing was changed.`,
    );
    process.exit(1);
  }
  live.close();
  // 3. Keep what is there now.
  kept = `${t.file}.before-restore-${stamp()}`;
  fs.copyFileSync(t.file, kept);
  fs.chmodSync(kept, 0o600);
}

// 4. No stale WAL may be replayed into the restored file; then copy and rename (atomic on one disk).
fs.mkdirSync(path.dirname(t.file), { recursive: true });
for (const f of sidecars(t.file)) fs.rmSync(f, { force: true });
const incoming = `${t.file}.restoring`;
fs.copyFileSync(backup, incoming);
fs.chmodSync(incoming, 0o600);
for (const f of sidecars(incoming)) fs.rmSync(f, { force: true });
fs.renameSync(incoming, t.file);

const after = integrityCheck(t.file);
if (after !== "ok") {
  console.error(`✗ The restored file failed PRAGMA integrity_check: ${after}.${kept ? ` The previous database is at ${kept}.` : ""}`);
  process.exit(1);
}
console.log(`✓ Restored ${t.file}`);
console.log(`  from ${backup} (${formatSize(fileSize(t.file))}), integrity_check ok`);
console.log(`  rows: ${formatCounts(counts)}`);
if (kept) console.log(`  the previous database is kept at ${kept}`);
console.log("  Start the app again (npm start); it switches the file back to WAL mode.");
