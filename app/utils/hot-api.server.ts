// The contest's hot JSON endpoints, once, for two callers: the Remix routes (api.v1.rounds.$roundId.attempts,
// api.v1.attempts.$attemptId.answers.$questionId, api.v1.attempts.$attemptId.submit) and the production
// server, which mounts them on Express directly (server.mjs, through `hotRoutes` exported by
// entry.server.tsx) so that a save does not pay for Remix's request, router and response plumbing.
// The checks are the API's, in the same order: method, session (401), rate limit (429), same
// origin and JSON content type (403), body size (413), body shape (400), then the model's own
// (ownership 404, deadline + grace 409, question/option 400).
import { createCookie } from "@remix-run/node";
import { z } from "zod";
import { MAX_PREDICTION } from "~/domain/attempt";
import { isRole } from "~/domain/roles";
import { vi } from "~/i18n/vi";
import { attemptJson, saveAnswer, startAttempt, submitAttempt } from "~/models/attempt.server";
import { NotFoundError } from "~/models/question-bank.server";
import { leaderboard, ownRank } from "~/models/standing.server";
import type { PublicUser } from "~/models/user.server";
import { api, ApiError, clientIp, parseJsonBody, parseWith } from "./api.server";
import { env } from "./env.server";
import { enforce, ipKey, limitAnswerSave, limitAttemptStart } from "./rate-limit.server";
import { int, readBodyUpTo } from "./http.server";
import { sql, statement, toDate } from "./sql.server";

/** A request as both callers can give it cheaply. Header names are lower case. */
export interface HotRequest {
  method: string;
  /** The query string's parameters. */
  query(): URLSearchParams;
  /** host[:port] of the request's URL, as Remix computes it (X-Forwarded-Host behind a trusted proxy). */
  host: string;
  header(name: string): string | null;
  /** The client's address (Express's req.ip, see TRUST_PROXY). */
  ip: string | null;
  /** The body, or null when it is longer than `limit` bytes. */
  readBody(limit: number): Promise<Uint8Array | null>;
}

export interface HotResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON text, or its UTF-8 bytes. */
  body: string | Uint8Array<ArrayBuffer>;
}

type Params = Record<string, string | undefined>;

// ---------------------------------------------------------------------------------------------
// Session: the same cookie and Session row as session.server.ts, read with one statement

// The session cookie as session.server.ts writes it (name "__session", signed with SESSION_SECRET);
// only its name and secret matter for reading it.
let sessionCookie: ReturnType<typeof createCookie> | undefined;
const sidOfCookie = new Map<string, string | null>();

async function sessionId(cookieHeader: string | null): Promise<string | null> {
  if (!cookieHeader) return null;
  // The signature check is a pure function of the header: remember recent answers (the row itself
  // is read on every request, so a revoked session stops working at once).
  const known = sidOfCookie.get(cookieHeader);
  if (known !== undefined) return known;
  sessionCookie ??= createCookie("__session", { secrets: [env().SESSION_SECRET] });
  const data = (await sessionCookie.parse(cookieHeader)) as { sid?: unknown } | null;
  const sid = data && typeof data.sid === "string" ? data.sid : null;
  if (sidOfCookie.size >= 20_000) sidOfCookie.clear();
  sidOfCookie.set(cookieHeader, sid);
  return sid;
}

export const SESSION_USER = statement(
  "session_user",
  `SELECT s."expiresAt", u."id", u."fullName", u."role", u."communeCode", u."group"
     FROM "Session" s JOIN "User" u ON u."id" = s."userId" WHERE s."id" = $1`,
);

/** The signed-in user of this cookie header, as getSessionUser() gives it; null when none or expired. */
export async function sessionUser(cookieHeader: string | null, now = new Date()): Promise<PublicUser | null> {
  const sid = await sessionId(cookieHeader);
  if (!sid) return null;
  const row = await sql().row<{ expiresAt: unknown; id: string; fullName: string; role: string; communeCode: string | null; group: string | null }>(SESSION_USER, [sid]);
  if (!row || toDate(row.expiresAt) <= now) return null;
  return { id: row.id, fullName: row.fullName, role: isRole(row.role) ? row.role : "contestant", communeCode: row.communeCode, group: row.group };
}

async function requireUser(r: HotRequest): Promise<PublicUser> {
  const user = await sessionUser(r.header("cookie"));
  if (!user) throw new ApiError(401, "UNAUTHENTICATED");
  return user;
}

// ---------------------------------------------------------------------------------------------
// Body and responses, as api.server.ts's readJson and apiJson

