// Exports of a round's winners for payment and certification: an .xlsx with one sheet per tier
// (per tier and group when the tier is for one group), a UTF-8 CSV, and the certificates as a PDF.
// Every export is fingerprinted (SHA-256 of the exact bytes), recorded in ExportRecord and in the
// audit log, so that a copy that comes back later can be checked (POST /api/v1/judge/exports/verify).
//
// Spreadsheet formula injection: a cell whose text starts with = + - @ TAB or CR could run as a
// formula in Excel or LibreOffice. In the .xlsx every text is a string cell (exceljs never turns a
// string into a formula) in a column formatted as Text ("@"), so it stays text even after editing.
// In the CSV such a field is prefixed with a single quote (OWASP's recommendation), which Excel
// hides and shows the rest as text; a program that reads the CSV sees the quote.
import { setImmediate as nextTurn } from "node:timers/promises";
import PDFDocument from "pdfkit";
import ExcelJS from "exceljs";
import { createHash } from "node:crypto";
import { once } from "node:events";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Writable } from "node:stream";
import { communeFullName } from "~/domain/communes";
import type { PrizePlan } from "~/domain/awards";
import { predictionError } from "~/domain/ranking";
import { vi } from "~/i18n/vi";
import { AwardError, previewAllocation, roundRanking, type PublishedResult } from "~/models/award.server";
import { communeStandings, contestCommuneStandings } from "~/models/standing.server";
import { audit } from "~/models/audit.server";
import { db } from "~/utils/db.server";
import { attachment } from "./download.server";
import { XLSX_CONTENT_TYPE } from "./question-workbook.server";

export const CSV_CONTENT_TYPE = "text/csv; charset=utf-8";
export const PDF_CONTENT_TYPE = "application/pdf";

export const EXPORT_KINDS = ["awards.xlsx", "awards.csv", "certificate.pdf"] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

// ---------------------------------------------------------------------------------------------
// The rows

/** One winner as exported: the award joined with the contestant and the awarded (ranked) attempt. */
export interface WinnerRow {
  awardId: string;
  userId: string;
  /** Groups the rows into sheets: the plan tier (and its group), e.g. "Giải Nhất - Cán bộ". */
  sheet: string;
  tier: string;
  rank: number;
  fullName: string;
  /** YYYY-MM-DD as stored. */
  birthDate: string | null;
  nationalId: string | null;
  phone: string | null;
  /** Full name, "Xã Ia Grai" / "Phường Pleiku". */
  commune: string;
  workplace: string | null;
  correctCount: number;
  questionCount: number;
  prediction: number | null;
  predictionError: number | null;
  durationMs: number;
  submittedAt: Date;
  verified: boolean;
  amount: number | null;
}

interface Column {
  header: string;
  width: number;
  /** Text columns are formatted as Text in the workbook; numbers stay numbers. */
  type: "text" | "number" | "amount";
  value: (r: WinnerRow) => string | number | null;
}

const C = vi.awards.columns;

/** dd/mm/yyyy from a stored YYYY-MM-DD (no time zone involved). */
export function formatBirthDate(iso: string | null): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? "");
  return m ? `${m[3]}/${m[2]}/${m[1]}` : (iso ?? "");
}

// Vietnam (CONTEST_TIME_ZONE) has kept UTC+7 without daylight saving since 1975: a fixed offset
// gives the same answer as Intl (a unit test checks it) at a fraction of the cost, which
// matters for 100,000 rows (formatToParts takes ~10 µs a call).
const VN_OFFSET_MS = 7 * 3_600_000;
const two = (n: number) => (n < 10 ? `0${n}` : String(n));
const vnParts = (d: Date) => {
  const v = new Date(d.getTime() + VN_OFFSET_MS);
  return { year: String(v.getUTCFullYear()), month: two(v.getUTCMonth() + 1), day: two(v.getUTCDate()), hour: two(v.getUTCHours()), minute: two(v.getUTCMinutes()), second: two(v.getUTCSeconds()) };
};

