import { describe, expect, it } from "vitest";
import { vi } from "~/i18n/vi";
import * as loginApi from "~/routes/api.v1.auth.login";
import * as logoutApi from "~/routes/api.v1.auth.logout";
import * as registerApi from "~/routes/api.v1.auth.register";
import * as unknownApi from "~/routes/api.v1.$";
import * as meApi from "~/routes/api.v1.me";
import { db } from "~/utils/db.server";
import { args, cookieOf, newContestant, ORIGIN, req, withCaptcha } from "./helpers";

const register = (json: unknown, headers?: Record<string, string>) =>
  registerApi.action(args(req("/api/v1/auth/register", { json, headers })));
const login = (json: unknown) => loginApi.action(args(req("/api/v1/auth/login", { json: withCaptcha(json) })));
const me = (cookie?: string) => meApi.loader(args(req("/api/v1/me", { cookie })));

describe("POST /api/v1/auth/register", () => {
  it("creates a contestant, answers 201 with the user and a session cookie", async () => {
    const body = newContestant();
    // Typed as people do: country code and spaces. Stored in one normalised form.
    const res = await register({ ...body, phone: `+84 ${body.phone.slice(1, 4)} ${body.phone.slice(4, 7)} ${body.phone.slice(7)}` });
    expect(res.status).toBe(201);
    const cookie = res.headers.get("Set-Cookie") ?? "";
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const { user } = (await res.json()) as { user: Record<string, unknown> };
    expect(user).toMatchObject({ fullName: body.fullName, role: "contestant", communeCode: "21583", group: "citizen" });
    // The answer never carries personal data or the password hash.
    expect(Object.keys(user).sort()).toEqual(["communeCode", "fullName", "group", "id", "role"]);
    const stored = await db().user.findUnique({ where: { id: String(user.id) } });
    expect(stored?.phone).toBe(body.phone);
    expect(stored?.passwordHash).toMatch(/^scrypt\$/);
    expect(stored?.passwordHash).not.toContain(body.password);

    const who = await me(cookieOf(res));
    expect(who.status).toBe(200);
    expect(await who.json()).toEqual({ user });
  });

  it("refuses a second account with the same CCCD or the same phone (in another spelling): 409", async () => {
    const first = newContestant();
    expect((await register(first)).status).toBe(201);

    const sameId = await register(newContestant({ nationalId: first.nationalId, gender: first.gender, birthDate: first.birthDate }));
    expect(sameId.status).toBe(409);
    expect(await sameId.json()).toEqual({
      error: { code: "DUPLICATE_IDENTITY", message: vi.errors.DUPLICATE_IDENTITY, fields: { nationalId: vi.errors.DUPLICATE_NATIONAL_ID } },
    });

    const samePhone = await register(newContestant({ phone: `+84${first.phone.slice(1)}` }));
    expect(samePhone.status).toBe(409);
    expect(((await samePhone.json()) as { error: { fields: object } }).error.fields).toEqual({ phone: vi.errors.DUPLICATE_PHONE });
  });

  it("answers 400 with Vietnamese messages per field", async () => {
    const res = await register(newContestant({ nationalId: "064", communeCode: "99999", group: 5, password: "short" }));
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; fields: Record<string, string> } };
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.fields.group).toBe(vi.errors.group);
    expect(error.fields.password).toBe(vi.errors.password);

    const badCommune = await register(newContestant({ communeCode: "99999" }));
    expect(badCommune.status).toBe(400);
    expect(((await badCommune.json()) as { error: { fields: object } }).error.fields).toEqual({ communeCode: vi.errors.commune });
  });

  it("answers 4xx, never 500, to malformed requests", async () => {
    const cases: [Request, number, string][] = [
      [req("/api/v1/auth/register", { body: "{not json", headers: { "Content-Type": "application/json" } }), 400, "MALFORMED_JSON"],
      [req("/api/v1/auth/register", { json: [1, 2, 3] }), 400, "VALIDATION_FAILED"],
      [req("/api/v1/auth/register", { json: null }), 400, "VALIDATION_FAILED"],
      [req("/api/v1/auth/register", { body: "fullName=x", headers: { "Content-Type": "application/x-www-form-urlencoded" } }), 403, "UNSUPPORTED_MEDIA_TYPE"],
      [req("/api/v1/auth/register", { json: newContestant(), headers: { Origin: "https://evil.example" } }), 403, "CROSS_ORIGIN"],
      [req("/api/v1/auth/register", { json: { fullName: "x".repeat(70_000) } }), 413, "PAYLOAD_TOO_LARGE"],
      [req("/api/v1/auth/register", { body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), headers: { "Content-Type": "application/json" } }), 400, "MALFORMED_JSON"],
    ];
    for (const [request, status, code] of cases) {
      const res = await registerApi.action(args(request));
      expect(res.status, code).toBe(status);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe(code);
      expect(body.error.message).toBe(vi.errors[code as keyof typeof vi.errors]);
    }
    const get = await registerApi.loader();
    expect(get.status).toBe(405);
  });

  it("accepts a same-origin browser request", async () => {
    const res = await register(newContestant(), { Origin: ORIGIN });
    expect(res.status).toBe(201);
  });
});

describe("login, /me and logout", () => {
  it("logs in by phone (any spelling), CCCD or e-mail; wrong passwords get 401 without a hint", async () => {
    const c = newContestant({ email: `thisinh.${Date.now()}.${Math.random().toString(36).slice(2)}@example.vn` });
    expect((await register(c)).status).toBe(201);
    for (const identifier of [c.phone, `+84 ${c.phone.slice(1, 4)} ${c.phone.slice(4)}`, c.nationalId, String(c.email).toUpperCase()]) {
      const res = await login({ identifier, password: c.password });
      expect(res.status, identifier).toBe(200);
      expect(((await res.json()) as { user: { fullName: string } }).user.fullName).toBe(c.fullName);
    }
    const wrong = await login({ identifier: c.phone, password: "sai-mat-khau" });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("Set-Cookie")).toBeNull();
    const nobody = await login({ identifier: "0999999999", password: "sai-mat-khau" });
    expect(await nobody.json()).toEqual(await (await login({ identifier: c.phone, password: "sai-mat-khau" })).json());
    expect((await login({ identifier: 42 })).status).toBe(400);
  });

  it("gives a new session id at every login, and logout revokes the session on the server", async () => {
    const c = newContestant();
    const reg = await register(c);
    const first = cookieOf(reg);
    const again = cookieOf(await login({ identifier: c.phone, password: c.password }));
    expect(again).not.toBe(first);

    const out = await logoutApi.action(args(req("/api/v1/auth/logout", { json: {}, cookie: again })));
    expect(out.status).toBe(204);
    // The old cookie, replayed, no longer opens a session.
    const after = await me(again);
    expect(after.status).toBe(401);
    expect(await after.json()).toEqual({ error: { code: "UNAUTHENTICATED", message: vi.errors.UNAUTHENTICATED } });
    // The first login's session is still valid: logging out ends one session, not all.
    expect((await me(first)).status).toBe(200);
  });

  it("rejects a forged cookie", async () => {
    expect((await me("__session=eyJzaWQiOiJ4In0%3D.forged")).status).toBe(401);
    expect((await me()).status).toBe(401);
  });
});

describe("unknown API paths", () => {
  it("answer 404 in the API's error shape", async () => {
    const res = await unknownApi.loader();
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "NOT_FOUND", message: vi.errors.NOT_FOUND } });
  });
});
