import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { QuestionDraft } from "~/domain/questions";
import { vi } from "~/i18n/vi";
import { startAttempt } from "~/models/attempt.server";
import { createBank, createQuestion } from "~/models/question-bank.server";
import { toContestLocal } from "~/models/round-form.server";
import { getRound } from "~/models/round.server";
import { upsertStaff } from "~/models/user.server";
import * as editPage from "~/routes/admin.rounds.$roundId";
import * as listPage from "~/routes/admin.rounds._index";
import * as newPage from "~/routes/admin.rounds.new";
import * as loginApi from "~/routes/api.v1.auth.login";
import * as registerApi from "~/routes/api.v1.auth.register";
import { db } from "~/utils/db.server";
import { args, cookieOf, loginBody, newContestant, req } from "./helpers";

const uniq = () => randomBytes(4).toString("hex");

type Body = Record<string, string | string[]>;
type FormResult = { data: { message: string; fields: Record<string, string>; values: Record<string, unknown> | null }; init: { status: number } };

let organizer = "";
let organizerId = "";
let judge = "";
let contestant = "";
let contestantUser = { id: "", role: "contestant" as const, group: "citizen" };
let contestId = "";
let bank = ""; // 12 active questions: two topics, every difficulty
let smallBank = ""; // 2 active questions

async function loginStaff(role: "organizer" | "judge") {
  const email = `${role}.${uniq()}@example.vn`;
  const { user } = await upsertStaff({ role, email, password: "mat-khau-can-bo", fullName: "Cán Bộ Thử" });
  const res = await loginApi.action(args(req("/api/v1/auth/login", { json: loginBody(email, "mat-khau-can-bo") })));
  return { cookie: cookieOf(res), id: user.id };
}

function draft(topic: string, difficulty: QuestionDraft["difficulty"]): QuestionDraft {
  return {
    topic,
    text: `Câu hỏi ${uniq()} về ${topic.toLowerCase()}: cơ quan nào chủ trì?`,
    options: ["Văn phòng UBND tỉnh", "Sở Nội vụ", "Sở Tư pháp", "Công an tỉnh"],
    correct: 0,
    explanation: "Theo Kế hoạch số 27/KH-UBND.",
    difficulty,
    source: "Kế hoạch số 27/KH-UBND ngày 07/8/2025",
  };
}

beforeAll(async () => {
  ({ cookie: organizer, id: organizerId } = await loginStaff("organizer"));
  ({ cookie: judge } = await loginStaff("judge"));
  const reg = await registerApi.action(args(req("/api/v1/auth/register", { json: newContestant({ group: "citizen" }) })));
  contestant = cookieOf(reg);
  const { user } = (await reg.json()) as { user: { id: string; group: string } };
  contestantUser = { id: user.id, role: "contestant", group: user.group };
  contestId = (await db().contest.create({ data: { title: `Cuộc thi thử ${uniq()}`, description: "" } })).id;

  const actor = { id: organizerId };
  bank = (await createBank({ name: `Ngân hàng vòng thi ${uniq()}` }, actor)).id;
  const difficulties = ["easy", "medium", "hard"] as const;
  for (let i = 0; i < 12; i++) {
    await createQuestion(bank, draft(i < 8 ? "Cải cách thủ tục hành chính" : "Chính phủ số", difficulties[i % 3]), "active", actor);
  }
  smallBank = (await createBank({ name: `Ngân hàng nhỏ ${uniq()}` }, actor)).id;
  for (let i = 0; i < 2; i++) await createQuestion(smallBank, draft("Chính phủ số", "easy"), "active", actor);
});

/** A complete, valid round form as a browser would post it. */
function roundForm(overrides: Body = {}): Body {
  return {
    intent: "save",
    contestId,
    name: `Vòng ${uniq()}`,
    description: "Vòng thi thử nghiệm.",
    opensAt: "2025-10-01T08:00",
    closesAt: "2025-10-31T17:00",
    durationMinutes: "20",
    questionCount: "10",
    maxAttempts: "2",
    bankId: bank,
    topics: "",
    "difficulty.easy": "",
    "difficulty.medium": "",
    "difficulty.hard": "",
    eligibleGroups: ["official", "citizen", "student", "business"],
    "groupBanks.official": "",
    "groupBanks.citizen": "",
    "groupBanks.student": "",
    "groupBanks.business": "",
    prediction: "1",
    tieBreak1: "prediction",
    tieBreak2: "duration",
    tieBreak3: "submittedAt",
    revealAnswers: "after_close",
    ...overrides,
  };
}

