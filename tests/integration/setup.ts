// Per test file: its own copy of the migrated SQLite base (files run in parallel and never see each
// other's rows), or the shared PostgreSQL database, where tests use unique identities instead.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { afterAll, inject } from "vitest";

const engine = inject("engine");
const base = inject("databaseUrl");
let copy: string | undefined;

if (engine === "sqlite") {
  copy = base.slice("file:".length).replace(/base-\d+\.db$/, `file-${randomUUID()}.db`);
  fs.copyFileSync(base.slice("file:".length), copy);
  process.env.DATABASE_URL = `file:${copy}`;
} else {
  process.env.DATABASE_URL = base;
}
process.env.SESSION_SECRET = "integration-tests-secret-0123456789abcdef";

afterAll(async () => {
  const { disconnectDb } = await import("~/utils/db.server");
  await disconnectDb();
  if (copy) for (const f of [copy, `${copy}-wal`, `${copy}-shm`]) fs.rmSync(f, { force: true });
});
