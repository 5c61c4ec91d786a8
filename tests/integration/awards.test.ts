import { parse as parseCsv } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { roundStatus } from "~/domain/rounds";
import { allocate, getPlan, prizePlanSchema, publish, replaceWinner, savePlan, setVerified, verifyPublished } from "~/models/award.server";
import { voidAttempt } from "~/models/flag.server";
import { upsertStaff } from "~/models/user.server";
import * as verifyApi from "~/routes/api.v1.judge.exports.verify";
import * as csvApi from "~/routes/api.v1.judge.rounds.$roundId.awards[.]csv";
import * as xlsxApi from "~/routes/api.v1.judge.rounds.$roundId.awards[.]xlsx";
import * as pdfApi from "~/routes/api.v1.judge.rounds.$roundId.certificates[.]pdf";
import * as rankingApi from "~/routes/api.v1.judge.rounds.$roundId.ranking";
import * as awardsPage from "~/routes/judge.rounds.$roundId_.awards";
import * as resultsPage from "~/routes/rounds.$roundId_.results";
import { db } from "~/utils/db.server";
import { rankingVerify } from "../../scripts/ranking-verify";
import { attempt, bytesOf, close, closedRoundSetup, get, MIN, person, staff, uniq, type Person } from "./award-helpers";
import { args, req } from "./helpers";

