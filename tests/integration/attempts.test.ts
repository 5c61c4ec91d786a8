import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeDraw, GRACE_MS } from "~/domain/attempt";
import type { QuestionDraft } from "~/domain/questions";
import { vi } from "~/i18n/vi";
import { attemptJson, expireOverdueAttempts, getResult, reviewAttempt, saveAnswer, startAttempt, submitAttempt, type AttemptView } from "~/models/attempt.server";
import { createBank, insertQuestions } from "~/models/question-bank.server";
import { createRound } from "~/models/round.server";
import { upsertStaff } from "~/models/user.server";
import * as attemptApi from "~/routes/api.v1.attempts.$attemptId";
import * as answerApi from "~/routes/api.v1.attempts.$attemptId.answers.$questionId";
import * as eventsApi from "~/routes/api.v1.attempts.$attemptId.events";
import * as submitApi from "~/routes/api.v1.attempts.$attemptId.submit";
import * as loginApi from "~/routes/api.v1.auth.login";
import * as registerApi from "~/routes/api.v1.auth.register";
import * as startApi from "~/routes/api.v1.rounds.$roundId.attempts";
import { db } from "~/utils/db.server";
import { args, cookieOf, loginBody, newContestant, req } from "./helpers";

const MIN = 60_000;
const uniq = () => randomBytes(4).toString("hex");
const SYSTEM = { id: null };

function drafts(n: number, topic: string, difficulty: QuestionDraft["difficulty"] = "medium"): QuestionDraft[] {
  const tag = uniq();
  return Array.from({ length: n }, (_, i) => ({
    topic,
    text: `Câu hỏi ${topic} ${tag} số ${i + 1}?`,
    options: ["Phương án một", "Phương án hai", "Phương án ba", "Phương án bốn"],
    correct: i % 4,
    explanation: "Giải thích.",
    difficulty,
    source: "",
  }));
}

async function bankWith(...groups: QuestionDraft[][]) {
  const bank = await createBank({ name: `Ngân hàng ${uniq()}` }, SYSTEM);
  await db().$transaction((tx) => insertQuestions(tx, bank.id, groups.flat(), SYSTEM));
  return bank.id;
}

async function round(bankId: string, o: Partial<Parameters<typeof createRound>[0]> = {}) {
  const now = Date.now();
  return createRound(
    {
      name: `Vòng ${uniq()}`,
      description: "",
      opensAt: new Date(now - MIN),
      closesAt: new Date(now + 60 * MIN),
      durationSeconds: 600,
      questionCount: 10,
      maxAttempts: 2,
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
      ...o,
    },
    SYSTEM,
    new Date(),
  );
}

async function contestant(overrides: Record<string, unknown> = {}) {
  const res = await registerApi.action(args(req("/api/v1/auth/register", { json: newContestant(overrides) })));
  const { user } = (await res.json()) as { user: { id: string; group: string } };
  return { cookie: cookieOf(res), user: { id: user.id, role: "contestant" as const, group: user.group } };
}

type AttemptJson = {
  id: string;
  status: string;
  number: number;
  startedAt: string;
  deadlineAt: string;
  serverNow: string;
  questions: { id: string; text: string; options: { id: string; text: string }[] }[];
  answers: Record<string, string>;
};

const start = async (roundId: string, cookie: string) => {
  const res = await startApi.action(args(req(`/api/v1/rounds/${roundId}/attempts`, { json: {}, cookie }), { roundId }));
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as { attempt: AttemptJson; error?: { code: string; message: string } } };
};
const put = async (attemptId: string, questionId: string, optionId: string, cookie: string, headers?: Record<string, string>) => {
  const res = await answerApi.action(
    args(req(`/api/v1/attempts/${attemptId}/answers/${questionId}`, { method: "PUT", json: { optionId }, cookie, headers }), { attemptId, questionId }),
  );
  return { status: res.status, body: (await res.json()) as { savedAt?: string; error?: { code: string } } };
};
const submit = async (attemptId: string, cookie: string, prediction?: number | null) => {
  const res = await submitApi.action(args(req(`/api/v1/attempts/${attemptId}/submit`, { json: prediction === undefined ? {} : { prediction }, cookie }), { attemptId }));
  return { status: res.status, body: (await res.json()) as { result: { correctCount: number; status: string; prediction: number | null; questionCount: number; durationMs: number; submittedAt: string }; error?: { code: string } } };
};

