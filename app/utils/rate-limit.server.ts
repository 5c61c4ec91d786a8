// Rate limits per account and per client address (rate-limiter-flexible). Where the counters live
// (rateLimitStore()): in Redis when REDIS_URL is set (shared by every process, with memory as the
// fallback while Redis is unreachable); else in PostgreSQL's "RateLimit" table when DATABASE_URL
// is PostgreSQL (shared by every process and machine of the contest); else (SQLite, one process)
// in this process's memory. RATE_LIMIT_STORE=memory|redis|postgres overrides the choice.
// RATE_LIMITS=off disables them; RATE_LIMITS can also override single limits:
// "register=50/3600,answerIp=20000/60" (points per seconds).
import { Redis } from "ioredis";
import type pg from "pg";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { classifyIdentifier } from "~/domain/registration";
import { vi } from "~/i18n/vi";
import { pgCountersPool } from "./db.server";
import { env } from "./env.server";
import { sql, statement } from "./sql.server";

export type LimitName =
  | "register"
  | "loginAccount"
  | "loginIp"
  | "startAccount"
  | "startIp"
  | "answerAccount"
  | "answerIp";

export type Limit = { points: number; seconds: number };

/** Generous enough for a commune office where everyone shares one NAT address. */
export const DEFAULT_LIMITS: Readonly<Record<LimitName, Limit>> = {
  register: { points: 20, seconds: 3600 }, // accounts created (or refused as duplicates) per address
  loginAccount: { points: 10, seconds: 900 }, // failed logins per identifier; a success resets it
  loginIp: { points: 100, seconds: 900 }, // failed logins per address
  startAccount: { points: 30, seconds: 60 }, // attempt starts (and resumes) per account
  startIp: { points: 300, seconds: 60 },
  answerAccount: { points: 120, seconds: 60 }, // answer saves per account
  answerIp: { points: 6000, seconds: 60 },
};

const NAMES = Object.keys(DEFAULT_LIMITS) as LimitName[];

/** Thrown when a counter is exhausted; `retryAfter` is in whole seconds (the Retry-After header). */
export class RateLimitedError extends Error {
  constructor(readonly retryAfter: number) {
    super("rate limited");
  }
}

export interface RateLimits {
  readonly enabled: boolean;
  readonly limits: Readonly<Record<LimitName, Limit>>;
  /** Takes `points` from the counter; throws RateLimitedError past the limit. A null key is not limited. */
  consume(name: LimitName, key: string | null, points?: number): Promise<void>;
  /** Gives points back (a request that turned out not to count). */
  reward(name: LimitName, key: string | null, points?: number): Promise<void>;
  /** Clears a counter (a successful login clears the account's failures). */
  reset(name: LimitName, key: string | null): Promise<void>;
}

export type RateLimitOptions = {
  /** "off", or limits overriding the defaults. */
  limits?: "off" | Partial<Record<LimitName, Limit>>;
  /** A Redis client for counters shared between processes; memory when absent. */
  redis?: Redis | null;
  /** A PostgreSQL pool for counters shared between processes (table "RateLimit"), when no Redis. */
  postgres?: pg.Pool | null;
  /** Key prefix, so that tests or several apps can share one Redis. */
  prefix?: string;
};

const retryAfterOf = (res: unknown) =>
  Math.max(1, Math.ceil((res instanceof RateLimiterRes ? res.msBeforeNext : 1000) / 1000));

/** The one factory: memory or Redis counters with the given limits. */
export function createRateLimits(options: RateLimitOptions = {}): RateLimits {
  const enabled = options.limits !== "off";
  const limits = { ...DEFAULT_LIMITS, ...(options.limits === "off" ? {} : (options.limits ?? {})) };
  const prefix = options.prefix ?? "cchc:rl";
  const limiters = new Map<LimitName, RateLimiterAbstract>();
  const limiter = (name: LimitName) => {
    let l = limiters.get(name);
    if (!l) {
      const { points, seconds } = limits[name];
      const base = { points, duration: seconds, keyPrefix: `${prefix}:${name}` };
      l = options.redis
        ? new RateLimiterRedis({
            ...base,
            storeClient: options.redis,
            rejectIfRedisNotReady: true,
            // While Redis is down each process keeps counting on its own rather than failing requests.
            insuranceLimiter: new RateLimiterMemory(base),
          })
        : options.postgres
          ? // One table for every limit (keys carry the prefix); it is created by the migrations.
            // Expired rows are deleted every 5 minutes by each process (a cheap indexed DELETE).
            new RateLimiterPostgres({ ...base, storeClient: options.postgres, storeType: "pool", tableName: "RateLimit", tableCreated: true })
          : new RateLimiterMemory(base);
      limiters.set(name, l);
    }
    return l;
  };
  return {
    enabled,
    limits,
    async consume(name, key, points = 1) {
      if (!enabled || key === null) return;
      try {
        await limiter(name).consume(key, points);
      } catch (e) {
        if (e instanceof RateLimiterRes) throw new RateLimitedError(retryAfterOf(e));
        throw e;
      }
    },
    async reward(name, key, points = 1) {
      if (!enabled || key === null) return;
      await limiter(name).reward(key, points);
    },
    async reset(name, key) {
      if (!enabled || key === null) return;
      await limiter(name).delete(key);
    },
  };
}