const root = path.resolve(__dirname, "..", "..");
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** Vietnam time, computed independently of the app (UTC+7, no daylight saving). */
function vnTime(ms: number): string {
  const d = new Date(ms + 7 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}
const dmy = (iso: string) => iso.split("-").reverse().join("/");

// ---------------------------------------------------------------------------------------------

const INJECTION = '=HYPERLINK("http://x","y")';

describe("awards: plan, allocation, replacement, publication and exports", () => {
  let roundId = "";
  let judge = "";
  let judgeUser = { id: "" };
  let P: Record<"anh" | "binh" | "cuong" | "dung" | "em" | "giang" | "hung" | "khanh", Person>;
  const counted: Record<string, { right: number; seconds: number; t0: number; prediction: number; id: string }> = {};
  let binhBest = "";

  beforeAll(async () => {
    const j = await staff("judge");
    judge = j.cookie;
    judgeUser = { id: j.id };
    const { round } = await closedRoundSetup();
    roundId = round.id;
    P = {
      anh: await person("23764", "Nguyễn Thị Hồng Ánh", { female: true, year: 1990, province: "001", group: "official", workplace: "UBND xã Ia Grai" }),
      binh: await person("23575", "Trần Văn Bình"),
      cuong: await person("21583", "Lê Văn Cường"),
      dung: await person("23764", "Phạm Thị Dung", { female: true, year: 2001 }),
      em: await person("23575", "Hồ Văn Em"),
      giang: await person("21583", "Đỗ Thị Giang", { female: true }),
      hung: await person("23764", "Vũ Văn Hùng"),
      khanh: await person("23575", "Rơ Châm Khánh"),
    };
    // The name the register API would refuse, put straight into the database.
    await db().user.update({ where: { id: P.em.user.id }, data: { fullName: INJECTION } });
    P.em.fullName = INJECTION;

    const t0 = Date.now() - 60 * MIN;
    // All correct: Ánh, Bình (second attempt), Cường → actual 3. Ánh predicts 3 (off 0), Bình 5 (off 2), Cường 10 (off 7).
    counted.anh = await attempt(roundId, P.anh, 4, 200, t0, 3);
    await attempt(roundId, P.binh, 2, 100, t0 + 1_000, 3); // a first, worse attempt
    counted.binh = await attempt(roundId, P.binh, 4, 150, t0 + 10 * MIN, 5);
    binhBest = counted.binh.id;
    counted.cuong = await attempt(roundId, P.cuong, 4, 100, t0 + 2_000, 10);
    // 3 of 4: Dung off 0, Em off 1, Giang off 3.
    counted.dung = await attempt(roundId, P.dung, 3, 90, t0 + 3_000, 3);
    counted.em = await attempt(roundId, P.em, 3, 120, t0 + 4_000, 4);
    counted.giang = await attempt(roundId, P.giang, 3, 150, t0 + 5_000, 6);
    counted.hung = await attempt(roundId, P.hung, 2, 60, t0 + 6_000, 1);
    counted.khanh = await attempt(roundId, P.khanh, 1, 30, t0 + 7_000, 3);
  });

  it("ranks the closed round as designed, for judges only", async () => {
    expect((await get(rankingApi, `/api/v1/judge/rounds/${roundId}/ranking`, roundId, judge)).status).toBe(409); // still open
    await close(roundId);
    const res = await get(rankingApi, `/api/v1/judge/rounds/${roundId}/ranking`, roundId, judge);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { actualAllCorrect: number; entries: { rank: number; userId: string; attemptId: string }[] };
    expect(body.actualAllCorrect).toBe(3);
    const order = ["anh", "binh", "cuong", "dung", "em", "giang", "hung", "khanh"] as const;
    expect(body.entries.map((e) => [e.rank, e.userId])).toEqual(order.map((k, i) => [i + 1, P[k].user.id]));
    expect(body.entries[1].attemptId).toBe(binhBest); // Bình's best attempt counts
  });

  it("saves the plan, allocates, verifies one winner and replaces another (the next moves up, audited)", async () => {
    const now = new Date();
    const plan = prizePlanSchema.parse({
      tiers: [
        { name: "Giải Nhất", count: 1, amount: 5_000_000 },
        { name: "Giải Nhì", count: 2, amount: 3_000_000 },
        { name: "Giải Ba", count: 3, amount: 2_000_000 },
      ],
    });
    await savePlan(roundId, plan, judgeUser, now);
    const allocation = await allocate(roundId, judgeUser, now);
    expect(allocation.winners.map((w) => [w.tier, w.userId])).toEqual([
      ["Giải Nhất", P.anh.user.id],
      ["Giải Nhì", P.binh.user.id],
      ["Giải Nhì", P.cuong.user.id],
      ["Giải Ba", P.dung.user.id],
      ["Giải Ba", P.em.user.id],
      ["Giải Ba", P.giang.user.id],
    ]);
    expect(allocation.boundaryTies).toEqual([]);
    expect(allocation.unfilled).toEqual([]);

    const awards = (await getPlan(roundId))!.awards;
    const anhAward = awards.find((a) => a.userId === P.anh.user.id)!;
    await setVerified(anhAward.id, true, judgeUser, now);
    const dungAward = awards.find((a) => a.userId === P.dung.user.id)!;
    await replaceWinner(dungAward.id, "Thông tin không khớp với căn cước", judgeUser, now);

    const after = (await getPlan(roundId))!.awards;
    expect(after.filter((a) => a.status === "winner").map((a) => [a.tier, a.rank, a.userId, a.verified])).toEqual([
      ["Giải Nhất", 1, P.anh.user.id, true],
      ["Giải Nhì", 2, P.binh.user.id, false],
      ["Giải Nhì", 3, P.cuong.user.id, false],
      ["Giải Ba", 5, P.em.user.id, false],
      ["Giải Ba", 6, P.giang.user.id, false],
      ["Giải Ba", 7, P.hung.user.id, false],
    ]);
    expect(after.find((a) => a.id === dungAward.id)).toMatchObject({ status: "replaced", replacedReason: "Thông tin không khớp với căn cước" });
    const log = await db().auditLog.findFirstOrThrow({ where: { action: "awards.replace", entityId: dungAward.id } });
    expect(JSON.parse(log.detail)).toMatchObject({ userId: P.dung.user.id, tier: "Giải Ba", reason: "Thông tin không khớp với căn cước" });
    expect(log.actorId).toBe(judgeUser.id);
  });

  it("refuses certificates before publication; the lists can be exported as working documents", async () => {
    const pdf = await get(pdfApi, `/api/v1/judge/rounds/${roundId}/certificates.pdf`, roundId, judge);
    expect(pdf.status).toBe(409);
    expect(((await pdf.json()) as { error: { code: string } }).error.code).toBe("NOT_PUBLISHED");
    expect((await get(csvApi, `/api/v1/judge/rounds/${roundId}/awards.csv`, roundId, judge)).status).toBe(200);
  });

  it("publishes: the round is published, the public page shows masked names only, the complaint window is open", async () => {
    const now = new Date();
    const { sha256: published } = await publish(roundId, judgeUser, now);
    const round = await db().round.findUniqueOrThrow({ where: { id: roundId } });
    expect(roundStatus(round, new Date())).toBe("published");
    const plan = await db().awardPlan.findUniqueOrThrow({ where: { roundId } });
    expect(plan).toMatchObject({ status: "published", snapshotSha256: published });

    const page = await resultsPage.loader(args(req(`/rounds/${roundId}/results`), { roundId }));
    if (!page.published) throw new Error("not published");
    expect(page.winners.map((w) => [w.tier, w.displayName, w.commune])).toEqual([
      ["Giải Nhất", "Nguyễn T. H. Á.", "Xã Ia Grai"],
      ["Giải Nhì", "Trần V. B.", "Phường Pleiku"],
      ["Giải Nhì", "Lê V. C.", "Phường Quy Nhơn"],
      ["Giải Ba", "=.", "Phường Pleiku"], // the one-word "name" =HYPERLINK(…) masks to its initial
      ["Giải Ba", "Đỗ T. G.", "Phường Quy Nhơn"],
      ["Giải Ba", "Vũ V. H.", "Xã Ia Grai"],
    ]);
    const text = JSON.stringify(page);
    for (const p of Object.values(P)) {
      if (p !== P.em) expect(text).not.toContain(p.fullName);
      expect(text).not.toContain(p.nationalId);
      expect(text).not.toContain(p.phone);
    }
    expect(page.complaintOpen).toBe(true);
    expect(Date.parse(page.complaintUntil) - Date.parse(page.publishedAt)).toBe(5 * 24 * 60 * MIN);
  });

  // The rows every export must hold, cell by cell: tier, rank, amount, verified.
  const expected = () => {
    const rows: [keyof typeof P, string, number, number, boolean][] = [
      ["anh", "Giải Nhất", 1, 5_000_000, true],
      ["binh", "Giải Nhì", 2, 3_000_000, false],
      ["cuong", "Giải Nhì", 3, 3_000_000, false],
      ["em", "Giải Ba", 5, 2_000_000, false],
      ["giang", "Giải Ba", 6, 2_000_000, false],
      ["hung", "Giải Ba", 7, 2_000_000, false],
    ];
    const duration = (s: number) => `${Math.floor(s / 60)} phút ${s % 60},000 giây`;
    return rows.map(([k, tier, rank, amount, verified]) => {
      const p = P[k];
      const a = counted[k];
      return {
        tier,
        cells: [rank, tier, p.fullName, dmy(p.birthDate), p.nationalId, p.phone, p.commune, p.workplace, a.right, a.prediction, Math.abs(a.prediction - 3), duration(a.seconds), vnTime(a.t0 + a.seconds * 1_000), verified ? "Đã xác minh" : "Chưa xác minh", amount] as (string | number | null)[],
      };
    });
  };
  const HEADER = ["Hạng", "Giải", "Họ và tên", "Ngày sinh", "Số CCCD", "Số điện thoại", "Xã, phường", "Cơ quan, đơn vị", "Số câu đúng", "Dự đoán", "Sai số dự đoán", "Thời gian làm bài", "Thời điểm nộp bài", "Xác minh", "Giá trị giải (đồng)"];

  let xlsxBytes: Uint8Array<ArrayBuffer> = new Uint8Array();

  it("exports the winners as .xlsx, one sheet per tier, every cell as expected, text kept as text", async () => {
    const res = await get(xlsxApi, `/api/v1/judge/rounds/${roundId}/awards.xlsx`, roundId, judge);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const round = await db().round.findUniqueOrThrow({ where: { id: roundId } });
    const disposition = res.headers.get("Content-Disposition") ?? "";
    expect(decodeURIComponent(disposition.split("filename*=UTF-8''")[1])).toBe(`Danh sách đoạt giải - ${round.name}.xlsx`);
    xlsxBytes = await bytesOf(res);
    expect(res.headers.get("X-Content-SHA256")).toBe(sha256(xlsxBytes));

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(xlsxBytes) as unknown as Parameters<typeof wb.xlsx.load>[0]);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Giải Nhất", "Giải Nhì", "Giải Ba"]);
    const exp = expected();
    for (const ws of wb.worksheets) {
      const want = exp.filter((e) => e.tier === ws.name);
      expect(ws.actualRowCount).toBe(1 + want.length);
      expect(HEADER.map((_, c) => ws.getRow(1).getCell(c + 1).value)).toEqual(HEADER);
      want.forEach((w, i) => {
        const row = ws.getRow(i + 2);
        expect(w.cells.map((_, c) => row.getCell(c + 1).value ?? null)).toEqual(w.cells);
        // CCCD, phone and name are string cells; nothing is a formula.
        for (const c of [3, 4, 5, 6]) expect(row.getCell(c).type).toBe(ExcelJS.ValueType.String);
        row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula));
        expect(row.getCell(5).numFmt).toBe("@");
      });
    }
    // The CCCD with the leading zero, and the formula-looking name, are text.
    const first = wb.getWorksheet("Giải Nhất")!.getRow(2).getCell(5);
    expect(first.value).toBe(P.anh.nationalId);
    expect(P.anh.nationalId.startsWith("001")).toBe(true);
    const injected = wb.getWorksheet("Giải Ba")!.getRow(2).getCell(3);
    expect(injected.type).toBe(ExcelJS.ValueType.String);
    expect(injected.value).toBe(INJECTION);
    expect(injected.formula).toBeUndefined();

    const record = await db().exportRecord.findFirstOrThrow({ where: { roundId, kind: "awards.xlsx" }, orderBy: { createdAt: "desc" } });
    expect(record).toMatchObject({ sha256: sha256(xlsxBytes), bytes: xlsxBytes.byteLength, createdById: judgeUser.id });
    const log = await db().auditLog.findFirstOrThrow({ where: { action: "awards.export", entityId: roundId }, orderBy: { createdAt: "desc" } });
    expect(JSON.parse(log.detail)).toMatchObject({ kind: "awards.xlsx", sha256: sha256(xlsxBytes), rows: 6 });
  });

  it("exports the winners as a UTF-8 CSV with BOM and CRLF, every field as expected, formulas defused", async () => {
    const res = await get(csvApi, `/api/v1/judge/rounds/${roundId}/awards.csv`, roundId, judge);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const bytes = await bytesOf(res);
    expect(res.headers.get("X-Content-SHA256")).toBe(sha256(bytes));
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.replace(/\r\n/g, "")).not.toContain("\n");
    expect(text).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    const rows = parseCsv(text, { bom: true, record_delimiter: "\r\n" }) as string[][];
    expect(rows[0]).toEqual(HEADER);
    const exp = expected().map((e) => e.cells.map((v, c) => (c === 2 && v === INJECTION ? `'${INJECTION}` : v === null ? "" : String(v))));
    expect(rows.slice(1)).toEqual(exp);
    expect(rows[1][4]).toMatch(/^001\d{9}$/);
    // The CSV holds no timestamp: the same winners give the same bytes, so the export made before
    // publication (the test above) has the same fingerprint; each export is still recorded.
    expect(await db().exportRecord.count({ where: { roundId, kind: "awards.csv", sha256: sha256(bytes) } })).toBe(2);
  });

  it("makes the certificates after publication: one page per winner with the font embedded, or one winner's", async () => {
    const res = await get(pdfApi, `/api/v1/judge/rounds/${roundId}/certificates.pdf`, roundId, judge);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/pdf");
    const bytes = await bytesOf(res);
    expect(res.headers.get("X-Content-SHA256")).toBe(sha256(bytes));
    const pdf = Buffer.from(bytes).toString("latin1");
    expect(pdf.startsWith("%PDF-")).toBe(true);
    expect(pdf.match(/\/Type \/Page\b/g)).toHaveLength(6);
    expect(pdf).toMatch(/\/FontFile2/);
    expect(pdf).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSerif-Bold/);
    expect(pdf).not.toMatch(/\/BaseFont \/Helvetica/);

    const one = await get(pdfApi, `/api/v1/judge/rounds/${roundId}/certificates.pdf?userId=${P.anh.user.id}`, roundId, judge);
    expect(one.status).toBe(200);
    expect(Buffer.from(await one.arrayBuffer()).toString("latin1").match(/\/Type \/Page\b/g)).toHaveLength(1);
    expect(decodeURIComponent((one.headers.get("Content-Disposition") ?? "").split("filename*=UTF-8''")[1])).toContain("Giấy chứng nhận - Nguyễn Thị Hồng Ánh");
    expect((await get(pdfApi, `/api/v1/judge/rounds/${roundId}/certificates.pdf?userId=${P.dung.user.id}`, roundId, judge)).status).toBe(404);
    expect(await db().exportRecord.count({ where: { roundId, kind: "certificate.pdf" } })).toBe(2);
  });

  it("verifies an exported file by its SHA-256; a modified copy is unknown", async () => {
    const upload = (bytes: Uint8Array<ArrayBuffer>, cookie?: string, name = "danh-sach.xlsx") => {
      const form = new FormData();
      form.append("file", new Blob([bytes]), name);
      return verifyApi.action(args(req("/api/v1/judge/exports/verify", { body: form, cookie })));
    };
    const ok = await upload(xlsxBytes, judge);
    expect(ok.status).toBe(200);
    const known = (await ok.json()) as { known: boolean; kind: string; roundId: string; createdAt: string };
    expect(known).toMatchObject({ known: true, kind: "awards.xlsx", roundId });
    expect(Number.isNaN(Date.parse(known.createdAt))).toBe(false);

    const changed = new Uint8Array(xlsxBytes);
    changed[changed.length - 10] ^= 0xff;
    const bad = await upload(changed, judge);
    expect(await bad.json()).toMatchObject({ known: false, kind: null, roundId: null, createdAt: null });

    const noFile = await verifyApi.action(args(req("/api/v1/judge/exports/verify", { body: new FormData(), cookie: judge })));
    expect(noFile.status).toBe(400);
    expect((await upload(xlsxBytes)).status).toBe(401);
    expect((await verifyApi.loader()).status).toBe(405);
  });

  it("lets only judges and admins rank, export, verify and act on the awards page", async () => {
    const contestant = P.khanh.cookie;
    const organizer = (await staff("organizer")).cookie;
    const admin = (await staff("admin")).cookie;
    const urls: [{ loader: (a: never) => Promise<Response> }, string][] = [
      [rankingApi, `/api/v1/judge/rounds/${roundId}/ranking`],
      [xlsxApi, `/api/v1/judge/rounds/${roundId}/awards.xlsx`],
      [csvApi, `/api/v1/judge/rounds/${roundId}/awards.csv`],
      [pdfApi, `/api/v1/judge/rounds/${roundId}/certificates.pdf`],
    ];
    const before = await db().exportRecord.count({ where: { roundId } });
    for (const [mod, url] of urls) {
      expect((await get(mod, url, roundId)).status).toBe(401);
      for (const cookie of [contestant, organizer]) expect((await get(mod, url, roundId, cookie)).status).toBe(403);
    }
    expect(await db().exportRecord.count({ where: { roundId } })).toBe(before); // nothing exported for them
    expect((await get(xlsxApi, `/api/v1/judge/rounds/${roundId}/awards.xlsx`, roundId, admin)).status).toBe(200);
    for (const cookie of [contestant, organizer]) {
      const form = new FormData();
      form.append("file", new Blob([xlsxBytes]), "a.xlsx");
      expect((await verifyApi.action(args(req("/api/v1/judge/exports/verify", { body: form, cookie })))).status).toBe(403);
      await expect(awardsPage.loader(args(req(`/judge/rounds/${roundId}/awards`, { cookie }), { roundId }))).rejects.toMatchObject({ status: 403 });
      const body = new URLSearchParams({ intent: "allocate" });
      await expect(awardsPage.action(args(req(`/judge/rounds/${roundId}/awards`, { body, cookie, headers: { "Content-Type": "application/x-www-form-urlencoded" } }), { roundId }))).rejects.toMatchObject({ status: 403 });
    }
    expect((await get(xlsxApi, `/api/v1/judge/rounds/nope/awards.xlsx`, "nope", judge)).status).toBe(404);
  });

  it("ranking:verify: equal after publication, different after a late void, equal again once republished with a reason", async () => {
    const lines: string[] = [];
    const out = { log: (s: string) => lines.push(s), error: (s: string) => lines.push(s) };
    expect(await rankingVerify(["--round", roundId], out)).toBe(0);
    const plan = await db().awardPlan.findUniqueOrThrow({ where: { roundId } });
    expect(lines.join("\n")).toContain(`Published SHA-256:  ${plan.snapshotSha256}`);
    expect(lines.join("\n")).toContain(`Recomputed SHA-256: ${plan.snapshotSha256}`);

    // A late void: Bình's best attempt. His worse attempt counts now, and only 2 answered all correctly.
    await voidAttempt(binhBest, "Nhờ người khác làm bài", { id: "judge" }, new Date());
    lines.length = 0;
    expect(await rankingVerify(["--round", roundId], out)).toBe(1);
    const published = lines.find((l) => l.startsWith("Published"))!.split(/\s+/).pop();
    const recomputed = lines.find((l) => l.startsWith("Recomputed"))!.split(/\s+/).pop();
    expect(published).toBe(plan.snapshotSha256);
    expect(recomputed).not.toBe(published);

    // The real command, as a judge or an auditor would run it.
    const cli = spawnSync(process.execPath, ["--import", "tsx", "scripts/ranking-verify.ts", "--round", roundId], { cwd: root, env: process.env, encoding: "utf8" });
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain(`Published SHA-256:  ${plan.snapshotSha256}`);
    expect(cli.stdout).toContain("Different");

    await expect(publish(roundId, judgeUser, new Date())).rejects.toMatchObject({ code: "ALREADY_PUBLISHED" });
    await publish(roundId, judgeUser, new Date(), "Hủy bài thi vi phạm quy chế sau khi công bố");
    expect((await verifyPublished(roundId, new Date())).equal).toBe(true);
    lines.length = 0;
    expect(await rankingVerify(["--round", roundId], out)).toBe(0);
    const winners = (await getPlan(roundId))!.awards.filter((a) => a.status === "winner");
    expect(winners.find((a) => a.userId === P.binh.user.id)?.tier).not.toBe("Giải Nhì");
    expect(winners.filter((a) => a.tier === "Giải Nhì").map((a) => a.userId)).toEqual([P.cuong.user.id, P.em.user.id]);
    const log = await db().auditLog.findFirstOrThrow({ where: { action: "awards.republish", entityId: roundId } });
    expect(JSON.parse(log.detail)).toMatchObject({ reason: "Hủy bài thi vi phạm quy chế sau khi công bố" });

    // Usage errors and unpublished rounds: status 2.
    expect(await rankingVerify([], out)).toBe(2);
    expect(await rankingVerify(["--round", "khong-co"], out)).toBe(2);
    const { round: other } = await closedRoundSetup();
    expect(await rankingVerify(["--round", other.id], out)).toBe(2);
  }, 60_000);
});

