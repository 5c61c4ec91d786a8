import { describe, expect, it } from "vitest";
import { roundSchema } from "../../app/domain/rounds";
import { vi } from "../../app/i18n/vi";

const E = vi.rounds.errors;

/** A minimal valid API body (POST /api/v1/admin/rounds). */
const body = {
  name: "Vòng 1",
  opensAt: "2025-10-01T08:00:00+07:00",
  closesAt: "2025-10-08T08:00:00+07:00",
  durationSeconds: 1800,
  questionCount: 20,
  maxAttempts: 3,
  bankId: "bank1",
};

/** The issues of a refused body as { "path": message }. */
function issues(input: unknown): Record<string, string> {
  const r = roundSchema.safeParse(input);
  if (r.success) throw new Error("expected the body to be refused");
  return Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
}

const ok = (input: unknown) => {
  const r = roundSchema.safeParse(input);
  if (!r.success) throw new Error(`expected success, got ${JSON.stringify(r.error.issues)}`);
  return r.data;
};

describe("roundSchema: valid body and defaults", () => {
  it("parses a minimal body and fills the defaults", () => {
    expect(ok(body)).toEqual({
      name: "Vòng 1",
      description: "",
      opensAt: new Date("2025-10-01T01:00:00Z"),
      closesAt: new Date("2025-10-08T01:00:00Z"),
      durationSeconds: 1800,
      questionCount: 20,
      maxAttempts: 3,
      bankId: "bank1",
      topics: {},
      difficulty: {},
      eligibleGroups: ["official", "citizen", "student", "business"],
      groupBanks: {},
      prediction: true,
      tieBreak: ["prediction", "duration", "submittedAt"],
      attemptPolicy: "best",
      revealAnswers: "after_close",
      flagRules: {},
    });
  });

  it("keeps given values instead of defaults", () => {
    const d = ok({
      ...body,
      contestId: "c1",
      name: "  Vòng chung kết  ",
      description: " Thể lệ ",
      topics: { "Lịch sử": 5, "Địa lý": 5 },
      difficulty: { easy: 10, hard: 2 },
      eligibleGroups: ["student"],
      groupBanks: { student: "bank2" },
      prediction: false,
      tieBreak: ["duration", "submittedAt"],
      revealAnswers: "never",
    });
    expect(d).toMatchObject({
      contestId: "c1",
      name: "Vòng chung kết",
      description: "Thể lệ",
      topics: { "Lịch sử": 5, "Địa lý": 5 },
      difficulty: { easy: 10, hard: 2 },
      eligibleGroups: ["student"],
      groupBanks: { student: "bank2" },
      prediction: false,
      tieBreak: ["duration", "submittedAt"],
      revealAnswers: "never",
    });
  });

  it("accepts every tie-break order of the three criteria", () => {
    const orders = [
      ["prediction", "duration", "submittedAt"],
      ["prediction", "submittedAt", "duration"],
      ["duration", "prediction", "submittedAt"],
      ["duration", "submittedAt", "prediction"],
      ["submittedAt", "prediction", "duration"],
      ["submittedAt", "duration", "prediction"],
    ];
    for (const tieBreak of orders) expect(ok({ ...body, tieBreak }).tieBreak).toEqual(tieBreak);
    expect(ok({ ...body, tieBreak: [] }).tieBreak).toEqual([]);
  });

  it("accepts each reveal policy", () => {
    for (const revealAnswers of ["after_close", "immediately", "never"]) expect(ok({ ...body, revealAnswers }).revealAnswers).toBe(revealAnswers);
  });
});

