// Abuse protection through the real route modules: rate limits (switched on here with small limits
// through the test factory), the captcha on registration and login, and the forms' honeypot.
import { afterEach, describe, expect, it } from "vitest";
import { vi as t } from "~/i18n/vi";
import * as answerApi from "~/routes/api.v1.attempts.$attemptId.answers.$questionId";
import * as loginApi from "~/routes/api.v1.auth.login";
import * as registerApi from "~/routes/api.v1.auth.register";
import * as captchaApi from "~/routes/api.v1.captcha";
import * as startApi from "~/routes/api.v1.rounds.$roundId.attempts";
import * as loginPage from "~/routes/login";
import * as registerPage from "~/routes/register";
import * as roundPage from "~/routes/rounds.$roundId";
import { db } from "~/utils/db.server";
import { formTimeToken } from "~/utils/honeypot.server";
import { createRateLimits, setRateLimits, type Limit, type LimitName } from "~/utils/rate-limit.server";
import { args, cookieOf, formGuards, loginBody, mintedCaptcha, newContestant, req, solvedCaptcha, withCaptcha } from "./helpers";

const limits = (l: Partial<Record<LimitName, Limit>>) => setRateLimits(createRateLimits({ limits: l }));
afterEach(() => setRateLimits(null));

let ipSeq = 0;
/** A fresh client address per call, so tests never share counters by accident. */
const newIp = () => `203.0.113.${++ipSeq}`;

const registerAt = (json: unknown, ip?: string) =>
  registerApi.action(args(req("/api/v1/auth/register", { json }), {}, ip ? { ip } : {}));
const loginAt = (json: unknown, ip?: string) => loginApi.action(args(req("/api/v1/auth/login", { json }), {}, ip ? { ip } : {}));
const startAt = (roundId: string, cookie: string, ip: string) =>
  startApi.action(args(req(`/api/v1/rounds/${roundId}/attempts`, { json: {}, cookie }), { roundId }, { ip }));
const saveAt = (attemptId: string, cookie: string, ip: string) =>
  answerApi.action(
    args(req(`/api/v1/attempts/${attemptId}/answers/q1`, { method: "PUT", json: { optionId: "o1" }, cookie }), { attemptId, questionId: "q1" }, { ip }),
  );

const form = (fields: Record<string, unknown>, cookie?: string) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) body.set(k, String(v));
  return { body, headers: { "Content-Type": "application/x-www-form-urlencoded" }, cookie, method: "POST" };
};
type FormAnswer = {
  data: { message: string; fields: Record<string, string>; guard: { formStartedAt: string; fallback: { question: string; token: string } } };
  init: { status: number; headers?: HeadersInit };
};
const registerForm = async (fields: Record<string, unknown>, ip?: string) =>
  (await registerPage.action(args(req("/register", form(fields)), {}, ip ? { ip } : {}))) as unknown as FormAnswer & Response;
const loginForm = async (fields: Record<string, unknown>, ip?: string) =>
  (await loginPage.action(args(req("/login", form(fields)), {}, ip ? { ip } : {}))) as unknown as FormAnswer & Response;

async function expectLimited(res: Response) {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers.get("Retry-After"));
  expect(Number.isInteger(retryAfter) && retryAfter > 0).toBe(true);
  expect(await res.json()).toEqual({ error: { code: "RATE_LIMITED", message: t.errors.RATE_LIMITED } });
  return retryAfter;
}
function expectFormLimited(r: FormAnswer) {
  expect(r.init.status).toBe(429);
  expect(r.data.message).toBe(t.errors.RATE_LIMITED);
  expect(Number(new Headers(r.init.headers).get("Retry-After"))).toBeGreaterThan(0);
}

async function registered(ip = newIp()) {
  const c = newContestant();
  const res = await registerAt(c, ip);
  expect(res.status, await res.clone().text()).toBe(201);
  return { c, cookie: cookieOf(res) };
}