/** Parses RATE_LIMITS: "off", or "name=points/seconds,…"; unknown or malformed parts are reported and skipped. */
export function parseRateLimitsEnv(value: string | undefined): "off" | Partial<Record<LimitName, Limit>> {
  const v = (value ?? "").trim();
  if (/^(off|false|0|disabled)$/i.test(v)) return "off";
  const out: Partial<Record<LimitName, Limit>> = {};
  for (const part of v.split(",").map((p) => p.trim()).filter(Boolean)) {
    const m = /^([A-Za-z]+)\s*=\s*(\d+)\s*\/\s*(\d+)$/.exec(part);
    const name = m?.[1] as LimitName | undefined;
    if (!m || !name || !NAMES.includes(name) || Number(m[2]) < 1 || Number(m[3]) < 1) {
      console.warn(`[rate-limit] ignoring RATE_LIMITS entry "${part}" (expected name=points/seconds, names: ${NAMES.join(", ")})`);
      continue;
    }
    out[name] = { points: Number(m[2]), seconds: Number(m[3]) };
  }
  return out;
}

let redisClient: Redis | null | undefined;
/** The shared Redis client when REDIS_URL is set (also used for the captcha's used-challenge list). */
export function redis(): Redis | null {
  if (redisClient !== undefined) return redisClient;
  const url = process.env.REDIS_URL?.trim();
  if (!url) return (redisClient = null);
  redisClient = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  let warned = false;
  redisClient.on("error", (e: Error) => {
    if (!warned) console.warn(`[rate-limit] Redis unavailable (${e.message}); counting in this process until it is back`);
    warned = true;
  });
  redisClient.on("ready", () => (warned = false));
  return redisClient;
}

export type RateLimitStore = "memory" | "redis" | "postgres";

/** Where the counters live: RATE_LIMIT_STORE, else Redis with REDIS_URL, else PostgreSQL with a postgresql:// DATABASE_URL, else memory. */
export function rateLimitStore(): RateLimitStore {
  const chosen = process.env.RATE_LIMIT_STORE?.trim().toLowerCase();
  if (chosen === "memory" || chosen === "redis" || chosen === "postgres") {
    if (chosen === "redis" && !process.env.REDIS_URL?.trim()) throw new Error("RATE_LIMIT_STORE=redis needs REDIS_URL");
    if (chosen === "postgres" && !env().isPostgres) throw new Error("RATE_LIMIT_STORE=postgres needs a postgresql:// DATABASE_URL");
    return chosen;
  }
  if (chosen) console.warn(`[rate-limit] ignoring RATE_LIMIT_STORE="${chosen}" (memory, redis or postgres)`);
  if (process.env.REDIS_URL?.trim()) return "redis";
  return env().isPostgres ? "postgres" : "memory";
}

let current: RateLimits | undefined;
/** The process-wide limits, built from RATE_LIMITS and the store (rateLimitStore()) on first use. */
export function rateLimits(): RateLimits {
  if (!current) {
    const store = rateLimitStore();
    current = createRateLimits({
      limits: parseRateLimitsEnv(process.env.RATE_LIMITS),
      redis: store === "redis" ? redis() : null,
      postgres: store === "postgres" ? pgCountersPool() : null,
    });
  }
  return current;
}

// ---------------------------------------------------------------------------------------------
// Once-only keys (a solved captcha works once), shared like the counters

export const CLAIM = statement(
  "rate_limit_claim",
  `INSERT INTO "RateLimit" ("key", "points", "expire") VALUES ($1, 1, $2)
   ON CONFLICT ("key") DO UPDATE SET "points" = 1, "expire" = EXCLUDED."expire" WHERE "RateLimit"."expire" <= $3
   RETURNING "key"`,
);

