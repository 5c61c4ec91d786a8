// The registration and login rules, shared by the web form and the JSON API.
import { z } from "zod";
import { vi } from "../i18n/vi";
import { normalizePhone, validateBirthDate, validateNationalId } from "./identity";
import { GROUPS } from "./roles";

export const MIN_AGE = 6;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

const E = vi.errors;
const text = (max: number, message: string) =>
  z
    .string({ error: E.required })
    .transform((s) => s.normalize("NFC").replace(/\s+/g, " ").trim())
    .pipe(z.string().min(1, E.required).max(max, message));
const optionalText = (max: number, message: string) =>
  z
    .string({ error: message })
    .optional()
    .nullable()
    .transform((s) => (s ?? "").normalize("NFC").replace(/\s+/g, " ").trim())
    .pipe(z.string().max(max, message))
    .transform((s) => s || undefined);

// Letters (any script, with combining marks), spaces, apostrophes and hyphens: real names only.
const FULL_NAME = /^[\p{L}\p{M}][\p{L}\p{M}' -]*[\p{L}\p{M}]$/u;

export const fullNameSchema = text(100, E.fullName).refine((s) => s.length >= 2 && FULL_NAME.test(s), E.fullName);

export const emailSchema = z
  .string({ error: E.email })
  .trim()
  .toLowerCase()
  .max(254, E.email)
  .pipe(z.email(E.email));

export const passwordSchema = z
  .string({ error: E.password })
  .min(PASSWORD_MIN, E.password)
  .max(PASSWORD_MAX, E.password);

/** The registration form/API. `today` (YYYY-MM-DD, contest time zone) bounds the birth date. */
export function registrationSchema(today: string) {
  return z
    .object({
      fullName: fullNameSchema,
      nationalId: z.string({ error: E.NATIONAL_ID_FORMAT }),
      phone: z.string({ error: E.PHONE_FORMAT }),
      email: z
        .union([z.literal(""), emailSchema], { error: E.email })
        .optional()
        .nullable()
        .transform((s) => s || undefined),
      birthDate: z.string({ error: E.BIRTH_DATE_INVALID }),
      gender: z.enum(["male", "female"], { error: E.gender }),
      communeCode: z.string({ error: E.commune }).regex(/^\d{5}$/, E.commune),
      group: z.enum(GROUPS, { error: E.group }),
      workplace: optionalText(200, E.workplace),
      password: passwordSchema,
      // Only the web form asks for it twice; the API may omit it.
      passwordConfirm: z.string().optional(),
    })
    .transform((v, ctx) => {
      const birth = validateBirthDate(v.birthDate.trim(), today, MIN_AGE);
      if (!birth.ok) ctx.addIssue({ code: "custom", path: ["birthDate"], message: E[birth.error] });
      const id = validateNationalId({ nationalId: v.nationalId, birthDate: v.birthDate.trim(), gender: v.gender });
      if (!id.ok && !(id.error === "BIRTH_DATE_INVALID" && !birth.ok)) {
        ctx.addIssue({ code: "custom", path: ["nationalId"], message: E[id.error] });
      }
      const phone = normalizePhone(v.phone);
      if (!phone.ok) ctx.addIssue({ code: "custom", path: ["phone"], message: E[phone.error] });
      if (v.passwordConfirm !== undefined && v.passwordConfirm !== v.password) {
        ctx.addIssue({ code: "custom", path: ["passwordConfirm"], message: E.passwordConfirm });
      }
      if (!birth.ok || !id.ok || !phone.ok) return z.NEVER;
      const { passwordConfirm: _confirm, ...rest } = v;
      return { ...rest, birthDate: birth.value, nationalId: id.value, phone: phone.value };
    });
}

export type Registration = z.output<ReturnType<typeof registrationSchema>>;

export const loginSchema = z.object({
  identifier: z
    .string({ error: E.identifier })
    .trim()
    .min(1, E.identifier)
    .max(254, E.identifier),
  password: z.string({ error: E.password }).min(1, E.password).max(PASSWORD_MAX, E.password),
});

export type LoginIdentifier =
  | { kind: "phone"; value: string }
  | { kind: "nationalId"; value: string }
  | { kind: "email"; value: string };

/** What a login identifier is: an e-mail, a 12-digit CCCD, or a phone number in any usual form. */
export function classifyIdentifier(raw: string): LoginIdentifier | null {
  const s = raw.trim();
  if (s.includes("@")) return { kind: "email", value: s.toLowerCase() };
  const digits = s.replace(/\s+/g, "");
  if (/^\d{12}$/.test(digits)) return { kind: "nationalId", value: digits };
  const phone = normalizePhone(s);
  return phone.ok ? { kind: "phone", value: phone.value } : null;
}

/** Field errors as {field: first message}, for forms and the API's `fields`. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : "_form";
    out[key] ??= issue.message;
  }
  return out;
}
