// The registration and login rules, shared by the web form and the JSON API.
import { z } from "zod";
import { vi } from "../i18n/vi";
import { checkNationalIdShape, normalizePhone, validateBirthDate, validateNationalId } from "./identity";
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

const trimmed = (message: string) =>
  z.string({ error: message }).transform((s) => s.normalize("NFC").trim());

/** Each field checks itself, so one submission reports every field's problem at once. */
function registrationFields(today: string) {
  return z.object({
    fullName: fullNameSchema,
    nationalId: z
      .string({ error: (iss) => (iss.input == null ? E.required : E.NATIONAL_ID_FORMAT) })
      .refine((s) => s.trim() !== "", E.required)
      .transform((s, ctx) => {
        const r = checkNationalIdShape(s);
        if (r.ok) return r.value;
        ctx.addIssue({ code: "custom", message: E[r.error] });
        return z.NEVER;
      }),
    phone: z
      .string({ error: (iss) => (iss.input == null ? E.required : E.PHONE_FORMAT) })
      .refine((s) => s.trim() !== "", E.required)
      .transform((s, ctx) => {
        const r = normalizePhone(s);
        if (r.ok) return r.value;
        ctx.addIssue({ code: "custom", message: E[r.error] });
        return z.NEVER;
      }),
    email: z
      .union([z.literal(""), emailSchema], { error: E.email })
      .optional()
      .nullable()
      .transform((s) => s || undefined),
    birthDate: trimmed(E.BIRTH_DATE_INVALID).transform((s, ctx) => {
      const r = validateBirthDate(s, today, MIN_AGE);
      if (r.ok) return r.value;
      ctx.addIssue({ code: "custom", message: E[r.error] });
      return z.NEVER;
    }),
    gender: z.enum(["male", "female"], { error: E.gender }),
    communeCode: z.string({ error: E.commune }).regex(/^\d{5}$/, E.commune),
    group: z.enum(GROUPS, { error: E.group }),
    workplace: optionalText(200, E.workplace),
    password: passwordSchema,
    // Only the web form asks for it twice; the API may omit it.
    passwordConfirm: z.string().optional(),
  });
}

export type Registration = Omit<z.output<ReturnType<typeof registrationFields>>, "passwordConfirm">;

export type RegistrationCheck = { ok: true; value: Registration } | { ok: false; fields: Record<string, string> };

/**
 * The registration rules for the form and the API. `today` (YYYY-MM-DD, contest time zone) bounds
 * the birth date. Field checks first, then the checks across fields (the CCCD's gender/century and
 * birth-year digits, the repeated password), all reported together.
 */
export function validateRegistration(input: unknown, today: string): RegistrationCheck {
  const obj = (input !== null && typeof input === "object" && !Array.isArray(input) ? input : {}) as Record<string, unknown>;
  const schema = registrationFields(today);
  const parsed = schema.safeParse(obj);
  const fields = parsed.success ? {} : fieldErrors(parsed.error);

  const id = schema.shape.nationalId.safeParse(obj.nationalId);
  const birth = schema.shape.birthDate.safeParse(obj.birthDate);
  const gender = schema.shape.gender.safeParse(obj.gender);
  if (id.success && birth.success && gender.success) {
    const r = validateNationalId({ nationalId: id.data, birthDate: birth.data, gender: gender.data });
    if (!r.ok) fields.nationalId = E[r.error];
  }
  if (typeof obj.passwordConfirm === "string" && obj.passwordConfirm !== obj.password) {
    fields.passwordConfirm = E.passwordConfirm;
  }
  if (!parsed.success || Object.keys(fields).length > 0) return { ok: false, fields };
  const { passwordConfirm: _confirm, ...value } = parsed.data;
  return { ok: true, value };
}

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
