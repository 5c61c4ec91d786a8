// The rate limiter's factory, its configuration and the login rule (failures only count), in
// memory; and, when TEST_REDIS_URL points at a Redis, counters shared by two "processes".
import { solveChallenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/sha";
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createCaptchaChallenge, verifyCaptcha } from "~/utils/captcha.server";
import {
  createRateLimits,
  DEFAULT_LIMITS,
  limitLogin,
  loginKey,
  parseRateLimitsEnv,
  RateLimitedError,
  redis,
  setRateLimits,
} from "~/utils/rate-limit.server";

afterEach(() => setRateLimits(null));

async function limited(p: Promise<unknown>): Promise<RateLimitedError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RateLimitedError) return e;
    throw e;
  }
  throw new Error("expected RateLimitedError");
}

describe("createRateLimits (memory)", () => {
  it("counts per key and answers with the seconds until the window ends", async () => {
    const l = createRateLimits({ limits: { register: { points: 2, seconds: 60 } } });
    await l.consume("register", "10.0.0.1");
    await l.consume("register", "10.0.0.1");
    const e = await limited(l.consume("register", "10.0.0.1"));
    expect(e.retryAfter).toBeGreaterThanOrEqual(59);
    expect(e.retryAfter).toBeLessThanOrEqual(60);
    // Another address has its own counter.
    await l.consume("register", "10.0.0.2");
  });

  it("gives points back, clears counters, and never limits an unknown key", async () => {
    const l = createRateLimits({ limits: { startAccount: { points: 1, seconds: 60 } } });
    await l.consume("startAccount", "u1");
    await l.reward("startAccount", "u1");
    await l.consume("startAccount", "u1");
    await limited(l.consume("startAccount", "u1"));
    await l.reset("startAccount", "u1");
    await l.consume("startAccount", "u1");
    for (let i = 0; i < 5; i++) await l.consume("startAccount", null);
  });

  it('is disabled entirely by "off"', async () => {
    const l = createRateLimits({ limits: "off" });
    expect(l.enabled).toBe(false);
    for (let i = 0; i < 50; i++) await l.consume("loginAccount", "phone:0912345678");
  });

  it("keeps the documented defaults", () => {
    expect(createRateLimits().limits).toEqual(DEFAULT_LIMITS);
    expect(DEFAULT_LIMITS).toEqual({
      register: { points: 20, seconds: 3600 },
      loginAccount: { points: 10, seconds: 900 },
      loginIp: { points: 100, seconds: 900 },
      startAccount: { points: 30, seconds: 60 },
      startIp: { points: 300, seconds: 60 },
      answerAccount: { points: 120, seconds: 60 },
      answerIp: { points: 6000, seconds: 60 },
    });
  });
});

describe("RATE_LIMITS", () => {
  it('reads "off" and single overrides, and skips what it does not understand', () => {
    expect(parseRateLimitsEnv("off")).toBe("off");
    expect(parseRateLimitsEnv(" OFF ")).toBe("off");
    expect(parseRateLimitsEnv(undefined)).toEqual({});
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(parseRateLimitsEnv("register=50/3600, answerIp = 20000/60, nope=1/1, loginIp=abc")).toEqual({
      register: { points: 50, seconds: 3600 },
      answerIp: { points: 20000, seconds: 60 },
    });
    expect(warn).toHaveBeenCalledTimes(2);
    warn.mockRestore();
  });
});

describe("login keys and the login rule", () => {
  it("gives one counter to every spelling of the same identifier", () => {
    expect(loginKey("+84 912 345 678")).toBe(loginKey("0912345678"));
    expect(loginKey(" 0912 345 678 ")).toBe("phone:0912345678");
    expect(loginKey("Ng.Van.A@Example.VN")).toBe(loginKey("ng.van.a@example.vn"));
    expect(loginKey("064 090 123 456")).toBe("nationalId:064090123456");
    expect(loginKey(42)).toBe("raw:");
  });

  it("counts failures per identifier and per address; a success clears the identifier's failures", async () => {
    setRateLimits(createRateLimits({ limits: { loginAccount: { points: 3, seconds: 900 }, loginIp: { points: 5, seconds: 900 } } }));
    const ip = "192.0.2.10";
    await limitLogin("0912345678", ip); // failure 1
    await limitLogin("0912345678", ip); // failure 2
    await (await limitLogin("+84912345678", ip)).succeeded(); // the same account, a success: counter cleared
    for (let i = 0; i < 3; i++) await limitLogin("0912345678", "198.51.100.1");
    const e = await limited(limitLogin("0912 345 678", "198.51.100.2")); // from anywhere
    expect(e.retryAfter).toBeGreaterThan(800);
    // The address 192.0.2.10 has 2 failures (the success gave its point back): 3 more reach 5.
    await limitLogin("0987654321", ip);
    await limitLogin("0987654322", ip);
    await limitLogin("0987654323", ip);
    await limited(limitLogin("0987654324", ip));
  });
});

describe.skipIf(!process.env.TEST_REDIS_URL)("createRateLimits (Redis)", () => {
  it("shares counters between processes through Redis", async () => {
    const url = process.env.TEST_REDIS_URL ?? "";
    const a = new Redis(url, { enableOfflineQueue: true });
    const b = new Redis(url, { enableOfflineQueue: true });
    const prefix = `cchc:test:${randomUUID()}`;
    // Until a connection is ready each limiter counts in its own memory (the insurance limiter).
    await Promise.all([a.ping(), b.ping()]);
    try {
      const limits = { answerAccount: { points: 3, seconds: 60 } };
      const one = createRateLimits({ limits, redis: a, prefix });
      const two = createRateLimits({ limits, redis: b, prefix });
      await one.consume("answerAccount", "u1");
      await two.consume("answerAccount", "u1");
      await one.consume("answerAccount", "u1");
      const e = await limited(two.consume("answerAccount", "u1"));
      expect(e.retryAfter).toBeLessThanOrEqual(60);
      await two.reset("answerAccount", "u1");
      await one.consume("answerAccount", "u1");
    } finally {
      const keys = await a.keys(`${prefix}*`);
      if (keys.length) await a.del(...keys);
      a.disconnect();
      b.disconnect();
    }
  });

  it("keeps used captcha challenges in Redis when REDIS_URL is set, so no process accepts a replay", async () => {
    process.env.REDIS_URL = process.env.TEST_REDIS_URL;
    process.env.CAPTCHA_SECRET = "unit-test-captcha-secret-0123456789abcdef";
    process.env.CAPTCHA_MAX_NUMBER = "100";
    const client = redis();
    expect(client).not.toBeNull();
    // Commands wait for nothing while the connection opens (enableOfflineQueue: false): wait for it.
    await new Promise((ready) => (client!.status === "ready" ? ready(null) : client!.once("ready", ready)));
    try {
      const challenge = await createCaptchaChallenge();
      const solution = await solveChallenge({ challenge, deriveKey });
      const payload = Buffer.from(JSON.stringify({ challenge, solution })).toString("base64");
      expect(await verifyCaptcha(payload)).toBeNull();
      const key = `cchc:captcha:used:a:${challenge.signature}`;
      const ttl = await client!.pttl(key);
      expect(ttl).toBeGreaterThan(590_000);
      expect(ttl).toBeLessThanOrEqual(600_000);
      expect(await verifyCaptcha(payload)).toBe("CAPTCHA_REPLAYED");
      await client!.del(key);
    } finally {
      client!.disconnect();
      delete process.env.REDIS_URL;
    }
  });
});
