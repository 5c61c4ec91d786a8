// The JSON API's plumbing: one error shape, body limits, same-origin checks, and a wrapper that
// turns anything unexpected into a clean 500 without a stack trace.
import { z } from "zod";
import { fieldErrors } from "~/domain/registration";
import type { Role } from "~/domain/roles";
import { vi, type ErrorCode } from "~/i18n/vi";
import { AttemptError } from "~/models/attempt.server";
import type { PublicUser } from "~/models/user.server";
import { errorForLog } from "./redact";
import { discardBody, hasNul, isUnstorableText, readBodyUpTo } from "./http.server";
import { getSessionUser } from "./session.server";

export const JSON_LIMIT_BYTES = 64 * 1024;

const NO_STORE = { "Cache-Control": "no-store" };

export function apiJson(data: unknown, init: number | ResponseInit = 200): Response {
  const base: ResponseInit = typeof init === "number" ? { status: init } : init;
  const headers = new Headers(base.headers);
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", NO_STORE["Cache-Control"]);
  return Response.json(data, { ...base, headers });
}

export function apiError(
  status: number,
  code: ErrorCode,
  fields?: Record<string, string>,
  headers?: HeadersInit,
): Response {
  const error: { code: string; message: string; fields?: Record<string, string> } = { code, message: vi.errors[code] };
  if (fields && Object.keys(fields).length) error.fields = fields;
  return apiJson({ error }, { status, headers });
}

/** Thrown from deep inside a handler; `api()` turns it into the error response. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly fields?: Record<string, string>,
  ) {
    super(code);
  }
}

/** When the browser says where a request comes from, it must be this site. */
export function assertSameOrigin(request: Request) {
  const origin = request.headers.get("Origin");
  if (origin === null) return;
  let sameHost = false;
  try {
    sameHost = new URL(origin).host === new URL(request.url).host;
  } catch {
    sameHost = false;
  }
  if (!sameHost) throw new ApiError(403, "CROSS_ORIGIN");
}

/** A state-changing request must be JSON (api.md: 403, not 415) and same-origin. */
export function assertJsonWrite(request: Request) {
  assertSameOrigin(request);
  const type = (request.headers.get("Content-Type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") throw new ApiError(403, "UNSUPPORTED_MEDIA_TYPE");
}

/** Reads a JSON body of at most `limit` bytes, without trusting Content-Length. */
export async function readJson(request: Request, limit = JSON_LIMIT_BYTES): Promise<unknown> {
  assertJsonWrite(request);
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > limit) {
    discardBody(request.body);
    throw new ApiError(413, "PAYLOAD_TOO_LARGE");
  }
  const body = await readBodyUpTo(request, limit);
  if (body === null) throw new ApiError(413, "PAYLOAD_TOO_LARGE");
  return parseJsonBody(body);
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** A request body as JSON (empty: {}); 400 for bad UTF-8 or JSON, and for a NUL anywhere in it. */
export function parseJsonBody(body: Uint8Array): unknown {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new ApiError(400, "MALFORMED_JSON");
  }
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError(400, "MALFORMED_JSON");
  }
  // No field of the API holds a NUL character, and PostgreSQL could not store one.
  if (hasNul(value)) throw new ApiError(400, "VALIDATION_FAILED");
  return value;
}

/** Validates with zod; a failure is a 400 with Vietnamese messages per field. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const obj = input !== null && typeof input === "object" && !Array.isArray(input) ? input : {};
  const r = schema.safeParse(obj);
  if (!r.success) throw new ApiError(400, "VALIDATION_FAILED", fieldErrors(r.error));
  return r.data;
}

export async function requireApiUser(request: Request, roles?: readonly Role[]): Promise<PublicUser> {
  const user = await getSessionUser(request);
  if (!user) throw new ApiError(401, "UNAUTHENTICATED");
  if (roles && !roles.includes(user.role)) throw new ApiError(403, "FORBIDDEN");
  return user;
}

const ATTEMPT_ERROR_STATUS: Record<AttemptError["code"], number> = {
  NOT_FOUND: 404,
  ATTEMPT_CLOSED: 409,
  QUESTION_NOT_IN_ATTEMPT: 400,
  OPTION_NOT_IN_QUESTION: 400,
  PREDICTION_REQUIRED: 400,
  ROUND_NOT_READY: 409,
  ROUND_NOT_OPEN: 403,
  NO_ATTEMPTS_LEFT: 403,
  NOT_ELIGIBLE: 403,
};

/** The client's address as the server sees it (see TRUST_PROXY), from the Express load context. */
export function clientIp(context: unknown): string | null {
  const ip = (context as { ip?: unknown } | undefined)?.ip;
  return typeof ip === "string" ? ip : null;
}

type Handler = () => Promise<Response>;

/** Runs an API handler: ApiErrors become their response, thrown Responses pass, the rest is a 500. */
export async function api(handler: Handler): Promise<Response> {
  try {
    return await handler();
  } catch (e) {
    if (e instanceof ApiError) return apiError(e.status, e.code, e.fields);
    if (e instanceof AttemptError) return apiError(ATTEMPT_ERROR_STATUS[e.code], e.code);
    if (e instanceof Response) return e;
    if (isUnstorableText(e)) return apiError(400, "VALIDATION_FAILED");
    console.error("[api] unexpected error:", errorForLog(e));
    return apiError(500, "INTERNAL");
  }
}

export const methodNotAllowed = () => apiError(405, "METHOD_NOT_ALLOWED");
