import { describe, expect, it } from "vitest";
import { DEMO_CONTEST_TITLE, readDemoQuestions, seedDemo } from "~/models/seed.server";
import * as contestsApi from "~/routes/api.v1.contests";
import * as homePage from "~/routes/_index";
import * as loginApi from "~/routes/api.v1.auth.login";
import { db } from "~/utils/db.server";
import { args, loginBody, req } from "./helpers";

const NOW = new Date();

describe("the demo contest", () => {
  it("has at least 60 sound questions: four options, exactly one correct, an explanation with its source", () => {
    const questions = readDemoQuestions();
    expect(questions.length).toBeGreaterThanOrEqual(60);
    const texts = new Set<string>();
    for (const q of questions) {
      expect(new Set(q.options).size, q.text).toBe(4);
      expect(q.text).toBe(q.text.normalize("NFC"));
      expect(q.explanation.length).toBeGreaterThan(20);
      expect(q.source.length).toBeGreaterThan(5);
      texts.add(q.text);
    }
    expect(texts.size).toBe(questions.length);
    // Sources cited: the plan's knowledge domains.
    const sources = questions.map((q) => q.source).join("\n");
    for (const s of ["76/NQ-CP", "23/CT-TTg", "57-NQ/TW", "06/QĐ-TTg"]) expect(sources).toContain(s);
  });

  it("is seeded with an open round, its bank and working demo staff accounts", async () => {
    const credentials = await seedDemo(NOW);
    expect(credentials.map((c) => c.role).sort()).toEqual(["admin", "commune_officer", "judge", "organizer"]);
    const contest = await db().contest.findFirst({
      where: { title: DEMO_CONTEST_TITLE },
      orderBy: { createdAt: "desc" },
      include: { rounds: { include: { bank: { include: { questions: { include: { options: true } } } } } } },
    });
    expect(contest).not.toBeNull();
    const bank = contest!.rounds[0].bank;
    expect(bank.questions.length).toBe(readDemoQuestions().length);
    for (const q of bank.questions) {
      expect(q.options).toHaveLength(4);
      expect(q.options.filter((o) => o.correct)).toHaveLength(1);
    }
    for (const c of credentials) {
      const res = await loginApi.action(args(req("/api/v1/auth/login", { json: loginBody(c.email, c.password) })));
      expect(res.status, c.email).toBe(200);
    }
  });

  it("lists its rounds publicly, with status and no answer key", async () => {
    const res = await contestsApi.loader();
    expect(res.status).toBe(200);
    const raw = await res.text();
    expect(raw).not.toMatch(/correct|explanation|passwordHash/i);
    const contests = JSON.parse(raw) as { title: string; rounds: { name: string; status: string; questionCount: number }[] }[];
    const demo = contests.find((c) => c.title === DEMO_CONTEST_TITLE)!;
    expect(demo.rounds.map((r) => [r.name, r.status])).toEqual([
      ["Vòng 1", "open"],
      ["Vòng 2", "upcoming"],
    ]);
    const home = await homePage.loader(args(req("/")));
    expect(home.contests.some((c) => c.title === DEMO_CONTEST_TITLE)).toBe(true);
    expect(home.signedIn).toBe(false);
  });
});