/** "dd/mm/yyyy HH:mm:ss" in Vietnam time (seconds matter: submission time breaks ties). */
export function formatVietnamTime(d: Date): string {
  const p = vnParts(d);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}:${p.second}`;
}

/** "12 phút 5,250 giây": milliseconds shown, since duration breaks ties to the millisecond. */
export function formatDurationPrecise(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  return vi.awards.durationPrecise(Math.floor(total / 60_000), Math.floor((total % 60_000) / 1000), total % 1000);
}

export const EXPORT_COLUMNS: readonly Column[] = [
  { header: C.rank, width: 7, type: "number", value: (r) => r.rank },
  { header: C.tier, width: 18, type: "text", value: (r) => r.tier },
  { header: C.fullName, width: 28, type: "text", value: (r) => r.fullName },
  { header: C.birthDate, width: 12, type: "text", value: (r) => formatBirthDate(r.birthDate) },
  { header: C.nationalId, width: 15, type: "text", value: (r) => r.nationalId ?? "" },
  { header: C.phone, width: 13, type: "text", value: (r) => r.phone ?? "" },
  { header: C.commune, width: 22, type: "text", value: (r) => r.commune },
  { header: C.workplace, width: 30, type: "text", value: (r) => r.workplace ?? "" },
  { header: C.correct, width: 10, type: "number", value: (r) => r.correctCount },
  { header: C.prediction, width: 10, type: "number", value: (r) => r.prediction },
  { header: C.predictionError, width: 10, type: "number", value: (r) => r.predictionError },
  { header: C.duration, width: 20, type: "text", value: (r) => formatDurationPrecise(r.durationMs) },
  { header: C.submittedAt, width: 20, type: "text", value: (r) => formatVietnamTime(r.submittedAt) },
  { header: C.verification, width: 15, type: "text", value: (r) => (r.verified ? vi.awards.verified : vi.awards.notVerified) },
  { header: C.amount, width: 16, type: "amount", value: (r) => r.amount },
];

/** One commune's collective prize, as exported (a sheet of its own in the .xlsx). */
export interface CollectiveRow {
  place: number;
  tier: string;
  commune: string;
  participants: number;
  participationPer10k: number | null;
  averageCorrect: number;
  amount: number | null;
}

const CC = vi.awards.collectiveColumns;
const COLLECTIVE_COLUMNS: readonly { header: string; width: number; numFmt: string; value: (r: CollectiveRow) => string | number | null }[] = [
  { header: CC.place, width: 7, numFmt: "0", value: (r) => r.place },
  { header: C.tier, width: 22, numFmt: "@", value: (r) => r.tier },
  { header: C.commune, width: 24, numFmt: "@", value: (r) => r.commune },
  { header: CC.participants, width: 14, numFmt: "0", value: (r) => r.participants },
  { header: CC.per10k, width: 16, numFmt: "0.00", value: (r) => r.participationPer10k },
  { header: CC.average, width: 14, numFmt: "0.00", value: (r) => r.averageCorrect },
  { header: C.amount, width: 16, numFmt: "#,##0", value: (r) => r.amount },
];

// ---------------------------------------------------------------------------------------------
// .xlsx (streaming)

/** Excel rejects a file whose XML holds lone surrogates or U+FFFE/U+FFFF; C0 controls go too. */
const XML_SUSPECT = /[\uD800-\uDFFF\uFFFE\uFFFF\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
const xmlSafe = (s: string) =>
  !XML_SUSPECT.test(s)
    ? s
    : s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uFFFE\uFFFF]|[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, "");

/** A legal, unique sheet name: at most 31 characters, none of []:*?/\, not starting or ending with '. */
export function sheetName(label: string, used: Set<string>): string {
  const base = xmlSafe(label).replace(/[[\]:*?/\\]/g, "-").replace(/^'+|'+$/g, "").trim().slice(0, 31).trim() || vi.awards.emptySheet;
  let name = base;
  for (let n = 2; used.has(name.toLocaleLowerCase("vi")); n++) name = `${base.slice(0, 31 - ` (${n})`.length).trim()} (${n})`;
  used.add(name.toLocaleLowerCase("vi"));
  return name;
}

type Rows = Iterable<WinnerRow> | AsyncIterable<WinnerRow>;
const YIELD_EVERY = 200;

/**
 * Backpressure. exceljs' sheet stream (a StreamBuf) writes into the zip's compressor without
 * looking at its return value, and zlib works on libuv's threads: a loop that never waits would
 * pile the whole sheet up in memory before anything is compressed. So every few rows, wait for the
 * zip's entry stream to drain (it stops draining while the output stream is full), or at least
 * give the event loop a turn. `stream.pipes` is private to exceljs 4.4 (pinned; a test checks that
 * memory stays flat); without it only the turn remains.
 */
async function room(ws: ExcelJS.Worksheet) {
  const entry = xlsxEntryStream(ws);
  if (entry?._writableState?.needDrain) await once(entry, "drain");
  else await nextTurn();
}

/** The zip entry stream a streaming sheet writes into (readable-stream's PassThrough, so no `writableNeedDrain` getter), once the zip has started that entry. */
export function xlsxEntryStream(ws: ExcelJS.Worksheet): (Writable & { _writableState?: { needDrain?: boolean; length?: number } }) | undefined {
  const entry = (ws as unknown as { stream?: { pipes?: unknown[] } }).stream?.pipes?.[0] as (Writable & { _writableState?: { needDrain?: boolean; length?: number } }) | undefined;
  return entry && typeof entry.once === "function" ? entry : undefined;
}

/** Text columns are Text ("@"): what Excel shows stays text, even after a cell is edited. */
const numFmtOf = (c: Column) => (c.type === "text" ? "@" : c.type === "amount" ? "#,##0" : "0");

/**
 * Writes the workbook to `out` with exceljs' streaming writer: rows are committed as they come, so
 * memory stays flat however many there are. Rows must arrive grouped by `sheet` (a new value starts
 * a new sheet). Resolves when `out` has finished.
 */
export async function writeAwardsXlsx(rows: Rows, out: Writable, opts: { title?: string; now?: Date; collective?: readonly CollectiveRow[] } = {}): Promise<{ rows: number; sheets: number }> {
  const now = opts.now ?? new Date();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = "cchc-contest";
  workbook.lastModifiedBy = "cchc-contest";
  workbook.created = now;
  workbook.modified = now;
  if (opts.title) (workbook as unknown as { title: string }).title = opts.title;

  const cellStyles: Partial<ExcelJS.Style>[] = EXPORT_COLUMNS.map((c) => ({ numFmt: numFmtOf(c) }));
  const used = new Set<string>();
  let sheet: ExcelJS.Worksheet | null = null;
  let current: string | null = null;
  let count = 0;
  let sheets = 0;
  const open = (label: string) => {
    const ws = workbook.addWorksheet(sheetName(label, used), { views: [{ state: "frozen", ySplit: 1, activeCell: "A2" }] });
    ws.columns = EXPORT_COLUMNS.map((c, i) => ({
      key: `c${i}`,
      width: c.width,
      style: { numFmt: numFmtOf(c) },
    }));
    const header = ws.getRow(1);
    EXPORT_COLUMNS.forEach((c, i) => {
      const cell = header.getCell(i + 1);
      cell.value = c.header;
      cell.font = { bold: true, color: { argb: "FFFFFFFF" } };
      cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FF1F5F99" } };
      cell.alignment = { wrapText: true, vertical: "middle", horizontal: "center" };
    });
    header.height = 30;
    header.commit();
    sheets++;
    return ws;
  };

  for await (const r of rows) {
    if (!sheet || r.sheet !== current) {
      sheet?.commit();
      sheet = open(r.sheet);
      current = r.sheet;
    }
    const values = EXPORT_COLUMNS.map((c) => {
      const v = c.value(r);
      return typeof v === "string" ? xmlSafe(v) || null : v; // an empty text is an empty cell
    });
    const row = sheet.addRow(values);
    // One style object per column, shared by every cell: exceljs then finds its style id in a
    // WeakMap instead of serialising a fresh copy per cell (a third of the time at 100,000 rows).
    row.eachCell((cell, col) => {
      cell.style = cellStyles[col - 1];
    });
    row.commit();
    if (++count % YIELD_EVERY === 0) await room(sheet);
  }
  if (!sheet && !opts.collective?.length) sheet = open(vi.awards.emptySheet);
  sheet?.commit();
  if (opts.collective?.length) {
    const ws = workbook.addWorksheet(sheetName(vi.awards.collective, used), { views: [{ state: "frozen", ySplit: 1, activeCell: "A2" }] });
    ws.columns = COLLECTIVE_COLUMNS.map((c, i) => ({ key: `c${i}`, width: c.width, style: { numFmt: c.numFmt } }));
    const header = ws.getRow(1);
    COLLECTIVE_COLUMNS.forEach((c, i) => {
      const cell = header.getCell(i + 1);
      cell.value = c.header;
      cell.font = { bold: true, color: { argb: "FFFFFFFF" } };
      cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FF1F5F99" } };
      cell.alignment = { wrapText: true, vertical: "middle", horizontal: "center" };
    });
    header.commit();
    for (const r of opts.collective) ws.addRow(COLLECTIVE_COLUMNS.map((c) => { const v = c.value(r); return typeof v === "string" ? xmlSafe(v) : v; })).commit();
    ws.commit();
    sheets++;
  }
  await workbook.commit();
  return { rows: count, sheets };
}

// ---------------------------------------------------------------------------------------------
// CSV

/** Starts that a spreadsheet would read as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** RFC 4180 (comma, quote, line break), plus ";" (Excel's separator in some locales) and edge spaces. */
const NEEDS_QUOTES = /[",\r\n;]|^\s|\s$/;

/** One CSV field: quote-prefixed if it could run as a formula, RFC 4180-quoted if needed. */
export function csvField(v: string | number | null): string {
  if (v === null) return "";
  if (typeof v === "number") return String(v);
  // OWASP: prefix with a single quote and quote the whole field.
  if (FORMULA_START.test(v)) return `"'${v.replace(/"/g, '""')}"`;
  return NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