describe("roundSchema: dates", () => {
  it("reads ISO dates with Z or a numeric offset, with or without seconds and fractions", () => {
    expect(ok({ ...body, opensAt: "2025-10-01T01:00Z" }).opensAt).toEqual(new Date("2025-10-01T01:00:00Z"));
    expect(ok({ ...body, opensAt: "2025-10-01T01:00:00.500Z" }).opensAt).toEqual(new Date("2025-10-01T01:00:00.500Z"));
    expect(ok({ ...body, opensAt: "2025-09-30T20:00:00-05:00" }).opensAt).toEqual(new Date("2025-10-01T01:00:00Z"));
  });

  it("refuses a date-time without an offset (it would be read in the server's zone)", () => {
    expect(issues({ ...body, opensAt: "2025-10-01T08:00:00" })).toEqual({ opensAt: E.opensAt });
    expect(issues({ ...body, closesAt: "2025-10-08T08:00:00" })).toEqual({ closesAt: E.closesAt });
  });

  it("refuses other formats and impossible values", () => {
    for (const bad of ["2025-10-01", "01/10/2025 08:00", "2025-10-01 08:00:00Z", "2025-13-01T00:00:00Z", "2025-10-01T25:00:00Z", "2025-10-01T08:00:00+0700", "", "soon"]) {
      expect(issues({ ...body, opensAt: bad }), bad).toEqual({ opensAt: E.opensAt });
    }
    expect(issues({ ...body, opensAt: 1759280400000 })).toEqual({ opensAt: E.opensAt });
    expect(issues({ ...body, closesAt: null })).toEqual({ closesAt: E.closesAt });
  });

  it("refuses a day that does not exist (30 February)", () => {
    expect(issues({ ...body, opensAt: "2025-02-30T08:00:00Z", closesAt: "2025-03-08T08:00:00Z" })).toEqual({ opensAt: E.opensAt });
  });

  it("requires closesAt after opensAt", () => {
    expect(issues({ ...body, closesAt: body.opensAt })).toEqual({ closesAt: E.closesAfterOpens });
    expect(issues({ ...body, closesAt: "2025-09-30T08:00:00+07:00" })).toEqual({ closesAt: E.closesAfterOpens });
    // Same instant written in two zones is still not after.
    expect(issues({ ...body, closesAt: "2025-10-01T01:00:00Z" })).toEqual({ closesAt: E.closesAfterOpens });
    expect(ok({ ...body, closesAt: "2025-10-01T01:00:00.001Z" }).closesAt).toEqual(new Date("2025-10-01T01:00:00.001Z"));
  });
});

describe("roundSchema: numbers", () => {
  it("duration from 60 s to 6 h, whole seconds", () => {
    expect(ok({ ...body, durationSeconds: 60 }).durationSeconds).toBe(60);
    expect(ok({ ...body, durationSeconds: 21_600 }).durationSeconds).toBe(21_600);
    for (const bad of [59, 0, -60, 21_601, 90.5, "1800", null]) {
      expect(issues({ ...body, durationSeconds: bad }), String(bad)).toEqual({ durationSeconds: E.duration });
    }
  });

  it("questionCount from 1 to 200", () => {
    expect(ok({ ...body, questionCount: 1 }).questionCount).toBe(1);
    expect(ok({ ...body, questionCount: 200 }).questionCount).toBe(200);
    for (const bad of [0, 201, 2.5, "20"]) expect(issues({ ...body, questionCount: bad })).toEqual({ questionCount: E.questionCount });
  });

  it("maxAttempts from 1 to 50", () => {
    expect(ok({ ...body, maxAttempts: 1 }).maxAttempts).toBe(1);
    expect(ok({ ...body, maxAttempts: 50 }).maxAttempts).toBe(50);
    for (const bad of [0, 51, 1.5]) expect(issues({ ...body, maxAttempts: bad })).toEqual({ maxAttempts: E.maxAttempts });
  });

  it("topic counts may sum to questionCount but not beyond", () => {
    expect(ok({ ...body, topics: { A: 15, B: 5 } }).topics).toEqual({ A: 15, B: 5 });
    expect(issues({ ...body, topics: { A: 15, B: 6 } })).toEqual({ topics: E.topicsExceed });
  });

  it("difficulty counts may sum to questionCount but not beyond", () => {
    expect(ok({ ...body, difficulty: { easy: 10, medium: 5, hard: 5 } }).difficulty).toEqual({ easy: 10, medium: 5, hard: 5 });
    expect(issues({ ...body, difficulty: { easy: 10, medium: 6, hard: 5 } })).toEqual({ difficulty: E.difficultyExceed });
  });

  it("refuses negative or fractional topic and difficulty counts and unknown difficulties", () => {
    expect(Object.keys(issues({ ...body, topics: { A: -1 } }))).toEqual(["topics.A"]);
    expect(Object.keys(issues({ ...body, topics: { A: 1.5 } }))).toEqual(["topics.A"]);
    expect(Object.keys(issues({ ...body, difficulty: { hard: -1 } }))).toEqual(["difficulty.hard"]);
    expect(issues({ ...body, difficulty: { impossible: 1 } })).not.toEqual({});
    expect(issues({ ...body, topics: [3] })).toEqual({ topics: E.topics });
  });
});

