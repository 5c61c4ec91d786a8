// Crafted contests for the awards tests: closed rounds, contestants with chosen identities,
// attempts with a chosen score, time and prediction, and staff.
import { randomBytes, randomInt } from "node:crypto";
import { expect } from "vitest";
import type { QuestionDraft } from "~/domain/questions";
import { saveAnswer, startAttempt, submitAttempt } from "~/models/attempt.server";
import { createBank, insertQuestions } from "~/models/question-bank.server";
import { createRound, moveRoundTimes } from "~/models/round.server";
import { upsertStaff } from "~/models/user.server";
import * as loginApi from "~/routes/api.v1.auth.login";
import * as registerApi from "~/routes/api.v1.auth.register";
import { db } from "~/utils/db.server";
import { args, cookieOf, loginBody, newContestant, req } from "./helpers";

export const SYSTEM = { id: null };
export const MIN = 60_000;
export const uniq = () => randomBytes(4).toString("hex");

export async function closedRoundSetup(questionCount = 4, maxAttempts = 2, contestId?: string) {
  const tag = uniq();
  const drafts: QuestionDraft[] = Array.from({ length: questionCount }, (_, i) => ({
    topic: "Cải cách thủ tục hành chính",
    text: `Câu ${tag} số ${i + 1}?`,
    options: ["Một", "Hai", "Ba"],
    correct: 0,
    explanation: "Vì vậy.",
    difficulty: "easy",
    source: "",
  }));
  const bank = await createBank({ name: `NH ${tag}` }, SYSTEM);
  await db().$transaction((tx) => insertQuestions(tx, bank.id, drafts, SYSTEM));
  const contest = contestId
    ? await db().contest.findUniqueOrThrow({ where: { id: contestId } })
    : await db().contest.create({ data: { title: `Cuộc thi trực tuyến tìm hiểu về cải cách hành chính tỉnh Gia Lai ${tag}`, description: "" } });
  const now = Date.now();
  const round = await createRound(
    {
      contestId: contest.id,
      name: `Vòng ${tag}`,
      description: "",
      opensAt: new Date(now - 120 * MIN),
      closesAt: new Date(now + 120 * MIN),
      durationSeconds: 1200,
      questionCount,
      maxAttempts,
      bankId: bank.id,
      topics: {},
      difficulty: {},
      eligibleGroups: ["official", "citizen", "student", "business"],
      groupBanks: {},
      prediction: true,
      tieBreak: ["prediction", "duration", "submittedAt"],
      attemptPolicy: "best",
      revealAnswers: "after_close",
      flagRules: {},
    },
    SYSTEM,
    new Date(),
  );
  return { round, contest };
}

export const close = (roundId: string) => moveRoundTimes(roundId, { closesAt: new Date(Date.now() - 1_000) }, SYSTEM, new Date());

export interface Person {
  user: { id: string; role: "contestant"; group: string };
  cookie: string;
  fullName: string;
  nationalId: string;
  phone: string;
  birthDate: string;
  commune: string;
  workplace: string | null;
}

export const COMMUNES: Record<string, string> = { "23764": "Xã Ia Grai", "23575": "Phường Pleiku", "21583": "Phường Quy Nhơn" };

/** A contestant with a chosen identity: CCCD from `province` (001 Hà Nội keeps a leading zero). */
export async function person(communeCode: string, fullName: string, o: { female?: boolean; year?: number; province?: string; group?: string; workplace?: string } = {}): Promise<Person> {
  const female = o.female ?? false;
  const year = o.year ?? 1985;
  const nationalId = `${o.province ?? "064"}${(year >= 2000 ? 2 : 0) + (female ? 1 : 0)}${String(year % 100).padStart(2, "0")}${String(randomInt(1_000_000)).padStart(6, "0")}`;
  const birthDate = `${year}-0${1 + randomInt(9)}-1${randomInt(10)}`;
  const body = newContestant({ communeCode, fullName, nationalId, birthDate, gender: female ? "female" : "male", group: o.group ?? "citizen", ...(o.workplace ? { workplace: o.workplace } : {}) });
  const res = await registerApi.action(args(req("/api/v1/auth/register", { json: body })));
  expect(res.status).toBe(201);
  const { user } = (await res.json()) as { user: { id: string; group: string } };
  return { user: { id: user.id, role: "contestant", group: user.group }, cookie: cookieOf(res), fullName, nationalId, phone: body.phone, birthDate, commune: COMMUNES[communeCode], workplace: o.workplace ?? null };
}

/** An attempt with `right` correct answers, submitted `seconds` after t0 (the server's simulated clock). */
export async function attempt(roundId: string, p: Person, right: number, seconds: number, t0: number, prediction: number) {
  const { attempt: a } = await startAttempt({ roundId, user: p.user, now: new Date(t0) });
  for (const [i, q] of a.questions.entries()) {
    const key = (await db().option.findFirstOrThrow({ where: { questionId: q.id, correct: true } })).id;
    const wrong = q.options.find((o) => o.id !== key)!.id;
    await saveAnswer(a.id, p.user.id, q.id, i < right ? key : wrong, new Date(t0 + 1_000 * (i + 1)));
  }
  await submitAttempt(a.id, p.user.id, prediction, new Date(t0 + seconds * 1_000));
  return { id: a.id, right, seconds, t0, prediction };
}

export async function staff(role: "judge" | "organizer" | "admin") {
  const email = `${role}.${uniq()}@example.vn`;
  const { user } = await upsertStaff({ role, email, password: "mat-khau-can-bo", fullName: "Cán Bộ" });
  return { id: user.id, cookie: cookieOf(await loginApi.action(args(req("/api/v1/auth/login", { json: loginBody(email, "mat-khau-can-bo") })))) };
}

export const get = (mod: { loader: (a: never) => Promise<Response> }, url: string, roundId: string, cookie?: string) => mod.loader(args(req(url, { cookie }), { roundId }));
export const bytesOf = async (res: Response): Promise<Uint8Array<ArrayBuffer>> => new Uint8Array(await res.arrayBuffer());

