// A CI-sized run of the crash test (scripts/chaos.ts; `npm run chaos` is the full one): 40
// contestants × 15 answers and 3 late ones on the production server, killed with SIGKILL and
// restarted twice while answers are being saved. Every acknowledged answer must survive, and the
// attempts, standings and deadlines must be consistent afterwards (the script checks; it exits 1
// otherwise). It serves build/: skipped when the build is missing or older than the sources (run
// `npm run build` first), and on the PostgreSQL pass (`npm run chaos` covers PostgreSQL).
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { productionBuildReady } from "./build";

const root = path.resolve(__dirname, "..", "..");

const sqlite = inject("engine") === "sqlite";
const runnable = sqlite && productionBuildReady("chaos.test");

let child: ChildProcess | null = null;
afterAll(() => {
  // The script kills its worker and server on SIGTERM; their watchdogs cover the rest.
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
});

describe("crash safety (SIGKILL during answer saves)", () => {
  it.skipIf(!runnable)(
    "keeps every acknowledged answer, consistent attempts and standings, and deadlines across restarts",
    async () => {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        CHAOS_CLIENTS: "40",
        CHAOS_ANSWERS: "15",
        CHAOS_KILLS: "2",
        CHAOS_LATE: "3",
        CHAOS_LATE_CLOSE_MS: "8000",
        CHAOS_TIMEOUT_MS: "100000", // a hang fails with the script's diagnosis before the test's own timeout
        // The suite's migrated and seeded base file, copied by the script: no second migration.
        CHAOS_SQLITE_BASE: inject("databaseUrl"),
      };
      for (const k of ["CHAOS_DATABASE_URL", "BENCH_POSTGRES_URL", "CHAOS_BUILD", "CHAOS_KEEP_DB", "DATABASE_URL"]) delete env[k];
      let out = "";
      const code = await new Promise<number>((resolve) => {
        child = spawn(process.execPath, ["--import", "tsx", "scripts/chaos.ts"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
        child.stdout!.on("data", (c: Buffer) => (out += c.toString("utf8")));
        child.stderr!.on("data", (c: Buffer) => (out += c.toString("utf8")));
        child.on("exit", (c, s) => resolve(c ?? (s ? 128 : 1)));
      });
      const counts = /acknowledged (\d+), found (\d+), lost (\d+), retried (\d+), restarts (\d+)/.exec(out);
      expect(code, out).toBe(0);
      expect(counts, out).not.toBeNull();
      const [acknowledged, found, lost, , restarts] = counts!.slice(1).map(Number);
      expect(acknowledged).toBeGreaterThan(0);
      expect(found).toBe(acknowledged);
      expect(lost).toBe(0);
      expect(restarts).toBe(2);
      expect(out).toMatch(/late answers \(after deadline \+ grace\): 3\/3 refused with 409, 0 accepted/);
      expect(out).toMatch(/no leftover process/);
    },
    120_000,
  );
});
