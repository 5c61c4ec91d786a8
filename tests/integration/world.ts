// A small contest world for the security tests (fuzz.test.ts, access-matrix.test.ts): one person
// of every role with a session cookie, a question bank, rounds and attempts in known states. Built
// through the app's own model functions and API routes, like the other integration fixtures.
import { randomBytes, randomInt } from "node:crypto";
import type { QuestionDraft } from "~/domain/questions";
import type { Role } from "~/domain/roles";
import type { RoundInput } from "~/domain/rounds";
import { saveAnswer, startAttempt, submitAttempt } from "~/models/attempt.server";
import { createBank, insertQuestions } from "~/models/question-bank.server";
import { createRound, moveRoundTimes } from "~/models/round.server";
import { upsertStaff } from "~/models/user.server";
import * as loginApi from "~/routes/api.v1.auth.login";
import * as registerApi from "~/routes/api.v1.auth.register";
import { db } from "~/utils/db.server";
import { startSession } from "~/utils/session.server";
import { args, cookieOf, loginBody, newContestant, req } from "./helpers";

export const SYSTEM = { id: null };
const MIN = 60_000;
export const uniq = () => randomBytes(4).toString("hex");

/** Letters only, so it passes the full-name rule, and unique enough to search responses for. */
export function uniqueWord(): string {
  const letters = "bcdfghklmnpqrstvxyz";
  let w = "";
  for (let i = 0; i < 8; i++) w += letters[randomInt(letters.length)];
  return w[0].toUpperCase() + w.slice(1);
}

export interface Person {
  id: string;
  role: Role;
  cookie: string;
  email: string | null;
  communeCode: string | null;
  fullName: string;
  /** Contestants only: what must never reach anyone who is not allowed to see it. */
  nationalId?: string;
  phone?: string;
  birthDate?: string;
  group?: string;
}

/** A staff account of `role`, logged in through the API (captcha included). */
export async function staff(role: Exclude<Role, "contestant">, communeCode?: string): Promise<Person> {
  const email = `${role}.${uniq()}@example.vn`;
  const fullName = `Cán Bộ ${uniqueWord()}`;
  const { user } = await upsertStaff({ role, email, password: "mat-khau-can-bo", fullName, communeCode });
  const res = await loginApi.action(args(req("/api/v1/auth/login", { json: loginBody(email, "mat-khau-can-bo") })));
  if (res.status !== 200) throw new Error(`login of the ${role} failed: ${res.status} ${await res.text()}`);
  return { id: user.id, role, cookie: cookieOf(res), email, communeCode: communeCode ?? null, fullName };
}