function encode(body: Body): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(body)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
  return p;
}

const post = (path: string, body: Body, cookie = organizer) =>
  req(path, { method: "POST", body: encode(body), cookie, headers: { "Content-Type": "application/x-www-form-urlencoded" } });

async function create(body: Body, cookie = organizer) {
  return (await newPage.action(args(post("/admin/rounds/new", body, cookie)))) as unknown as Response & FormResult;
}

async function createOk(body: Body) {
  const res = await create(body);
  expect(res.status, JSON.stringify((res as FormResult).data)).toBe(302);
  const m = res.headers.get("Location")!.match(/^\/admin\/rounds\/([^?]+)\?saved=1$/);
  expect(m).not.toBeNull();
  return m![1];
}

async function save(id: string, body: Body, cookie = organizer) {
  return (await editPage.action(args(post(`/admin/rounds/${id}`, body, cookie), { roundId: id }))) as unknown as Response & FormResult;
}

async function edit(id: string, cookie = organizer) {
  return editPage.loader(args(req(`/admin/rounds/${id}`, { cookie }), { roundId: id }));
}

/** The edit page's prefilled values as the browser posts them back. */
async function bodyOf(id: string): Promise<Body> {
  const v = (await edit(id)).values;
  return {
    intent: "save",
    name: v.name,
    description: v.description,
    opensAt: v.opensAt,
    closesAt: v.closesAt,
    durationMinutes: v.durationMinutes,
    questionCount: v.questionCount,
    maxAttempts: v.maxAttempts,
    bankId: v.bankId,
    topics: v.topics,
    ...Object.fromEntries(Object.entries(v.difficulty).map(([d, n]) => [`difficulty.${d}`, n])),
    eligibleGroups: v.eligibleGroups,
    ...Object.fromEntries(Object.entries(v.groupBanks).map(([g, b]) => [`groupBanks.${g}`, b])),
    ...(v.prediction ? { prediction: "1" } : {}),
    tieBreak1: v.tieBreak[0],
    tieBreak2: v.tieBreak[1],
    tieBreak3: v.tieBreak[2],
    revealAnswers: v.revealAnswers,
  };
}

/** A whole minute in Vietnam time, as datetime-local, `minutes` from now. */
const localIn = (minutes: number) => toContestLocal(new Date(Math.floor(Date.now() / 60_000) * 60_000 + minutes * 60_000));