/** The correct option ids of an attempt's questions, read straight from the database (the test plays the answer key). */
async function keyOf(a: AttemptJson) {
  const opts = await db().option.findMany({ where: { questionId: { in: a.questions.map((q) => q.id) }, correct: true } });
  return new Map(opts.map((o) => [o.questionId, o.id]));
}

let bankId = "";
beforeAll(async () => {
  bankId = await bankWith(drafts(30, "Cải cách thủ tục hành chính"));
});

describe("starting an attempt", () => {
  it("draws the round's questions with shuffled options, and ships no answer key", async () => {
    const r = await round(bankId);
    const { cookie } = await contestant();
    const { status, body, text } = await start(r.id, cookie);
    expect(status).toBe(201);
    const a = body.attempt;
    expect(a).toMatchObject({ status: "in_progress", number: 1, answers: {} });
    expect(a.questions).toHaveLength(10);
    expect(new Set(a.questions.map((q) => q.id)).size).toBe(10);
    for (const q of a.questions) {
      expect(q.options).toHaveLength(4);
      for (const o of q.options) expect(Object.keys(o).sort()).toEqual(["id", "text"]);
    }
    expect(text).not.toMatch(/correct|explanation|isCorrect|"position"/i);
    expect(Date.parse(a.deadlineAt) - Date.parse(a.startedAt)).toBe(600_000);
    expect(Math.abs(Date.parse(a.serverNow) - Date.now())).toBeLessThan(5_000);
    // The draw is stored and the drawn questions are frozen against in-place edits.
    const stored = decodeDraw((await db().attemptDraw.findUniqueOrThrow({ where: { attemptId: a.id } })).questions);
    expect(stored.map((s) => s.questionId)).toEqual(a.questions.map((q) => q.id));
    expect(stored.map((s) => s.optionOrder)).toEqual(a.questions.map((q) => q.options.map((o) => o.id).join(",")));
    expect(await db().question.count({ where: { id: { in: stored.map((s) => s.questionId) }, firstUsedAt: null } })).toBe(0);
    // Option order is the contestant's own shuffle, not the author's order everywhere.
    const authorOrder = await db().option.findMany({ where: { questionId: { in: stored.map((s) => s.questionId) } }, orderBy: { position: "asc" } });
    const byAuthor = a.questions.map((q) => authorOrder.filter((o) => o.questionId === q.id).map((o) => o.id).join(","));
    expect(a.questions.map((q) => q.options.map((o) => o.id).join(","))).not.toEqual(byAuthor);
  });

  it("answers with exactly the JSON of the attempt, whatever characters the texts hold", async () => {
    const tricky = ['Dấu "ngoặc kép" và \\ gạch chéo', "Xuống\ndòng\tvà tab", "</script><b>thẻ</b>", "Ký tự \u2028 và \u0001", "Biểu tượng 🇻🇳 và chữ Việt: Đắk Đoa, Ia Grai"];
    const bank = await bankWith(
      Array.from({ length: 10 }, (_, i) => ({
        topic: "Ký tự",
        text: `${tricky[i % tricky.length]} ${uniq()} (${i})?`,
        options: tricky.slice(0, 4).map((t, j) => `${t} ${j}`),
        correct: 0,
        explanation: "",
        difficulty: "easy" as const,
        source: "",
      })),
    );
    const r = await round(bank);
    const { cookie } = await contestant();
    const first = await start(r.id, cookie);
    expect(first.status).toBe(201);
    // A second start resumes: the same attempt through the other path (viewOf), the same JSON.
    const again = await start(r.id, cookie);
    expect(again.status).toBe(200);
    for (const { text, body } of [first, again]) {
      expect(text).toBe(JSON.stringify({ attempt: body.attempt }));
      const stored = await db().question.findMany({ where: { id: { in: body.attempt.questions.map((q) => q.id) } }, include: { options: true } });
      for (const q of body.attempt.questions) {
        const s = stored.find((x) => x.id === q.id)!;
        expect(q.text).toBe(s.text);
        expect(q.options.map((o) => o.text).sort()).toEqual(s.options.map((o) => o.text).sort());
      }
    }
    expect(again.body.attempt.questions).toEqual(first.body.attempt.questions);
  });

  it("builds that JSON from per-process pieces that follow a text when it is not the one they were made from", () => {
    const view = (text: string, option: string): AttemptView => ({
      id: "ca1",
      roundId: "cr1",
      number: 1,
      status: "in_progress",
      startedAt: "2026-12-07T01:00:00.000Z",
      deadlineAt: "2026-12-07T01:30:00.000Z",
      serverNow: "2026-12-07T01:00:00.000Z",
      questions: [
        { id: `cq-${uniq()}`, text: "Câu hỏi khác", options: [{ id: "co-x", text: "Một" }] },
        { id: "cq-fragment", text, options: [{ id: "co-fragment", text: option }, { id: "co-other", text: "Hai" }] },
      ],
      answers: { "cq-fragment": "co-fragment" },
    });
    for (const [text, option] of [["Câu một", "Đáp án"], ["Câu một, đã sửa", "Đáp án"], ["Câu một, đã sửa", 'Đáp "án" \\ mới']]) {
      const v = view(text, option);
      expect(attemptJson(v).toString("utf8")).toBe(JSON.stringify({ attempt: v }));
    }
  });

  it("resumes the live attempt instead of starting a second one, even when two starts race", async () => {
    const r = await round(bankId);
    const { cookie } = await contestant();
    const [x, y] = await Promise.all([start(r.id, cookie), start(r.id, cookie)]);
    expect([x.status, y.status].sort()).toEqual([200, 201]);
    expect(x.body.attempt.id).toBe(y.body.attempt.id);
    const again = await start(r.id, cookie);
    expect(again.status).toBe(200);
    expect(again.body.attempt.id).toBe(x.body.attempt.id);
    expect(await db().attempt.count({ where: { roundId: r.id } })).toBe(1);
  });

  it("at a round's opening, starts committed together show each question's own texts and stamp all they drew, with one person's two racing starts among them", async () => {
    // A fresh bank: none of its questions is stamped or known to this process yet, so the starts
    // below read their texts inside the transaction they share, one start's reads serving the next.
    const fresh = await bankWith(drafts(12, "Một cửa liên thông"));
    const r = await round(fresh);
    const people = await Promise.all(Array.from({ length: 6 }, () => contestant()));
    // The first person starts twice at once: one of the two resumes the other (when both reach the
    // shared commit, the second is undone there by the attempt number's uniqueness).
    const started = await Promise.all([start(r.id, people[0].cookie), ...people.map((p) => start(r.id, p.cookie))]);
    expect(started.map((s) => s.status).sort()).toEqual([200, 201, 201, 201, 201, 201, 201]);
    const questions = await db().question.findMany({ where: { bankId: fresh }, include: { options: true } });
    const byId = new Map(questions.map((q) => [q.id, q]));
    for (const { body } of started) {
      for (const q of body.attempt.questions) {
        const stored = byId.get(q.id)!;
        expect(q.text).toBe(stored.text);
        expect(q.options.map((o) => o.text).sort()).toEqual(stored.options.map((o) => o.text).sort());
        for (const o of q.options) expect(stored.options.find((s) => s.id === o.id)?.text).toBe(o.text);
      }
    }
    const drawn = new Set(started.flatMap((s) => s.body.attempt.questions.map((q) => q.id)));
    expect(await db().question.count({ where: { id: { in: [...drawn] }, firstUsedAt: null } })).toBe(0);
    expect(await db().attempt.count({ where: { roundId: r.id } })).toBe(6);
  });

  it("refuses beyond the maximum, outside the opening hours, staff, and groups not eligible (403)", async () => {
    const r = await round(bankId, { maxAttempts: 1 });
    const { cookie } = await contestant();
    const first = await start(r.id, cookie);
    expect((await submit(first.body.attempt.id, cookie, 5)).status).toBe(200);
    const more = await start(r.id, cookie);
    expect(more.status).toBe(403);
    expect(more.body.error).toEqual({ code: "NO_ATTEMPTS_LEFT", message: vi.errors.NO_ATTEMPTS_LEFT });

    const upcoming = await round(bankId, { opensAt: new Date(Date.now() + 60 * MIN), closesAt: new Date(Date.now() + 120 * MIN) });
    expect((await start(upcoming.id, cookie)).body.error?.code).toBe("ROUND_NOT_OPEN");

    const officialsOnly = await round(bankId, { eligibleGroups: ["official"] });
    const citizen = await start(officialsOnly.id, cookie);
    expect(citizen.status).toBe(403);
    expect(citizen.body.error?.code).toBe("NOT_ELIGIBLE");

    const email = `bgk.${uniq()}@example.vn`;
    await upsertStaff({ role: "judge", email, password: "mat-khau-bgk", fullName: "Giám Khảo" });
    const staff = cookieOf(await loginApi.action(args(req("/api/v1/auth/login", { json: loginBody(email, "mat-khau-bgk") }))));
    expect((await start(r.id, staff)).body.error?.code).toBe("NOT_ELIGIBLE");
    expect((await start("khong-co", cookie)).status).toBe(404);
    const anon = await startApi.action(args(req(`/api/v1/rounds/${r.id}/attempts`, { json: {} }), { roundId: r.id }));
    expect(anon.status).toBe(401);
  });

  it("draws exactly the per-topic counts, the rest from other topics", async () => {
    const mixed = await bankWith(drafts(5, "Đề án 06", "easy"), drafts(5, "Chính phủ số", "hard"), drafts(10, "Khác", "medium"));
    const r = await round(mixed, { questionCount: 8, topics: { "Đề án 06": 3, "Chính phủ số": 2 } });
    const { cookie } = await contestant();
    const a = (await start(r.id, cookie)).body.attempt;
    const topics = await db().question.findMany({ where: { id: { in: a.questions.map((q) => q.id) } }, select: { topic: true } });
    const count = (t: string) => topics.filter((x) => x.topic === t).length;
    expect([count("Đề án 06"), count("Chính phủ số"), count("Khác")]).toEqual([3, 2, 3]);
  });

  it("refuses at setup a round its bank cannot fill", async () => {
    await expect(round(bankId, { questionCount: 31 })).rejects.toMatchObject({ fields: { questionCount: expect.stringContaining("cần 31, hiện có 30") } });
  });
});

