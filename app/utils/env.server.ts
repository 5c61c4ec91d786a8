// Environment, parsed once at start-up. Only server code imports this.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().default("file:./data/contest.db"),
  SESSION_SECRET: z.string().min(32).optional(),
  // Behind a TLS-terminating reverse proxy the app itself sees http; set this to mark cookies Secure.
  SECURE_COOKIES: z.enum(["true", "false"]).optional(),
});

export type Env = z.infer<typeof schema> & { SESSION_SECRET: string; isPostgres: boolean; secureCookies: boolean };

function sessionSecret(parsed: z.infer<typeof schema>): string {
  if (parsed.SESSION_SECRET) return parsed.SESSION_SECRET;
  if (parsed.NODE_ENV === "production") {
    throw new Error("SESSION_SECRET (at least 32 characters) must be set when NODE_ENV=production");
  }
  // Development and tests: a random secret kept beside the SQLite file, so logins survive restarts.
  const file = path.resolve("data", ".session-secret");
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("hex");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

let cached: Env | undefined;
export function env(): Env {
  if (cached) return cached;
  const parsed = schema.parse({ ...process.env, DATABASE_URL: process.env.DATABASE_URL || undefined });
  cached = {
    ...parsed,
    SESSION_SECRET: sessionSecret(parsed),
    isPostgres: /^postgres(ql)?:\/\//.test(parsed.DATABASE_URL),
    secureCookies: parsed.SECURE_COOKIES ? parsed.SECURE_COOKIES === "true" : parsed.NODE_ENV === "production",
  };
  return cached;
}
