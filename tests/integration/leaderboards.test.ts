import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { QuestionDraft } from "~/domain/questions";
import { saveAnswer, startAttempt, submitAttempt } from "~/models/attempt.server";
import { voidAttempt } from "~/models/flag.server";
import { createBank, insertQuestions } from "~/models/question-bank.server";
import { createRound, moveRoundTimes } from "~/models/round.server";
import { rebuildStandings } from "~/models/standing.server";
import * as contestCommunesApi from "~/routes/api.v1.contests.$contestId.communes";
import * as registerApi from "~/routes/api.v1.auth.register";
import * as communesApi from "~/routes/api.v1.rounds.$roundId.communes";
import * as boardApi from "~/routes/api.v1.rounds.$roundId.leaderboard";
import { db } from "~/utils/db.server";
import { args, cookieOf, newContestant, req } from "./helpers";

const SYSTEM = { id: null };
const MIN = 60_000;
const uniq = () => randomBytes(4).toString("hex");

async function setup(questionCount = 4, maxAttempts = 2) {
  const tag = uniq();
  const drafts: QuestionDraft[] = Array.from({ length: questionCount }, (_, i) => ({
    topic: "Đề án 06",
    text: `Câu ${tag} số ${i + 1}?`,
    options: ["Một", "Hai", "Ba"],
    correct: 0,
    explanation: "Vì vậy.",
    difficulty: "easy",
    source: "",
  }));
  const bank = await createBank({ name: `NH ${tag}` }, SYSTEM);
  await db().$transaction((tx) => insertQuestions(tx, bank.id, drafts, SYSTEM));
  const contest = await db().contest.create({ data: { title: `Cuộc thi ${tag}`, description: "" } });
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

interface Person {
  user: { id: string; role: "contestant"; group: string };
  cookie: string;
  fullName: string;
  nationalId: string;
  phone: string;
}

async function person(communeCode: string, fullName: string, group = "citizen"): Promise<Person> {
  const body = newContestant({ communeCode, fullName, group });
  const res = await registerApi.action(args(req("/api/v1/auth/register", { json: body })));
  const { user } = (await res.json()) as { user: { id: string; group: string } };
  return { user: { id: user.id, role: "contestant", group: user.group }, cookie: cookieOf(res), fullName, nationalId: body.nationalId, phone: body.phone };
}

/** An attempt with `right` correct answers, taking `seconds`, started at t0, on the server's (simulated) clock. */
async function attempt(roundId: string, p: Person, right: number, seconds: number, t0: number, prediction: number | null) {
  const { attempt: a } = await startAttempt({ roundId, user: p.user, now: new Date(t0) });
  for (const [i, q] of a.questions.entries()) {
    const key = (await db().option.findFirstOrThrow({ where: { questionId: q.id, correct: true } })).id;
    const wrong = q.options.find((o) => o.id !== key)!.id;
    await saveAnswer(a.id, p.user.id, q.id, i < right ? key : wrong, new Date(t0 + 1_000 * (i + 1)));
  }
  await submitAttempt(a.id, p.user.id, prediction, new Date(t0 + seconds * 1_000));
  return a.id;
}

type Board = { final: boolean; entries: { rank: number; displayName: string; communeCode: string; correctCount: number; questionCount: number; durationMs: number }[]; me?: { rank: number; of: number } };
const board = async (roundId: string, query = "", cookie?: string) => {
  const res = await boardApi.loader(args(req(`/api/v1/rounds/${roundId}/leaderboard${query}`, { cookie }), { roundId }));
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as Board };
};

