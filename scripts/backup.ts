// npm run backup [-- --out <file>]
// A consistent online backup of the SQLite database while the app keeps running: SQLite's backup
// API (better-sqlite3's db.backup) copies every page in ONE step, inside one read transaction, so
// the copy is the database as of one commit. In WAL mode that read transaction blocks no writer
// (a multi-step backup would restart whenever another process commits between steps). The copy is
// written beside its final name, switched to a single self-contained file (journal_mode=DELETE),
// checked with PRAGMA integrity_check, and only then renamed into place.
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { fileSize, formatCounts, formatSize, integrityCheck, postgresAdvice, rowCounts, stamp, target } from "./backup-lib";

const USAGE = "Usage: npm run backup [-- --out <file>]   (default ./backups/contest-YYYYMMDD-HHMMSS.db)";

let out: string | undefined;
try {
  ({
    values: { out },
  } = parseArgs({ options: { out: { type: "string" } } }));
} catch (e) {
  console.error(`✗ ${(e as Error).message}\n${USAGE}`);
  process.exit(2);
}

const t = target();
if (t.kind === "postgres") {
  console.error(postgresAdvice("backup"));
  process.exit(3);
}
if (!fs.existsSync(t.file)) {
  console.error(`✗ No database at ${t.file} (DATABASE_URL).`);
  process.exit(1);
}

const dest = path.resolve(out ?? path.join("backups", `contest-${stamp()}.db`));
if (fs.existsSync(dest)) {
  console.error(`✗ ${dest} already exists; choose another --out.`);
  process.exit(1);
}
fs.mkdirSync(path.dirname(dest), { recursive: true });
const partial = `${dest}.partial`;
for (const f of [partial, `${partial}-journal`]) fs.rmSync(f, { force: true });

const started = performance.now();
const source = new Database(t.file, { fileMustExist: true, timeout: 10_000 });
try {
  // The first call only opens the backup; after it, a page count this large means "all the rest
  // in one step" (see the comment at the top).
  await source.backup(partial, { progress: () => 0x7fffffff });
} catch (e) {
  fs.rmSync(partial, { force: true });
  console.error(`✗ Backup failed: ${(e as Error).message}`);
  process.exit(1);
} finally {
  source.close();
}

// The copy carries the source's WAL flag; make it one file that opens anywhere, read-only included.
const copy = new Database(partial, { fileMustExist: true });
copy.pragma("journal_mode = DELETE");
copy.close();
const integrity = integrityCheck(partial);
if (integrity !== "ok") {
  console.error(`✗ The copy failed PRAGMA integrity_check: ${integrity}\n  Left at ${partial} for inspection.`);
  process.exit(1);
}
const counts = rowCounts(partial);
// Backups hold personal data (CCCD, phone, birth date): readable by the owner only.
fs.chmodSync(partial, 0o600);
fs.renameSync(partial, dest);
const seconds = (performance.now() - started) / 1000;

console.log(`✓ Backup written: ${dest}`);
console.log(`  size ${formatSize(fileSize(dest))} (${fileSize(dest)} bytes), ${seconds.toFixed(2)} s, integrity_check ok`);
console.log(`  rows: ${formatCounts(counts)}`);
console.log(`  from ${t.file}`);
