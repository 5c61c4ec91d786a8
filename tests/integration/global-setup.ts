// Builds the database the integration suite runs on, once per run, with the app's own tools:
// `prisma migrate deploy` and the seed script (reference data only, no demo contest).
// SQLite (default): a migrated base file that every test file copies. PostgreSQL
// (TEST_DB=postgres): the database at TEST_POSTGRES_URL, migrated in place.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";

const root = path.resolve(__dirname, "..", "..");
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

function run(cmd: string, args: string[], env: Record<string, string>) {
  const r = spawnSync(cmd, args, { cwd: root, env: { ...process.env, ...env }, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
}

declare module "vitest" {
  export interface ProvidedContext {
    engine: "sqlite" | "postgres";
    databaseUrl: string;
  }
}

export default function setup(project: TestProject) {
  const postgres = process.env.TEST_DB === "postgres";
  let url: string;
  if (postgres) {
    url = process.env.TEST_POSTGRES_URL ?? "";
    if (!/^postgres(ql)?:\/\//.test(url)) throw new Error("TEST_DB=postgres needs TEST_POSTGRES_URL=postgresql://…");
  } else {
    const dir = path.join(root, "tests", ".tmp");
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `base-${process.pid}.db`);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    url = `file:${file}`;
  }
  const env = { DATABASE_URL: url, SEED_DEMO: "false", PRISMA_HIDE_UPDATE_MESSAGE: "1" };
  run(bin("prisma"), ["migrate", "deploy"], env);
  run(bin("tsx"), ["scripts/seed.ts"], env);
  project.provide("engine", postgres ? "postgres" : "sqlite");
  project.provide("databaseUrl", url);
  return () => {
    if (!postgres) for (const f of [url.slice(5), `${url.slice(5)}-wal`, `${url.slice(5)}-shm`]) fs.rmSync(f, { force: true });
  };
}
