// A self-hosted proof-of-work captcha (ALTCHA, protocol v2): the server hands out HMAC-signed
// challenges, the browser's <altcha-widget> finds the secret counter, the server checks the
// solution and remembers used challenges until they expire, so a solution works once.
// Without JavaScript the widget cannot run: the pages then ask a small sum written in words,
// signed into a hidden field (createFallback/verifyFallback), single-use as well.
import { createChallenge, verifySolution, type Challenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/sha";
import { createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { CAPTCHA_FIELD, FALLBACK_ANSWER_FIELD, FALLBACK_TOKEN_FIELD } from "~/components/captcha";
import { vi } from "~/i18n/vi";
import { env } from "./env.server";
import { claimShared } from "./rate-limit.server";

export const CAPTCHA_ALGORITHM = "SHA-256";
export const CAPTCHA_TTL_MS = 10 * 60_000;
/** The no-JavaScript question lives longer: the registration form takes a while to fill in by hand. */
export const FALLBACK_TTL_MS = 30 * 60_000;
export const DEFAULT_MAX_NUMBER = 50_000;
const MAX_PAYLOAD_CHARS = 4096;

export type CaptchaFailure = "CAPTCHA_REQUIRED" | "CAPTCHA_INVALID" | "CAPTCHA_EXPIRED" | "CAPTCHA_REPLAYED";

/**
 * The difficulty: the largest counter a browser may have to try (one SHA-256 each), read at call
 * time from CAPTCHA_MAX_NUMBER. 50,000 takes well under a second or two on a cheap phone.
 */
export function captchaMaxNumber(): number {
  const n = Number.parseInt(process.env.CAPTCHA_MAX_NUMBER ?? "", 10);
  return Number.isFinite(n) && n >= 1 ? Math.min(n, 100_000_000) : DEFAULT_MAX_NUMBER;
}

/**
 * A key for one purpose ("altcha", "fallback", "form-time"), derived from CAPTCHA_SECRET or, when
 * it is not set, from SESSION_SECRET, so every process of one deployment agrees without new setup.
 */
export function abuseSecret(purpose: string): string {
  const base = process.env.CAPTCHA_SECRET?.trim() || env().SESSION_SECRET;
  return createHmac("sha256", base).update(`cchc-contest/${purpose}`).digest("hex");
}

// ---------------------------------------------------------------------------------------------
// Used challenges: kept until they expire (memory; Redis or PostgreSQL, as the rate limits)

interface UsedStore {
  /** True the first time `key` is claimed before `expiresAtMs`, false afterwards. */
  claim(key: string, expiresAtMs: number, now: number): Promise<boolean>;
}

const MEMORY_CAP = 500_000;
function memoryStore(): UsedStore {
  const used = new Map<string, number>();
  let inserts = 0;
  return {
    async claim(key, expiresAtMs, now) {
      const seen = used.get(key);
      if (seen !== undefined && seen > now) return false;
      used.set(key, expiresAtMs);
      if (++inserts % 1000 === 0 || used.size > MEMORY_CAP) {
        for (const [k, exp] of used) if (exp <= now) used.delete(k);
        // Still too many live entries: forget the oldest (they are the closest to expiring).
        for (const k of used.keys()) {
          if (used.size <= MEMORY_CAP) break;
          used.delete(k);
        }
      }
      return true;
    },
  };
}

const memory = memoryStore();
const usedStore: UsedStore = {
  async claim(key, expiresAtMs, now) {
    // Shared by every process (Redis, or PostgreSQL's RateLimit table) when the rate limits are.
    const shared = await claimShared(`cchc:captcha:used:${key}`, expiresAtMs, now);
    return shared ?? memory.claim(key, expiresAtMs, now);
  },
};

// ---------------------------------------------------------------------------------------------
// ALTCHA

/** A new signed challenge, as `GET /api/v1/captcha` returns it and the widget expects it. */
export async function createCaptchaChallenge(now = Date.now()): Promise<Challenge> {
  const max = captchaMaxNumber();
  return createChallenge({
    algorithm: CAPTCHA_ALGORITHM,
    cost: 1,
    // Deterministic mode: the server picks the counter, the browser must find it by trying them all.
    counter: randomInt(Math.floor(max / 10), max + 1),
    deriveKey,
    expiresAt: new Date(now + CAPTCHA_TTL_MS),
    hmacSignatureSecret: abuseSecret("altcha"),
  });
}

type Payload = { challenge: Challenge; solution: { counter: number; derivedKey: string } };

function decodePayload(payload: string): Payload | null {
  try {
    const p = JSON.parse(Buffer.from(payload, "base64").toString("utf8")) as Payload;
    const params = p?.challenge?.parameters;
    if (!params || typeof params !== "object" || typeof p.challenge.signature !== "string") return null;
    if (params.algorithm !== CAPTCHA_ALGORITHM || typeof p.solution !== "object" || p.solution === null) return null;
    return p;
  } catch {
    return null;
  }
}

/**
 * Checks the base64 payload the widget puts in the form (or an API client in `captcha`): signed by
 * us, not expired, solved, and never used before. Null when it passes.
 */
export async function verifyCaptcha(payload: unknown, now = Date.now()): Promise<CaptchaFailure | null> {
  if (typeof payload !== "string" || payload.trim() === "") return "CAPTCHA_REQUIRED";
  if (payload.length > MAX_PAYLOAD_CHARS) return "CAPTCHA_INVALID";
  const p = decodePayload(payload.trim());
  if (!p) return "CAPTCHA_INVALID";
  const expiresAt = Number(p.challenge.parameters.expiresAt) * 1000;
  if (!Number.isFinite(expiresAt) || expiresAt <= now) return "CAPTCHA_EXPIRED";
  let verified = false;
  try {
    const r = await verifySolution({
      challenge: { parameters: p.challenge.parameters, signature: p.challenge.signature },
      solution: p.solution,
      deriveKey,
      hmacSignatureSecret: abuseSecret("altcha"),
    });
    if (r.expired) return "CAPTCHA_EXPIRED";
    verified = r.verified;
  } catch {
    verified = false;
  }
  if (!verified) return "CAPTCHA_INVALID";
  return (await usedStore.claim(`a:${p.challenge.signature}`, expiresAt, now)) ? null : "CAPTCHA_REPLAYED";
}

// ---------------------------------------------------------------------------------------------
// The no-JavaScript fallback

export type FallbackChallenge = { question: string; token: string };

const sign = (purpose: string, data: string) => createHmac("sha256", abuseSecret(purpose)).update(data).digest("base64url");
function sameSignature(a: string, b: string) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A sum of two small numbers in Vietnamese words; the token carries expiry, nonce and two signatures. */
export function createFallback(now = Date.now()): FallbackChallenge {
  const plus = randomInt(2) === 0;
  let a = randomInt(1, 11);
  let b = randomInt(1, 11);
  if (!plus && b > a) [a, b] = [b, a];
  const answer = plus ? a + b : a - b;
  const body = `${now + FALLBACK_TTL_MS}.${randomBytes(12).toString("base64url")}`;
  // The first signature proves the token is ours (checked before it is burned); the second binds the answer.
  const token = `${body}.${sign("fallback", body)}.${sign("fallback-answer", `${body}.${answer}`)}`;
  return { question: vi.abuse.fallbackQuestion(a, plus ? "+" : "-", b), token };
}

/** Checks the answer to a fallback question. The token is used up by any attempt, right or wrong. */
export async function verifyFallback(token: unknown, answer: unknown, now = Date.now()): Promise<CaptchaFailure | null> {
  if (typeof token !== "string" || token === "") return "CAPTCHA_REQUIRED";
  const parts = token.split(".");
  if (parts.length !== 4 || token.length > 300) return "CAPTCHA_INVALID";
  const [expires, nonce, tokenSig, answerSig] = parts;
  const body = `${expires}.${nonce}`;
  if (!sameSignature(tokenSig, sign("fallback", body))) return "CAPTCHA_INVALID";
  const expiresAt = Number(expires);
  if (!Number.isFinite(expiresAt) || expiresAt <= now) return "CAPTCHA_EXPIRED";
  if (!(await usedStore.claim(`f:${nonce}`, expiresAt, now))) return "CAPTCHA_REPLAYED";
  const given = typeof answer === "string" ? answer.trim() : "";
  if (!/^\d{1,3}$/.test(given)) return typeof answer === "string" && given === "" ? "CAPTCHA_REQUIRED" : "CAPTCHA_INVALID";
  return sameSignature(answerSig, sign("fallback-answer", `${body}.${Number(given)}`)) ? null : "CAPTCHA_INVALID";
}

/**
 * Pages: the widget's payload when there is one, else the fallback's answer. With neither the
 * answer is CAPTCHA_REQUIRED (typically a browser that submitted before its scripts had loaded).
 */
export async function verifyFormCaptcha(form: FormData, now = Date.now()): Promise<CaptchaFailure | null> {
  const payload = form.get(CAPTCHA_FIELD);
  if (typeof payload === "string" && payload.trim() !== "") return verifyCaptcha(payload, now);
  const token = form.get(FALLBACK_TOKEN_FIELD);
  if (typeof token === "string" && token !== "" && form.has(FALLBACK_ANSWER_FIELD)) {
    return verifyFallback(token, form.get(FALLBACK_ANSWER_FIELD), now);
  }
  return "CAPTCHA_REQUIRED";
}