const BOM = "\uFEFF";

/** UTF-8 with a BOM (Excel then reads Vietnamese correctly), CRLF line ends, a header line. */
export function awardsCsv(rows: Iterable<WinnerRow>): string {
  const lines = [EXPORT_COLUMNS.map((c) => csvField(c.header)).join(",")];
  for (const r of rows) lines.push(EXPORT_COLUMNS.map((c) => csvField(c.value(r))).join(","));
  return `${BOM}${lines.join("\r\n")}\r\n`;
}

// ---------------------------------------------------------------------------------------------
// Certificates (PDF)

export interface CertificateData {
  awardId: string;
  contestTitle: string;
  /** The round's name; null for a prize of the whole contest. */
  roundName: string | null;
  fullName: string;
  birthDate: string | null;
  commune: string;
  tier: string;
  /** The date printed above the signatures (the publication date). */
  date: Date;
}

const requireHere = createRequire(import.meta.url);
let fonts: { regular: Buffer; bold: Buffer; italic: Buffer } | undefined;
/** Noto Serif (full TTF with every Vietnamese glyph) from @expo-google-fonts/noto-serif, embedded as a subset. */
export function certificateFonts() {
  if (fonts) return fonts;
  const dir = path.dirname(requireHere.resolve("@expo-google-fonts/noto-serif/package.json"));
  const read = (f: string) => fs.readFileSync(path.join(dir, f));
  fonts = { regular: read("400Regular/NotoSerif_400Regular.ttf"), bold: read("700Bold/NotoSerif_700Bold.ttf"), italic: read("400Regular_Italic/NotoSerif_400Regular_Italic.ttf") };
  return fonts;
}

