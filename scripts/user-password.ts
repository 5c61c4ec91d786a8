// npm run user:password -- --email a@b.vn [--password '…']     (or --phone 0912345678, or --cccd …)
// Sets a new password on an existing account (staff, or a contestant who called the hotline) and
// ends every session of that account. Without --password a random one is generated and printed
// once: safer than typing one into the shell's history.
import { randomInt } from "node:crypto";
import { parseArgs } from "node:util";
import { classifyIdentifier, passwordSchema, type LoginIdentifier } from "~/domain/registration";
import { resetPassword } from "~/models/user.server";
import { disconnectDb } from "~/utils/db.server";

const USAGE = "Usage: npm run user:password -- (--email <email> | --phone <phone> | --cccd <12 digits>) [--password <new password>]";

let values: { email?: string; phone?: string; cccd?: string; password?: string };
try {
  ({ values } = parseArgs({
    options: { email: { type: "string" }, phone: { type: "string" }, cccd: { type: "string" }, password: { type: "string" } },
  }));
} catch (e) {
  console.error(`✗ ${(e as Error).message}\n${USAGE}`);
  process.exit(2);
}

const given = (["email", "phone", "cccd"] as const).filter((k) => values[k] !== undefined);
if (given.length !== 1) {
  console.error(`✗ Name the account with exactly one of --email, --phone, --cccd.\n${USAGE}`);
  process.exit(2);
}
const kind = given[0];
const raw = String(values[kind]);
const identifier: LoginIdentifier | null = classifyIdentifier(raw);
const expected = { email: "email", phone: "phone", cccd: "nationalId" }[kind];
if (!identifier || identifier.kind !== expected) {
  console.error(`✗ --${kind}: "${raw}" is not a valid ${kind === "cccd" ? "12-digit CCCD" : kind}.`);
  process.exit(2);
}

/** 16 characters from an alphabet without look-alikes (no 0/O, 1/l/I): easy to read out on the phone. */
function generatePassword(length = 16): string {
  const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join("");
}

const generated = values.password === undefined;
const password = values.password ?? generatePassword();
const check = passwordSchema.safeParse(password);
if (!check.success) {
  console.error(`✗ --password: ${check.error.issues[0]?.message}`);
  process.exit(2);
}

const user = await resetPassword(identifier, password);
await disconnectDb();
if (!user) {
  console.error(`✗ No account with that ${kind}.`);
  process.exit(1);
}
console.log(`✓ New password set for ${user.role} ${user.fullName} (id ${user.id}); ${user.sessionsEnded} session(s) ended.`);
if (generated) console.log(`  Password: ${password}\n  (shown once: hand it over in person or by phone, and ask for a change at the first login)`);