describe("rate limits", () => {
  it("registration: per address, counting accounts created and duplicates, not typos", async () => {
    limits({ register: { points: 2, seconds: 3600 } });
    const ip = newIp();
    // Typos (refused before any account is read) and an unknown commune (refunded) do not count.
    for (let i = 0; i < 3; i++) expect((await registerAt(newContestant({ nationalId: "064" }), ip)).status).toBe(400);
    expect((await registerAt(newContestant({ communeCode: "99999" }), ip)).status).toBe(400);
    const first = newContestant();
    expect((await registerAt(first, ip)).status).toBe(201);
    expect((await registerAt(newContestant({ phone: first.phone }), ip)).status).toBe(409); // a duplicate counts
    const retryAfter = await expectLimited(await registerAt(newContestant(), ip));
    expect(retryAfter).toBeGreaterThan(3500);
    // Another address is not affected.
    expect((await registerAt(newContestant(), newIp())).status).toBe(201);
  });

  it("registration page: the same Vietnamese message in the form, with status 429", async () => {
    limits({ register: { points: 1, seconds: 3600 } });
    const ip = newIp();
    const a = newContestant();
    expect(((await registerForm({ ...formGuards(), ...a, passwordConfirm: a.password }, ip)) as Response).status).toBe(302);
    const b = newContestant();
    const r = await registerForm({ ...formGuards(), ...b, passwordConfirm: b.password }, ip);
    expectFormLimited(r);
    expect(await db().user.count({ where: { nationalId: b.nationalId } })).toBe(0);
  });

  it("login: failures per account from any address; a success resets the account's counter", async () => {
    limits({ loginAccount: { points: 3, seconds: 900 }, loginIp: { points: 100, seconds: 900 } });
    const { c } = await registered();
    const { c: other } = await registered();
    // Two failures, a success, two failures: never limited (the success cleared the first two).
    for (const password of ["sai-1", "sai-2", c.password, "sai-3", "sai-4"]) {
      expect((await loginAt(loginBody(c.phone, password), newIp())).status).toBe(password === c.password ? 200 : 401);
    }
    // A third failure in a row, from yet another address, reaches the limit…
    expect((await loginAt(loginBody(`+84${c.phone.slice(1)}`, "sai-5"), newIp())).status).toBe(401);
    // …and now even the right password waits, whatever the spelling or the address.
    await expectLimited(await loginAt(loginBody(c.phone, c.password), newIp()));
    await expectLimited(await loginAt(loginBody(c.phone.replace(/^0(\d{3})(\d{3})(\d{3})$/, "0$1 $2 $3"), c.password), newIp()));
    // Another account is not affected.
    expect((await loginAt(loginBody(other.phone, other.password), newIp())).status).toBe(200);
  });

  it("login: failures per address, whatever the accounts; successes do not count", async () => {
    limits({ loginAccount: { points: 100, seconds: 900 }, loginIp: { points: 3, seconds: 900 } });
    const { c } = await registered();
    const office = newIp();
    for (let i = 0; i < 5; i++) expect((await loginAt(loginBody(c.phone, c.password), office)).status).toBe(200);
    for (const phone of ["0911111111", "0922222222", "0933333333"]) {
      expect((await loginAt(loginBody(phone, "sai-mat-khau"), office)).status).toBe(401);
    }
    await expectLimited(await loginAt(loginBody(c.phone, c.password), office));
    expect((await loginAt(loginBody(c.phone, c.password), newIp())).status).toBe(200);
  });

  it("login page: the limit's message in the form, status 429, no session", async () => {
    limits({ loginAccount: { points: 1, seconds: 900 } });
    const { c } = await registered();
    const bad = await loginForm({ ...formGuards(), identifier: c.phone, password: "sai" }, newIp());
    expect(bad.init.status).toBe(401);
    const r = await loginForm({ ...formGuards(), identifier: c.phone, password: c.password }, newIp());
    expectFormLimited(r);
    expect(r.data.guard.formStartedAt).toMatch(/^\d+\./); // a fresh form to try again later
  });

  it("attempt starts: per account and per address (counted before the round is even looked up)", async () => {
    limits({ startAccount: { points: 2, seconds: 60 }, startIp: { points: 3, seconds: 60 } });
    const a = await registered();
    const b = await registered();
    const office = newIp();
    expect((await startAt("no-such-round", a.cookie, office)).status).toBe(404);
    expect((await startAt("no-such-round", a.cookie, office)).status).toBe(404);
    await expectLimited(await startAt("no-such-round", a.cookie, newIp())); // account: 2 per minute, from anywhere
    expect((await startAt("no-such-round", b.cookie, office)).status).toBe(404); // office's 3rd start
    await expectLimited(await startAt("no-such-round", b.cookie, office)); // office: 3 per minute
    expect((await startAt("no-such-round", b.cookie, newIp())).status).toBe(404); // b elsewhere is fine
  });

  it("attempt starts from the round page: the message in the page, status 429", async () => {
    limits({ startAccount: { points: 1, seconds: 60 } });
    const { cookie } = await registered();
    const post = () => roundPage.action(args(req("/rounds/no-such-round", form({ deviceId: "d" }, cookie)), { roundId: "no-such-round" }, { ip: newIp() }));
    await expect(post()).rejects.toMatchObject({ status: 404 });
    expectFormLimited((await post()) as unknown as FormAnswer);
  });

  it("answer saves: per account and per address", async () => {
    limits({ answerAccount: { points: 3, seconds: 60 }, answerIp: { points: 5, seconds: 60 } });
    const a = await registered();
    const b = await registered();
    const office = newIp();
    for (let i = 0; i < 3; i++) expect((await saveAt("no-such-attempt", a.cookie, office)).status).toBe(404);
    await expectLimited(await saveAt("no-such-attempt", a.cookie, newIp()));
    expect((await saveAt("no-such-attempt", b.cookie, office)).status).toBe(404); // office: 4
    expect((await saveAt("no-such-attempt", b.cookie, office)).status).toBe(404); // office: 5
    await expectLimited(await saveAt("no-such-attempt", b.cookie, office));
    expect((await saveAt("no-such-attempt", b.cookie, newIp())).status).toBe(404);
  });

  it("RATE_LIMITS=off switches every limit off", async () => {
    setRateLimits(createRateLimits({ limits: "off" }));
    const { c } = await registered();
    const ip = newIp();
    for (let i = 0; i < 12; i++) expect((await loginAt(loginBody(c.phone, "sai"), ip)).status).toBe(401);
    expect((await loginAt(loginBody(c.phone, c.password), ip)).status).toBe(200);
  });
});