const RED = "#9b1c1c";
const INK = "#1f2937";

/** One A4 landscape page per certificate, all in one PDF. */
export async function writeCertificatesPdf(certs: readonly CertificateData[], opts: { title: string; now?: Date }): Promise<Buffer> {
  const f = certificateFonts();
  const doc = new PDFDocument({
    size: "A4",
    layout: "landscape",
    margin: 0,
    autoFirstPage: false,
    info: { Title: opts.title, Author: vi.app.organizer, Creator: "cchc-contest", Producer: "cchc-contest", CreationDate: opts.now ?? new Date() },
  });
  doc.registerFont("serif", f.regular);
  doc.registerFont("serif-bold", f.bold);
  doc.registerFont("serif-italic", f.italic);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const T = vi.awards.certificate;
  for (const c of certs) {
    doc.addPage();
    const W = doc.page.width;
    const H = doc.page.height;
    // Frame: a thick red border and a thin gold one inside.
    doc.lineWidth(6).strokeColor(RED).rect(22, 22, W - 44, H - 44).stroke();
    doc.lineWidth(1.2).strokeColor("#b7791f").rect(34, 34, W - 68, H - 68).stroke();

    const left = 60;
    const half = (W - 2 * left) / 2;
    // The two header blocks of a Vietnamese official document.
    doc.fillColor(INK).font("serif").fontSize(12).text(vi.app.organizer.toLocaleUpperCase("vi"), left, 58, { width: half - 20, align: "center" });
    doc.font("serif-bold").fontSize(12).text(T.onBehalf.replace(/^TM\.\s*/, ""), left, 74, { width: half - 20, align: "center" });
    doc.font("serif-bold").fontSize(12).text(T.nation, left + half, 58, { width: half, align: "center" });
    doc.font("serif-bold").fontSize(12).text(T.motto, left + half, 74, { width: half, align: "center" });
    const mottoWidth = doc.widthOfString(T.motto);
    doc.lineWidth(0.8).strokeColor(INK).moveTo(left + half + (half - mottoWidth) / 2, 92).lineTo(left + half + (half + mottoWidth) / 2, 92).stroke();

    const inner = W - 2 * left - 40;
    const x = left + 20;
    doc.fillColor(RED).font("serif-bold").fontSize(40).text(T.title, x, 130, { width: inner, align: "center" });
    // The lead on one line if it fits at 12 pt or more, else wrapped on two.
    const lead = T.lead(c.contestTitle);
    let leadSize = 15;
    doc.font("serif-italic");
    while (leadSize > 12 && doc.fontSize(leadSize).widthOfString(lead) > inner) leadSize -= 0.5;
    doc.fillColor(INK).fontSize(leadSize).text(lead, x, 192, { width: inner, align: "center" });

    // The name, shrunk to fit one line.
    let size = 32;
    doc.font("serif-bold");
    while (size > 16 && doc.fontSize(size).widthOfString(c.fullName) > inner) size -= 1;
    doc.fillColor("#1e3a8a").fontSize(size).text(c.fullName, x, 245, { width: inner, align: "center", lineBreak: false });

    doc.fillColor(INK).font("serif").fontSize(14);
    const details = [c.birthDate ? T.born(formatBirthDate(c.birthDate)) : null, c.commune ? T.commune(c.commune) : null].filter(Boolean).join("   ·   ");
    doc.text(details, x, 295, { width: inner, align: "center" });
    doc.font("serif").fontSize(15).text(T.achieved, x, 330, { width: inner, align: "center" });
    doc.fillColor(RED).font("serif-bold").fontSize(26).text(c.tier.toLocaleUpperCase("vi"), x, 352, { width: inner, align: "center" });
    doc.fillColor(INK).font("serif").fontSize(15).text(c.roundName === null ? T.wholeContest : T.round(c.roundName), x, 392, { width: inner, align: "center" });

    // Date and the place for the signature and seal.
    const p = vnParts(c.date);
    const sigX = W / 2 + 40;
    const sigW = W - left - sigX;
    doc.font("serif-italic").fontSize(13).text(T.placeDate(Number(p.day), Number(p.month), Number(p.year)), sigX, 430, { width: sigW, align: "center" });
    doc.font("serif-bold").fontSize(13).text(T.onBehalf, sigX, 450, { width: sigW, align: "center" });
    doc.font("serif-bold").fontSize(13).text(T.head, sigX, 467, { width: sigW, align: "center" });
    doc.font("serif").fontSize(9).fillColor("#6b7280").text(T.number(c.awardId), left, H - 62, { width: half, align: "left", lineBreak: false });
  }
  if (certs.length === 0) doc.addPage();
  doc.end();
  return done;
}