async function readJsonBody(r: HotRequest, limit: number): Promise<unknown> {
  const origin = r.header("origin");
  if (origin !== null) {
    let sameHost = false;
    try {
      sameHost = new URL(origin).host === r.host;
    } catch {
      sameHost = false;
    }
    if (!sameHost) throw new ApiError(403, "CROSS_ORIGIN");
  }
  const type = (r.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") throw new ApiError(403, "UNSUPPORTED_MEDIA_TYPE");
  if (Number(r.header("content-length") ?? "0") > limit) throw new ApiError(413, "PAYLOAD_TOO_LARGE");
  const body = await r.readBody(limit);
  if (body === null) throw new ApiError(413, "PAYLOAD_TOO_LARGE");
  return parseJsonBody(body);
}

const jsonText = (body: string | Uint8Array<ArrayBuffer>, status = 200, cacheControl = "no-store"): HotResponse => ({
  status,
  headers: { "Content-Type": "application/json", "Cache-Control": cacheControl },
  body,
});
const json = (data: unknown, status = 200, cacheControl = "no-store"): HotResponse => jsonText(JSON.stringify(data), status, cacheControl);

/** Runs a handler; every error becomes exactly the response `api()` gives the other API routes. */
async function run(handler: () => Promise<HotResponse>): Promise<HotResponse> {
  try {
    return await handler();
  } catch (e) {
    const res = await api(async () => {
      throw e;
    });
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    return { status: res.status, headers, body: await res.text() };
  }
}

const notAllowed = () => new ApiError(405, "METHOD_NOT_ALLOWED");
const forwarded = (r: HotRequest) => r.header("x-forwarded-for") !== null;

// ---------------------------------------------------------------------------------------------
// The endpoints

/** POST /api/v1/rounds/:roundId/attempts: 201 with a new attempt, or 200 with the live one. */
export function startAttemptHot(r: HotRequest, params: Params): Promise<HotResponse> {
  return run(async () => {
    if (r.method !== "POST") throw notAllowed();
    const user = await requireUser(r);
    await enforce(limitAttemptStart(user.id, ipKey(r.ip, forwarded(r))));
    const body = (await readJsonBody(r, 1024)) ?? {};
    const deviceId = typeof (body as { deviceId?: unknown }).deviceId === "string" ? (body as { deviceId: string }).deviceId : null;
    const { created, attempt } = await startAttempt({ roundId: params.roundId ?? "", user, now: new Date(), ip: r.ip, userAgent: r.header("user-agent"), deviceId });
    return jsonText(attemptJson(attempt), created ? 201 : 200);
  });
}

const answerBody = z.object({ optionId: z.string().min(1).max(100) });

/** PUT /api/v1/attempts/:attemptId/answers/:questionId {optionId}: idempotent. */
export function saveAnswerHot(r: HotRequest, params: Params): Promise<HotResponse> {
  return run(async () => {
    if (r.method !== "PUT") throw notAllowed();
    const user = await requireUser(r);
    await enforce(limitAnswerSave(user.id, ipKey(r.ip, forwarded(r))));
    const { optionId } = parseWith(answerBody, await readJsonBody(r, 4096));
    return json(await saveAnswer(params.attemptId ?? "", user.id, params.questionId ?? "", optionId, new Date(), r.ip));
  });
}

const submitBody = z.object({
  prediction: z
    .number({ error: vi.errors.PREDICTION_REQUIRED })
    .int(vi.errors.PREDICTION_REQUIRED)
    .min(0, vi.errors.PREDICTION_REQUIRED)
    .max(MAX_PREDICTION, vi.errors.PREDICTION_REQUIRED)
    .nullable()
    .optional(),
});

/** POST /api/v1/attempts/:attemptId/submit {prediction}: submitting again returns the same result. */
export function submitAttemptHot(r: HotRequest, params: Params): Promise<HotResponse> {
  return run(async () => {
    if (r.method !== "POST") throw notAllowed();
    const user = await requireUser(r);
    const { prediction } = parseWith(submitBody, await readJsonBody(r, 1024));
    return json({ result: await submitAttempt(params.attemptId ?? "", user.id, prediction ?? null, new Date()) });
  });
}

/**
 * GET /api/v1/rounds/:roundId/leaderboard[?commune&group&limit]: public, masked names and commune
 * only. A signed-in contestant also gets `me`, their own place. Boards are cached 2 s per process
 * (standing.server.ts).
 */
export function leaderboardHot(r: HotRequest, params: Params): Promise<HotResponse> {
  return run(async () => {
    if (r.method !== "GET" && r.method !== "HEAD") throw notAllowed();
    const query = r.query();
    const commune = query.get("commune") ?? undefined;
    const group = query.get("group") ?? undefined;
    if ((commune && !/^\d{5}$/.test(commune)) || (group && !/^[a-z]{1,20}$/.test(group))) throw new ApiError(400, "VALIDATION_FAILED");
    const filter = { commune, group, limit: int(query.get("limit"), 50) };
    const now = new Date();
    try {
      const board = await leaderboard(params.roundId ?? "", filter, now);
      const user = await sessionUser(r.header("cookie"), now);
      const me = user ? await ownRank(params.roundId ?? "", user.id, filter, now) : null;
      return json({ ...board, ...(me ? { me } : {}) }, 200, user ? "private, no-store" : "public, max-age=2");
    } catch (e) {
      if (e instanceof NotFoundError) throw new ApiError(404, "NOT_FOUND");
      throw e;
    }
  });
}

/** What server.mjs answers ahead of Express and Remix (Express path syntax). */
export const hotRoutes = [
  { method: "GET", path: "/api/v1/rounds/:roundId/leaderboard", handle: leaderboardHot },
  { method: "POST", path: "/api/v1/rounds/:roundId/attempts", handle: startAttemptHot },
  { method: "PUT", path: "/api/v1/attempts/:attemptId/answers/:questionId", handle: saveAnswerHot },
  { method: "POST", path: "/api/v1/attempts/:attemptId/submit", handle: submitAttemptHot },
] as const;

// ---------------------------------------------------------------------------------------------
// The Remix routes' side

/** A Remix action's request as a HotRequest. */
export function fromRequest(request: Request, context: unknown): HotRequest {
  const url = new URL(request.url);
  return {
    method: request.method,
    query: () => url.searchParams,
    host: url.host,
    header: (name) => request.headers.get(name),
    ip: clientIp(context),
    readBody: (limit) => readBodyUpTo(request, limit),
  };
}

export function toResponse(r: HotResponse): Response {
  return new Response(r.body, { status: r.status, headers: r.headers });
}
