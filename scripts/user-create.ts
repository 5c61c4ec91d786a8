// npm run user:create -- --role organizer --email a@b.vn --password '…' --name "Nguyễn Văn A" [--commune 21583]
// Creates a staff account, or resets the password of the existing one (and revokes its sessions).
import { parseArgs } from "node:util";
import { z } from "zod";
import { communeExists } from "~/models/commune.server";
import { upsertStaff } from "~/models/user.server";
import { emailSchema, fullNameSchema, passwordSchema } from "~/domain/registration";
import { STAFF_ROLES } from "~/domain/roles";
import { disconnectDb } from "~/utils/db.server";

const { values } = parseArgs({
  options: {
    role: { type: "string" },
    email: { type: "string" },
    password: { type: "string" },
    name: { type: "string" },
    commune: { type: "string" },
  },
});

const schema = z.object({
  role: z.enum(STAFF_ROLES as ["organizer", "judge", "commune_officer", "admin"], {
    error: `--role must be one of: ${STAFF_ROLES.join(", ")}`,
  }),
  email: emailSchema,
  password: passwordSchema,
  name: fullNameSchema,
  commune: z.string().regex(/^\d{5}$/).optional(),
});

const parsed = schema.safeParse(values);
if (!parsed.success) {
  for (const issue of parsed.error.issues) console.error(`✗ --${issue.path.join(".")}: ${issue.message}`);
  console.error('Usage: npm run user:create -- --role <role> --email <email> --password <password> --name "<full name>" [--commune <code>]');
  process.exit(2);
}
const v = parsed.data;
if (v.role === "commune_officer" && !v.commune) {
  console.error("✗ A commune_officer needs --commune <5-digit code>.");
  process.exit(2);
}
if (v.commune && !(await communeExists(v.commune))) {
  console.error(`✗ No commune with code ${v.commune}.`);
  process.exit(2);
}
const { user, created } = await upsertStaff({ role: v.role, email: v.email, password: v.password, fullName: v.name, communeCode: v.commune });
console.log(`✓ ${created ? "Created" : "Updated"} ${user.role} ${v.email} (id ${user.id}).`);
await disconnectDb();
