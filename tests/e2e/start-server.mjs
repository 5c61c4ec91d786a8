// The end-to-end tests' web server: a fresh SQLite database under tests/.tmp/ on every run, then
// the ordinary `npm start` path (build if needed, migrate, seed the demo contest, serve).
// It runs scripts/start.mjs in this same process, so when Playwright stops the web server
// (SIGTERM to the process group, SIGKILL after a timeout) the app goes with it.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const url = process.env.DATABASE_URL ?? "";
const match = /^file:(.+)$/.exec(url);
if (!match) {
  console.error(`start-server.mjs: DATABASE_URL must be a SQLite file: URL, got "${url}"`);
  process.exit(1);
}
const dbFile = path.resolve(root, match[1]);
const tmpDir = path.join(root, "tests", ".tmp");
if (!dbFile.startsWith(tmpDir + path.sep)) {
  // Never delete a database outside tests/.tmp/, whatever the environment says.
  console.error(`start-server.mjs: refusing to reset ${dbFile}: not under ${tmpDir}`);
  process.exit(1);
}
fs.mkdirSync(path.dirname(dbFile), { recursive: true });
for (const suffix of ["", "-journal", "-wal", "-shm"]) fs.rmSync(dbFile + suffix, { force: true });

// The demo contest is seeded only outside production (the build itself is always a production
// one). Set explicitly so that a .env file, which scripts/lib.mjs loads without overriding, cannot
// turn the seed off.
process.env.NODE_ENV = "development";
process.env.SEED_DEMO = "true";

process.chdir(root);
await import("../../scripts/start.mjs");
