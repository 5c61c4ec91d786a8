import ExcelJS from "exceljs";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { allocateCollective, allocatePrizes, comparePrizes, contestRanking, finalRanking, type Candidate, type CommuneResult, type PrizePlan, type RankingAttempt } from "../../app/domain/awards";
import type { TieBreak } from "../../app/domain/rounds";
import { csvField, awardsCsv, formatBirthDate, formatDurationPrecise, formatVietnamTime, sheetName, xlsxEntryStream, type WinnerRow } from "../../app/utils/award-exports.server";

const DEFAULT: TieBreak[] = ["prediction", "duration", "submittedAt"];
const T0 = Date.parse("2025-10-02T03:00:00Z");

let n = 0;
const att = (userId: string, over: Partial<RankingAttempt> = {}): RankingAttempt => ({
  id: `a${++n}`,
  userId,
  correctCount: 8,
  questionCount: 10,
  durationMs: 300_000,
  closedAt: new Date(T0),
  prediction: 5,
  ...over,
});
const order = (r: ReturnType<typeof finalRanking>) => r.entries.map((e) => e.userId);
const ranks = (r: ReturnType<typeof finalRanking>) => r.entries.map((e) => [e.userId, e.rank, e.tied]);

describe("finalRanking", () => {
  it("orders by score first, whatever the tie-breaks say", () => {
    const r = finalRanking([att("low", { correctCount: 7, durationMs: 1, prediction: 0 }), att("high", { correctCount: 9, durationMs: 999_999, prediction: null })], DEFAULT);
    expect(order(r)).toEqual(["high", "low"]);
    expect(r.entries.map((e) => e.rank)).toEqual([1, 2]);
  });

  // Three contestants with the same score: p is closest in prediction, d fastest, s earliest.
  // actual all-correct = 1 (only "all" below), so errors: p 0, d 4, s 9.
  const same = () => [
    att("p", { prediction: 1, durationMs: 500_000, closedAt: new Date(T0 + 3_000) }),
    att("d", { prediction: 5, durationMs: 100_000, closedAt: new Date(T0 + 2_000) }),
    att("s", { prediction: 10, durationMs: 300_000, closedAt: new Date(T0 + 1_000) }),
    att("all", { correctCount: 10, prediction: 1 }),
  ];

  it.each<[TieBreak[], string[]]>([
    [["prediction", "duration", "submittedAt"], ["all", "p", "d", "s"]],
    [["prediction", "submittedAt", "duration"], ["all", "p", "d", "s"]],
    [["duration", "prediction", "submittedAt"], ["all", "d", "s", "p"]],
    [["duration", "submittedAt", "prediction"], ["all", "d", "s", "p"]],
    [["submittedAt", "prediction", "duration"], ["all", "s", "d", "p"]],
    [["submittedAt", "duration", "prediction"], ["all", "s", "d", "p"]],
  ])("applies the tie-breaks in the round's order: %j", (tieBreak, expected) => {
    const r = finalRanking(same(), tieBreak);
    expect(r.actualAllCorrect).toBe(1);
    expect(order(r)).toEqual(expected);
    expect(r.entries.every((e) => !e.tied)).toBe(true);
    expect(r.entries.map((e) => e.rank)).toEqual([1, 2, 3, 4]);
  });

  it("gives exact ties one shared rank, marks them tied, and skips the next ranks", () => {
    const r = finalRanking(
      [
        att("c", { correctCount: 9 }),
        att("b", { correctCount: 9 }),
        att("a", { correctCount: 9 }),
        att("x", { correctCount: 9, durationMs: 200_000 }),
        att("z", { correctCount: 3 }),
      ],
      DEFAULT,
    );
    // Among the tied, order is by user id only (stable, meaningless).
    expect(ranks(r)).toEqual([
      ["x", 1, false],
      ["a", 2, true],
      ["b", 2, true],
      ["c", 2, true],
      ["z", 5, false],
    ]);
  });

  it("with no tie-break rules, equal scores are exact ties", () => {
    const r = finalRanking([att("a", { durationMs: 1 }), att("b", { durationMs: 2 })], []);
    expect(ranks(r)).toEqual([
      ["a", 1, true],
      ["b", 1, true],
    ]);
  });

  it("with no all-correct contestant the actual count is 0: the smallest prediction is closest", () => {
    const r = finalRanking([att("far", { prediction: 7 }), att("zero", { prediction: 0 }), att("near", { prediction: 2 })], DEFAULT);
    expect(r.actualAllCorrect).toBe(0);
    expect(order(r)).toEqual(["zero", "near", "far"]);
    expect(r.entries.map((e) => e.predictionError)).toEqual([0, 2, 7]);
  });

  it("a missing prediction sorts after every prediction, even a far one", () => {
    const r = finalRanking([att("none", { prediction: null, durationMs: 1 }), att("far", { prediction: 1_000 }), att("all", { correctCount: 10, prediction: 3 })], DEFAULT);
    expect(order(r)).toEqual(["all", "far", "none"]);
    expect(r.entries.find((e) => e.userId === "none")!.predictionError).toBeNull();
    // Two without a prediction fall through to the next rule.
    const two = finalRanking([att("slow", { prediction: null, durationMs: 9 }), att("fast", { prediction: null, durationMs: 5 })], DEFAULT);
    expect(order(two)).toEqual(["fast", "slow"]);
  });

  it("counts each contestant once, by their best attempt among several", () => {
    const first = att("u", { correctCount: 6, durationMs: 100_000, closedAt: new Date(T0) });
    const best = att("u", { correctCount: 9, durationMs: 400_000, closedAt: new Date(T0 + 60_000) });
    const third = att("u", { correctCount: 9, durationMs: 450_000, closedAt: new Date(T0 + 120_000) });
    const r = finalRanking([first, best, third, att("v", { correctCount: 8 })], DEFAULT);
    expect(r.entries).toHaveLength(2);
    expect(r.entries[0]).toMatchObject({ userId: "u", attemptId: best.id, correctCount: 9, durationMs: 400_000, submittedAt: best.closedAt });
    // Two identical attempts: the earlier one counts.
    const early = att("w", { closedAt: new Date(T0) });
    const late = att("w", { closedAt: new Date(T0 + 1) });
    expect(finalRanking([late, early], ["prediction", "duration"]).entries[0].attemptId).toBe(early.id);
  });

  it("counts all-correct contestants, not attempts, for the actual number", () => {
    const r = finalRanking([att("a", { correctCount: 10 }), att("a", { correctCount: 10 }), att("b", { correctCount: 10 }), att("c"), att("d", { correctCount: 0, questionCount: 0 })], DEFAULT);
    expect(r.actualAllCorrect).toBe(2);
  });

  it("is empty for no attempts", () => {
    expect(finalRanking([], DEFAULT)).toEqual({ actualAllCorrect: 0, entries: [] });
  });
});