describe("captcha on the registration and login API", () => {
  it("GET /api/v1/captcha hands out a signed challenge that expires in ten minutes", async () => {
    const res = await captchaApi.loader(args(req("/api/v1/captcha")));
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const c = (await res.json()) as { parameters: Record<string, unknown>; signature: string };
    expect(c.parameters).toMatchObject({ algorithm: "SHA-256", cost: 1, keyLength: 32 });
    expect(Number(c.parameters.expiresAt) * 1000 - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(c.signature).toMatch(/^[0-9a-f]{64}$/);
  });

  it("registration needs a solved challenge, once", async () => {
    const captcha = await solvedCaptcha();
    const c = newContestant({ captcha });
    expect((await registerAt(c)).status).toBe(201);

    const cases: [unknown, string][] = [
      [undefined, "CAPTCHA_REQUIRED"],
      ["", "CAPTCHA_REQUIRED"],
      ["bm90IGEgcGF5bG9hZA==", "CAPTCHA_INVALID"],
      [mintedCaptcha(Date.now() - 11 * 60_000), "CAPTCHA_EXPIRED"],
      [captcha, "CAPTCHA_REPLAYED"],
    ];
    for (const [value, code] of cases) {
      const body = newContestant({ captcha: value });
      const res = await registerAt(body);
      expect(res.status, code).toBe(400);
      expect(await res.json()).toEqual({ error: { code, message: t.errors[code as "CAPTCHA_INVALID"], fields: { captcha: t.errors[code as "CAPTCHA_INVALID"] } } });
      expect(await db().user.count({ where: { nationalId: body.nationalId } })).toBe(0);
    }
  });

  it("login needs a solved challenge, once, even with the right password; typos are reported first", async () => {
    const { c } = await registered();
    const missing = await loginAt({ identifier: c.phone, password: c.password });
    expect(missing.status).toBe(400);
    expect(missing.headers.get("Set-Cookie")).toBeNull();
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("CAPTCHA_REQUIRED");
    const invalid = await loginAt({ identifier: c.phone, password: c.password, captcha: "e30=" });
    expect(((await invalid.json()) as { error: { code: string } }).error.code).toBe("CAPTCHA_INVALID");

    const captcha = await solvedCaptcha();
    expect((await loginAt({ identifier: c.phone, password: c.password, captcha })).status).toBe(200);
    const replay = await loginAt({ identifier: c.phone, password: c.password, captcha });
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as { error: { code: string } }).error.code).toBe("CAPTCHA_REPLAYED");

    const typo = await loginAt({ identifier: "", password: "x" });
    expect(((await typo.json()) as { error: { code: string } }).error.code).toBe("VALIDATION_FAILED");
    expect((await loginAt(withCaptcha({ identifier: c.phone, password: c.password }))).status).toBe(200);
  });
});