describe("answering", () => {
  it("saves answers idempotently, lets them change, and shows them on resume", async () => {
    const r = await round(bankId);
    const { cookie } = await contestant();
    const a = (await start(r.id, cookie)).body.attempt;
    const [q1, q2] = a.questions;
    const first = await put(a.id, q1.id, q1.options[0].id, cookie);
    expect(first.status).toBe(200);
    expect(Date.parse(first.body.savedAt!)).toBeGreaterThan(0);
    expect((await put(a.id, q1.id, q1.options[0].id, cookie)).status).toBe(200);
    expect((await put(a.id, q1.id, q1.options[2].id, cookie)).status).toBe(200);
    expect((await put(a.id, q2.id, q2.options[1].id, cookie)).status).toBe(200);
    const res = await attemptApi.loader(args(req(`/api/v1/attempts/${a.id}`, { cookie }), { attemptId: a.id }));
    const resumed = ((await res.json()) as { attempt: AttemptJson }).attempt;
    expect(resumed.answers).toEqual({ [q1.id]: q1.options[2].id, [q2.id]: q2.options[1].id });
    expect(resumed.questions).toEqual(a.questions); // same order, same option order
    expect(await db().answer.count({ where: { attemptId: a.id } })).toBe(2);
  });

  it("answers 400 for a question or option outside the attempt, 404 for someone else's attempt", async () => {
    const r = await round(bankId);
    const me = await contestant();
    const other = await contestant();
    const a = (await start(r.id, me.cookie)).body.attempt;
    const [q1, q2] = a.questions;
    expect((await put(a.id, q1.id, q2.options[0].id, me.cookie)).body.error?.code).toBe("OPTION_NOT_IN_QUESTION");
    const notDrawn = await db().question.findFirst({ where: { bankId, id: { notIn: a.questions.map((q) => q.id) } } });
    expect((await put(a.id, notDrawn!.id, q1.options[0].id, me.cookie)).status).toBe(400);
    expect((await put(a.id, q1.id, q1.options[0].id, other.cookie)).status).toBe(404);
    const peek = await attemptApi.loader(args(req(`/api/v1/attempts/${a.id}`, { cookie: other.cookie }), { attemptId: a.id }));
    expect(peek.status).toBe(404);
    expect((await submit(a.id, other.cookie, 1)).status).toBe(404);
    expect((await put(a.id, q1.id, q1.options[0].id, me.cookie, { "Content-Type": "text/plain" })).status).toBe(403);
  });
});

