// Shared by scripts/backup.ts and scripts/restore.ts: where the SQLite file is (resolved exactly as
// the app resolves it), integrity checks, row counts, and the PostgreSQL advice.
import Database from "better-sqlite3";
import fs from "node:fs";
import { sqlitePath } from "~/utils/db.server";
import { isPostgres, loadEnv } from "./lib.mjs";

/** The tables whose row counts a backup or restore prints (those missing in an old schema are skipped). */
export const KEY_TABLES = ["User", "Session", "Round", "Question", "Attempt", "Answer", "Standing", "Award", "AuditLog"] as const;

export type Target = { kind: "sqlite"; file: string } | { kind: "postgres" };

/** DATABASE_URL from the environment or .env, defaulting like the app (file:./data/contest.db). */
export function target(): Target {
  const url = loadEnv().DATABASE_URL;
  return isPostgres(url) ? { kind: "postgres" } : { kind: "sqlite", file: sqlitePath(url) };
}

/** YYYYMMDD-HHMMSS in the server's local time (what an operator reads on the clock). */
export function stamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** `PRAGMA integrity_check` of a database file: "ok", or the problems SQLite lists. */
export function integrityCheck(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.pragma("integrity_check") as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).join("; ");
  } finally {
    db.close();
  }
}

export function rowCounts(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const present = new Set((db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name));
    const out: Record<string, number> = {};
    for (const t of KEY_TABLES) {
      if (present.has(t)) out[t] = (db.prepare(`SELECT COUNT(*) AS n FROM "${t}"`).get() as { n: number }).n;
    }
    return out;
  } finally {
    db.close();
  }
}

export const formatCounts = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([t, n]) => `${t} ${n}`)
    .join(", ");

export function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Both commands on PostgreSQL: what to run instead (this tool never shells out to pg_dump). */
export function postgresAdvice(command: "backup" | "restore"): string {
  const file = `backups/contest-${stamp()}.dump`;
  const lines = [
    `DATABASE_URL names a PostgreSQL database: npm run ${command} handles SQLite only. Use PostgreSQL's own tools:`,
    "",
    "  # back up (custom format: compressed, restorable table by table; consistent while the app runs)",
    `  pg_dump --format=custom --no-owner --file=${file} "$DATABASE_URL"`,
    "",
    "  # restore (stop the app first; --clean drops and recreates the objects in the dump)",
    `  pg_restore --clean --if-exists --no-owner --single-transaction --dbname="$DATABASE_URL" ${file}`,
    "",
    "For point-in-time recovery, enable continuous WAL archiving (archive_mode, archive_command) with a",
    "base backup (pg_basebackup), or a tool such as pgBackRest or WAL-G. See README, section Backups.",
  ];
  return lines.join("\n");
}

export const fileSize = (file: string) => fs.statSync(file).size;