describe("creating and editing a round from the form", () => {
  it("creates a round: Vietnam time converted to the instant, minutes to seconds, every setting stored", async () => {
    const name = `Vòng 1 ${uniq()}`;
    const id = await createOk(
      roundForm({
        name,
        durationMinutes: "20",
        topics: "Cải cách thủ tục hành chính: 6\nChính phủ số: 4",
        "difficulty.easy": "3",
        eligibleGroups: ["official", "citizen"],
        "groupBanks.official": bank,
        revealAnswers: "immediately",
      }),
    );
    const r = await getRound(id, new Date());
    expect(r).toMatchObject({
      contestId,
      name,
      opensAt: "2025-10-01T01:00:00.000Z",
      closesAt: "2025-10-31T10:00:00.000Z",
      durationSeconds: 1200,
      questionCount: 10,
      maxAttempts: 2,
      bankId: bank,
      topics: { "Cải cách thủ tục hành chính": 6, "Chính phủ số": 4 },
      difficulty: { easy: 3 },
      eligibleGroups: ["official", "citizen"],
      groupBanks: { official: bank },
      prediction: true,
      tieBreak: ["prediction", "duration", "submittedAt"],
      revealAnswers: "immediately",
    });
    const log = await db().auditLog.findMany({ where: { entityType: "round", entityId: id, action: "round.create" } });
    expect(log).toHaveLength(1);
    expect(log[0].actorId).toBe(organizerId);

    // The edit page shows it back in Vietnam time.
    const page = await edit(id);
    expect(page.values).toMatchObject({ opensAt: "2025-10-01T08:00", closesAt: "2025-10-31T17:00", durationMinutes: "20", topics: "Cải cách thủ tục hành chính: 6\nChính phủ số: 4" });
    expect(page.values.difficulty).toEqual({ easy: "3", medium: "", hard: "" });
    expect(page.attempts).toBe(0);
    // And the list has it, with its contest, status and attempt count.
    const { rounds } = await listPage.loader(args(req("/admin/rounds", { cookie: organizer })));
    expect(rounds.find((x) => x.id === id)).toMatchObject({ name, status: expect.any(String), attempts: 0, opensAt: "2025-10-01T01:00:00.000Z" });
  });

  it("offers the banks and the contests, the newest contest chosen by default", async () => {
    const d = await newPage.loader(args(req("/admin/rounds/new", { cookie: organizer })));
    expect(d.banks.map((b) => b.id)).toEqual(expect.arrayContaining([bank, smallBank]));
    expect(d.contests[0].id).toBe(d.values.contestId);
    expect(d.values.tieBreak).toEqual(["prediction", "duration", "submittedAt"]);
  });

  it("edits a round without attempts and reports the save", async () => {
    const id = await createOk(roundForm());
    const res = await save(id, { ...(await bodyOf(id)), name: "Vòng sơ khảo", questionCount: "6", opensAt: "2025-10-02T07:30", "difficulty.hard": "2" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/admin/rounds/${id}?saved=1`);
    expect(await getRound(id, new Date())).toMatchObject({ name: "Vòng sơ khảo", questionCount: 6, opensAt: "2025-10-02T00:30:00.000Z", difficulty: { hard: 2 } });
    expect(await db().auditLog.count({ where: { entityType: "round", entityId: id, action: "round.update" } })).toBe(1);
  });

  it("keeps the tie-break order chosen, drops empty slots, refuses a criterion twice", async () => {
    const id = await createOk(roundForm({ tieBreak1: "submittedAt", tieBreak2: "", tieBreak3: "duration" }));
    expect((await getRound(id, new Date())).tieBreak).toEqual(["submittedAt", "duration"]);
    expect((await edit(id)).values.tieBreak).toEqual(["submittedAt", "duration", ""]);

    const twice = await create(roundForm({ tieBreak1: "duration", tieBreak2: "duration", tieBreak3: "" }));
    expect(twice.init.status).toBe(400);
    expect(twice.data.fields.tieBreak).toBe(vi.rounds.errors.tieBreak);
    const unknown = await create(roundForm({ tieBreak1: "luck" }));
    expect(unknown.data.fields.tieBreak).toBe(vi.rounds.errors.tieBreak);
    const noPrediction = await create(roundForm({ prediction: [] }));
    expect(noPrediction.data.fields.tieBreak).toBe(vi.rounds.errors.predictionTieBreak);
    const withoutIt = await createOk(roundForm({ prediction: [], tieBreak1: "duration", tieBreak2: "submittedAt", tieBreak3: "" }));
    expect(await getRound(withoutIt, new Date())).toMatchObject({ prediction: false, tieBreak: ["duration", "submittedAt"] });
  });

  it("reads the topics box line by line, and names a malformed line's problem", async () => {
    // Listed topics give exactly their count; the rest of the questions come from the topics not listed.
    const id = await createOk(roundForm({ questionCount: "4", topics: "\n  Cải cách thủ tục hành chính :  3 \r\n\r\nChính phủ số: 1\n" }));
    expect((await getRound(id, new Date())).topics).toEqual({ "Cải cách thủ tục hành chính": 3, "Chính phủ số": 1 });

    for (const topics of ["Cải cách thủ tục hành chính 3", "Chính phủ số: ba", ": 3", "Chính phủ số: 1\nChính phủ số: 2"]) {
      const bad = await create(roundForm({ topics, name: "" }));
      expect(bad.init.status).toBe(400);
      // Every problem at once, and what was typed comes back.
      expect(bad.data.fields).toMatchObject({ topics: vi.rounds.errors.topics, name: vi.rounds.errors.name });
      expect(bad.data.values).toMatchObject({ topics, name: "" });
    }
    const tooMany = await create(roundForm({ topics: "Chính phủ số: 11" }));
    expect(tooMany.data.fields.topics).toBe(vi.rounds.errors.topicsExceed);
  });

  it("reports every field problem in Vietnamese, keeping what was typed", async () => {
    const typed = roundForm({
      name: "Vòng có lỗi",
      opensAt: "2025-02-30T08:00",
      closesAt: "",
      durationMinutes: "",
      questionCount: "abc",
      maxAttempts: "0",
      bankId: "",
      "difficulty.easy": "x",
      eligibleGroups: [],
      revealAnswers: "sometimes",
    });
    const res = await create(typed);
    expect(res.init.status).toBe(400);
    expect(res.data.message).toBe(vi.errors.VALIDATION_FAILED);
    expect(res.data.fields).toEqual({
      opensAt: vi.rounds.errors.opensAt,
      closesAt: vi.rounds.errors.closesAt,
      durationMinutes: vi.rounds.errors.duration,
      questionCount: vi.rounds.errors.questionCount,
      maxAttempts: vi.rounds.errors.maxAttempts,
      bankId: vi.rounds.errors.bank,
      difficulty: vi.rounds.errors.difficulty,
      eligibleGroups: vi.rounds.errors.groups,
      revealAnswers: vi.rounds.errors.reveal,
    });
    expect(res.data.values).toMatchObject({ name: "Vòng có lỗi", opensAt: "2025-02-30T08:00", questionCount: "abc", eligibleGroups: [] });

    const backwards = await create(roundForm({ opensAt: "2025-10-02T08:00", closesAt: "2025-10-02T08:00" }));
    expect(backwards.data.fields).toEqual({ closesAt: vi.rounds.errors.closesAfterOpens });
  });

  it("says a bank lacks questions, on the field that asked for them", async () => {
    const few = await create(roundForm({ bankId: smallBank, questionCount: "5", name: "Vòng thiếu câu" }));
    expect(few.init.status).toBe(400);
    expect(few.data.fields.questionCount).toMatch(/không đủ câu/);
    expect(few.data.fields.questionCount).toBe(vi.rounds.errors.notEnough(2, 5, ""));
    expect(few.data.values).toMatchObject({ name: "Vòng thiếu câu", questionCount: "5" });

    const perGroup = await create(roundForm({ "groupBanks.student": smallBank }));
    expect(perGroup.data.fields).toEqual({ "groupBanks.student": vi.rounds.errors.notEnough(2, 10, "") });

    const topic = await create(roundForm({ topics: "Chính phủ số: 5" }));
    expect(topic.data.fields.questionCount).toMatch(/không đủ câu thuộc chủ đề “Chính phủ số”: cần 5, hiện có 4/);

    const id = await createOk(roundForm());
    const edited = await save(id, { ...(await bodyOf(id)), bankId: smallBank });
    expect(edited.init.status).toBe(400);
    expect(edited.data.fields.questionCount).toMatch(/không đủ câu/);
    expect((await getRound(id, new Date())).bankId).toBe(bank);
  });

  it("answers 404 for a round that does not exist", async () => {
    await expect(edit("khong-co")).rejects.toMatchObject({ status: 404 });
    await expect(save("khong-co", roundForm())).rejects.toMatchObject({ status: 404 });
  });
});

describe("a round with attempts", () => {
  it("refuses to change what contestants drew, but takes a later closing time and more attempts", async () => {
    const id = await createOk(roundForm({ opensAt: localIn(-60), closesAt: localIn(24 * 60), questionCount: "5" }));
    await startAttempt({ roundId: id, user: contestantUser, now: new Date() });
    const page = await edit(id);
    expect(page.attempts).toBe(1);
    const body = await bodyOf(id);

    const more = await save(id, { ...body, questionCount: "6" });
    expect(more.init.status).toBe(409);
    expect(more.data.message).toBe(vi.errors.ROUND_HAS_ATTEMPTS);
    expect(more.data.fields).toEqual({ questionCount: vi.errors.ROUND_HAS_ATTEMPTS });
    expect(more.data.values).toMatchObject({ questionCount: "6" });
    const frozen = await save(id, { ...body, durationMinutes: "25", topics: "Chính phủ số: 1", opensAt: localIn(-30) });
    expect(frozen.init.status).toBe(409);
    expect(Object.keys(frozen.data.fields).sort()).toEqual(["durationMinutes", "opensAt", "topics"]);
    const fewer = await save(id, { ...body, maxAttempts: "1" });
    expect(fewer.data.fields).toEqual({ maxAttempts: vi.errors.ROUND_HAS_ATTEMPTS });
    expect((await getRound(id, new Date())).questionCount).toBe(5);

    const later = localIn(48 * 60);
    const ok = await save(id, { ...body, closesAt: later, maxAttempts: "3", name: "Vòng đã có bài" });
    expect(ok.status).toBe(302);
    expect(await getRound(id, new Date())).toMatchObject({ closesAt: new Date(`${later}+07:00`).toISOString(), maxAttempts: 3, name: "Vòng đã có bài", questionCount: 5 });
  });

  it("keeps an opening instant with seconds intact when the form is saved again", async () => {
    const id = await createOk(roundForm({ opensAt: localIn(60), closesAt: localIn(24 * 60) }));
    const opened = await save(id, { intent: "openNow" });
    expect(opened.status).toBe(302);
    await startAttempt({ roundId: id, user: contestantUser, now: new Date() });
    const before = (await getRound(id, new Date())).opensAt;
    const body = await bodyOf(id);
    expect(new Date(`${body.opensAt}+07:00`).toISOString()).toBe(before); // seconds and milliseconds kept
    const res = await save(id, { ...body, name: "Đổi tên sau khi mở sớm" });
    expect(res.status).toBe(302);
    expect((await getRound(id, new Date())).opensAt).toBe(before);
  });
});

describe("quick actions", () => {
  it("opens an upcoming round now, extends it, closes it now: each logged", async () => {
    const id = await createOk(roundForm({ opensAt: localIn(24 * 60), closesAt: localIn(48 * 60) }));
    expect((await edit(id)).round.status).toBe("upcoming");
    const closeEarly = await save(id, { intent: "closeNow" });
    expect(closeEarly.init.status).toBe(409);

    const t0 = Date.now();
    const open = await save(id, { intent: "openNow" });
    expect(open.headers.get("Location")).toBe(`/admin/rounds/${id}?done=opened`);
    const opened = await getRound(id, new Date());
    expect(opened.status).toBe("open");
    expect(Date.parse(opened.opensAt)).toBeGreaterThanOrEqual(t0 - 1000);
    expect(Date.parse(opened.opensAt)).toBeLessThanOrEqual(Date.now());
    const again = await save(id, { intent: "openNow" });
    expect(again.init.status).toBe(409);
    expect(again.data.message).toBe(vi.rounds.notUpcoming);

    const to = localIn(72 * 60);
    const extended = await save(id, { intent: "extend", extendTo: to });
    expect(extended.headers.get("Location")).toBe(`/admin/rounds/${id}?done=extended`);
    expect((await getRound(id, new Date())).closesAt).toBe(new Date(`${to}+07:00`).toISOString());
    const earlier = await save(id, { intent: "extend", extendTo: localIn(60) });
    expect(earlier.init.status).toBe(400);
    expect(earlier.data.fields).toEqual({ extendTo: vi.rounds.extendLater });
    const garbage = await save(id, { intent: "extend", extendTo: "ngày mai" });
    expect(garbage.data.fields).toEqual({ extendTo: vi.rounds.errors.closesAt });

    const close = await save(id, { intent: "closeNow" });
    expect(close.headers.get("Location")).toBe(`/admin/rounds/${id}?done=closed`);
    expect((await getRound(id, new Date())).status).toBe("closed");
    expect((await save(id, { intent: "closeNow" })).init.status).toBe(409);

    const log = await db().auditLog.findMany({ where: { entityType: "round", entityId: id, action: "round.times" } });
    expect(log).toHaveLength(3);
    expect(log.every((l) => l.actorId === organizerId)).toBe(true);

    // Extending a closed round opens it again.
    await save(id, { intent: "extend", extendTo: localIn(24 * 60) });
    expect((await getRound(id, new Date())).status).toBe("open");
  });
});

describe("access: organizers and administrators only", () => {
  it("refuses contestants and judges (403) on every loader and action, and sends anonymous visitors to log in", async () => {
    const id = await createOk(roundForm({ opensAt: localIn(60), closesAt: localIn(120) }));
    const before = await getRound(id, new Date());
    for (const cookie of [contestant, judge]) {
      const calls = [
        () => listPage.loader(args(req("/admin/rounds", { cookie }))),
        () => newPage.loader(args(req("/admin/rounds/new", { cookie }))),
        () => newPage.action(args(post("/admin/rounds/new", roundForm(), cookie))),
        () => editPage.loader(args(req(`/admin/rounds/${id}`, { cookie }), { roundId: id })),
        ...["save", "openNow", "extend", "closeNow"].map(
          (intent) => () => editPage.action(args(post(`/admin/rounds/${id}`, { ...roundForm(), intent, extendTo: localIn(600) }, cookie), { roundId: id })),
        ),
      ];
      for (const call of calls) await expect(call()).rejects.toMatchObject({ status: 403 });
    }
    await expect(listPage.loader(args(req("/admin/rounds")))).rejects.toMatchObject({ status: 302 });
    await expect(editPage.action(args(post(`/admin/rounds/${id}`, { intent: "openNow" }, ""), { roundId: id }))).rejects.toMatchObject({ status: 302 });
    expect(await getRound(id, new Date())).toEqual(before);
  });
});