// ---------------------------------------------------------------------------------------------
// Gathering the winners

export interface AwardExportData {
  /** The plan key (a round's id or a contest's key) and what it is called. */
  round: { id: string; name: string; contestTitle: string };
  wholeContest: boolean;
  published: boolean;
  publishedAt: Date | null;
  rows: WinnerRow[];
  collective: CollectiveRow[];
}

/**
 * The winners (awards with status winner) of a closed round, in plan order then rank, with the
 * contestant's details and the awarded attempt. Once published, prediction errors use the
 * published count of all-correct contestants, so the file matches what was announced.
 */
export async function awardExportData(roundId: string, now: Date, only?: { userId?: string }): Promise<AwardExportData> {
  const ranking = await roundRanking(roundId, now); // also: the round (or every round of the contest) must be closed
  const { scope } = ranking;
  const plan = await db().awardPlan.findUnique({
    where: { roundId },
    include: { awards: { where: { status: "winner", ...(only?.userId ? { userId: only.userId } : {}) }, orderBy: [{ tierOrder: "asc" }, { rank: "asc" }, { userId: "asc" }] } },
  });
  if (!plan) throw new AwardError("NO_PLAN");
  const published = plan.status === "published" && Boolean(plan.snapshot);
  const snapshot = published ? (JSON.parse(plan.snapshot!) as PublishedResult) : null;
  const actual = snapshot ? snapshot.actualAllCorrect : ranking.actualAllCorrect;
  const prizePlan = JSON.parse(plan.plan) as PrizePlan;
  const tiers = prizePlan.tiers;

  const userIds = [...new Set(plan.awards.map((a) => a.userId))];
  // A round's figures come from the awarded attempt; a contest's are the sums in its ranking.
  const attemptIds = scope.kind === "round" ? plan.awards.map((a) => a.attemptId) : [];
  const [users, attempts, communes] = await Promise.all([
    db().user.findMany({ where: { id: { in: userIds } }, select: { id: true, fullName: true, nationalId: true, phone: true, birthDate: true, communeCode: true, group: true, workplace: true } }),
    db().attempt.findMany({ where: { id: { in: attemptIds } }, select: { id: true, correctCount: true, questionCount: true, prediction: true, durationMs: true, closedAt: true } }),
    db().commune.findMany({ select: { code: true, name: true, type: true } }),
  ]);
  const userOf = new Map(users.map((u) => [u.id, u]));
  const attemptOf = new Map(attempts.map((a) => [a.id, a]));
  const entryOf = new Map(ranking.entries.map((e) => [e.userId, e]));
  const communeOf = new Map(communes.map((c) => [c.code, communeFullName(c)]));
  const figures = (a: { attemptId: string; userId: string }) => {
    if (scope.kind === "round") {
      const at = attemptOf.get(a.attemptId);
      return { correctCount: at?.correctCount ?? 0, questionCount: at?.questionCount ?? 0, prediction: at?.prediction ?? null, predictionError: predictionError(at?.prediction ?? null, actual), durationMs: at?.durationMs ?? 0, submittedAt: at?.closedAt ?? new Date(0) };
    }
    const e = entryOf.get(a.userId);
    return { correctCount: e?.correctCount ?? 0, questionCount: e?.questionCount ?? 0, prediction: null, predictionError: e?.predictionError ?? null, durationMs: e?.durationMs ?? 0, submittedAt: e?.submittedAt ?? new Date(0) };
  };

  const rows = plan.awards.map((a) => {
    const u = userOf.get(a.userId);
    // The plan tier this award belongs to: by name, and by group for a tier of one group.
    const i = tiers.findIndex((t) => t.name === a.tier && (!t.group || t.group === u?.group));
    const tier = tiers[i];
    const order = i >= 0 ? i : a.tierOrder;
    const sheet = tier?.group ? `${a.tier} - ${vi.awards.groupShort[tier.group] ?? tier.group}` : a.tier;
    const row: WinnerRow = {
      awardId: a.id,
      userId: a.userId,
      sheet,
      tier: a.tier,
      rank: a.rank,
      fullName: u?.fullName ?? "",
      birthDate: u?.birthDate ?? null,
      nationalId: u?.nationalId ?? null,
      phone: u?.phone ?? null,
      commune: communeOf.get(u?.communeCode ?? "") ?? "",
      workplace: u?.workplace ?? null,
      ...figures(a),
      verified: a.verified,
      amount: a.amount,
    };
    return { row, order };
  });
  rows.sort((a, b) => a.order - b.order || a.row.rank - b.row.rank || (a.row.userId < b.row.userId ? -1 : a.row.userId > b.row.userId ? 1 : 0));

  // Collective prizes: as published, or as they would be allocated now.
  let collective: CollectiveRow[] = [];
  if (prizePlan.collective && !only?.userId) {
    const winners = snapshot ? (snapshot.collective ?? []) : (await previewAllocation(roundId, now)).collective;
    const boards = scope.kind === "round" ? await communeStandings(roundId, now) : await contestCommuneStandings(scope.contestId, now);
    const boardOf = new Map(boards.map((b) => [b.communeCode, b]));
    collective = winners.map((w, i) => {
      const b = boardOf.get(w.communeCode);
      return { place: i + 1, tier: w.tier, commune: communeOf.get(w.communeCode) ?? w.communeCode, participants: b?.participants ?? 0, participationPer10k: b?.participationPer10k ?? null, averageCorrect: b?.averageCorrect ?? 0, amount: w.amount };
    });
  }
  return {
    round: { id: roundId, name: scope.name, contestTitle: scope.contestTitle },
    wholeContest: scope.kind === "contest",
    published,
    publishedAt: plan.publishedAt,
    rows: rows.map((r) => r.row),
    collective,
  };
}

