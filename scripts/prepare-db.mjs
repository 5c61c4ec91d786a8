// Brings the database up to date: applies pending migrations (never drops data), then loads
// reference data and, on a first start outside production, the demo contest.
import fs from "node:fs";
import path from "node:path";
import { bin, isPostgres, loadEnv, root, run } from "./lib.mjs";

const env = loadEnv();
if (!isPostgres(env.DATABASE_URL)) {
  fs.mkdirSync(path.dirname(path.resolve(root, env.DATABASE_URL.replace(/^file:/, ""))), { recursive: true });
}
run(bin("prisma"), ["migrate", "deploy"], { PRISMA_HIDE_UPDATE_MESSAGE: "1" });
run(bin("tsx"), ["scripts/seed.ts"]);
