// Sessions live in the Session table; the signed HttpOnly cookie carries only the session id,
// so logout, a password change or an administrator can revoke them.
import { createCookieSessionStorage, redirect } from "@remix-run/node";
import { isRole, type Role } from "~/domain/roles";
import type { PublicUser } from "~/models/user.server";
import { db } from "./db.server";
import { env } from "./env.server";

export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

type SessionData = { sid: string };
let storage: ReturnType<typeof createCookieSessionStorage<SessionData>> | undefined;
function sessionStorage() {
  storage ??= createCookieSessionStorage<SessionData>({
    cookie: {
      name: "__session",
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: env().secureCookies,
      secrets: [env().SESSION_SECRET],
      maxAge: SESSION_TTL_MS / 1000,
    },
  });
  return storage;
}

async function readSessionId(request: Request): Promise<string | undefined> {
  const session = await sessionStorage().getSession(request.headers.get("Cookie"));
  const sid = session.get("sid");
  return typeof sid === "string" ? sid : undefined;
}

export async function getSessionUser(request: Request): Promise<PublicUser | null> {
  const sid = await readSessionId(request);
  if (!sid) return null;
  const row = await db().session.findUnique({
    where: { id: sid },
    select: { expiresAt: true, user: { select: { id: true, fullName: true, role: true, communeCode: true, group: true } } },
  });
  if (!row || row.expiresAt <= new Date()) return null;
  const u = row.user;
  return { ...u, role: isRole(u.role) ? u.role : "contestant" };
}

/** Starts a fresh session (a new id every login: no session fixation) and returns its Set-Cookie. */
export async function startSession(request: Request, userId: string): Promise<string> {
  const old = await readSessionId(request);
  if (old) await db().session.deleteMany({ where: { id: old } });
  const row = await db().session.create({
    data: {
      userId,
      expiresAt: new Date(Date.now() + SESSION_TTL_MS),
      userAgent: request.headers.get("User-Agent")?.slice(0, 300) ?? null,
    },
  });
  const session = await sessionStorage().getSession();
  session.set("sid", row.id);
  return sessionStorage().commitSession(session);
}

/**
 * After a password change: ends every session of the user (other browsers and phones, and this
 * one), then opens a fresh one for this browser, so the person stays signed in under a new id.
 */
export async function restartSessions(request: Request, userId: string): Promise<string> {
  await revokeAllSessions(userId);
  return startSession(request, userId);
}

/** Ends every session of a user (password reset, password change); returns how many there were. */
export async function revokeAllSessions(userId: string): Promise<number> {
  return (await db().session.deleteMany({ where: { userId } })).count;
}

/** Deletes the session row and returns a Set-Cookie that clears the cookie. */
export async function endSession(request: Request): Promise<string> {
  const sid = await readSessionId(request);
  if (sid) await db().session.deleteMany({ where: { id: sid } });
  return sessionStorage().destroySession(await sessionStorage().getSession(request.headers.get("Cookie")));
}

/** Pages: the signed-in user, or a redirect to the login page that comes back here afterwards. */
export async function requireUser(request: Request): Promise<PublicUser> {
  const user = await getSessionUser(request);
  if (user) return user;
  const url = new URL(request.url);
  throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}

/** A same-site path to go to after login; anything else falls back to the account page. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/account"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}

/** Pages: the signed-in user if their role is allowed; anonymous → login, any other role → 403. */
export async function requireRole(request: Request, roles: readonly Role[]): Promise<PublicUser> {
  const user = await requireUser(request);
  if (!roles.includes(user.role)) throw new Response(null, { status: 403 });
  return user;
}

export const ORGANIZERS: readonly Role[] = ["organizer", "admin"];

export const JUDGES: readonly Role[] = ["judge", "admin"];