describe("roundSchema: other fields and messages", () => {
  it("name is required, trimmed, at most 200 characters", () => {
    const { name: _name, ...noName } = body;
    expect(issues(noName)).toEqual({ name: E.name });
    expect(issues({ ...body, name: "   " })).toEqual({ name: E.name });
    expect(issues({ ...body, name: "x".repeat(201) })).toEqual({ name: E.name });
    expect(ok({ ...body, name: "x".repeat(200) }).name).toHaveLength(200);
  });

  it("bankId is required", () => {
    expect(issues({ ...body, bankId: "" })).toEqual({ bankId: E.bank });
    const { bankId: _bankId, ...noBank } = body;
    expect(issues(noBank)).toEqual({ bankId: E.bank });
  });

  it("eligibleGroups needs at least one known group", () => {
    expect(issues({ ...body, eligibleGroups: [] })).toEqual({ eligibleGroups: E.groups });
    expect(issues({ ...body, eligibleGroups: "student" })).toEqual({ eligibleGroups: E.groups });
    expect(Object.keys(issues({ ...body, eligibleGroups: ["student", "aliens"] }))).toEqual(["eligibleGroups.1"]);
  });

  it("refuses a criterion given twice in tieBreak", () => {
    expect(issues({ ...body, tieBreak: ["duration", "duration"] })).toEqual({ tieBreak: E.tieBreak });
    expect(issues({ ...body, tieBreak: ["prediction", "duration", "submittedAt", "prediction"] })).toEqual({ tieBreak: E.tieBreak });
  });

  it("refuses an unknown criterion in tieBreak", () => {
    expect(Object.keys(issues({ ...body, tieBreak: ["luck"] }))).toEqual(["tieBreak.0"]);
    expect(issues({ ...body, tieBreak: "duration" })).toEqual({ tieBreak: E.tieBreak });
  });

  it("refuses the prediction criterion in a round without a prediction question", () => {
    expect(issues({ ...body, prediction: false, tieBreak: ["prediction", "duration"] })).toEqual({ tieBreak: E.predictionTieBreak });
    expect(issues({ ...body, prediction: false, tieBreak: ["duration", "submittedAt", "prediction"] })).toEqual({ tieBreak: E.predictionTieBreak });
    expect(ok({ ...body, prediction: false, tieBreak: ["duration", "submittedAt"] }).prediction).toBe(false);
    expect(ok({ ...body, prediction: true, tieBreak: ["prediction"] }).tieBreak).toEqual(["prediction"]);
  });

  it("prediction must be a boolean", () => {
    expect(issues({ ...body, prediction: "no" })).toEqual({ prediction: E.prediction });
  });

  it("only the 'best' attempt policy is supported", () => {
    expect(ok({ ...body, attemptPolicy: "best" }).attemptPolicy).toBe("best");
    expect(issues({ ...body, attemptPolicy: "last" })).toEqual({ attemptPolicy: E.attemptPolicy });
  });

  it("refuses an unknown reveal policy", () => {
    expect(issues({ ...body, revealAnswers: "sometimes" })).toEqual({ revealAnswers: E.reveal });
  });

  it("reports every field's error at once, each with its Vietnamese message", () => {
    expect(issues({})).toEqual({
      name: E.name,
      opensAt: E.opensAt,
      closesAt: E.closesAt,
      durationSeconds: E.duration,
      questionCount: E.questionCount,
      maxAttempts: E.maxAttempts,
      bankId: E.bank,
    });
    expect(issues({ ...body, closesAt: body.opensAt, topics: { A: 30 }, difficulty: { easy: 30 } })).toEqual({
      closesAt: E.closesAfterOpens,
      topics: E.topicsExceed,
      difficulty: E.difficultyExceed,
    });
  });

  it("the messages are the Vietnamese ones", () => {
    expect(E.closesAfterOpens).toBe("Thời điểm đóng phải sau thời điểm mở.");
    expect(E.duration).toBe("Thời gian làm bài từ 1 phút đến 6 giờ.");
    expect(E.predictionTieBreak).toBe("Vòng thi không có câu hỏi dự đoán thì không xét tiêu chí dự đoán.");
  });
});
