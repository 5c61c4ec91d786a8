import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { mayCompete } from "~/domain/roles";
import { vi } from "~/i18n/vi";
import { upsertStaff } from "~/models/user.server";
import * as accountPage from "~/routes/account";
import * as loginApi from "~/routes/api.v1.auth.login";
import * as meApi from "~/routes/api.v1.me";
import * as loginPage from "~/routes/login";
import * as logoutPage from "~/routes/logout";
import * as registerPage from "~/routes/register";
import { db } from "~/utils/db.server";
import { args, cookieOf, formGuards, loginBody, newContestant, req } from "./helpers";

const form = (fields: Record<string, unknown>, cookie?: string) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...formGuards(), ...fields })) if (v !== undefined) body.set(k, String(v));
  return { body, headers: { "Content-Type": "application/x-www-form-urlencoded" }, cookie, method: "POST" };
};
type DataResult = { data: { message: string; fields: Record<string, string>; values: Record<string, string> }; init: { status: number } };

describe("registration and login pages (form posts, no JavaScript needed)", () => {
  it("registers through the form, then the account page shows the contestant with masked identifiers", async () => {
    const c = newContestant({ communeCode: "23938" });
    const res = (await registerPage.action(args(req("/register", form({ ...c, passwordConfirm: c.password }))))) as Response;
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/account?welcome=1");
    const page = (await accountPage.loader(args(req("/account", { cookie: cookieOf(res) })))) as Record<string, string>;
    expect(page).toMatchObject({ fullName: c.fullName, role: "contestant", commune: "Xã Ia Mơ", group: "citizen" });
    expect(page.phone).toBe(`${c.phone.slice(0, 3)}****${c.phone.slice(-3)}`);
    expect(page.nationalId).toBe(`*********${c.nationalId.slice(-3)}`);
  });

  it("shows the errors and keeps what was typed, except passwords", async () => {
    const c = newContestant();
    const wrongGender = c.gender === "male" ? "female" : "male";
    const r = (await registerPage.action(
      args(req("/register", form({ ...c, gender: wrongGender, passwordConfirm: "khac-mat-khau" }))),
    )) as unknown as DataResult;
    expect(r.init.status).toBe(400);
    expect(r.data.fields).toEqual({
      nationalId: vi.errors.NATIONAL_ID_GENDER_CENTURY,
      passwordConfirm: vi.errors.passwordConfirm,
    });
    expect(r.data.values).toMatchObject({ fullName: c.fullName, nationalId: c.nationalId, phone: c.phone });
    expect(JSON.stringify(r.data)).not.toContain(c.password);
    expect(await db().user.count({ where: { nationalId: c.nationalId } })).toBe(0);
  });

  it("logs in through the form to a same-site page only, and logs out by POST only", async () => {
    const c = newContestant();
    await registerPage.action(args(req("/register", form({ ...c, passwordConfirm: c.password }))));
    const ok = (await loginPage.action(args(req("/login", form({ identifier: c.nationalId, password: c.password, redirectTo: "/account" }))))) as Response;
    expect(ok.status).toBe(302);
    expect(ok.headers.get("Location")).toBe("/account");
    const offsite = (await loginPage.action(
      args(req("/login", form({ identifier: c.phone, password: c.password, redirectTo: "//evil.example/x" }))),
    )) as Response;
    expect(offsite.headers.get("Location")).toBe("/account");
    const bad = (await loginPage.action(args(req("/login", form({ identifier: c.phone, password: "sai" }))))) as unknown as {
      data: { message: string };
      init: { status: number };
    };
    expect(bad.init.status).toBe(401);
    expect(bad.data.message).toBe(vi.errors.INVALID_CREDENTIALS);

    const cookie = cookieOf(ok);
    const get = logoutPage.loader();
    expect(get.status).toBe(302); // a GET changes nothing
    expect((await meApi.loader(args(req("/api/v1/me", { cookie })))).status).toBe(200);
    const out = await logoutPage.action(args(req("/logout", { method: "POST", cookie })));
    expect(out.headers.get("Set-Cookie")).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/);
    expect((await meApi.loader(args(req("/api/v1/me", { cookie })))).status).toBe(401);
  });

  it("sends an anonymous visitor of the account page to the login page and back", async () => {
    try {
      await accountPage.loader(args(req("/account?tab=1")));
      expect.unreachable("the loader should redirect");
    } catch (e) {
      expect((e as Response).status).toBe(302);
      expect((e as Response).headers.get("Location")).toBe("/login?redirectTo=%2Faccount%3Ftab%3D1");
    }
  });
});

describe("staff accounts and roles", () => {
  it("creates staff who log in by e-mail and carry their role; staff may not compete", async () => {
    const email = `judge.${Date.now()}@example.vn`;
    const { user, created } = await upsertStaff({ role: "judge", email, password: "giam-khao-2025", fullName: "Lê Văn Giám" });
    expect(created).toBe(true);
    const res = await loginApi.action(args(req("/api/v1/auth/login", { json: loginBody(email, "giam-khao-2025") })));
    expect(res.status).toBe(200);
    const me = await meApi.loader(args(req("/api/v1/me", { cookie: cookieOf(res) })));
    expect(((await me.json()) as { user: { role: string } }).user).toMatchObject({ id: user.id, role: "judge" });
    expect(mayCompete("judge")).toBe(false);
    expect(mayCompete("contestant")).toBe(true);

    // Resetting the password revokes the sessions opened with the old one.
    const again = await upsertStaff({ role: "judge", email, password: "mat-khau-moi-2025", fullName: "Lê Văn Giám" });
    expect(again.created).toBe(false);
    expect((await meApi.loader(args(req("/api/v1/me", { cookie: cookieOf(res) })))).status).toBe(401);
  });

  it("npm run user:create makes a commune officer from the command line, and refuses bad input", async () => {
    const root = path.resolve(__dirname, "..", "..");
    const env = { ...process.env, NODE_ENV: "test" as const };
    const email = `canbo.${Date.now()}@example.vn`;
    const cli = (...a: string[]) =>
      spawnSync(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/user-create.ts", ...a], { cwd: root, env, encoding: "utf8" });
    const ok = cli("--role", "commune_officer", "--email", email, "--password", "can-bo-xa-2025", "--name", "Phạm Thị Xã", "--commune", "21583");
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain(`Created commune_officer ${email}`);
    const stored = await db().user.findUnique({ where: { email } });
    expect(stored).toMatchObject({ role: "commune_officer", communeCode: "21583", fullName: "Phạm Thị Xã", nationalId: null });

    const bad = cli("--role", "contestant", "--email", "x@example.vn", "--password", "12345678", "--name", "Ai Đó");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--role/);
    const noCommune = cli("--role", "commune_officer", "--email", "y@example.vn", "--password", "12345678", "--name", "Ai Đó");
    expect(noCommune.status).toBe(2);
  }, 30_000);

  it("is used against the database the suite runs on", () => {
    expect(process.env.DATABASE_URL?.startsWith(inject("engine") === "postgres" ? "postgres" : "file:")).toBe(true);
  });
});