// ---------------------------------------------------------------------------------------------
// Recording and answering

export interface ExportFile {
  kind: ExportKind;
  fileName: string;
  contentType: string;
  bytes: Buffer;
  sha256: string;
}

export const sha256Hex = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** A Writable that keeps what it is given (the export must be hashed before the headers go out). */
export function collect(): { stream: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk);
      cb();
    },
  });
  return { stream, bytes: () => Buffer.concat(chunks) };
}

/** Stores the fingerprint and writes the audit entry, in one transaction. */
async function record(file: ExportFile, roundId: string, actor: { id: string }, detail: Record<string, unknown>) {
  await db().$transaction(async (tx) => {
    await tx.exportRecord.create({ data: { roundId, kind: file.kind, sha256: file.sha256, bytes: file.bytes.byteLength, createdById: actor.id } });
    await audit({ actorId: actor.id, action: "awards.export", entityType: "round", entityId: roundId, detail: { kind: file.kind, sha256: file.sha256, bytes: file.bytes.byteLength, ...detail } }, tx);
  });
}

export async function exportAwardsXlsx(roundId: string, actor: { id: string }, now: Date): Promise<ExportFile> {
  const data = await awardExportData(roundId, now);
  const sink = collect();
  const title = vi.awards.listFileName(data.round.name);
  await writeAwardsXlsx(data.rows, sink.stream, { title, now, collective: data.collective });
  const bytes = sink.bytes();
  const file: ExportFile = { kind: "awards.xlsx", fileName: `${title}.xlsx`, contentType: XLSX_CONTENT_TYPE, bytes, sha256: sha256Hex(bytes) };
  await record(file, roundId, actor, { rows: data.rows.length });
  return file;
}

