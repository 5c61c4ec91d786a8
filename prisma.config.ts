// Prisma CLI configuration. Which schema (and migrations folder) applies follows DATABASE_URL:
// a postgresql:// URL selects prisma/postgres, anything else the default SQLite file.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";

const root = path.dirname(fileURLToPath(import.meta.url));
if (fs.existsSync(path.join(root, ".env"))) process.loadEnvFile(path.join(root, ".env"));

// Prisma's CLI would download a native schema engine; ours speaks the same protocol through
// @prisma/schema-engine-wasm (see prisma/schema-engine.mjs). A native engine set by the user wins.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(root, "prisma", "schema-engine.mjs");

const url = process.env.DATABASE_URL || "file:./data/contest.db";
const postgres = /^postgres(ql)?:\/\//.test(url);
const dir = postgres ? "prisma/postgres" : "prisma";

export default defineConfig({
  schema: `${dir}/schema.prisma`,
  migrations: { path: `${dir}/migrations` },
  datasource: { url },
});
