// Helpers for the play tests: contestants registered through the API, rounds with special timing
// created by an organizer through the API, read-only looks into the e2e SQLite database (the
// answer key and what the server has saved), and the play page's controls.
import { expect, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { solveChallenge, type Challenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/sha";
import Database from "better-sqlite3";
import { randomInt, randomUUID } from "node:crypto";
import path from "node:path";
import { vi } from "../../app/i18n/vi";
import { newPerson, type Person } from "./helpers";
import { createStaff, E2E_DATABASE_URL, newStaff, ROOT, type Staff } from "./staff";

export const P = vi.play;

// ---------------------------------------------------------------------------------------------
// The database, read-only

const DB_FILE = path.resolve(ROOT, E2E_DATABASE_URL.replace(/^file:/, ""));

/** Opens the e2e database read-only for one look (the server keeps writing to it in WAL mode). */
export function readDb<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(DB_FILE, { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** What the server has saved for the attempt: {questionId: optionId}. */
export function savedAnswers(attemptId: string): Record<string, string> {
  return readDb((db) => {
    const rows = db.prepare(`SELECT "questionId", "optionId" FROM "Answer" WHERE "attemptId" = ?`).all(attemptId) as {
      questionId: string;
      optionId: string;
    }[];
    return Object.fromEntries(rows.map((r) => [r.questionId, r.optionId]));
  });
}

/** The answer key of the attempt's drawn questions: {questionId: correct optionId}. */
export function answerKey(attemptId: string): Record<string, string> {
  return readDb((db) => {
    const rows = db
      .prepare(
        `SELECT o."questionId" AS questionId, o."id" AS optionId
           FROM "AttemptDraw" d, json_each(d."questions") j JOIN "Option" o ON o."questionId" = j."value" ->> 0 AND o."correct" = 1
          WHERE d."attemptId" = ?`,
      )
      .all(attemptId) as { questionId: string; optionId: string }[];
    return Object.fromEntries(rows.map((r) => [r.questionId, r.optionId]));
  });
}

/** The explanations of the attempt's drawn questions (they must not reach the browser during it). */
export function explanationsOf(attemptId: string): string[] {
  return readDb((db) =>
    (
      db
        .prepare(`SELECT q."explanation" AS e FROM "AttemptDraw" d, json_each(d."questions") j JOIN "Question" q ON q."id" = j."value" ->> 0 WHERE d."attemptId" = ?`)
        .all(attemptId) as { e: string }[]
    ).map((r) => r.e),
  );
}

export function attemptRow(attemptId: string): { status: string; correctCount: number | null; prediction: number | null } {
  return readDb(
    (db) =>
      db.prepare(`SELECT "status", "correctCount", "prediction" FROM "Attempt" WHERE "id" = ?`).get(attemptId) as {
        status: string;
        correctCount: number | null;
        prediction: number | null;
      },
  );
}

/** How many of `chosen` ({questionId: optionId}) the key says are right. */
export function countCorrect(chosen: Record<string, string>, key: Record<string, string>): number {
  return Object.entries(chosen).filter(([q, o]) => key[q] === o).length;
}

// ---------------------------------------------------------------------------------------------
// Accounts and rounds through the API

/**
 * A solved captcha for an API registration or login, the way the browser's widget gets one:
 * GET /api/v1/captcha, then altcha-lib's solver. Undefined when the app has no captcha endpoint.
 */
export async function solvedCaptcha(request: APIRequestContext): Promise<string | undefined> {
  const res = await request.get("/api/v1/captcha");
  if (res.status() === 404) return undefined;
  expect(res.status(), await res.text()).toBe(200);
  const challenge = (await res.json()) as Challenge;
  const solution = await solveChallenge({ challenge, deriveKey });
  if (!solution) throw new Error("could not solve the captcha challenge");
  return Buffer.from(JSON.stringify({ challenge, solution })).toString("base64");
}

/** POST /api/v1/auth/login with a solved captcha. */
export async function apiLogin(request: APIRequestContext, identifier: string, password: string) {
  const res = await request.post("/api/v1/auth/login", { data: { identifier, password, captcha: await solvedCaptcha(request) } });
  expect(res.status(), await res.text()).toBe(200);
}

/** Registers a new contestant (Phường Quy Nhơn); the session cookie lands in `request`'s context. */
export async function registerContestant(request: APIRequestContext, overrides: Partial<Person> = {}): Promise<Person> {
  const p = newPerson(overrides);
  const res = await request.post("/api/v1/auth/register", {
    data: {
      captcha: await solvedCaptcha(request),
      fullName: p.fullName,
      nationalId: p.nationalId,
      birthDate: p.birthDate,
      gender: p.gender,
      phone: p.phone,
      email: p.email,
      communeCode: "21583",
      group: p.group,
      workplace: p.workplace,
      password: p.password,
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return p;
}

export interface RoundInfo {
  id: string;
  name: string;
  opensAt: string;
  closesAt: string;
  durationSeconds: number;
  questionCount: number;
  maxAttempts: number;
}

/** The demo contest's "Vòng 1" (open now: 20 questions, 20 minutes, 3 attempts). */
export async function demoRound(request: APIRequestContext, name = "Vòng 1"): Promise<RoundInfo> {
  const res = await request.get("/api/v1/contests");
  expect(res.status()).toBe(200);
  const contests = (await res.json()) as { rounds: RoundInfo[] }[];
  const round = contests.flatMap((c) => c.rounds).find((r) => r.name === name);
  if (!round) throw new Error(`no round named ${name}`);
  return round;
}

/** Starts (or resumes) an attempt through the API. */
export async function startAttemptApi(request: APIRequestContext, roundId: string) {
  const res = await request.post(`/api/v1/rounds/${roundId}/attempts`, { data: {} });
  expect([200, 201], await res.text()).toContain(res.status());
  return (await res.json()).attempt as AttemptJson;
}

export interface AttemptJson {
  id: string;
  roundId: string;
  status: string;
  startedAt: string;
  deadlineAt: string;
  serverNow: string;
  questions: { id: string; text: string; options: { id: string; text: string }[] }[];
  answers: Record<string, string>;
}

export async function getAttemptApi(request: APIRequestContext, attemptId: string): Promise<AttemptJson> {
  const res = await request.get(`/api/v1/attempts/${attemptId}`);
  expect(res.status()).toBe(200);
  return (await res.json()).attempt as AttemptJson;
}

export function putAnswer(request: APIRequestContext, attemptId: string, questionId: string, optionId: string) {
  return request.put(`/api/v1/attempts/${attemptId}/answers/${questionId}`, { data: { optionId } });
}

/** Twelve questions on four topics, the right answer spread over A–D. */
export const TIMED_BANK_QUESTIONS: { topic: string; text: string; options: string[]; correct: "A" | "B" | "C" | "D"; difficulty: string }[] =
  Array.from({ length: 12 }, (_, i) => {
    const n = i + 1;
    return {
      topic: ["Cải cách hành chính", "Chính quyền số", "Dịch vụ công trực tuyến", "Thủ tục hành chính"][i % 4],
      text: `Câu hỏi thử giờ số ${n}: theo Kế hoạch cải cách hành chính của tỉnh Gia Lai, chỉ tiêu số ${n} được giao cho đơn vị nào?`,
      options: [`Sở Nội vụ (${n})`, `Văn phòng UBND tỉnh (${n})`, `Sở Khoa học và Công nghệ (${n})`, `UBND cấp xã (${n})`],
      correct: (["A", "B", "C", "D"] as const)[i % 4],
      difficulty: ["Dễ", "Trung bình", "Khó"][i % 3],
    };
  });

const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function timedBankCsv(): string {
  const header = ["Chủ đề", "Câu hỏi", "Đáp án A", "Đáp án B", "Đáp án C", "Đáp án D", "Đáp án đúng", "Giải thích", "Độ khó"];
  const rows = TIMED_BANK_QUESTIONS.map((q) => [q.topic, q.text, ...q.options, q.correct, `Giải thích cho câu: ${q.text}`, q.difficulty]);
  return [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

export interface OrganizerApi {
  staff: Staff;
  request: APIRequestContext;
  bankId: string;
}

/**
 * A new organizer (through the CLI), logged in in `request` (a context of its own, so its cookie
 * never mixes with a contestant's), with a bank of the twelve questions above imported from CSV.
 */
export async function organizerWithBank(request: APIRequestContext): Promise<OrganizerApi> {
  const staff = await createStaff(newStaff("organizer", "Trần Văn Ra Đề"));
  await apiLogin(request, staff.email, staff.password);
  const bank = await request.post("/api/v1/admin/banks", { data: { name: `Ngân hàng thử giờ ${randomUUID().slice(0, 6)}` } });
  expect(bank.status(), await bank.text()).toBe(201);
  const bankId = (await bank.json()).bank.id as string;
  const imported = await request.post(`/api/v1/admin/banks/${bankId}/import`, {
    multipart: { file: { name: "cau-hoi-thu-gio.csv", mimeType: "text/csv", buffer: Buffer.from(timedBankCsv(), "utf8") } },
  });
  expect(imported.status(), await imported.text()).toBe(200);
  expect(await imported.json()).toMatchObject({ imported: TIMED_BANK_QUESTIONS.length, errors: [] });
  return { staff, request, bankId };
}

/** Creates a round in the organizer's bank; times are instants (Date). */
export async function createRoundApi(
  org: OrganizerApi,
  r: { name?: string; opensAt: Date; closesAt: Date; durationSeconds?: number; questionCount?: number; maxAttempts?: number; prediction?: boolean },
): Promise<RoundInfo> {
  const body = {
    name: r.name ?? `Vòng thử giờ ${randomUUID().slice(0, 6)}`,
    opensAt: r.opensAt.toISOString(),
    closesAt: r.closesAt.toISOString(),
    durationSeconds: r.durationSeconds ?? 600,
    questionCount: r.questionCount ?? 5,
    maxAttempts: r.maxAttempts ?? 1,
    bankId: org.bankId,
    prediction: r.prediction ?? true,
    tieBreak: (r.prediction ?? true) ? ["prediction", "duration", "submittedAt"] : ["duration", "submittedAt"],
  };
  const res = await org.request.post("/api/v1/admin/rounds", { data: body });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).round as RoundInfo;
}

// ---------------------------------------------------------------------------------------------
// The play page

export const playBar = (page: Page) => page.getByTestId("play-bar");
export const countdown = (page: Page) => page.getByRole("timer", { name: P.timeLeft });
/** The question on screen (once scripts run, only the current fieldset is visible). */
export const currentQuestion = (page: Page) => page.locator('[data-testid="question"]:visible');

/** Waits for the hydrated play page (the bar with progress, counter and countdown). */
export async function waitForPlay(page: Page) {
  await expect(playBar(page)).toBeVisible();
  await expect(countdown(page)).toHaveText(/^\d{2}:\d{2}$/);
}

/** "19:58" → 1198. */
export async function secondsOnClock(page: Page): Promise<number> {
  const text = (await countdown(page).textContent()) ?? "";
  const m = /^(?:(\d+):)?(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) throw new Error(`countdown reads "${text}"`);
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/** The question id of a fieldset (its radios are named q_<questionId>). */
export async function questionIdOf(fieldset: Locator): Promise<string> {
  const name = await fieldset.getByRole("radio").first().getAttribute("name");
  if (!name?.startsWith("q_")) throw new Error(`unexpected radio name ${name}`);
  return name.slice(2);
}

/**
 * Chooses option `k` (0-based; random when omitted, or the one with value `optionId`) of the
 * question on screen; returns {questionId, optionId}.
 */
export async function answerCurrent(page: Page, pick?: number | { optionId: string }): Promise<{ questionId: string; optionId: string }> {
  const q = currentQuestion(page);
  await expect(q).toHaveCount(1);
  const radios = q.getByRole("radio");
  const n = await radios.count();
  expect(n).toBeGreaterThanOrEqual(2);
  const radio =
    typeof pick === "object" ? q.locator(`input[type="radio"][value="${pick.optionId}"]`) : radios.nth(pick ?? randomInt(n));
  await radio.check();
  await expect(radio).toBeChecked();
  return { questionId: await questionIdOf(q), optionId: (await radio.getAttribute("value")) ?? "" };
}

export async function nextQuestion(page: Page) {
  await page.getByRole("button", { name: P.next, exact: true }).click();
}

export const localQueue = (page: Page, attemptId: string) =>
  page.evaluate((key) => {
    const raw = window.localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as Record<string, string>) : null;
  }, `cchc:answers:${attemptId}`);

export const attemptIdFromUrl = (url: string) => {
  const m = /\/attempts\/([^/?#]+)/.exec(new URL(url).pathname);
  if (!m) throw new Error(`not an attempt URL: ${url}`);
  return m[1];
};

/** Optional captures for a visual check: E2E_SCREENSHOTS=/some/dir saves full pages at 360 px wide. */
export async function capture(page: Page, name: string) {
  const dir = process.env.E2E_SCREENSHOTS;
  if (!dir) return;
  const before = page.viewportSize();
  await page.setViewportSize({ width: 360, height: 780 });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
  if (before) await page.setViewportSize(before);
}