/** A registered contestant (registration API, captcha included) with a unique full name. */
export async function contestant(communeCode: string, group = "citizen"): Promise<Person> {
  const fullName = `Nguyễn Văn ${uniqueWord()}`;
  const body = newContestant({ communeCode, group, fullName, workplace: `Cơ quan ${uniqueWord()}` });
  const res = await registerApi.action(args(req("/api/v1/auth/register", { json: body })));
  if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${await res.text()}`);
  const { user } = (await res.json()) as { user: { id: string } };
  return {
    id: user.id,
    role: "contestant",
    cookie: cookieOf(res),
    email: null,
    communeCode,
    fullName,
    nationalId: body.nationalId,
    phone: body.phone,
    birthDate: body.birthDate,
    group,
  };
}

/** One more session of a person (a fresh cookie, for requests that end or replace the session). */
export async function freshCookie(p: Person): Promise<string> {
  const setCookie = await startSession(new Request("http://localhost/"), p.id);
  return setCookie.split(";")[0];
}

/** A bank of `n` questions; the explanations carry `marker` so a leaked answer key can be found. */
export async function bankWith(n: number, marker = `GIAITHICH${uniq()}`) {
  const tag = uniq();
  const drafts: QuestionDraft[] = Array.from({ length: n }, (_, i) => ({
    topic: "Cải cách thủ tục hành chính",
    text: `Câu hỏi ${tag} số ${i + 1}: cơ quan nào tiếp nhận hồ sơ?`,
    options: ["Phương án một", "Phương án hai", "Phương án ba", "Phương án bốn"],
    correct: i % 4,
    explanation: `${marker} giải thích câu ${i + 1}.`,
    difficulty: "medium",
    source: "",
  }));
  const bank = await createBank({ name: `Ngân hàng ${tag}` }, SYSTEM);
  await db().$transaction((tx) => insertQuestions(tx, bank.id, drafts, SYSTEM));
  const questions = await db().question.findMany({ where: { bankId: bank.id }, select: { id: true }, orderBy: { createdAt: "asc" } });
  return { bankId: bank.id, questionIds: questions.map((q) => q.id), marker };
}

/** A round open now (or upcoming with `upcoming`), drawing `questionCount` questions from the bank. */
export async function round(bankId: string, o: Partial<RoundInput> & { upcoming?: boolean } = {}) {
  const now = Date.now();
  const { upcoming, ...rest } = o;
  return createRound(
    {
      name: `Vòng ${uniq()}`,
      description: "",
      opensAt: new Date(upcoming ? now + 24 * 60 * MIN : now - 120 * MIN),
      closesAt: new Date(now + 48 * 60 * MIN),
      durationSeconds: 3600,
      questionCount: 4,
      maxAttempts: 5,
      bankId,
      topics: {},
      difficulty: {},
      eligibleGroups: ["official", "citizen", "student", "business"],
      groupBanks: {},
      prediction: true,
      tieBreak: ["prediction", "duration", "submittedAt"],
      attemptPolicy: "best",
      revealAnswers: "after_close",
      flagRules: {},
      ...rest,
    } as RoundInput,
    SYSTEM,
    new Date(),
  );
}

export const closeRound = (roundId: string) => moveRoundTimes(roundId, { closesAt: new Date(Date.now() - 60_000) }, SYSTEM, new Date());

/**
 * Starts an attempt of `p` in the round (played a minute in the past), answers it with `right`
 * correct answers and submits it unless `submit` is false.
 */
export async function play(roundId: string, p: Person, o: { right?: number; submit?: boolean; prediction?: number } = {}) {
  const t0 = Date.now() - 5 * MIN;
  const { attempt } = await startAttempt({ roundId, user: { id: p.id, role: "contestant", group: p.group ?? "citizen" }, now: new Date(t0) });
  const keys = new Map(
    (await db().option.findMany({ where: { questionId: { in: attempt.questions.map((q) => q.id) }, correct: true } })).map((x) => [x.questionId, x.id]),
  );
  const right = o.right ?? attempt.questions.length;
  for (const [i, q] of attempt.questions.entries()) {
    const key = keys.get(q.id)!;
    const option = i < right ? key : q.options.find((x) => x.id !== key)!.id;
    await saveAnswer(attempt.id, p.id, q.id, option, new Date(t0 + (i + 1) * 1000));
  }
  if (o.submit !== false) await submitAttempt(attempt.id, p.id, o.prediction ?? 3, new Date(t0 + 60_000));
  return { attemptId: attempt.id, questionIds: attempt.questions.map((q) => q.id), options: attempt.questions.map((q) => q.options.map((x) => x.id)), keys };
}

/** An attempt in progress now (not played in the past: its deadline is ahead). */
export async function liveAttempt(roundId: string, p: Person) {
  const { attempt } = await startAttempt({ roundId, user: { id: p.id, role: "contestant", group: p.group ?? "citizen" }, now: new Date() });
  return attempt;
}

/** The question form (new question, edit), filled in with a question of its own. */
export const questionForm = (text = `Câu hỏi ${uniq()}?`) => ({
  topic: "Cải cách thủ tục hành chính",
  text,
  optionA: "Một",
  optionB: "Hai",
  optionC: "Ba",
  optionD: "Bốn",
  correct: "A",
  explanation: "Vì vậy.",
  difficulty: "medium",
  source: "",
  status: "active",
});

/** The round form (new round, edit), filled in: a round far in the future on `bankId`. */
export const roundForm = (bankId: string, contestId?: string) => ({
  ...(contestId ? { contestId } : {}),
  name: `Vòng ${uniq()}`,
  description: "",
  opensAt: "2031-01-01T08:00",
  closesAt: "2031-01-02T08:00",
  durationMinutes: "10",
  questionCount: "2",
  maxAttempts: "1",
  bankId,
  topics: "",
  eligibleGroups: "citizen",
  prediction: "on",
  tieBreak1: "prediction",
  tieBreak2: "duration",
  tieBreak3: "submittedAt",
  revealAnswers: "after_close",
});