// ---------------------------------------------------------------------------------------------

const cand = (userId: string, rank: number, over: Partial<Candidate> = {}): Candidate => ({ userId, rank, group: "citizen", correctCount: 10, questionCount: 10, tied: false, ...over });
const plan = (tiers: PrizePlan["tiers"], onlyAllCorrect = false): PrizePlan => ({ tiers, onlyAllCorrect });
const who = (a: ReturnType<typeof allocatePrizes>) => a.winners.map((w) => [w.tier, w.userId]);

describe("contestRanking", () => {
  const round = (...attempts: RankingAttempt[]) => finalRanking(attempts, DEFAULT);

  it("sums each contestant's counting attempts over the rounds; a skipped round counts nothing", () => {
    const r1 = round(att("both", { correctCount: 9, id: "b1" }), att("both", { correctCount: 10, id: "b1best" }), att("once", { correctCount: 10 }));
    const r2 = round(att("both", { correctCount: 8, id: "b2" }));
    const c = contestRanking([r1, r2], DEFAULT);
    expect(c.entries.map((e) => [e.userId, e.correctCount, e.questionCount, e.rank])).toEqual([
      ["both", 18, 20, 1],
      ["once", 10, 10, 2],
    ]);
    // The awarded "attempt" names the counting attempt of each round.
    expect(c.entries[0].attemptId).toBe("b1best,b2");
    // Only "once" answered everything they took.
    expect(c.actualAllCorrect).toBe(1);
  });

  it("breaks ties by the summed prediction error, then total time, then the latest submission", () => {
    // Round 1: everyone all correct (actual 3); round 2: nobody (actual 0).
    const r1 = round(att("p", { correctCount: 10, prediction: 4 }), att("q", { correctCount: 10, prediction: 3 }), att("r", { correctCount: 10, prediction: 3 }));
    const r2 = round(att("p", { correctCount: 9, prediction: 0 }), att("q", { correctCount: 9, prediction: 2 }), att("r", { correctCount: 9, prediction: 2, durationMs: 100 }));
    // Errors: p 1+0 = 1, q 0+2 = 2, r 0+2 = 2 (r faster in round 2).
    const c = contestRanking([r1, r2], DEFAULT);
    expect(c.entries.map((e) => [e.userId, e.predictionError, e.rank])).toEqual([
      ["p", 1, 1],
      ["r", 2, 2],
      ["q", 2, 3],
    ]);
    // With time first, totals of time decide: r (300,000 + 100) before p and q (600,000).
    expect(contestRanking([r1, r2], ["duration", "prediction", "submittedAt"]).entries[0].userId).toBe("r");
  });

  it("a round without a prediction makes the sum unknown (after every known sum), and exact ties are shared", () => {
    const r1 = round(att("a", { prediction: null }), att("b"), att("c"));
    const c = contestRanking([r1], DEFAULT);
    expect(c.entries.map((e) => [e.userId, e.rank, e.tied, e.predictionError])).toEqual([
      ["b", 1, true, 5],
      ["c", 1, true, 5],
      ["a", 3, false, null],
    ]);
  });
});