export async function exportAwardsCsv(roundId: string, actor: { id: string }, now: Date): Promise<ExportFile> {
  const data = await awardExportData(roundId, now);
  const bytes = Buffer.from(awardsCsv(data.rows), "utf8");
  const file: ExportFile = { kind: "awards.csv", fileName: `${vi.awards.listFileName(data.round.name)}.csv`, contentType: CSV_CONTENT_TYPE, bytes, sha256: sha256Hex(bytes) };
  await record(file, roundId, actor, { rows: data.rows.length });
  return file;
}

/**
 * The certificates of every winner (or of one, with `userId`). Only once the result is published:
 * before that the winners may still change, and a certificate is an official paper.
 */
export async function exportCertificates(roundId: string, actor: { id: string }, now: Date, userId?: string): Promise<ExportFile> {
  const data = await awardExportData(roundId, now, { userId });
  if (!data.published) throw new AwardError("NOT_PUBLISHED");
  if (userId && data.rows.length === 0) throw new AwardError("NOT_FOUND");
  const date = data.publishedAt ?? now;
  const certs = data.rows.map((r) => ({ awardId: r.awardId, contestTitle: data.round.contestTitle, roundName: data.wholeContest ? null : data.round.name, fullName: r.fullName, birthDate: r.birthDate, commune: r.commune, tier: r.tier, date }));
  const title = userId ? vi.awards.certificateFileName(data.rows[0].fullName, data.round.name) : vi.awards.certificatesFileName(data.round.name);
  const bytes = await writeCertificatesPdf(certs, { title, now });
  const file: ExportFile = { kind: "certificate.pdf", fileName: `${title}.pdf`, contentType: PDF_CONTENT_TYPE, bytes, sha256: sha256Hex(bytes) };
  await record(file, roundId, actor, { certificates: certs.length, ...(userId ? { userId } : {}) });
  return file;
}

/** The download: Vietnamese file name (RFC 6266/5987) and the fingerprint in X-Content-SHA256. */
export function exportResponse(file: ExportFile): Response {
  const res = attachment(file.fileName, file.contentType, file.bytes);
  res.headers.set("X-Content-SHA256", file.sha256);
  res.headers.set("Content-Length", String(file.bytes.byteLength));
  return res;
}

/** Was a file with these bytes exported by the app? The earliest record answers. */
export async function lookupExport(sha256: string): Promise<{ known: boolean; kind: string | null; roundId: string | null; createdAt: string | null; sha256: string }> {
  const r = await db().exportRecord.findFirst({ where: { sha256 }, orderBy: { createdAt: "asc" } });
  return r ? { known: true, kind: r.kind, roundId: r.roundId, createdAt: r.createdAt.toISOString(), sha256 } : { known: false, kind: null, roundId: null, createdAt: null, sha256 };
}
