// The winners' export at the scale of a whole ranking: 100,000 rows through the app's streaming
// .xlsx writer (app/utils/award-exports.server.ts, writeAwardsXlsx), as a round's complete final
// ranking would be if exported. Also the CSV of the same rows and 100 certificates as one PDF.
//
// The rows are generated in memory (deterministic: a seeded generator) with realistic Vietnamese
// and Jrai/Bahnar names, the province's real communes (from the seeded database), CCCD numbers of
// several provinces (some starting with 0), mobile numbers, scores, predictions and times. The
// .xlsx goes to a temporary file through a Writable that counts and hashes the bytes as they pass
// (nothing is buffered), then is read back with exceljs' streaming reader to check that every row
// arrived. The runner (bench/run.mjs) provides a migrated, seeded database in DATABASE_URL.
import ExcelJS from "exceljs";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Writable } from "node:stream";
import { communeFullName } from "~/domain/communes";
import { awardsCsv, writeAwardsXlsx, writeCertificatesPdf, type WinnerRow } from "~/utils/award-exports.server";
import { db, disconnectDb } from "~/utils/db.server";

const ROWS = Number(process.env.BENCH_AWARD_ROWS ?? 100_000);
const CERTIFICATES = 100;
const SEED = 20251115;
const mib = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;
const peakRssMiB = () => Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
const fail = (msg: string) => {
  console.error(`✗ ${msg}`);
  process.exit(1);
};

// ---------------------------------------------------------------------------------------------
// Deterministic data

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const int = (a: number, b: number) => a + Math.floor(rand() * (b - a + 1));

const FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Vũ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ", "Ngô", "Hồ", "Dương", "Đinh", "Lương", "Đoàn", "Trịnh"];
const MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Xuân", "Ngọc", "Đình"];
const MIDDLE_F = ["Thị", "Thị Thu", "Thị Hồng", "Ngọc", "Thị Kim", "Thị Thanh", "Thùy", "Thị Mỹ"];
const GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Đức", "Hùng", "Khánh", "Long", "Nam", "Phúc", "Quang", "Sơn", "Tài", "Thắng", "Trung", "Tuấn", "Việt", "Vinh"];
const GIVEN_F = ["Ánh", "Bích", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hương", "Lan", "Linh", "Mai", "Ngọc", "Nhung", "Oanh", "Phượng", "Thảo", "Trang", "Yến"];
// Jrai and Bahnar names, common in the west of the province.
const JRAI_FAMILY = ["Ksor", "Siu", "Rơ Mah", "Rơ Châm", "Nay", "Kpă", "Rah Lan", "Puih", "Đinh", "Hờ"];
const JRAI_GIVEN = ["H'Blin", "Hyang", "Blui", "Thuyên", "Nhơn", "H'Hen", "Yuh", "Đoan", "Phiang", "Tuyết", "Chuôn", "Byă"];
const WORKPLACES = ["UBND xã", "Trường Tiểu học", "Trạm Y tế xã", "Công an xã", "Trường THCS", "Hội Nông dân xã", "Bưu điện văn hóa xã", "Hợp tác xã nông nghiệp"];
const PROVINCES = ["064", "064", "064", "064", "052", "052", "001", "038", "040", "066"];

function fullName(female: boolean): string {
  if (rand() < 0.2) return `${pick(JRAI_FAMILY)} ${pick(JRAI_GIVEN)}`;
  return `${pick(FAMILY)} ${pick(female ? MIDDLE_F : MIDDLE_M)} ${pick(female ? GIVEN_F : GIVEN_M)}`;
}

function generate(communes: { code: string; name: string; full: string }[]): WinnerRow[] {
  const actual = 1_234;
  const closes = Date.parse("2025-10-31T17:00:00Z");
  const rows: WinnerRow[] = [];
  for (let i = 0; i < ROWS; i++) {
    const female = rand() < 0.52;
    const year = int(1960, 2012);
    const month = int(1, 12);
    const day = int(1, 28);
    const commune = pick(communes);
    const official = rand() < 0.35;
    const correct = Math.max(0, 20 - Math.floor(i / (ROWS / 20)));
    const prediction = rand() < 0.97 ? int(200, 3_000) : null;
    const tier = i < 1 ? "Giải Nhất" : i < 3 ? "Giải Nhì" : i < 6 ? "Giải Ba" : "Giải Khuyến khích";
    rows.push({
      awardId: `aw${String(i).padStart(7, "0")}`,
      userId: `u${String(i).padStart(7, "0")}`,
      sheet: tier,
      tier,
      rank: i + 1,
      fullName: fullName(female),
      birthDate: `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`,
      nationalId: `${pick(PROVINCES)}${(year >= 2000 ? 2 : 0) + (female ? 1 : 0)}${String(year % 100).padStart(2, "0")}${String(int(0, 999_999)).padStart(6, "0")}`,
      phone: `0${pick(["3", "5", "7", "8", "9"])}${String(int(0, 99_999_999)).padStart(8, "0")}`,
      commune: commune.full,
      workplace: official ? `${pick(WORKPLACES)} ${commune.name}` : null,
      correctCount: correct,
      questionCount: 20,
      prediction,
      predictionError: prediction === null ? null : Math.abs(prediction - actual),
      durationMs: int(120_000, 1_200_000),
      submittedAt: new Date(closes - int(0, 30 * 24 * 3_600_000)),
      verified: i < 6,
      amount: i < 1 ? 5_000_000 : i < 3 ? 3_000_000 : i < 6 ? 2_000_000 : i < 106 ? 500_000 : null,
    });
  }
  return rows;
}

/** Counts and hashes the bytes as they pass, and writes them to a file descriptor. */
function countingFile(fd: number) {
  const hash = createHash("sha256");
  let bytes = 0;
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      bytes += chunk.byteLength;
      hash.update(chunk);
      fs.writeSync(fd, chunk);
      cb();
    },
  });
  return { stream, bytes: () => bytes, sha256: () => hash.digest("hex") };
}

