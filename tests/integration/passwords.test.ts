// Passwords and sessions: the account page's password change (other sessions end, this one gets a
// new id, limited like a login), the command line's reset (`npm run user:password`), logout revoking
// the session on the server, and login rotating the session id.
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { vi } from "~/i18n/vi";
import { upsertStaff } from "~/models/user.server";
import * as accountPage from "~/routes/account";
import * as loginApi from "~/routes/api.v1.auth.login";
import * as logoutApi from "~/routes/api.v1.auth.logout";
import * as registerApi from "~/routes/api.v1.auth.register";
import * as meApi from "~/routes/api.v1.me";
import * as loginPage from "~/routes/login";
import * as logoutPage from "~/routes/logout";
import { db } from "~/utils/db.server";
import { createRateLimits, setRateLimits } from "~/utils/rate-limit.server";
import { args, cookieOf, formGuards, loginBody, newContestant, req } from "./helpers";

afterEach(() => setRateLimits(null));

let ipSeq = 0;
const newIp = () => `198.51.100.${++ipSeq}`;

const me = (cookie?: string) => meApi.loader(args(req("/api/v1/me", { cookie })));
const login = (identifier: string, password: string, cookie?: string) =>
  loginApi.action(args(req("/api/v1/auth/login", { json: loginBody(identifier, password), cookie }), {}, { ip: newIp() }));
const form = (fields: Record<string, string>, cookie?: string) => ({
  body: new URLSearchParams(fields),
  headers: { "Content-Type": "application/x-www-form-urlencoded" },
  cookie,
  method: "POST",
});
type FormAnswer = { data: { message: string; fields: Record<string, string> }; init: { status: number; headers?: HeadersInit } };
const changePassword = async (cookie: string, currentPassword: string, newPassword: string, newPasswordConfirm = newPassword, ip = newIp()) =>
  (await accountPage.action(args(req("/account", form({ currentPassword, newPassword, newPasswordConfirm }, cookie)), {}, { ip }))) as unknown as
    | (FormAnswer & Response)
    | Response;

/** A registered contestant with one session (the registration's). */
async function contestant() {
  const c = newContestant();
  const res = await registerApi.action(args(req("/api/v1/auth/register", { json: c }), {}, { ip: newIp() }));
  expect(res.status).toBe(201);
  const { user } = (await res.json()) as { user: { id: string } };
  return { c, id: user.id, cookie: cookieOf(res) };
}
const sessionCount = (userId: string) => db().session.count({ where: { userId } });

describe("changing the password on the account page", () => {
  it("needs the current password; on success ends every other session and gives this browser a new session id", async () => {
    const { c, id, cookie: phone } = await contestant();
    const laptop = cookieOf(await login(c.phone, c.password));
    const office = cookieOf(await login(c.nationalId, c.password));
    expect(await sessionCount(id)).toBe(3);

    // Wrong current password: nothing changes, every session lives on.
    const wrong = (await changePassword(laptop, "khong-phai-mat-khau", "mat-khau-moi-2025")) as FormAnswer;
    expect(wrong.init.status).toBe(400);
    expect(wrong.data.fields).toEqual({ currentPassword: vi.account.passwordWrong });
    // Mismatched confirmation, too short, same as before: refused before the password is even checked.
    const mismatch = (await changePassword(laptop, c.password, "mat-khau-moi-2025", "mat-khau-moi-2026")) as FormAnswer;
    expect(mismatch.data.fields).toEqual({ newPasswordConfirm: vi.errors.passwordConfirm });
    expect(((await changePassword(laptop, c.password, "ngan")) as FormAnswer).data.fields).toEqual({ newPassword: vi.errors.password });
    expect(((await changePassword(laptop, c.password, c.password)) as FormAnswer).data.fields).toEqual({
      newPassword: vi.account.passwordSame,
    });
    for (const cookie of [phone, laptop, office]) expect((await me(cookie)).status).toBe(200);
    expect((await login(c.phone, c.password)).status).toBe(200);

    // The right one.
    const ok = (await changePassword(laptop, c.password, "mat-khau-moi-2025")) as Response;
    expect(ok.status).toBe(302);
    expect(ok.headers.get("Location")).toBe("/account?password=changed");
    const rotated = cookieOf(ok);
    expect(rotated).not.toBe(laptop);
    expect((await me(rotated)).status).toBe(200);
    // Every earlier session is gone, including the one the change was made from.
    for (const cookie of [phone, laptop, office]) expect((await me(cookie)).status).toBe(401);
    expect(await sessionCount(id)).toBe(1);

    // The old password no longer opens the account; the new one does.
    expect((await login(c.phone, c.password)).status).toBe(401);
    expect((await login(c.phone, "mat-khau-moi-2025")).status).toBe(200);
  });

  it("counts wrong current passwords against the account's login limit", async () => {
    setRateLimits(createRateLimits({ limits: { loginAccount: { points: 2, seconds: 900 } } }));
    const { c, cookie } = await contestant();
    for (let i = 0; i < 2; i++) expect(((await changePassword(cookie, `sai-${i}-mat-khau`, "mat-khau-moi-2025")) as FormAnswer).init.status).toBe(400);
    // The limit is reached: even the right current password waits, from any address.
    const limited = (await changePassword(cookie, c.password, "mat-khau-moi-2025")) as FormAnswer;
    expect(limited.init.status).toBe(429);
    expect(limited.data.message).toBe(vi.errors.RATE_LIMITED);
    expect(Number(new Headers(limited.init.headers).get("Retry-After"))).toBeGreaterThan(0);
    // And the login of that account shares the counter.
    expect((await login(c.phone, c.password)).status).toBe(429);
    expect((await login(c.phone, "mat-khau-moi-2025")).status).toBe(429);
  });

  it("is for signed-in users only", async () => {
    await expect(changePassword("__session=nothing", "a", "mat-khau-moi-2025")).rejects.toMatchObject({ status: 302 });
  });
});

