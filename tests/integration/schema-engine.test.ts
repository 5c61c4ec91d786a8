// Prisma's CLI runs here on prisma/schema-engine.mjs (the wasm engine behind the native engine's
// protocol). These tests run the real CLI commands the README promises against the suite's database.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { writePostgresSchema } from "../../scripts/lib.mjs";

const root = path.resolve(__dirname, "..", "..");
const prisma = (args: string[], env: Record<string, string | undefined> = {}) =>
  spawnSync(path.join(root, "node_modules", ".bin", "prisma"), args, {
    cwd: root,
    env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", ...env },
    encoding: "utf8",
  });

const engine = inject("engine");

describe("Prisma CLI through the wasm schema engine", () => {
  it("reports the engine version the CLI expects", () => {
    const r = spawnSync(process.execPath, [path.join(root, "prisma", "schema-engine.mjs"), "--version"], { encoding: "utf8", cwd: root });
    expect(r.status).toBe(0);
    const { enginesVersion } = JSON.parse(fs.readFileSync(path.join(root, "node_modules/@prisma/engines-version/package.json"), "utf8")).prisma ?? {};
    expect(r.stdout).toContain(enginesVersion ?? "schema-engine-cli");
  });

  it("sees the database migrated and up to date (migrate status)", () => {
    const r = prisma(["migrate", "status"]);
    expect(r.stdout + r.stderr).toMatch(/Database schema is up to date/);
    expect(r.status).toBe(0);
  }, 60_000);

  it("finds no difference between the migrated database and the schema: every change has its migration", () => {
    const schema = engine === "postgres" ? "prisma/postgres/schema.prisma" : "prisma/schema.prisma";
    const r = prisma(["migrate", "diff", "--from-config-datasource", "--to-schema", schema, "--exit-code"]);
    expect(r.stdout + r.stderr).toMatch(/No difference detected/);
    expect(r.status).toBe(0);
  }, 60_000);

  it("keeps the PostgreSQL schema generated from the SQLite one", () => {
    const file = path.join(root, "prisma", "postgres", "schema.prisma");
    const before = fs.readFileSync(file, "utf8");
    writePostgresSchema();
    expect(fs.readFileSync(file, "utf8")).toBe(before);
  });

  it.runIf(engine === "sqlite")("creates, migrates and resets a fresh SQLite file (deploy, reset)", () => {
    const dir = fs.mkdtempSync(path.join(root, "tests", ".tmp", "engine-"));
    const url = `file:${path.join(dir, "fresh.db")}`;
    try {
      const deploy = prisma(["migrate", "deploy"], { DATABASE_URL: url });
      expect(deploy.stdout).toMatch(/successfully applied|No pending migrations/);
      expect(deploy.status).toBe(0);
      const reset = prisma(["migrate", "reset", "--force"], { DATABASE_URL: url });
      expect(reset.status, reset.stderr).toBe(0);
      const status = prisma(["migrate", "status"], { DATABASE_URL: url });
      expect(status.stdout).toMatch(/Database schema is up to date/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