// ---------------------------------------------------------------------------------------------

const communes = (await db().commune.findMany({ select: { code: true, name: true, type: true } })).map((c) => ({ code: c.code, name: c.name, full: communeFullName(c) }));
if (communes.length === 0) fail("no communes in the database (seed missing?)");

let t = performance.now();
const rows = generate(communes);
const generateMs = performance.now() - t;
const peakRssAfterGenerateMiB = peakRssMiB();
console.log(`generated ${rows.length.toLocaleString("en-US")} rows in ${Math.round(generateMs)} ms`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-awards-bench-"));
const file = path.join(dir, "awards.xlsx");
try {
  const fd = fs.openSync(file, "w");
  const sink = countingFile(fd);
  t = performance.now();
  const cpu0 = process.cpuUsage();
  const written = await writeAwardsXlsx(rows, sink.stream, { title: "Danh sách xếp hạng - bench" });
  const xlsxWriteMs = performance.now() - t;
  const cpu = process.cpuUsage(cpu0);
  const xlsxCpuMs = (cpu.user + cpu.system) / 1000;
  fs.closeSync(fd);
  const peakRssAfterXlsxMiB = peakRssMiB();
  const fileBytes = sink.bytes();
  console.log(`wrote ${mib(fileBytes)} MiB .xlsx (${written.sheets} sheets) in ${Math.round(xlsxWriteMs)} ms`);
  if (written.rows !== ROWS) fail(`writer reported ${written.rows} rows, expected ${ROWS}`);
  if (fs.statSync(file).size !== fileBytes) fail("file size differs from the bytes counted");

  // Read back, streaming: every row arrived, in order, with the text intact.
  t = performance.now();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: "cache", hyperlinks: "ignore", styles: "ignore", worksheets: "emit" });
  let dataRows = 0;
  let sheets = 0;
  let firstName: unknown;
  let firstId: unknown;
  let lastRank: unknown;
  for await (const ws of reader) {
    sheets++;
    for await (const row of ws as AsyncIterable<ExcelJS.Row>) {
      if (row.number === 1) continue;
      dataRows++;
      if (dataRows === 1) {
        firstName = row.getCell(3).value;
        firstId = row.getCell(5).value;
      }
      lastRank = row.getCell(1).value;
    }
  }
  const readBackMs = performance.now() - t;
  if (dataRows !== ROWS) fail(`read back ${dataRows} data rows, expected ${ROWS}`);
  if (sheets !== written.sheets) fail(`read back ${sheets} sheets, expected ${written.sheets}`);
  if (firstName !== rows[0].fullName || firstId !== rows[0].nationalId) fail(`first row read back as ${String(firstName)} / ${String(firstId)}`);
  if (lastRank !== ROWS) fail(`last rank read back as ${String(lastRank)}`);

  t = performance.now();
  const csv = Buffer.from(awardsCsv(rows), "utf8");
  const csvWriteMs = performance.now() - t;
  if (csv.toString("utf8").split("\r\n").length !== ROWS + 2) fail("CSV line count");

  t = performance.now();
  const date = new Date("2025-11-15T03:00:00Z");
  const pdf = await writeCertificatesPdf(
    rows.slice(0, CERTIFICATES).map((r) => ({ awardId: r.awardId, contestTitle: "Cuộc thi trực tuyến tìm hiểu về cải cách hành chính tỉnh Gia Lai năm 2025", roundName: "Vòng 1", fullName: r.fullName, birthDate: r.birthDate, commune: r.commune, tier: r.tier, date })),
    { title: "Giấy chứng nhận - bench" },
  );
  const certificatesMs = performance.now() - t;
  if ((pdf.toString("latin1").match(/\/Type \/Page\b/g) ?? []).length !== CERTIFICATES) fail("PDF page count");

  console.log(
    `BENCH_RESULT ${JSON.stringify({
      metrics: {
        rows: { value: ROWS, unit: "rows" },
        sheets: { value: written.sheets, unit: "sheets" },
        generateMs: Math.round(generateMs * 10) / 10,
        xlsxWriteMs: Math.round(xlsxWriteMs * 10) / 10,
        xlsxCpuMs: Math.round(xlsxCpuMs * 10) / 10,
        rowsPerSec: Math.round(ROWS / (xlsxWriteMs / 1000)),
        fileBytes,
        fileMiB: mib(fileBytes),
        readBackMs: Math.round(readBackMs * 10) / 10,
        csvWriteMs: Math.round(csvWriteMs * 10) / 10,
        csvBytes: csv.byteLength,
        certificatesMs: Math.round(certificatesMs * 10) / 10,
        certificates: { value: CERTIFICATES, unit: "pages" },
        pdfBytes: pdf.byteLength,
        peakRssAfterGenerateMiB,
        peakRssAfterXlsxMiB,
        peakRssMiB: peakRssMiB(),
        heapUsedMiB: mib(process.memoryUsage().heapUsed),
      },
      info: { sha256: sink.sha256(), writer: "exceljs stream.xlsx.WorkbookWriter (useSharedStrings: false, useStyles: true)" },
    })}`,
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
await disconnectDb();
process.exit(0);
