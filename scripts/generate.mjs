// Generates both Prisma clients (SQLite and PostgreSQL), so either DATABASE_URL works without a
// regeneration step. Runs on `npm install` (postinstall) and after a schema change.
import { bin, run, writePostgresSchema } from "./lib.mjs";

writePostgresSchema();
for (const schema of ["prisma/schema.prisma", "prisma/postgres/schema.prisma"]) {
  run(bin("prisma"), ["generate", "--schema", schema], { PRISMA_HIDE_UPDATE_MESSAGE: "1" });
}