describe("awards export per tier and group", () => {
  it("puts a tier given to one group on its own sheet, even when two groups' tiers share a name", async () => {
    const { round } = await closedRoundSetup(4, 1);
    const t0 = Date.now() - 60 * MIN;
    const citizen = await person("23764", "Nguyễn Văn Dân");
    const official = await person("23575", "Trần Văn Quan", { group: "official", workplace: "Sở Nội vụ" });
    const extra = await person("21583", "Lê Thị Khuyến", { female: true });
    await attempt(round.id, citizen, 4, 100, t0, 1);
    await attempt(round.id, official, 3, 100, t0 + 1_000, 1);
    await attempt(round.id, extra, 2, 100, t0 + 2_000, 1);
    await close(round.id);
    const j = await staff("judge");
    await savePlan(
      round.id,
      prizePlanSchema.parse({
        tiers: [
          { name: "Giải Nhất", count: 1, group: "official", amount: 2_000_000 },
          { name: "Giải Nhất", count: 1, group: "citizen", amount: 1_000_000 },
          { name: "Giải Khuyến khích", count: 5 },
        ],
      }),
      { id: j.id },
      new Date(),
    );
    await allocate(round.id, { id: j.id }, new Date());
    const res = await get(xlsxApi, `/api/v1/judge/rounds/${round.id}/awards.xlsx`, round.id, j.cookie);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as Parameters<typeof wb.xlsx.load>[0]);
    const sheets = wb.worksheets.map((ws) => [ws.name, ws.getRow(2).getCell(3).value, ws.getRow(2).getCell(15).value, ws.actualRowCount]);
    expect(sheets).toEqual([
      ["Giải Nhất - Cán bộ", "Trần Văn Quan", 2_000_000, 2],
      ["Giải Nhất - Người dân", "Nguyễn Văn Dân", 1_000_000, 2],
      ["Giải Khuyến khích", "Lê Thị Khuyến", null, 2],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------

describe("publication and tier order", () => {
  it("publishing after the ranking changed since the allocation publishes the current winners", async () => {
    const { round } = await closedRoundSetup(4, 1);
    const t0 = Date.now() - 60 * MIN;
    const a = await person("23764", "Nguyễn Văn Một");
    const b = await person("23575", "Trần Văn Hai");
    const first = await attempt(round.id, a, 4, 100, t0, 1);
    await attempt(round.id, b, 3, 100, t0 + 1_000, 1);
    await close(round.id);
    const judgeUser = { id: (await upsertStaff({ role: "judge", email: `judge.${uniq()}@example.vn`, password: "mat-khau-can-bo", fullName: "Cán Bộ" })).user.id };
    await savePlan(round.id, prizePlanSchema.parse({ tiers: [{ name: "Giải Nhất", count: 1 }] }), judgeUser, new Date());
    await allocate(round.id, judgeUser, new Date());
    // The winner is disqualified before publication, without reallocating.
    await voidAttempt(first.id, "Vi phạm quy chế", judgeUser, new Date());
    await publish(round.id, judgeUser, new Date());
    // publish() reallocates from the ranking as it is now, so the voided contestant is not published.
    const snapshot = JSON.parse((await db().awardPlan.findUniqueOrThrow({ where: { roundId: round.id } })).snapshot!) as { winners: { userId: string }[] };
    expect(snapshot.winners.map((w) => w.userId)).toEqual([b.user.id]);
    expect((await verifyPublished(round.id, new Date())).equal).toBe(true);
  });

  it("two tiers with the same name for different groups keep their own order", async () => {
    const { round } = await closedRoundSetup(4, 1);
    const t0 = Date.now() - 60 * MIN;
    const citizen = await person("23764", "Nguyễn Văn Dân");
    const official = await person("23575", "Trần Văn Quan", { group: "official", workplace: "Sở Nội vụ" });
    await attempt(round.id, citizen, 4, 100, t0, 1);
    await attempt(round.id, official, 3, 100, t0 + 1_000, 1);
    await close(round.id);
    const judgeUser = { id: (await upsertStaff({ role: "judge", email: `judge.${uniq()}@example.vn`, password: "mat-khau-can-bo", fullName: "Cán Bộ" })).user.id };
    await savePlan(
      round.id,
      prizePlanSchema.parse({ tiers: [{ name: "Giải Nhất", count: 1, group: "official" }, { name: "Giải Nhất", count: 1, group: "citizen" }] }),
      judgeUser,
      new Date(),
    );
    await allocate(round.id, judgeUser, new Date());
    const awards = (await getPlan(round.id))!.awards;
    expect(awards.map((x) => [x.userId, x.tierOrder])).toEqual([
      [official.user.id, 0],
      [citizen.user.id, 1],
    ]);
  });
});
