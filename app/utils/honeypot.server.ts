// Honeypot for the public forms (registration, login): a visually hidden text field people never
// see nor fill, and a signed "form rendered at" time. A filled field, a missing or forged time, or
// a form sent back sooner than a person could is refused with one neutral message.
import { createHmac, timingSafeEqual } from "node:crypto";
import { CAPTCHA_FIELD, FALLBACK_ANSWER_FIELD, FALLBACK_TOKEN_FIELD } from "~/components/captcha";
import { FORM_TIME_FIELD, HONEYPOT_FIELD } from "~/components/honeypot";
import { vi } from "~/i18n/vi";
import { abuseSecret, createFallback, verifyFormCaptcha, type CaptchaFailure } from "./captcha.server";

export { FORM_TIME_FIELD, HONEYPOT_FIELD };
export const DEFAULT_FORM_MIN_SECONDS = 2;

export type HoneypotResult = "ok" | "filled" | "too_fast" | "invalid";

/** Seconds a form must have been on screen before it is sent (FORM_MIN_SECONDS, read at call time). */
export function formMinSeconds(): number {
  const raw = process.env.FORM_MIN_SECONDS?.trim();
  const n = Number(raw);
  return raw && Number.isFinite(n) && n >= 0 ? n : DEFAULT_FORM_MIN_SECONDS;
}

const sign = (ms: number) => createHmac("sha256", abuseSecret("form-time")).update(String(ms)).digest("base64url");

/** The signed time the form was rendered, for its hidden field. */
export function formTimeToken(now = Date.now()): string {
  return `${now}.${sign(now)}`;
}

/** Checks the honeypot field and the form's age. Too old is fine: people leave tabs open. */
export function checkHoneypot(form: FormData, now = Date.now()): HoneypotResult {
  const trap = form.get(HONEYPOT_FIELD);
  if (typeof trap === "string" && trap !== "") return "filled";
  const token = form.get(FORM_TIME_FIELD);
  if (typeof token !== "string") return "invalid";
  const [ms, sig = ""] = token.split(".");
  const renderedAt = Number(ms);
  if (!/^\d{1,16}$/.test(ms ?? "")) return "invalid";
  const expected = Buffer.from(sign(renderedAt));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return "invalid";
  if (renderedAt > now + 1000) return "invalid";
  return now - renderedAt < formMinSeconds() * 1000 ? "too_fast" : "ok";
}

/** Everything a public form renders to be accepted: signed time, minimum wait, the no-JS question. */
export function formGuards(now = Date.now()) {
  return { formStartedAt: formTimeToken(now), minSeconds: formMinSeconds(), fallback: createFallback(now) };
}
export type FormGuards = ReturnType<typeof formGuards>;

export type GuardFailure = { code: "FORM_REJECTED" | CaptchaFailure; fields: Record<string, string> };

/**
 * The public forms' checks before anything touches an account: the honeypot, then the captcha
 * (the widget's payload, or the no-JS answer). Null when the form may proceed.
 */
export async function checkFormGuards(form: FormData, now = Date.now()): Promise<GuardFailure | null> {
  if (checkHoneypot(form, now) !== "ok") return { code: "FORM_REJECTED", fields: {} };
  const captcha = await verifyFormCaptcha(form, now);
  if (!captcha) return null;
  const usedFallback = !form.get(CAPTCHA_FIELD) && typeof form.get(FALLBACK_TOKEN_FIELD) === "string";
  if (!usedFallback) return { code: captcha, fields: {} };
  return { code: captcha, fields: { [FALLBACK_ANSWER_FIELD]: captcha === "CAPTCHA_REQUIRED" ? vi.errors.required : vi.abuse.fallbackWrong } };
}