describe("login and logout", () => {
  it("login rotates the session: a new id, and the cookie sent along with the login stops working", async () => {
    const { c, id, cookie: before } = await contestant();
    const res = await login(c.phone, c.password, before);
    expect(res.status).toBe(200);
    const after = cookieOf(res);
    expect(after).not.toBe(before);
    expect((await me(before)).status).toBe(401);
    expect((await me(after)).status).toBe(200);
    expect(await sessionCount(id)).toBe(1);

    // The login page does the same.
    const page = (await loginPage.action(
      args(req("/login", form({ ...formGuards(), identifier: c.nationalId, password: c.password }, after)), {}, { ip: newIp() }),
    )) as Response;
    expect(page.status).toBe(302);
    const third = cookieOf(page);
    expect(third).not.toBe(after);
    expect((await me(after)).status).toBe(401);
    expect((await me(third)).status).toBe(200);
    expect(await sessionCount(id)).toBe(1);
  });

  it("logout deletes the session row (page and API), so a copied cookie is worthless afterwards", async () => {
    const { c, id, cookie: first } = await contestant();
    const second = cookieOf(await login(c.phone, c.password));
    expect(await sessionCount(id)).toBe(2);

    const out = await logoutPage.action(args(req("/logout", { method: "POST", cookie: first })));
    expect(out.headers.get("Set-Cookie")).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/);
    expect(await sessionCount(id)).toBe(1);
    expect((await me(first)).status).toBe(401); // the browser forgot it; a copy is refused too

    const api = await logoutApi.action(args(req("/api/v1/auth/logout", { json: {}, cookie: second })));
    expect(api.status).toBe(204);
    expect(await sessionCount(id)).toBe(0);
    expect((await me(second)).status).toBe(401);
  });
});

describe("npm run user:password", () => {
  const root = path.resolve(__dirname, "..", "..");
  const cli = (...a: string[]) =>
    spawnSync(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/user-password.ts", ...a], {
      cwd: root,
      env: { ...process.env, NODE_ENV: "test" },
      encoding: "utf8",
    });

  it("sets the password given and ends every session of the account", { timeout: 120_000 }, async () => {
    const email = `bantochuc.${randomUUID().slice(0, 8)}@example.vn`;
    const { user } = await upsertStaff({ role: "organizer", email, password: "mat-khau-cu-2025", fullName: "Võ Thị Tổ Chức" });
    const s1 = cookieOf(await login(email, "mat-khau-cu-2025"));
    const s2 = cookieOf(await login(email.toUpperCase(), "mat-khau-cu-2025"));

    const r = cli("--email", email, "--password", "mat-khau-moi-2025");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`id ${user.id}`);
    expect(r.stdout).toContain("2 session(s) ended");
    expect(r.stdout).not.toContain("mat-khau-moi-2025"); // a given password is never echoed
    for (const cookie of [s1, s2]) expect((await me(cookie)).status).toBe(401);
    expect((await login(email, "mat-khau-cu-2025")).status).toBe(401);
    expect((await login(email, "mat-khau-moi-2025")).status).toBe(200);
  });

  it("generates and prints a password when none is given; finds contestants by phone", { timeout: 120_000 }, async () => {
    const { c, cookie } = await contestant();
    const r = cli("--phone", `+84 ${c.phone.slice(1)}`);
    expect(r.status).toBe(0);
    const generated = /Password: (\S+)/.exec(r.stdout)?.[1] ?? "";
    expect(generated).toMatch(/^[A-Za-z2-9]{16}$/);
    expect((await me(cookie)).status).toBe(401);
    expect((await login(c.phone, c.password)).status).toBe(401);
    expect((await login(c.phone, generated)).status).toBe(200);
  });

  it("refuses bad usage (exit 2) and unknown accounts (exit 1), changing nothing", { timeout: 120_000 }, async () => {
    const { c, cookie } = await contestant();
    expect(cli().status).toBe(2);
    expect(cli("--email", "x@example.vn", "--phone", c.phone).status).toBe(2);
    expect(cli("--phone", "12345").status).toBe(2);
    expect(cli("--phone", c.phone, "--password", "ngan").status).toBe(2);
    const unknown = cli("--email", `khong-co.${randomUUID().slice(0, 8)}@example.vn`, "--password", "mat-khau-moi-2025");
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("No account");
    expect((await me(cookie)).status).toBe(200);
    expect((await login(c.phone, c.password)).status).toBe(200);
  });
});
