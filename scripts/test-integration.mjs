// Runs the integration suite on SQLite and, when TEST_POSTGRES_URL is set, again on PostgreSQL.
import { bin, run } from "./lib.mjs";

const extra = process.argv.slice(2);
console.log("▶ integration tests on SQLite");
run(bin("vitest"), ["run", "--project", "integration", ...extra], { TEST_DB: "sqlite" });
if (process.env.TEST_POSTGRES_URL) {
  console.log("▶ integration tests on PostgreSQL");
  // One worker: the files share one database (each test still uses its own unique identities).
  run(bin("vitest"), ["run", "--project", "integration", "--no-file-parallelism", ...extra], { TEST_DB: "postgres" });
} else {
  console.log("(TEST_POSTGRES_URL is not set: the PostgreSQL run is skipped)");
}