describe("the individual leaderboard", () => {
  it("ranks by score then time while the round runs, masks names, and honours voids at once", async () => {
    const { round } = await setup();
    const t0 = Date.now() - 60 * MIN;
    const an = await person("21583", "Nguyễn Văn An"); // Quy Nhơn
    const binh = await person("21583", "Trần Thị Bình");
    const cuong = await person("23938", "Lê Cường"); // Ia Mơ
    const dung = await person("23938", "Phạm Minh Dũng", "official");
    await attempt(round.id, an, 4, 300, t0, 3);
    await attempt(round.id, binh, 4, 200, t0 + 1_000, 10);
    await attempt(round.id, cuong, 3, 100, t0 + 2_000, 2);
    const dungFirst = await attempt(round.id, dung, 2, 50, t0 + 3_000, 1);
    await attempt(round.id, dung, 4, 200, t0 + 10 * MIN, 2); // second attempt: the best counts; same score and time as Bình, later

    const live = await board(round.id);
    expect(live.status).toBe(200);
    expect(live.body.final).toBe(false);
    expect(live.body.entries).toEqual([
      { rank: 1, displayName: "Trần T. B.", communeCode: "21583", correctCount: 4, questionCount: 4, durationMs: 200_000 },
      { rank: 2, displayName: "Phạm M. D.", communeCode: "23938", correctCount: 4, questionCount: 4, durationMs: 200_000 },
      { rank: 3, displayName: "Nguyễn V. A.", communeCode: "21583", correctCount: 4, questionCount: 4, durationMs: 300_000 },
      { rank: 4, displayName: "Lê C.", communeCode: "23938", correctCount: 3, questionCount: 4, durationMs: 100_000 },
    ]);
    // No personal data anywhere in the public answer.
    for (const p of [an, binh, cuong, dung]) {
      expect(live.text).not.toContain(p.nationalId);
      expect(live.text).not.toContain(p.phone);
      expect(live.text).not.toContain(p.fullName);
    }
    const ia = await board(round.id, "?commune=23938");
    expect(ia.body.entries.map((e) => [e.rank, e.displayName])).toEqual([
      [1, "Phạm M. D."],
      [2, "Lê C."],
    ]);
    const officials = await board(round.id, "?group=official");
    expect(officials.body.entries.map((e) => e.displayName)).toEqual(["Phạm M. D."]);
    const top2 = await board(round.id, "?limit=2", cuong.cookie);
    expect(top2.body.entries).toHaveLength(2);
    expect(top2.body.me).toMatchObject({ rank: 4, of: 4, displayName: "Lê C." });
    expect((await board(round.id, "?commune=abc")).status).toBe(400);
    expect((await board("khong-co")).status).toBe(404);

    // Voiding Dũng's best attempt: his earlier attempt (2/4) counts instead, at once.
    const best = await db().standing.findUniqueOrThrow({ where: { roundId_userId: { roundId: round.id, userId: dung.user.id } } });
    expect(best.attemptId).not.toBe(dungFirst);
    await voidAttempt(best.attemptId, "Vi phạm quy chế", { id: "judge" }, new Date());
    const after = await board(round.id);
    expect(after.body.entries.map((e) => [e.rank, e.displayName, e.correctCount])).toEqual([
      [1, "Trần T. B.", 4],
      [2, "Nguyễn V. A.", 4],
      [3, "Lê C.", 3],
      [4, "Phạm M. D.", 2],
    ]);
    // The incremental standings equal a rebuild from scratch.
    const before = await db().standing.findMany({ where: { roundId: round.id }, orderBy: { userId: "asc" } });
    await rebuildStandings(round.id);
    const rebuilt = await db().standing.findMany({ where: { roundId: round.id }, orderBy: { userId: "asc" } });
    expect(rebuilt.map(({ updatedAt: _u, ...r }) => r)).toEqual(before.map(({ updatedAt: _u, ...r }) => r));
  });

  it("after closing, orders ties by the round's tie-break (prediction closeness first) and shares exact ties", async () => {
    const { round } = await setup(4, 1);
    const t0 = Date.now() - 60 * MIN;
    const a = await person("21583", "Võ Văn Tám");
    const b = await person("21583", "Hồ Thị Chín");
    const c = await person("21583", "Đỗ Mười");
    const d = await person("21583", "Mai Một");
    // All correct: a, b, c → actual = 3. Predictions: a 10 (off 7), b 3 (exact), c 3 (exact, same time as b).
    await attempt(round.id, a, 4, 100, t0, 10);
    await attempt(round.id, b, 4, 200, t0 + 1_000, 3);
    await attempt(round.id, c, 4, 200, t0 + 1_000, 3);
    await attempt(round.id, d, 1, 50, t0 + 2_000, 3);
    await moveRoundTimes(round.id, { closesAt: new Date(Date.now() - 1_000) }, SYSTEM, new Date());
    const final = await board(round.id);
    expect(final.body.final).toBe(true);
    expect(final.body.entries.map((e) => [e.rank, e.displayName])).toEqual([
      [1, "Hồ T. C."],
      [1, "Đỗ M."],
      [3, "Võ V. T."],
      [4, "Mai M."],
    ]);
    const me = await board(round.id, "", a.cookie);
    expect(me.body.me).toMatchObject({ rank: 3, of: 4 });
  });
});

describe("the commune leaderboards", () => {
  it("count participants, attempts, averages, all-correct share and participation per 10,000, for every commune", async () => {
    const { round, contest } = await setup(4, 2);
    const t0 = Date.now() - 60 * MIN;
    const x1 = await person("21583", "Nguyễn Một");
    const x2 = await person("21583", "Nguyễn Hai");
    const y1 = await person("23938", "Trần Ba");
    await attempt(round.id, x1, 4, 100, t0, 1);
    await attempt(round.id, x1, 2, 100, t0 + MIN, 1); // two attempts; the best (4) counts
    await attempt(round.id, x2, 1, 100, t0 + 2 * MIN, 1);
    await attempt(round.id, y1, 3, 100, t0 + 3 * MIN, 1);
    const { attempt: open } = await startAttempt({ roundId: round.id, user: (await person("23938", "Lê Bốn")).user, now: new Date() });
    expect(open.status).toBe("in_progress"); // in progress: not a participant yet

    const res = await communesApi.loader(args(req(`/api/v1/rounds/${round.id}/communes`), { roundId: round.id }));
    const { entries } = (await res.json()) as { entries: { communeCode: string; name: string; participants: number; attempts: number; averageCorrect: number; allCorrectShare: number; participationPer10k: number | null }[] };
    expect(entries).toHaveLength(135);
    const pop = new Map((await db().commune.findMany()).map((c) => [c.code, c.population]));
    expect(entries[0]).toEqual({
      communeCode: "21583",
      name: "Quy Nhơn",
      type: "phuong",
      participants: 2,
      attempts: 3,
      averageCorrect: 2.5,
      allCorrectShare: 0.5,
      participationPer10k: Math.round((2 * 10_000 * 100) / pop.get("21583")!) / 100,
    });
    expect(entries[1]).toMatchObject({ communeCode: "23938", participants: 1, attempts: 1, averageCorrect: 3, allCorrectShare: 0 });
    expect(entries.slice(2).every((e) => e.participants === 0 && e.attempts === 0 && e.participationPer10k === 0)).toBe(true);

    const whole = await contestCommunesApi.loader(args(req(`/api/v1/contests/${contest.id}/communes`), { contestId: contest.id }));
    const w = ((await whole.json()) as { entries: { communeCode: string; participants: number }[] }).entries;
    expect(w.find((e) => e.communeCode === "21583")?.participants).toBe(2);
  });
});
