// The proof-of-work captcha with real challenges (solved here with altcha-lib's own solver at a low
// difficulty), its no-JavaScript fallback, and the honeypot's signed form time.
import { solveChallenge, type Challenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/sha";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { vi as t } from "~/i18n/vi";
import {
  CAPTCHA_TTL_MS,
  captchaMaxNumber,
  createCaptchaChallenge,
  createFallback,
  DEFAULT_MAX_NUMBER,
  FALLBACK_TTL_MS,
  verifyCaptcha,
  verifyFallback,
  verifyFormCaptcha,
} from "~/utils/captcha.server";
import { checkHoneypot, formTimeToken } from "~/utils/honeypot.server";

const SECRET = "unit-test-captcha-secret-0123456789abcdef";
beforeAll(() => {
  process.env.CAPTCHA_SECRET = SECRET;
  process.env.CAPTCHA_MAX_NUMBER = "300";
});
afterEach(() => {
  process.env.CAPTCHA_SECRET = SECRET;
  process.env.CAPTCHA_MAX_NUMBER = "300";
  delete process.env.FORM_MIN_SECONDS;
});

const encode = (p: unknown) => Buffer.from(JSON.stringify(p)).toString("base64");
const decode = (s: string) => JSON.parse(Buffer.from(s, "base64").toString("utf8")) as { challenge: Challenge; solution: { counter: number; derivedKey: string } };

async function solve(challenge: Challenge) {
  const solution = await solveChallenge({ challenge, deriveKey });
  expect(solution).not.toBeNull();
  return { payload: encode({ challenge, solution }), solution: solution! };
}

describe("ALTCHA challenges", () => {
  it("are signed SHA-256 challenges that expire after ten minutes", async () => {
    const now = Date.now();
    const c = await createCaptchaChallenge(now);
    expect(c.parameters.algorithm).toBe("SHA-256");
    expect(c.parameters.expiresAt).toBe(Math.floor((now + CAPTCHA_TTL_MS) / 1000));
    expect(c.signature).toMatch(/^[0-9a-f]{64}$/);
  });

  it("accept a solved challenge once; the same payload again is a replay", async () => {
    const { payload } = await solve(await createCaptchaChallenge());
    expect(await verifyCaptcha(payload)).toBeNull();
    expect(await verifyCaptcha(payload)).toBe("CAPTCHA_REPLAYED");
  });

  it("read the difficulty (CAPTCHA_MAX_NUMBER) at call time", async () => {
    process.env.CAPTCHA_MAX_NUMBER = "40";
    for (let i = 0; i < 5; i++) {
      const { solution } = await solve(await createCaptchaChallenge());
      expect(solution.counter).toBeLessThanOrEqual(40);
      expect(solution.counter).toBeGreaterThanOrEqual(4);
    }
    process.env.CAPTCHA_MAX_NUMBER = "not a number";
    expect(captchaMaxNumber()).toBe(DEFAULT_MAX_NUMBER);
    delete process.env.CAPTCHA_MAX_NUMBER;
    expect(captchaMaxNumber()).toBe(50_000);
  });

  it("refuse an expired challenge, even correctly solved", async () => {
    const { payload } = await solve(await createCaptchaChallenge(Date.now() - CAPTCHA_TTL_MS - 1000));
    expect(await verifyCaptcha(payload)).toBe("CAPTCHA_EXPIRED");
  });

  it("refuse tampered parameters, a forged signature, a wrong solution and another server's challenge", async () => {
    const { payload } = await solve(await createCaptchaChallenge());
    const p = decode(payload);
    const easier = { ...p, challenge: { ...p.challenge, parameters: { ...p.challenge.parameters, keyPrefix: "00" } } };
    expect(await verifyCaptcha(encode(easier))).toBe("CAPTCHA_INVALID");
    const later = { ...p, challenge: { ...p.challenge, parameters: { ...p.challenge.parameters, expiresAt: p.challenge.parameters.expiresAt! + 3600 } } };
    expect(await verifyCaptcha(encode(later))).toBe("CAPTCHA_INVALID");
    const forged = { ...p, challenge: { ...p.challenge, signature: "0".repeat(64) } };
    expect(await verifyCaptcha(encode(forged))).toBe("CAPTCHA_INVALID");
    const wrong = { ...p, solution: { ...p.solution, counter: p.solution.counter + 1 } };
    expect(await verifyCaptcha(encode(wrong))).toBe("CAPTCHA_INVALID");
    const badKey = { ...p, solution: { ...p.solution, derivedKey: "ab".repeat(32) } };
    expect(await verifyCaptcha(encode(badKey))).toBe("CAPTCHA_INVALID");
    // None of those spent the genuine payload.
    expect(await verifyCaptcha(payload)).toBeNull();

    process.env.CAPTCHA_SECRET = "another-deployment-secret-0123456789abcdef";
    const foreign = await solve(await createCaptchaChallenge());
    process.env.CAPTCHA_SECRET = SECRET;
    expect(await verifyCaptcha(foreign.payload)).toBe("CAPTCHA_INVALID");
  });

  it("tell a missing payload from a malformed one", async () => {
    for (const missing of [undefined, null, "", "   ", 42]) expect(await verifyCaptcha(missing)).toBe("CAPTCHA_REQUIRED");
    for (const bad of ["not base64 json", encode({ a: 1 }), encode([1, 2]), "x".repeat(5000)]) {
      expect(await verifyCaptcha(bad)).toBe("CAPTCHA_INVALID");
    }
    const { payload } = await solve(await createCaptchaChallenge());
    const p = decode(payload);
    const otherAlgorithm = { ...p, challenge: { ...p.challenge, parameters: { ...p.challenge.parameters, algorithm: "PBKDF2/SHA-256" } } };
    expect(await verifyCaptcha(encode(otherAlgorithm))).toBe("CAPTCHA_INVALID");
  });
});

/** The answer to a fallback question, found the way a person reads it. */
function answerOf(question: string): number {
  for (let a = 0; a <= 20; a++) {
    for (let b = 0; b <= 20; b++) {
      if (t.abuse.fallbackQuestion(a, "+", b) === question) return a + b;
      if (t.abuse.fallbackQuestion(a, "-", b) === question) return a - b;
    }
  }
  throw new Error(`not a fallback question: ${question}`);
}

describe("the no-JavaScript fallback question", () => {
  it("is a small sum in Vietnamese words, answered once in digits", async () => {
    const f = createFallback();
    expect(f.question).toMatch(/^[A-ZĐ\p{Lu}][\p{L} ]+ (cộng|trừ) [\p{L} ]+ bằng bao nhiêu\?$/u);
    const answer = answerOf(f.question);
    expect(answer).toBeGreaterThanOrEqual(0);
    expect(await verifyFallback(f.token, ` ${answer} `)).toBeNull();
    expect(await verifyFallback(f.token, String(answer))).toBe("CAPTCHA_REPLAYED");
  });

  it("burns the token on a wrong answer, so answers cannot be tried one by one", async () => {
    const f = createFallback();
    const answer = answerOf(f.question);
    expect(await verifyFallback(f.token, String(answer + 1))).toBe("CAPTCHA_INVALID");
    expect(await verifyFallback(f.token, String(answer))).toBe("CAPTCHA_REPLAYED");
    const g = createFallback();
    expect(await verifyFallback(g.token, "")).toBe("CAPTCHA_REQUIRED");
    expect(await verifyFallback(g.token, String(answerOf(g.question)))).toBe("CAPTCHA_REPLAYED");
  });

  it("refuses expired, forged and missing tokens", async () => {
    const old = createFallback(Date.now() - FALLBACK_TTL_MS - 1000);
    expect(await verifyFallback(old.token, String(answerOf(old.question)))).toBe("CAPTCHA_EXPIRED");
    const f = createFallback();
    const [, nonce, s1, s2] = f.token.split(".");
    expect(await verifyFallback(`${Date.now() + 10 * FALLBACK_TTL_MS}.${nonce}.${s1}.${s2}`, String(answerOf(f.question)))).toBe("CAPTCHA_INVALID");
    expect(await verifyFallback("1.2.3", "4")).toBe("CAPTCHA_INVALID");
    expect(await verifyFallback(undefined, "4")).toBe("CAPTCHA_REQUIRED");
    // The forged copies did not burn the genuine token.
    expect(await verifyFallback(f.token, String(answerOf(f.question)))).toBeNull();
  });

  it("is what a form falls back to when it carries no widget payload", async () => {
    const f = createFallback();
    const form = new FormData();
    form.set("captcha", "");
    form.set("captchaToken", f.token);
    form.set("captchaAnswer", String(answerOf(f.question)));
    expect(await verifyFormCaptcha(form)).toBeNull();
    expect(await verifyFormCaptcha(new FormData())).toBe("CAPTCHA_REQUIRED");
    const widget = new FormData();
    widget.set("captcha", (await solve(await createCaptchaChallenge())).payload);
    expect(await verifyFormCaptcha(widget)).toBeNull();
  });
});

describe("the honeypot", () => {
  const form = (fields: Record<string, string>) => {
    const f = new FormData();
    for (const [k, v] of Object.entries(fields)) f.set(k, v);
    return f;
  };
  const now = Date.now();

  it("lets a person's form through: field empty, rendered a while ago (however long ago)", () => {
    expect(checkHoneypot(form({ website: "", formStartedAt: formTimeToken(now - 5000) }), now)).toBe("ok");
    expect(checkHoneypot(form({ website: "", formStartedAt: formTimeToken(now - 3 * 86_400_000) }), now)).toBe("ok");
  });

  it("catches a filled trap field, a form sent back too soon, and a missing or forged time", () => {
    expect(checkHoneypot(form({ website: "http://spam.example", formStartedAt: formTimeToken(now - 5000) }), now)).toBe("filled");
    expect(checkHoneypot(form({ website: "", formStartedAt: formTimeToken(now - 500) }), now)).toBe("too_fast");
    expect(checkHoneypot(form({ website: "" }), now)).toBe("invalid");
    const [ms, sig] = formTimeToken(now - 5000).split(".");
    expect(checkHoneypot(form({ formStartedAt: `${Number(ms) - 60_000}.${sig}` }), now)).toBe("invalid");
    expect(checkHoneypot(form({ formStartedAt: `${ms}.forged` }), now)).toBe("invalid");
    expect(checkHoneypot(form({ formStartedAt: formTimeToken(now + 60_000) }), now)).toBe("invalid");
  });

  it("takes its minimum time from FORM_MIN_SECONDS", () => {
    process.env.FORM_MIN_SECONDS = "0";
    expect(checkHoneypot(form({ formStartedAt: formTimeToken(now) }), now)).toBe("ok");
    process.env.FORM_MIN_SECONDS = "10";
    expect(checkHoneypot(form({ formStartedAt: formTimeToken(now - 5000) }), now)).toBe("too_fast");
  });
});
