// Creates a migration for BOTH engines from the one schema: `npm run db:migrate:dev -- --name add_x`.
// SQLite migrates the development database (DATABASE_URL or ./data/contest.db); PostgreSQL migrates a
// scratch database (MIGRATE_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/cchc_migrate_dev).
import { bin, isPostgres, loadEnv, run, writePostgresSchema } from "./lib.mjs";

const env = loadEnv();
const args = process.argv.slice(2);
writePostgresSchema();
const sqliteUrl = isPostgres(env.DATABASE_URL) ? "file:./data/contest.db" : env.DATABASE_URL;
const pgUrl = env.MIGRATE_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/cchc_migrate_dev";
run(bin("prisma"), ["migrate", "dev", ...args], { DATABASE_URL: sqliteUrl });
run(bin("prisma"), ["migrate", "dev", ...args], { DATABASE_URL: pgUrl });
