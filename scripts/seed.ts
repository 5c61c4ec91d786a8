// Loads reference data (always) and, on a first start outside production, the demo contest.
// Runs after `prisma migrate deploy` in scripts/prepare-db.mjs; safe to run any number of times.
import { syncCommunes } from "~/models/commune.server";
import { backfillQuestionKeys } from "~/models/question-bank.server";
import { isEmptyDatabase, seedDemo } from "~/models/seed.server";
import { backfillStandings } from "~/models/standing.server";
import { disconnectDb } from "~/utils/db.server";

const production = process.env.NODE_ENV === "production";
const changed = await syncCommunes();
if (changed) console.log(`✓ Communes: ${changed} of the 135 units loaded or updated.`);
const backfilled = await backfillQuestionKeys();
if (backfilled) console.log(`✓ Search and duplicate keys filled for ${backfilled} questions.`);
const standings = await backfillStandings();
if (standings) console.log(`✓ Standings built for ${standings} contestants.`);

if (!production && process.env.SEED_DEMO !== "false" && (await isEmptyDatabase())) {
  const credentials = await seedDemo(new Date());
  console.log("\n✓ Demo contest created. Demo staff accounts (shown only this once; reset with npm run user:create):");
  for (const c of credentials) console.log(`  ${c.role.padEnd(16)} ${c.email.padEnd(24)} ${c.password}`);
  console.log("");
}
await disconnectDb();
