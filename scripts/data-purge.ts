// npm run data:purge -- --contest <contestId> --before <YYYY-MM-DD> [--dry-run]
// Anonymises the personal data of the contest's non-winners (see app/models/privacy.server.ts and
// README, Data protection). Refuses while a round is open or a complaint window has not ended by
// the cut-off date. Take a backup first (npm run backup): this cannot be undone.
import { parseArgs } from "node:util";
import { parseCutoff } from "~/domain/retention";
import { purgeContestPersonalData } from "~/models/privacy.server";
import { disconnectDb } from "~/utils/db.server";

const USAGE = "Usage: npm run data:purge -- --contest <contestId> --before <YYYY-MM-DD> [--dry-run]";

let values: { contest?: string; before?: string; "dry-run"?: boolean };
try {
  ({ values } = parseArgs({ options: { contest: { type: "string" }, before: { type: "string" }, "dry-run": { type: "boolean" } } }));
} catch (e) {
  console.error(`✗ ${(e as Error).message}\n${USAGE}`);
  process.exit(2);
}
const before = values.before ? parseCutoff(values.before) : null;
if (!values.contest || !before) {
  console.error(`✗ ${!values.contest ? "--contest is required" : "--before must be a date YYYY-MM-DD"}.\n${USAGE}`);
  process.exit(2);
}
const dryRun = values["dry-run"] === true;

const r = await purgeContestPersonalData({ contestId: values.contest, before, now: new Date(), dryRun });
await disconnectDb();
if (r.refusals.length) {
  console.error(`✗ Not purged (nothing was changed):\n${r.refusals.map((s) => `  - ${s}`).join("\n")}`);
  process.exit(1);
}
console.log(`${dryRun ? "Dry run: would anonymise" : "✓ Anonymised"} ${r.anonymised} contestant(s) of ${r.participants}.`);
console.log(`  kept: ${r.winners} prize holder(s), ${r.activeLater} active on or after ${values.before}; ${r.alreadyAnonymised} already anonymised`);