describe("allocatePrizes", () => {
  const ranked = ["a", "b", "c", "d", "e", "f", "g"].map((u, i) => cand(u, i + 1));
  const nhatNhiBa = plan([
    { name: "Giải Nhất", count: 1, amount: 5_000_000 },
    { name: "Giải Nhì", count: 2, amount: 3_000_000 },
    { name: "Giải Ba", count: 3 },
  ]);

  it("gives the tiers in order to the best-ranked, one prize per person, with the amounts", () => {
    const a = allocatePrizes(ranked, nhatNhiBa);
    expect(who(a)).toEqual([
      ["Giải Nhất", "a"],
      ["Giải Nhì", "b"],
      ["Giải Nhì", "c"],
      ["Giải Ba", "d"],
      ["Giải Ba", "e"],
      ["Giải Ba", "f"],
    ]);
    expect(a.winners.map((w) => w.amount)).toEqual([5_000_000, 3_000_000, 3_000_000, null, null, null]);
    expect(new Set(a.winners.map((w) => w.userId)).size).toBe(a.winners.length);
    expect(a.boundaryTies).toEqual([]);
    expect(a.unfilled).toEqual([]);
  });

  it("gives a group's tier only to that group, and a person still one prize in all", () => {
    const people = [cand("o1", 1, { group: "official" }), cand("c1", 2), cand("o2", 3, { group: "official" }), cand("c2", 4), cand("s1", 5, { group: "student" })];
    const a = allocatePrizes(
      people,
      plan([
        { name: "Giải Nhất (CBCC)", count: 1, group: "official" },
        { name: "Giải Nhất (Người dân)", count: 1, group: "citizen" },
        { name: "Giải Khuyến khích", count: 2 },
      ]),
    );
    expect(who(a)).toEqual([
      ["Giải Nhất (CBCC)", "o1"],
      ["Giải Nhất (Người dân)", "c1"],
      ["Giải Khuyến khích", "o2"],
      ["Giải Khuyến khích", "c2"],
    ]);
  });

  it("reports tiers it cannot fill", () => {
    const a = allocatePrizes(ranked.slice(0, 4), nhatNhiBa);
    expect(a.winners).toHaveLength(4);
    expect(a.unfilled).toEqual([{ tier: "Giải Ba", missing: 2 }]);
    const none = allocatePrizes([], nhatNhiBa);
    expect(none.unfilled).toEqual([
      { tier: "Giải Nhất", missing: 1 },
      { tier: "Giải Nhì", missing: 2 },
      { tier: "Giải Ba", missing: 3 },
    ]);
    const officials = allocatePrizes(ranked, plan([{ name: "Giải CBCC", count: 2, group: "official" }]));
    expect(officials.unfilled).toEqual([{ tier: "Giải CBCC", missing: 2 }]);
  });

  it("replaces an excluded winner: everyone after moves up one place", () => {
    const a = allocatePrizes(ranked, nhatNhiBa, new Set(["b"]));
    expect(who(a)).toEqual([
      ["Giải Nhất", "a"],
      ["Giải Nhì", "c"],
      ["Giải Nhì", "d"],
      ["Giải Ba", "e"],
      ["Giải Ba", "f"],
      ["Giải Ba", "g"],
    ]);
    // Their rank stays the ranking's rank.
    expect(a.winners.find((w) => w.userId === "c")!.rank).toBe(3);
  });

  describe("one prize per contest (held elsewhere)", () => {
    it("passes over a person who holds a higher prize elsewhere: the next moves up", () => {
      const a = allocatePrizes(ranked, nhatNhiBa, new Set(), new Map([["a", { amount: 10_000_000, order: 0 }]]));
      expect(who(a).slice(0, 3)).toEqual([
        ["Giải Nhất", "b"],
        ["Giải Nhì", "c"],
        ["Giải Nhì", "d"],
      ]);
      expect(a.winners.map((w) => w.userId)).not.toContain("a");
      expect(a.passedOver).toEqual([{ userId: "a", tier: "Giải Nhất" }]);
      expect(a.supersedes).toEqual([]);
    });

    it("keeps the prize already held on equal value", () => {
      const a = allocatePrizes(ranked, nhatNhiBa, new Set(), new Map([["a", { amount: 5_000_000, order: 3 }]]));
      expect(who(a)[0]).toEqual(["Giải Nhất", "b"]);
    });

    it("gives a higher prize here and reports the lower one elsewhere as given up", () => {
      // a holds a 1,000,000 prize elsewhere; Nhất here is worth 5,000,000: a wins it.
      const a = allocatePrizes(ranked, nhatNhiBa, new Set(), new Map([["a", { amount: 1_000_000, order: 0 }]]));
      expect(who(a)[0]).toEqual(["Giải Nhất", "a"]);
      expect(a.supersedes).toEqual([{ userId: "a", tier: "Giải Nhất" }]);
    });

    it("compares by tier order when a prize has no amount, and may still give a lower tier's place", () => {
      // c holds a prize of order 1 (a Nhì) elsewhere, without an amount: Nhất here (order 0) would be
      // higher, Nhì (order 1) equal and Ba (order 2) lower, so c is passed over for Nhì and Ba.
      const a = allocatePrizes(ranked, nhatNhiBa, new Set(), new Map([["c", { amount: null, order: 1 }]]));
      expect(a.winners.map((w) => w.userId)).toEqual(["a", "b", "d", "e", "f", "g"]);
      expect(a.passedOver).toEqual([{ userId: "c", tier: "Giải Nhì" }]);
    });

    it("comparePrizes: amounts when both have one, else the tier order", () => {
      expect(comparePrizes({ amount: 2, order: 5 }, { amount: 1, order: 0 })).toBeGreaterThan(0);
      expect(comparePrizes({ amount: 1, order: 0 }, { amount: 1, order: 3 })).toBe(0);
      expect(comparePrizes({ amount: null, order: 0 }, { amount: 9, order: 1 })).toBeGreaterThan(0);
      expect(comparePrizes({ amount: null, order: 2 }, { amount: null, order: 1 })).toBeLessThan(0);
    });
  });

  it("with onlyAllCorrect, considers only all-correct contestants", () => {
    const people = [cand("p1", 1), cand("p2", 2), cand("q", 3, { correctCount: 9 }), cand("z", 4, { correctCount: 0, questionCount: 0 })];
    const a = allocatePrizes(people, plan([{ name: "Giải Nhất", count: 1 }, { name: "Giải Nhì", count: 3 }], true));
    expect(who(a)).toEqual([
      ["Giải Nhất", "p1"],
      ["Giải Nhì", "p2"],
    ]);
    expect(a.unfilled).toEqual([{ tier: "Giải Nhì", missing: 2 }]);
    // Without the option the others are in.
    expect(allocatePrizes(people, plan([{ name: "Giải Nhất", count: 1 }, { name: "Giải Nhì", count: 3 }])).winners).toHaveLength(4);
  });

  it("reports a tie straddling a tier's last place, with how many places the tied share", () => {
    // b, c, d share rank 2; Nhì has 2 places: b (rank 2 is inside)… a takes Nhất.
    const people = [cand("a", 1), cand("b", 2, { tied: true }), cand("c", 2, { tied: true }), cand("d", 2, { tied: true }), cand("e", 5)];
    const a = allocatePrizes(people, plan([{ name: "Giải Nhất", count: 1 }, { name: "Giải Nhì", count: 2 }, { name: "Giải Ba", count: 2 }]));
    expect(a.boundaryTies).toEqual([{ tier: "Giải Nhì", rank: 2, userIds: ["b", "c", "d"], places: 2 }]);
    expect(who(a)).toEqual([
      ["Giải Nhất", "a"],
      ["Giải Nhì", "b"],
      ["Giải Nhì", "c"],
      ["Giải Ba", "d"],
      ["Giải Ba", "e"],
    ]);
    // A tie for first with one place.
    const first = allocatePrizes([cand("x", 1, { tied: true }), cand("y", 1, { tied: true })], plan([{ name: "Giải Nhất", count: 1 }]));
    expect(first.boundaryTies).toEqual([{ tier: "Giải Nhất", rank: 1, userIds: ["x", "y"], places: 1 }]);
    // A tie entirely inside a tier is no boundary tie.
    const inside = allocatePrizes([cand("x", 1, { tied: true }), cand("y", 1, { tied: true }), cand("z", 3)], plan([{ name: "Giải Nhất", count: 2 }]));
    expect(inside.boundaryTies).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

const commune = (communeCode: string, participants: number, participationPer10k: number | null, averageCorrect: number): CommuneResult => ({ communeCode, participants, participationPer10k, averageCorrect });

describe("allocateCollective", () => {
  // A: many people in a big commune (low rate); B: fewer people, small commune (high rate).
  const rows = [commune("A", 900, 40, 12), commune("B", 300, 120, 14), commune("C", 500, 80, 15), commune("D", 0, 0, 0), commune("E", 300, 120, 16)];
  const tiers = [
    { name: "Giải Nhất tập thể", count: 1, amount: 10_000_000 },
    { name: "Giải Nhì tập thể", count: 2 },
  ];

  it("ranks by participation rate, or by count, as the rule says", () => {
    expect(allocateCollective(rows, { by: "rate", tiers }).map((w) => [w.tier, w.communeCode])).toEqual([
      ["Giải Nhất tập thể", "E"],
      ["Giải Nhì tập thể", "B"],
      ["Giải Nhì tập thể", "C"],
    ]);
    expect(allocateCollective(rows, { by: "count", tiers }).map((w) => w.communeCode)).toEqual(["A", "C", "E"]);
    expect(allocateCollective(rows, { by: "rate", tiers }).map((w) => w.amount)).toEqual([10_000_000, null, null]);
  });

  it("breaks equal participation by the average score, then by commune code", () => {
    // B and E: same rate and count; E's average is higher.
    expect(allocateCollective([commune("B", 300, 120, 14), commune("E", 300, 120, 16)], { by: "rate", tiers }).map((w) => w.communeCode)).toEqual(["E", "B"]);
    expect(allocateCollective([commune("Y", 5, 1, 3), commune("X", 5, 1, 3)], { by: "count", tiers }).map((w) => w.communeCode)).toEqual(["X", "Y"]);
  });

  it("applies the rate threshold before ranking, and skips communes with no participants", () => {
    const w = allocateCollective(rows, { by: "count", minRatePer10k: 100, tiers });
    expect(w.map((x) => x.communeCode)).toEqual(["E", "B"]);
    expect(allocateCollective(rows, { by: "count", tiers: [{ name: "KK", count: 10 }] }).map((x) => x.communeCode)).not.toContain("D");
    // No population known: a rate of 0, so any positive threshold excludes it.
    expect(allocateCollective([commune("N", 50, null, 10)], { by: "count", minRatePer10k: 1, tiers })).toEqual([]);
  });

  it("gives fewer prizes when fewer communes qualify", () => {
    expect(allocateCollective([commune("A", 1, 1, 1)], { by: "rate", tiers })).toEqual([{ tier: "Giải Nhất tập thể", communeCode: "A", amount: 10_000_000 }]);
  });
});

// ---------------------------------------------------------------------------------------------

describe("export formatting", () => {
  it("quotes CSV fields per RFC 4180 and defuses formulas with a leading single quote", () => {
    expect(csvField("Nguyễn Văn An")).toBe("Nguyễn Văn An");
    expect(csvField("Xã, phường")).toBe('"Xã, phường"');
    expect(csvField('Nói "có"')).toBe('"Nói ""có"""');
    expect(csvField("dòng 1\r\ndòng 2")).toBe('"dòng 1\r\ndòng 2"');
    expect(csvField('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    for (const s of ["=1+2", "+84912", "-5", "@SUM(A1)", "\tx", "\rx"]) expect(csvField(s)).toBe(`"'${s}"`);
    expect(csvField(0)).toBe("0");
    expect(csvField(null)).toBe("");
    expect(csvField("001190012345")).toBe("001190012345");
  });

  it("writes a CSV with a BOM, CRLF line ends and the Vietnamese header", () => {
    const row: WinnerRow = {
      awardId: "x",
      userId: "u",
      sheet: "Giải Nhất",
      tier: "Giải Nhất",
      rank: 1,
      fullName: "Nguyễn Thị Hồng Ánh",
      birthDate: "1990-03-07",
      nationalId: "001190012345",
      phone: "0912345678",
      commune: "Xã Ia Grai",
      workplace: null,
      correctCount: 20,
      questionCount: 20,
      prediction: null,
      predictionError: null,
      durationMs: 65_005,
      submittedAt: new Date("2025-10-02T17:30:05Z"),
      verified: false,
      amount: null,
    };
    const csv = awardsCsv([row]);
    expect(csv.startsWith("\uFEFFHạng,Giải,Họ và tên,Ngày sinh,Số CCCD,")).toBe(true);
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(csv.split("\r\n")).toHaveLength(3);
    expect(csv).toContain('1,Giải Nhất,Nguyễn Thị Hồng Ánh,07/03/1990,001190012345,0912345678,Xã Ia Grai,,20,,,"1 phút 5,005 giây",03/10/2025 00:30:05,Chưa xác minh,\r\n');
  });

  it("formats dates in Vietnam time and durations to the millisecond", () => {
    expect(formatBirthDate("2001-12-31")).toBe("31/12/2001");
    expect(formatBirthDate(null)).toBe("");
    expect(formatVietnamTime(new Date("2025-10-01T17:00:00Z"))).toBe("02/10/2025 00:00:00");
    // The fixed UTC+7 offset agrees with the time zone database, over the years of the contest.
    const intl = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Ho_Chi_Minh", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
    for (let ms = Date.parse("2024-01-01T00:00:00Z"); ms < Date.parse("2031-01-01T00:00:00Z"); ms += 7_777_777_777 / 97) {
      const d = new Date(Math.floor(ms));
      expect(formatVietnamTime(d)).toBe(intl.format(d).replace(",", ""));
    }
    expect(formatDurationPrecise(725_250)).toBe("12 phút 5,250 giây");
    expect(formatDurationPrecise(0)).toBe("0 phút 0,000 giây");
  });

  it("makes legal, unique sheet names", () => {
    const used = new Set<string>();
    expect(sheetName("Giải Nhất", used)).toBe("Giải Nhất");
    expect(sheetName("giải nhất", used)).toBe("giải nhất (2)");
    expect(sheetName("Giải [Ba]: 1/2*?", used)).toBe("Giải -Ba-- 1-2--");
    expect(sheetName("Giải Khuyến khích - Học sinh, sinh viên", used)).toHaveLength(31);
    expect(sheetName("'", used)).toBe("Danh sách");
  });

  it("finds the zip entry stream of a streaming sheet, which the writer's backpressure waits on (exceljs/archiver internals)", async () => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: new Writable({ write: (_c, _e, cb) => cb() }), useStyles: true, useSharedStrings: false });
    const ws = workbook.addWorksheet("A");
    ws.addRow(["Nguyễn Văn An", "001190012345"]).commit();
    let entry = xlsxEntryStream(ws);
    for (let i = 0; i < 100 && !entry; i++) {
      await new Promise((r) => setImmediate(r));
      entry = xlsxEntryStream(ws);
    }
    // If an upgrade moves these, the export would buffer whole sheets in memory instead of streaming.
    expect(entry).toBeDefined();
    expect(typeof entry!._writableState?.needDrain).toBe("boolean");
    expect(typeof entry!._writableState?.length).toBe("number");
    ws.commit();
    await workbook.commit();
  });
});