describe("submitting and the deadline", () => {
  it("scores on the server, returns the same result twice, and refuses answers afterwards (409)", async () => {
    const r = await round(bankId);
    const { cookie } = await contestant();
    const a = (await start(r.id, cookie)).body.attempt;
    const key = await keyOf(a);
    // Right on the first six, wrong on the next two, nothing on the last two.
    for (const [i, q] of a.questions.slice(0, 8).entries()) {
      const right = key.get(q.id)!;
      await put(a.id, q.id, i < 6 ? right : q.options.find((o) => o.id !== right)!.id, cookie);
    }
    expect((await submit(a.id, cookie)).body.error?.code).toBe("PREDICTION_REQUIRED");
    expect((await submit(a.id, cookie, -1)).status).toBe(400);
    const done = await submit(a.id, cookie, 1234);
    expect(done.status).toBe(200);
    expect(done.body.result).toMatchObject({ status: "submitted", correctCount: 6, questionCount: 10, prediction: 1234 });
    expect(done.body.result.durationMs).toBeGreaterThanOrEqual(0);
    expect(done.body.result.durationMs).toBeLessThan(60_000);
    const twice = await submit(a.id, cookie, 1);
    expect(twice.body.result).toEqual(done.body.result);
    const late = await put(a.id, a.questions[9].id, a.questions[9].options[0].id, cookie);
    expect(late.status).toBe(409);
    expect(late.body.error?.code).toBe("ATTEMPT_CLOSED");
  });

  it("shows the review as the contestant saw the attempt: its questions and option orders, their choices, the key only once closed", async () => {
    const r = await round(bankId, { revealAnswers: "immediately" });
    const { cookie, user } = await contestant();
    const a = (await start(r.id, cookie)).body.attempt;
    const key = await keyOf(a);
    expect(await reviewAttempt(a.id, user.id, new Date())).toBeNull(); // still in progress
    await put(a.id, a.questions[0].id, key.get(a.questions[0].id)!, cookie);
    await put(a.id, a.questions[1].id, a.questions[1].options.find((o) => o.id !== key.get(a.questions[1].id))!.id, cookie);
    expect((await submit(a.id, cookie, 5)).status).toBe(200);
    await expect(reviewAttempt(a.id, "someone-else", new Date())).rejects.toMatchObject({ code: "NOT_FOUND" });
    const review = (await reviewAttempt(a.id, user.id, new Date()))!;
    expect(review.map((q) => q.id)).toEqual(a.questions.map((q) => q.id));
    expect(review.map((q) => q.options.map((o) => o.id))).toEqual(a.questions.map((q) => q.options.map((o) => o.id)));
    expect(review.map((q) => q.options.map((o) => o.text))).toEqual(a.questions.map((q) => q.options.map((o) => o.text)));
    for (const q of review) expect(q.options.filter((o) => o.correct).map((o) => o.id)).toEqual([key.get(q.id)]);
    expect(review.map((q) => q.chosen)).toEqual([key.get(a.questions[0].id), expect.any(String), ...Array(8).fill(null)]);
    expect(review[1].chosen).not.toBe(key.get(a.questions[1].id));
    expect(review.every((q) => q.explanation === "Giải thích.")).toBe(true);
  });

  it("takes answers until the deadline plus the stated grace, then closes the attempt with the answers saved in time", async () => {
    const r = await round(bankId);
    const { user } = await contestant();
    const t0 = new Date();
    const { attempt: a } = await startAttempt({ roundId: r.id, user, now: t0 });
    const key = await keyOf(a as unknown as AttemptJson);
    const deadline = Date.parse(a.deadlineAt);
    const [q1, q2, q3] = a.questions;
    await saveAnswer(a.id, user.id, q1.id, key.get(q1.id)!, new Date(deadline - 1_000));
    await saveAnswer(a.id, user.id, q2.id, key.get(q2.id)!, new Date(deadline + GRACE_MS)); // in the grace: kept
    await expect(saveAnswer(a.id, user.id, q3.id, key.get(q3.id)!, new Date(deadline + GRACE_MS + 1))).rejects.toMatchObject({ code: "ATTEMPT_CLOSED" });
    const result = await getResult(a.id, user.id, new Date(deadline + GRACE_MS + 2));
    expect(result).toMatchObject({ status: "expired", correctCount: 2, durationMs: 600_000, prediction: null });
    expect(result.submittedAt).toBe(a.deadlineAt);
  });

  it("a submission arriving after the grace closes the attempt as expired and ignores the late prediction", async () => {
    const r = await round(bankId);
    const { user } = await contestant();
    const { attempt: a } = await startAttempt({ roundId: r.id, user, now: new Date() });
    const result = await submitAttempt(a.id, user.id, 99, new Date(Date.parse(a.deadlineAt) + GRACE_MS + 1));
    expect(result).toMatchObject({ status: "expired", prediction: null });
  });

  it("at the deadline a submission without prediction is accepted (the timer ran out)", async () => {
    const r = await round(bankId);
    const { user } = await contestant();
    const { attempt: a } = await startAttempt({ roundId: r.id, user, now: new Date() });
    const result = await submitAttempt(a.id, user.id, null, new Date(Date.parse(a.deadlineAt) + 1_000));
    expect(result).toMatchObject({ status: "submitted", prediction: null, durationMs: 600_000 });
  });

  it("cuts the deadline at the round's close", async () => {
    const r = await round(bankId, { closesAt: new Date(Date.now() + 2 * MIN) });
    const { cookie } = await contestant();
    const a = (await start(r.id, cookie)).body.attempt;
    expect(a.deadlineAt).toBe(r.closesAt);
  });

  it("the sweep closes attempts left open, once, even if run twice at the same time", async () => {
    const r = await round(bankId);
    const { user } = await contestant();
    const { attempt: a } = await startAttempt({ roundId: r.id, user, now: new Date() });
    const key = await keyOf(a as unknown as AttemptJson);
    await saveAnswer(a.id, user.id, a.questions[0].id, key.get(a.questions[0].id)!, new Date());
    const later = new Date(Date.parse(a.deadlineAt) + GRACE_MS + 10);
    const [x, y] = await Promise.all([expireOverdueAttempts(later), expireOverdueAttempts(later)]);
    expect(x + y).toBeGreaterThanOrEqual(1);
    const row = await db().attempt.findUniqueOrThrow({ where: { id: a.id } });
    expect(row).toMatchObject({ status: "expired", correctCount: 1, durationMs: 600_000 });
    // A second attempt may start now that the first is closed (maxAttempts 2).
    expect((await startAttempt({ roundId: r.id, user, now: new Date(later.getTime() - 0) })).created).toBe(true);
  });
});

describe("page events", () => {
  it("records focus and network events (202) and refuses unknown types (400)", async () => {
    const r = await round(bankId);
    const { cookie } = await contestant();
    const a = (await start(r.id, cookie)).body.attempt;
    const post = (json: unknown) => eventsApi.action(args(req(`/api/v1/attempts/${a.id}/events`, { json, cookie }), { attemptId: a.id }));
    expect((await post({ type: "hidden", at: new Date().toISOString() })).status).toBe(202);
    expect((await post({ type: "offline" })).status).toBe(202);
    expect((await post({ type: "screenshot" })).status).toBe(400);
    expect(await db().attemptEvent.count({ where: { attemptId: a.id } })).toBe(2);
  });
});
