// Test data for the end-to-end tests: people with valid, unique identity numbers (each CCCD and
// phone can be registered once, and the database lives for a whole run), and form helpers.
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { solveChallenge, type Challenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/sha";
import { randomInt, randomUUID } from "node:crypto";
import { vi } from "../../app/i18n/vi";

export type Gender = "male" | "female";
export type Group = "official" | "citizen" | "student" | "business";

export interface Person {
  fullName: string;
  nationalId: string;
  birthDate: string; // YYYY-MM-DD
  gender: Gender;
  phone: string; // 10-digit national form, 0xxxxxxxxx
  email: string;
  group: Group;
  workplace: string;
  password: string;
}

const pick = <T>(items: readonly T[]): T => items[randomInt(items.length)];
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join("");

// Numbers handed out in this worker process; another worker could draw the same one, but with 6
// and 7 random digits the odds are negligible (and a fresh database starts every run).
const used = new Set<string>();
function unique(make: () => string): string {
  for (;;) {
    const value = make();
    if (!used.has(value)) {
      used.add(value);
      return value;
    }
  }
}

/** The CCCD's fourth digit: 2 × (centuries since 1900) + 1 for women (0/1 for 1900s, 2/3 for 2000s). */
export function genderCenturyDigit(year: number, gender: Gender): number {
  return Math.floor((year - 1900) / 100) * 2 + (gender === "female" ? 1 : 0);
}

/**
 * A valid, unique 12-digit CCCD for someone born in `birthYear`: a province code (064 Gia Lai or
 * 052 Bình Định), the gender/century digit, the last two digits of the year, six random digits.
 */
export function uniqueNationalId(birthYear: number, gender: Gender): string {
  const yy = String(birthYear % 100).padStart(2, "0");
  return unique(() => `${pick(["064", "052"])}${genderCenturyDigit(birthYear, gender)}${yy}${digits(6)}`);
}

/** A valid, unique Vietnamese mobile number in national form (090–094, 096–099 prefixes). */
export function uniquePhone(): string {
  return unique(() => `${pick(["090", "091", "092", "093", "094", "096", "097", "098", "099"])}${digits(7)}`);
}

/** "0912345678" → "+84 912 345 678", the way people often write it. */
export function internationalPhone(phone: string): string {
  return `+84 ${phone.slice(1, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`;
}

const FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Rơ Chăm", "Ksor", "Đinh"];
const MIDDLE = { male: ["Văn", "Đức", "Minh", "Quốc"], female: ["Thị", "Ngọc", "Thu", "Kim"] };
const GIVEN = {
  male: ["An", "Bình", "Cường", "Dũng", "Hùng", "Khánh", "Lộc", "Phúc", "Quang", "Sơn", "Thắng", "Vinh"],
  female: ["Anh", "Bích", "Duyên", "Hạnh", "Hương", "Lan", "Mai", "Nhung", "Oanh", "Thảo", "Trang", "Yến"],
};

/** A contestant with valid data; `overrides` to vary one thing. */
export function newPerson(overrides: Partial<Person> = {}): Person {
  const gender = overrides.gender ?? pick(["male", "female"] as const);
  const year = randomInt(1965, 2008); // both centuries of the gender digit, all well over 6 years old
  const birthDate =
    overrides.birthDate ??
    `${year}-${String(randomInt(1, 13)).padStart(2, "0")}-${String(randomInt(1, 29)).padStart(2, "0")}`;
  const birthYear = Number(birthDate.slice(0, 4));
  return {
    fullName: `${pick(FAMILY)} ${pick(MIDDLE[gender])} ${pick(GIVEN[gender])} ${pick(GIVEN[gender])}`,
    nationalId: uniqueNationalId(birthYear, gender),
    birthDate,
    gender,
    phone: uniquePhone(),
    email: `e2e-${randomUUID().slice(0, 8)}@example.com`,
    group: "citizen",
    workplace: "Trường THPT Quy Nhơn",
    password: `Mk-${randomUUID().slice(0, 12)}`,
    ...overrides,
  };
}

/** Fills every field of /register except the commune (chosen differently with and without JS). */
export async function fillRegistration(page: Page, p: Person) {
  const r = vi.register;
  await page.getByLabel(r.fullName, { exact: true }).fill(p.fullName);
  await page.getByLabel(r.nationalId, { exact: true }).fill(p.nationalId);
  await page.getByLabel(r.birthDate, { exact: true }).fill(p.birthDate);
  await page.getByRole("radio", { name: p.gender === "male" ? r.genderMale : r.genderFemale, exact: true }).check();
  await page.getByLabel(r.phone, { exact: true }).fill(p.phone);
  await page.getByLabel(r.email, { exact: true }).fill(p.email);
  await page.getByLabel(r.group, { exact: true }).selectOption(p.group);
  await page.getByLabel(r.workplace, { exact: true }).fill(p.workplace);
  await page.getByLabel(r.password, { exact: true }).fill(p.password);
  await page.getByLabel(r.passwordConfirm, { exact: true }).fill(p.password);
}

export const communeSelect = (page: Page) => page.locator("select#communeCode");

/** Once React has hydrated the page, the commune search box appears: wait for it before typing. */
export async function waitForHydration(page: Page) {
  await expect(page.getByTestId("commune-filter")).toBeVisible();
}

export async function submitRegistration(page: Page) {
  await passFormGuards(page);
  await page.getByRole("main").getByRole("button", { name: vi.register.submit, exact: true }).click();
}

// ---------------------------------------------------------------------------------------------
// Abuse protection: the captcha and the honeypot's minimum time

/** The server's default FORM_MIN_SECONDS, plus a margin. */
const FORM_MIN_MS = 2_000 + 300;

/** The answer to the question shown instead of the captcha widget when scripts do not run. */
export function fallbackAnswer(question: string): number {
  for (let a = 0; a <= 20; a++) {
    for (let b = 0; b <= 20; b++) {
      if (vi.abuse.fallbackQuestion(a, "+", b) === question) return a + b;
      if (vi.abuse.fallbackQuestion(a, "-", b) === question) return a - b;
    }
  }
  throw new Error(`not a captcha question: ${question}`);
}

/**
 * Before sending a public form (registration, login) as a person would: without JavaScript, answer
 * the captcha question and let the form be on screen long enough (the honeypot's time check). With
 * JavaScript the page itself holds the submission until the widget has verified and that time has
 * passed, so nothing is needed, but waiting for the widget first keeps a click from racing hydration.
 */
export async function passFormGuards(page: Page) {
  const answer = page.locator('input[name="captchaAnswer"]');
  if (await answer.isVisible()) {
    const label = (await page.locator('label[for="captchaAnswer"]').textContent()) ?? "";
    await answer.fill(String(fallbackAnswer(label.slice(label.indexOf(":") + 1).trim())));
  } else {
    await waitForCaptcha(page);
  }
  const startedAt = Number(((await page.locator('input[name="formStartedAt"]').inputValue()) || "0").split(".")[0]);
  const wait = startedAt + FORM_MIN_MS - Date.now();
  if (wait > 0) await page.waitForTimeout(wait);
}

/** Scripts running: waits until the captcha widget has solved its challenge (its payload is in the form). */
export async function waitForCaptcha(page: Page) {
  await expect(page.locator('form input[name="captcha"]')).toHaveValue(/.+/, { timeout: 15_000 });
}

/** A solved captcha for the API (GET /api/v1/captcha, solved the way the widget does). */
export async function solvedCaptcha(request: APIRequestContext): Promise<string> {
  const res = await request.get("/api/v1/captcha");
  expect(res.status()).toBe(200);
  const challenge = (await res.json()) as Challenge;
  const solution = await solveChallenge({ challenge, deriveKey });
  expect(solution).not.toBeNull();
  return Buffer.from(JSON.stringify({ challenge, solution })).toString("base64");
}
