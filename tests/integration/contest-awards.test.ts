// Prizes over the whole contest, "one prize per person per contest" across the round and contest
// plans, and collective prizes for communes: a crafted contest of two rounds whose winners are
// known in advance, checked through the models, the API, the export and the public page.
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { allocate, contestKey, getPlan, prizePlanSchema, publish, savePlan } from "~/models/award.server";
import * as xlsxApi from "~/routes/api.v1.judge.contests.$contestId.awards[.]xlsx";
import * as pdfApi from "~/routes/api.v1.judge.contests.$contestId.certificates[.]pdf";
import * as rankingApi from "~/routes/api.v1.judge.contests.$contestId.ranking";
import * as resultsPage from "~/routes/contests.$contestId.results";
import * as awardsPage from "~/routes/judge.contests.$contestId.awards";
import { db } from "~/utils/db.server";
import { rankingVerify } from "../../scripts/ranking-verify";
import { attempt, bytesOf, close, closedRoundSetup, MIN, person, staff, type Person } from "./award-helpers";
import { args, req } from "./helpers";

const getContest = (mod: { loader: (a: never) => Promise<Response> }, url: string, contestId: string, cookie?: string) => mod.loader(args(req(url, { cookie }), { contestId }));

describe("awards over the whole contest", () => {
  let contestId = "";
  let roundA = "";
  let roundB = "";
  let judge = { id: "", cookie: "" };
  let P: Record<"an" | "binh" | "cuong" | "dung", Person>;

  beforeAll(async () => {
    judge = await staff("judge");
    const a = await closedRoundSetup(4, 1);
    contestId = a.contest.id;
    roundA = a.round.id;
    roundB = (await closedRoundSetup(4, 1, contestId)).round.id;
    P = {
      an: await person("23764", "Nguyễn Văn An"),
      binh: await person("23575", "Trần Thị Bình", { female: true }),
      cuong: await person("21583", "Lê Văn Cường"),
      dung: await person("23764", "Phạm Văn Dũng"),
    };
    const t0 = Date.now() - 60 * MIN;
    // Round A (all correct: An, Bình → actual 2): An 4/4 off 0 in 100 s, Bình 4/4 off 0 in 150 s, Cường 3 off 3, Dũng 2 off 0.
    await attempt(roundA, P.an, 4, 100, t0, 2);
    await attempt(roundA, P.binh, 4, 150, t0 + 1_000, 2);
    await attempt(roundA, P.cuong, 3, 90, t0 + 2_000, 5);
    await attempt(roundA, P.dung, 2, 80, t0 + 3_000, 2);
    // Round B (all correct: An, Cường → actual 2); Dũng does not take part.
    await attempt(roundB, P.an, 4, 100, t0 + 4_000, 2);
    await attempt(roundB, P.binh, 3, 100, t0 + 5_000, 3);
    await attempt(roundB, P.cuong, 4, 120, t0 + 6_000, 2);
    await close(roundA);
  });

  it("ranks the whole contest only once every round is closed, for judges only", async () => {
    const early = await getContest(rankingApi, `/api/v1/judge/contests/${contestId}/ranking`, contestId, judge.cookie);
    expect(early.status).toBe(409);
    expect(((await early.json()) as { error: { code: string } }).error.code).toBe("CONTEST_NOT_CLOSED");
    await close(roundB);

    const res = await getContest(rankingApi, `/api/v1/judge/contests/${contestId}/ranking`, contestId, judge.cookie);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { entries: { rank: number; userId: string; correctCount: number; questionCount: number; predictionError: number | null; attemptId: string }[] };
    // Totals: An 8/8 (errors 0+0), Bình 7/8 (0+1), Cường 7/8 (3+0), Dũng 2/4.
    expect(body.entries.map((e) => [e.userId, e.rank, e.correctCount, e.questionCount, e.predictionError])).toEqual([
      [P.an.user.id, 1, 8, 8, 0],
      [P.binh.user.id, 2, 7, 8, 1],
      [P.cuong.user.id, 3, 7, 8, 3],
      [P.dung.user.id, 4, 2, 4, 0],
    ]);
    expect(body.entries[0].attemptId.split(",")).toHaveLength(2);

    const contestant = await getContest(rankingApi, `/api/v1/judge/contests/${contestId}/ranking`, contestId, P.an.cookie);
    expect(contestant.status).toBe(403);
    expect(await getContest(rankingApi, `/api/v1/judge/contests/${contestId}/ranking`, contestId)).toHaveProperty("status", 401);
  });

  it("one prize per person per contest: the higher prize is kept and the next in rank moves up", async () => {
    const now = new Date();
    const key = contestKey(contestId);
    await savePlan(roundA, prizePlanSchema.parse({ tiers: [{ name: "Giải Nhất", count: 1, amount: 2_000_000 }, { name: "Giải Nhì", count: 1, amount: 1_000_000 }], onePrizePerContest: true }), judge, now);
    const a1 = await allocate(roundA, judge, now);
    expect(a1.winners.map((w) => [w.tier, w.userId])).toEqual([
      ["Giải Nhất", P.an.user.id],
      ["Giải Nhì", P.binh.user.id],
    ]);

    await savePlan(
      key,
      prizePlanSchema.parse({
        tiers: [{ name: "Giải Nhất", count: 1, amount: 10_000_000 }, { name: "Giải Nhì", count: 1, amount: 5_000_000 }],
        onePrizePerContest: true,
        collective: { by: "count", tiers: [{ name: "Giải tập thể", count: 1, amount: 3_000_000 }] },
      }),
      judge,
      now,
    );
    const c = await allocate(key, judge, now);
    expect(c.winners.map((w) => [w.tier, w.userId])).toEqual([
      ["Giải Nhất", P.an.user.id],
      ["Giải Nhì", P.binh.user.id],
    ]);
    // Both win more here than in round A: the judges are told they give round A's prizes up.
    expect(c.supersedes.map((s) => s.userId)).toEqual([P.an.user.id, P.binh.user.id]);

    // Round B: An (holds 10,000,000) is passed over; Cường, second in round B, wins.
    await savePlan(roundB, prizePlanSchema.parse({ tiers: [{ name: "Giải Nhất", count: 1, amount: 3_000_000 }], onePrizePerContest: true }), judge, now);
    const b = await allocate(roundB, judge, now);
    expect(b.winners.map((w) => [w.tier, w.userId, w.rank])).toEqual([["Giải Nhất", P.cuong.user.id, 2]]);
    expect(b.passedOver).toEqual([{ userId: P.an.user.id, tier: "Giải Nhất" }]);

    // Round A allocated again: An, Bình and Cường hold higher prizes elsewhere; Dũng moves up.
    const a2 = await allocate(roundA, judge, now);
    expect(a2.winners.map((w) => [w.tier, w.userId, w.rank])).toEqual([["Giải Nhất", P.dung.user.id, 4]]);
    expect(a2.unfilled).toEqual([{ tier: "Giải Nhì", missing: 1 }]);

    // Nobody holds two prizes in the contest.
    const winners = await db().award.findMany({ where: { roundId: { in: [roundA, roundB, key] }, status: "winner" }, select: { userId: true } });
    expect(winners).toHaveLength(4);
    expect(new Set(winners.map((w) => w.userId)).size).toBe(4);
  });

  it("shows the plan on the judges' page; contestants are refused", async () => {
    const page = await awardsPage.loader(args(req(`/judge/contests/${contestId}/awards`, { cookie: judge.cookie }), { contestId }));
    if (!page.closed) throw new Error("the contest should be closed");
    expect(page.plan?.awards.filter((a) => a.status === "winner").map((a) => a.fullName)).toEqual(["Nguyễn Văn An", "Trần Thị Bình"]);
    expect(page.collective.map((c) => [c.tier, c.commune])).toEqual([["Giải tập thể", "Xã Ia Grai"]]);
    const refused = await awardsPage.loader(args(req(`/judge/contests/${contestId}/awards`, { cookie: P.an.cookie }), { contestId })).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ status: 403 });
  });

  it("the plan form takes the options and the collective tiers; a bad collective tier gets a Vietnamese error", async () => {
    const post = (fields: Record<string, string>) => {
      const body = new URLSearchParams({ intent: "plan", complaintDays: "7", ...fields });
      return awardsPage.action(args(req(`/judge/contests/${contestId}/awards`, { cookie: judge.cookie, body, headers: { "Content-Type": "application/x-www-form-urlencoded" } }), { contestId }));
    };
    const bad = (await post({ tier0Name: "Giải Nhất", tier0Count: "1", collectiveBy: "rate", ctier0Name: "Giải tập thể", ctier0Count: "0" })) as unknown as { init: { status: number }; data: { message: string } };
    expect(bad.init.status).toBe(400);
    expect(bad.data.message).toBe("Số giải từ 1 đến 1000.");
    const ok = await post({
      tier0Name: "Giải Nhất",
      tier0Count: "1",
      tier0Amount: "10.000.000",
      tier1Name: "Giải Nhì",
      tier1Count: "1",
      tier1Amount: "5.000.000",
      onePrizePerContest: "on",
      collectiveBy: "count",
      collectiveMinRate: "0,5",
      ctier0Name: "Giải tập thể",
      ctier0Count: "1",
      ctier0Amount: "3.000.000",
    });
    expect(ok).toEqual({ message: null });
    const saved = JSON.parse((await getPlan(contestKey(contestId)))!.plan) as { onePrizePerContest: boolean; collective: unknown };
    expect(saved.onePrizePerContest).toBe(true);
    expect(saved.collective).toEqual({ by: "count", minRatePer10k: 0.5, tiers: [{ name: "Giải tập thể", count: 1, amount: 3_000_000 }] });
  });

  it("exports the contest's winners with their totals and the collective prize on its own sheet", async () => {
    const res = await getContest(xlsxApi, `/api/v1/judge/contests/${contestId}/awards.xlsx`, contestId, judge.cookie);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await bytesOf(res)) as unknown as Parameters<typeof wb.xlsx.load>[0]);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Giải Nhất", "Giải Nhì", "Giải tập thể (xã, phường)"]);
    const an = wb.getWorksheet("Giải Nhất")!.getRow(2);
    // Rank, tier, name … correct (8 of 8 over both rounds), prediction (none for a contest), summed error 0, amount.
    expect([1, 2, 3, 9, 10, 11, 15].map((c) => an.getCell(c).value ?? null)).toEqual([1, "Giải Nhất", "Nguyễn Văn An", 8, null, 0, 10_000_000]);
    expect(an.getCell(5).value).toBe(P.an.nationalId);
    const coll = wb.getWorksheet("Giải tập thể (xã, phường)")!;
    expect(coll.getRow(1).values).toEqual([undefined, "Thứ tự", "Giải", "Xã, phường", "Số người tham gia", "Tỷ lệ/10.000 dân", "Điểm trung bình", "Giá trị giải (đồng)"]);
    const row = coll.getRow(2);
    expect([1, 2, 3, 4, 7].map((c) => row.getCell(c).value)).toEqual([1, "Giải tập thể", "Xã Ia Grai", 2, 3_000_000]);
    expect(coll.actualRowCount).toBe(2);
    expect(await db().exportRecord.count({ where: { roundId: contestKey(contestId), kind: "awards.xlsx" } })).toBe(1);
  });

  it("publishes: public page with masked names and the commune, certificates, and ranking:verify --contest", async () => {
    const before = await resultsPage.loader(args(req(`/contests/${contestId}/results`), { contestId }));
    expect(before.published).toBe(false);
    await publish(contestKey(contestId), judge, new Date());
    const page = await resultsPage.loader(args(req(`/contests/${contestId}/results`), { contestId }));
    if (!page.published) throw new Error("not published");
    expect(page.winners.map((w) => [w.tier, w.displayName, w.commune])).toEqual([
      ["Giải Nhất", "Nguyễn V. A.", "Xã Ia Grai"],
      ["Giải Nhì", "Trần T. B.", "Phường Pleiku"],
    ]);
    expect(page.collective.map((c) => [c.tier, c.commune])).toEqual([["Giải tập thể", "Xã Ia Grai"]]);
    const text = JSON.stringify(page);
    for (const p of Object.values(P)) {
      expect(text).not.toContain(p.nationalId);
      expect(text).not.toContain(p.phone);
      expect(text).not.toContain(p.fullName);
    }

    const pdf = await getContest(pdfApi, `/api/v1/judge/contests/${contestId}/certificates.pdf`, contestId, judge.cookie);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("Content-Type")).toBe("application/pdf");
    expect(Buffer.from(await bytesOf(pdf)).subarray(0, 5).toString()).toBe("%PDF-");

    const lines: string[] = [];
    const out = { log: (s: string) => lines.push(s), error: (s: string) => lines.push(s) };
    expect(await rankingVerify(["--contest", contestId], out)).toBe(0);
    expect(lines.join("\n")).toContain("Equal");
    expect(await rankingVerify(["--contest", contestId, "--round", roundA], out)).toBe(2);
    expect((await getPlan(contestKey(contestId)))?.status).toBe("published");
  });
});
