import { solveChallenge, type Challenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/sha";
import { createHash, createHmac, randomBytes, randomInt } from "node:crypto";
import * as captchaApi from "~/routes/api.v1.captcha";
import { abuseSecret, CAPTCHA_ALGORITHM } from "~/utils/captcha.server";
import { formTimeToken } from "~/utils/honeypot.server";

export const ORIGIN = "http://localhost:3000";

// Low proof-of-work difficulty for the challenges this suite asks for (read at call time).
process.env.CAPTCHA_MAX_NUMBER ??= "500";

/** A valid, unique contestant (CCCD consistent with gender and birth year; a fresh mobile number). */
export function newContestant(overrides: Record<string, unknown> = {}): Record<string, string> & { email?: string } {
  const female = randomInt(2) === 1;
  const year = 1960 + randomInt(45);
  const centuryDigit = (year >= 2000 ? 2 : 0) + (female ? 1 : 0);
  const nationalId = `064${centuryDigit}${String(year % 100).padStart(2, "0")}${String(randomInt(1_000_000)).padStart(6, "0")}`;
  const phone = `09${[1, 3, 4, 6, 7, 8][randomInt(6)]}${String(randomInt(10_000_000)).padStart(7, "0")}`;
  return {
    fullName: female ? "Trần Thị Bích Ngọc" : "Nguyễn Văn Đức",
    nationalId,
    phone,
    birthDate: `${year}-0${1 + randomInt(9)}-1${randomInt(10)}`,
    gender: female ? "female" : "male",
    communeCode: "21583",
    group: "citizen",
    password: "mat-khau-thi-sinh",
    captcha: mintedCaptcha(),
    ...overrides,
  } as Record<string, string> & { email?: string };
}

type Init = { method?: string; json?: unknown; body?: BodyInit; cookie?: string; headers?: Record<string, string> };

export function req(path: string, init: Init = {}): Request {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set("Cookie", init.cookie);
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    if (!headers.has("Content-Type")) headers.set("Content-Type", "application/json");
  }
  return new Request(`${ORIGIN}${path}`, { method: init.method ?? (body ? "POST" : "GET"), headers, body });
}

/** The cookie a browser would send back after this response. */
export function cookieOf(res: Response): string {
  const set = res.headers.get("Set-Cookie");
  if (!set) throw new Error("no Set-Cookie on the response");
  return set.split(";")[0];
}

export const args = (request: Request, params: Record<string, string> = {}, context: Record<string, unknown> = {}) =>
  ({ request, params, context }) as never;

/**
 * A solved captcha payload, made on the spot: a challenge in ALTCHA's v2 format (SHA-256, cost 1)
 * signed with the server's key, whose counter the test picks instead of searching for it, so that
 * synchronous fixtures like `newContestant()` can carry one. Each is new, so none is a replay.
 * `solvedCaptcha()` goes the real way: GET /api/v1/captcha, then altcha-lib's solver.
 */
export function mintedCaptcha(now = Date.now()): string {
  const nonce = randomBytes(16);
  const salt = randomBytes(16);
  const counter = randomInt(1000);
  const counterBytes = Buffer.alloc(4);
  counterBytes.writeUInt32BE(counter);
  const key = createHash("sha256").update(Buffer.concat([salt, nonce, counterBytes])).digest();
  const parameters = {
    algorithm: CAPTCHA_ALGORITHM,
    cost: 1,
    expiresAt: Math.floor(now / 1000) + 600,
    keyLength: 32,
    keyPrefix: key.subarray(0, 16).toString("hex"),
    nonce: nonce.toString("hex"),
    salt: salt.toString("hex"),
  }; // keys in sorted order, as altcha-lib signs them
  const signature = createHmac("sha256", abuseSecret("altcha")).update(JSON.stringify(parameters)).digest("hex");
  const payload = { challenge: { parameters, signature }, solution: { counter, derivedKey: key.toString("hex") } };
  return Buffer.from(JSON.stringify(payload)).toString("base64");
}

/** Asks the captcha endpoint for a challenge and solves it like the browser's widget does. */
export async function solvedCaptcha(): Promise<string> {
  const res = await captchaApi.loader(args(req("/api/v1/captcha")));
  if (res.status !== 200) throw new Error(`GET /api/v1/captcha answered ${res.status}`);
  const challenge = (await res.json()) as Challenge;
  const solution = await solveChallenge({ challenge, deriveKey });
  if (!solution) throw new Error("could not solve the captcha challenge");
  return Buffer.from(JSON.stringify({ challenge, solution })).toString("base64");
}

/** A JSON body with a solved captcha added (an explicit `captcha` in it wins). */
export const withCaptcha = (json: unknown) =>
  json !== null && typeof json === "object" && !Array.isArray(json) ? { captcha: mintedCaptcha(), ...json } : json;

/** The body of POST /api/v1/auth/login, captcha included. */
export const loginBody = (identifier: string, password: string) => ({ identifier, password, captcha: mintedCaptcha() });

/** The guard fields a rendered public form carries: a solved captcha and a render time a minute ago. */
export const formGuards = (now = Date.now()) => ({ captcha: mintedCaptcha(now), formStartedAt: formTimeToken(now - 60_000) });
