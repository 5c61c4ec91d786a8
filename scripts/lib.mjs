// Shared helpers for the project's Node scripts (plain ESM, no build step).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const bin = (name) => path.join(root, "node_modules", ".bin", name);
export const DEFAULT_DATABASE_URL = "file:./data/contest.db";

export function loadEnv() {
  const file = path.join(root, ".env");
  if (fs.existsSync(file)) process.loadEnvFile(file);
  process.env.DATABASE_URL ||= DEFAULT_DATABASE_URL;
  return process.env;
}

export const isPostgres = (url = process.env.DATABASE_URL ?? "") => /^postgres(ql)?:\/\//.test(url);

/** Runs a command in the project root with inherited stdio; exits the process when it fails. */
export function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`\n✗ ${path.basename(cmd)} ${args.join(" ")} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

/** Writes prisma/postgres/schema.prisma from prisma/schema.prisma (provider and client output differ). */
export function writePostgresSchema() {
  const src = fs.readFileSync(path.join(root, "prisma", "schema.prisma"), "utf8");
  const out = src
    .replace(/provider = "sqlite"/, 'provider = "postgresql"')
    .replace('output       = "../app/generated/sqlite"', 'output       = "../../app/generated/postgres"')
    .replace(/^\/\/ The one data model[^\n]*\n\/\/[^\n]*\n/m, "// GENERATED from ../schema.prisma by writePostgresSchema() in scripts/lib.mjs: do not edit.\n");
  if (out === src || !out.includes("postgresql") || !out.includes("app/generated/postgres")) {
    throw new Error("prisma/schema.prisma no longer matches what writePostgresSchema expects");
  }
  const target = path.join(root, "prisma", "postgres", "schema.prisma");
  fs.mkdirSync(path.dirname(target), { recursive: true });
  if (!fs.existsSync(target) || fs.readFileSync(target, "utf8") !== out) fs.writeFileSync(target, out);
}
