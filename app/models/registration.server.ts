// Registration as one function for the web form and the JSON API: validate, check the commune,
// create the account. Failures come back as values, never thrown, so both callers map them alike.
import { validateRegistration } from "~/domain/registration";
import { contestDate } from "~/domain/time";
import { vi, type ErrorCode } from "~/i18n/vi";
import { communeExists } from "./commune.server";
import { createContestant, DuplicateIdentityError, type PublicUser } from "./user.server";

export type RegistrationResult =
  | { ok: true; user: PublicUser }
  | { ok: false; status: 400 | 409; code: ErrorCode; fields: Record<string, string> };

const DUPLICATE_MESSAGE = {
  nationalId: vi.errors.DUPLICATE_NATIONAL_ID,
  phone: vi.errors.DUPLICATE_PHONE,
  email: vi.errors.DUPLICATE_EMAIL,
} as const;

/** Where the registration came from, kept for the judges (many accounts from one device or address). */
export interface RegistrationSource {
  ip?: string | null;
  deviceId?: string | null;
}

export async function registerContestant(input: unknown, now: Date, source: RegistrationSource = {}): Promise<RegistrationResult> {
  const parsed = validateRegistration(input, contestDate(now));
  if (!parsed.ok) return { ok: false, status: 400, code: "VALIDATION_FAILED", fields: parsed.fields };
  if (!(await communeExists(parsed.value.communeCode))) {
    return { ok: false, status: 400, code: "VALIDATION_FAILED", fields: { communeCode: vi.errors.commune } };
  }
  try {
    return { ok: true, user: await createContestant(parsed.value, source) };
  } catch (e) {
    if (!(e instanceof DuplicateIdentityError)) throw e;
    const fields = Object.fromEntries(e.fields.map((f) => [f, DUPLICATE_MESSAGE[f]]));
    return { ok: false, status: 409, code: "DUPLICATE_IDENTITY", fields };
  }
}