/** The answer to the no-JavaScript question, as a person reads it. */
function answerOf(question: string): number {
  for (let a = 0; a <= 20; a++) {
    for (let b = 0; b <= 20; b++) {
      if (t.abuse.fallbackQuestion(a, "+", b) === question) return a + b;
      if (t.abuse.fallbackQuestion(a, "-", b) === question) return a - b;
    }
  }
  throw new Error(`not a fallback question: ${question}`);
}

describe("the public forms: honeypot and the no-JavaScript captcha", () => {
  const sixtySecondsAgo = () => formTimeToken(Date.now() - 60_000);

  it("the pages render their guards: signed time, minimum wait and a question for browsers without JavaScript", async () => {
    const reg = (await registerPage.loader(args(req("/register")))) as { guard: FormAnswer["data"]["guard"] & { minSeconds: number } };
    expect(reg.guard.formStartedAt).toMatch(/^\d+\.[\w-]+$/);
    expect(reg.guard.minSeconds).toBe(2);
    expect(reg.guard.fallback.question).toMatch(/bằng bao nhiêu\?$/);
    const login = (await loginPage.loader(args(req("/login")))) as { guard: FormAnswer["data"]["guard"] };
    expect(login.guard.fallback.token).not.toBe(reg.guard.fallback.token);
  });

  it("registers without JavaScript by answering the question; a wrong answer is refused beside the field", async () => {
    const { guard } = (await registerPage.loader(args(req("/register")))) as { guard: FormAnswer["data"]["guard"] };
    const c = newContestant();
    const fields = { ...c, captcha: undefined, passwordConfirm: c.password, formStartedAt: sixtySecondsAgo(), captchaToken: guard.fallback.token };
    const wrong = await registerForm({ ...fields, captchaAnswer: String(answerOf(guard.fallback.question) + 1) });
    expect(wrong.init.status).toBe(400);
    expect(wrong.data.message).toBe(t.errors.CAPTCHA_INVALID);
    expect(wrong.data.fields).toEqual({ captchaAnswer: t.abuse.fallbackWrong });
    // The token is spent; the answer brings a new question.
    const next = wrong.data.guard.fallback;
    expect(next.token).not.toBe(guard.fallback.token);
    const ok = (await registerForm({ ...fields, captchaToken: next.token, captchaAnswer: String(answerOf(next.question)) })) as Response;
    expect(ok.status).toBe(302);
    expect(ok.headers.get("Location")).toBe("/account?welcome=1");
  });

  it("a form with neither the widget's payload nor an answer is sent back asking to verify", async () => {
    const c = newContestant();
    const r = await registerForm({ ...c, captcha: undefined, passwordConfirm: c.password, formStartedAt: sixtySecondsAgo() });
    expect(r.init.status).toBe(400);
    expect(r.data.message).toBe(t.errors.CAPTCHA_REQUIRED);
    expect(await db().user.count({ where: { nationalId: c.nationalId } })).toBe(0);
  });

  it("refuses a filled honeypot, a form sent back too soon, and a missing or forged time: one neutral message", async () => {
    const c = newContestant();
    const base = { ...c, passwordConfirm: c.password };
    const attempts = [
      { ...base, website: "https://spam.example", formStartedAt: sixtySecondsAgo() },
      { ...base, formStartedAt: formTimeToken(Date.now() - 300) },
      { ...base },
      { ...base, formStartedAt: `${Date.now() - 60_000}.forged` },
    ];
    for (const fields of attempts) {
      const r = await registerForm(fields);
      expect(r.init.status).toBe(400);
      expect(r.data.message).toBe(t.errors.FORM_REJECTED);
      expect(r.data.fields).toEqual({});
    }
    expect(await db().user.count({ where: { nationalId: c.nationalId } })).toBe(0);
    // The same form, as a person sends it, goes through.
    expect(((await registerForm({ ...base, formStartedAt: sixtySecondsAgo() })) as Response).status).toBe(302);
  });

  it("the login form has the same guards: a filled honeypot is refused even with the right password", async () => {
    const { c } = await registered();
    const trapped = await loginForm({ ...formGuards(), website: "x", identifier: c.phone, password: c.password });
    expect(trapped.init.status).toBe(400);
    expect(trapped.data.message).toBe(t.errors.FORM_REJECTED);
    const noCaptcha = await loginForm({ formStartedAt: sixtySecondsAgo(), identifier: c.phone, password: c.password });
    expect(noCaptcha.data.message).toBe(t.errors.CAPTCHA_REQUIRED);
    const ok = (await loginForm({ ...formGuards(), identifier: c.phone, password: c.password })) as Response;
    expect(ok.status).toBe(302);
  });
});