/**
 * Claims `key` until `expiresAtMs` in the shared store: true the first time, false while claimed.
 * Undefined when the store is this process's memory (or Redis is unreachable): the caller keeps its
 * own memory then.
 */
export async function claimShared(key: string, expiresAtMs: number, now: number): Promise<boolean | undefined> {
  const store = rateLimitStore();
  if (store === "redis") {
    const client = redis();
    if (!client) return undefined;
    try {
      return (await client.set(key, "1", "PX", Math.max(1000, expiresAtMs - now), "NX")) === "OK";
    } catch {
      return undefined; // Redis unreachable: this process's memory still refuses replays made to it
    }
  }
  if (store === "postgres") return (await sql().rows(CLAIM, [key, expiresAtMs, now])).length === 1;
  return undefined;
}

/** Test seam: replace the process-wide limits (null: rebuild from the environment on next use). */
export function setRateLimits(limits: RateLimits | null) {
  current = limits ?? undefined;
}

// ---------------------------------------------------------------------------------------------
// Keys

let proxyWarned = false;
/**
 * The client's address as the limiter's key. Null when unknown (route modules called without the
 * Express server, e.g. `remix vite:dev`): then only the per-account limits apply. `request` (or
 * whether the request carried X-Forwarded-For) only serves the TRUST_PROXY warning.
 */
export function ipKey(ip: string | null, request?: Request | boolean): string | null {
  if (!ip) return null;
  const forwarded = typeof request === "boolean" ? request : (request?.headers.has("X-Forwarded-For") ?? false);
  if (!proxyWarned && forwarded && /^(127\.|::1$|::ffff:127\.)/.test(ip)) {
    proxyWarned = true;
    console.warn("[rate-limit] requests arrive from a local proxy but TRUST_PROXY is not set: every visitor shares one address's limits");
  }
  return ip;
}

/** One counter per identifier as the login understands it: "+84 912…" and "0912…" are the same. */
export function loginKey(identifier: unknown): string {
  const raw = typeof identifier === "string" ? identifier.slice(0, 254) : "";
  const id = classifyIdentifier(raw);
  return id ? `${id.kind}:${id.value}` : `raw:${raw.trim().toLowerCase()}`;
}

// ---------------------------------------------------------------------------------------------
// The limits as the routes use them

/** Registration: one point per attempt; give it back with `refund()` when the form only had typos. */
export async function limitRegistration(ip: string | null) {
  const l = rateLimits();
  await l.consume("register", ip);
  return { refund: () => l.reward("register", ip) };
}

/**
 * Login: a point from the identifier's and the address's counters before the password is checked
 * (so parallel guesses cannot slip past); `succeeded()` clears the identifier's failures and
 * returns the address's point, so only failures count.
 */
export async function limitLogin(identifier: unknown, ip: string | null) {
  const l = rateLimits();
  const account = loginKey(identifier);
  await l.consume("loginIp", ip);
  await l.consume("loginAccount", account);
  return {
    succeeded: async () => {
      await l.reset("loginAccount", account);
      await l.reward("loginIp", ip);
    },
  };
}

export async function limitAttemptStart(userId: string, ip: string | null) {
  const l = rateLimits();
  await l.consume("startIp", ip);
  await l.consume("startAccount", userId);
}

export async function limitAnswerSave(userId: string, ip: string | null) {
  const l = rateLimits();
  await l.consume("answerIp", ip);
  await l.consume("answerAccount", userId);
}

/** The API's answer to a limited request: 429, RATE_LIMITED, Retry-After (the shape of apiError). */
export function rateLimitedResponse(e: RateLimitedError): Response {
  return Response.json(
    { error: { code: "RATE_LIMITED", message: vi.errors.RATE_LIMITED } },
    { status: 429, headers: { "Retry-After": String(e.retryAfter), "Cache-Control": "no-store" } },
  );
}

/** Pages: the headers of a 429 form answer. */
export const retryAfterHeaders = (e: RateLimitedError) => ({ "Retry-After": String(e.retryAfter) });

/** API handlers: runs a limit, turning RateLimitedError into the thrown 429 response `api()` passes on. */
export async function enforce<T>(limit: Promise<T>): Promise<T> {
  try {
    return await limit;
  } catch (e) {
    if (e instanceof RateLimitedError) throw rateLimitedResponse(e);
    throw e;
  }
}
