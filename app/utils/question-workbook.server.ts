// Question files as Excel workbooks: reading the first sheet of an uploaded .xlsx into a grid of
// strings (the table parser does the rest), and writing a bank or the blank template.
import ExcelJS from "exceljs";
import { DIFFICULTY_LABEL_VI, LIMITS, OPTION_LETTERS, type QuestionDraft } from "~/domain/questions";
import { vi } from "~/i18n/vi";

export const XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** The most questions one file may hold (the table parser enforces it on data rows). */
export const MAX_QUESTIONS_PER_FILE = 5000;
/** Rows read from a sheet at most: room for blank rows between questions, a bound on the work. */
export const MAX_SHEET_ROWS = 20_000;
/** Rows 2..(1 + this) of the written sheet carry the drop-down validations. */
const VALIDATED_ROWS = 5000;

export type SheetResult = { ok: true; rows: string[][] } | { ok: false; message: string; row?: number };

// ---------------------------------------------------------------------------------------------
// Reading

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/**
 * The first worksheet as rows of strings; rows[0] is Excel row 1 (blank rows in the middle stay,
 * as all-empty rows, so row numbers match what the organizer sees). Every row has the same
 * length. Never throws: anything unreadable is "not a spreadsheet".
 */
export async function readQuestionSheet(bytes: Uint8Array | Buffer): Promise<SheetResult> {
  const notSpreadsheet = { ok: false as const, message: vi.questionFile.notSpreadsheet };
  // An .xlsx is a zip; checking the signature first spares JSZip a CSV, an old .xls or noise.
  if (bytes.byteLength < 4 || !ZIP_MAGIC.every((b, i) => bytes[i] === b)) return notSpreadsheet;
  const workbook = new ExcelJS.Workbook();
  try {
    const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    await workbook.xlsx.load(buffer as unknown as Parameters<typeof workbook.xlsx.load>[0]);
    // A zip without a workbook part (a .docx, an .ods) loads as a workbook with no sheets; Excel
    // itself never saves a workbook without one.
    const sheet = workbook.worksheets[0];
    if (!sheet) return notSpreadsheet;
    return readSheet(sheet);
  } catch {
    return notSpreadsheet;
  }
}

interface MergeRange {
  range: string;
  top: number;
  left: number;
}

function readSheet(sheet: ExcelJS.Worksheet): SheetResult {
  // exceljs keeps merges only in a private map (master address → range); the version is pinned
  // and a unit test covers this, so an upgrade that moves it fails loudly rather than silently.
  const mergeMap = (sheet as unknown as { _merges?: Record<string, MergeRange | undefined> })._merges ?? {};
  const merges = Object.values(mergeMap)
    .filter((m): m is MergeRange => Boolean(m))
    .sort((a, b) => a.top - b.top || a.left - b.left);
  if (merges[0]) return { ok: false, message: vi.questionFile.mergedCells(merges[0].range), row: merges[0].top };

  const rows: string[][] = [];
  let width = 0;
  let lastRow = 0;
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.findRow(r);
    const cells: string[] = [];
    let formulaAt: string | undefined;
    row?.eachCell({ includeEmpty: false }, (cell, col) => {
      if (formulaAt) return;
      if (isFormula(cell)) formulaAt = cell.address;
      else cells[col - 1] = cellText(cell);
    });
    if (formulaAt) return { ok: false, message: vi.questionFile.formula(formulaAt), row: r };
    let end = cells.length;
    while (end > 0 && isBlank(cells[end - 1])) end--;
    if (end === 0) {
      rows.push([]);
      continue;
    }
    if (r > MAX_SHEET_ROWS) return { ok: false, message: vi.questionFile.tooManyQuestions(MAX_QUESTIONS_PER_FILE) };
    rows.push(Array.from(cells.slice(0, end), (v) => v ?? ""));
    width = Math.max(width, end);
    lastRow = r;
  }
  if (lastRow === 0) return { ok: false, message: vi.questionFile.emptyFile };
  rows.length = lastRow;
  return { ok: true, rows: rows.map((cells) => (cells.length < width ? [...cells, ...Array<string>(width - cells.length).fill("")] : cells)) };
}

const isBlank = (s: string | undefined) => s === undefined || s.trim() === "";

function isFormula(cell: ExcelJS.Cell): boolean {
  if (cell.type === ExcelJS.ValueType.Formula) return true;
  const v = cell.value;
  return typeof v === "object" && v !== null && !(v instanceof Date) && ("formula" in v || "sharedFormula" in v);
}

/** What the organizer sees in the cell, as text (General format for numbers, dd/mm/yyyy dates). */
function cellText(cell: ExcelJS.Cell): string {
  return valueText(cell.value, cell).normalize("NFC");
}

function valueText(v: ExcelJS.CellValue, cell: ExcelJS.Cell): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (v instanceof Date) return formatDate(v);
  if ("richText" in v) return v.richText.map((run) => run.text ?? "").join("");
  if ("hyperlink" in v) {
    // The shown text may itself be rich text; without any, Excel shows the address.
    const text = v.text as unknown as ExcelJS.CellValue;
    return text === undefined || text === null ? (v.hyperlink ?? "") : valueText(text, cell);
  }
  if ("error" in v) return String(v.error ?? "");
  return cell.text ?? "";
}

/** Excel's General format: at most 15 significant digits, so 0.1+0.2 shows as 0.3. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const s = String(Number(n.toPrecision(15)));
  // 1e+21 → 1E+21, 1e-7 → 1E-07, as Excel writes exponents.
  return s.replace(/e([+-])(\d+)$/, (_, sign: string, exp: string) => `E${sign}${exp.padStart(2, "0")}`);
}

function formatDate(d: Date): string {
  if (Number.isNaN(d.getTime())) return "";
  // exceljs turns the serial number into a UTC instant; the UTC fields are the calendar date.
  const dd = String(d.getUTCDate()).padStart(2, "0");
  const mm = String(d.getUTCMonth() + 1).padStart(2, "0");
  return `${dd}/${mm}/${d.getUTCFullYear()}`;
}

// ---------------------------------------------------------------------------------------------
// Writing

const COLUMN_KEYS = [
  "topic",
  "text",
  "optionA",
  "optionB",
  "optionC",
  "optionD",
  "optionE",
  "optionF",
  "correct",
  "explanation",
  "difficulty",
  "source",
] as const satisfies readonly (keyof typeof vi.questionFile.columns)[];
type ColumnKey = (typeof COLUMN_KEYS)[number];

const COLUMN_WIDTHS: Record<ColumnKey, number> = {
  topic: 24,
  text: 60,
  optionA: 30,
  optionB: 30,
  optionC: 30,
  optionD: 30,
  optionE: 24,
  optionF: 24,
  correct: 13,
  explanation: 50,
  difficulty: 13,
  source: 36,
};

const colNumber = (key: ColumnKey) => COLUMN_KEYS.indexOf(key) + 1;
const colLetter = (key: ColumnKey) => String.fromCharCode(64 + colNumber(key));

// TODO(i18n): move into vi.questionFile.template (listed in the hand-over); kept in one object so
// the move is a cut and paste.

/** Excel rejects a file whose XML holds lone surrogates or U+FFFE/U+FFFF; exceljs drops C0 controls itself. */
const xmlSafe = (s: string) => s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uFFFE\uFFFF]/g, "");

function questionRow(q: QuestionDraft): Record<ColumnKey, string> {
  const option = (i: number) => q.options[i] ?? "";
  return {
    topic: q.topic,
    text: q.text,
    optionA: option(0),
    optionB: option(1),
    optionC: option(2),
    optionD: option(3),
    optionE: option(4),
    optionF: option(5),
    correct: OPTION_LETTERS[q.correct] ?? "",
    explanation: q.explanation,
    difficulty: DIFFICULTY_LABEL_VI[q.difficulty] ?? "",
    source: q.source,
  };
}

/**
 * A bank (or, with `template`, the blank template with one example row and a guide sheet) as an
 * .xlsx. Every cell is a plain string, so text such as "=HYPERLINK(…)" or "+84…" stays text.
 */
export async function writeQuestionWorkbook(questions: QuestionDraft[], opts: { template?: boolean; title?: string } = {}): Promise<Buffer<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "cchc-contest";
  workbook.lastModifiedBy = "cchc-contest";
  if (opts.title) workbook.title = opts.title;
  const now = new Date();
  workbook.created = now;
  workbook.modified = now;

  const sheet = workbook.addWorksheet(vi.questionFile.template.questionsSheet, { views: [{ state: "frozen", ySplit: 1, activeCell: "A2" }] });
  COLUMN_KEYS.forEach((key, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = COLUMN_WIDTHS[key];
    // Text format: what the organizer types later stays text (no 0912… → 912…, no 1/2 → date).
    column.numFmt = "@";
    column.alignment = { wrapText: true, vertical: "top", horizontal: key === "correct" || key === "difficulty" ? "center" : "left" };
  });

  const header = sheet.getRow(1);
  COLUMN_KEYS.forEach((key, i) => {
    const cell = header.getCell(i + 1);
    cell.value = vi.questionFile.columns[key];
    cell.font = { bold: true, color: { argb: "FFFFFFFF" } };
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FF1F5F99" } };
    cell.alignment = { wrapText: true, vertical: "middle", horizontal: "center" };
    cell.border = { bottom: { style: "thin", color: { argb: "FF0D3B66" } } };
  });
  header.height = 30;

  const all = opts.template ? [{ ...vi.questionFile.template.example, options: [...vi.questionFile.template.example.options] }, ...questions] : questions;
  all.forEach((q, i) => {
    const values = questionRow(q);
    const row = sheet.getRow(i + 2);
    COLUMN_KEYS.forEach((key, c) => {
      const text = xmlSafe(values[key]);
      if (text !== "") row.getCell(c + 1).value = text;
    });
  });

  const validations = sheet as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } };
  const range = (key: ColumnKey) => `${colLetter(key)}2:${colLetter(key)}${VALIDATED_ROWS + 1}`;
  validations.dataValidations.add(range("correct"), {
    type: "list",
    allowBlank: true,
    formulae: [`"${OPTION_LETTERS.join(",")}"`],
    showErrorMessage: true,
    errorStyle: "stop",
    errorTitle: vi.questionFile.columns.correct,
    error: vi.questionFile.template.correctListError,
  });
  validations.dataValidations.add(range("difficulty"), {
    type: "list",
    allowBlank: true,
    formulae: [`"${Object.values(DIFFICULTY_LABEL_VI).join(",")}"`],
    showErrorMessage: true,
    errorStyle: "stop",
    errorTitle: vi.questionFile.columns.difficulty,
    error: vi.questionFile.template.difficultyListError,
  });

  if (opts.template) {
    const guide = workbook.addWorksheet(vi.questionFile.template.guideSheet);
    guide.getColumn(1).width = 5;
    guide.getColumn(2).width = 110;
    guide.getColumn(2).alignment = { wrapText: true, vertical: "top" };
    const title = guide.getCell("A1");
    title.value = vi.questionFile.template.guideTitle;
    title.font = { bold: true, size: 14 };
    vi.questionFile.template.guide(vi.questionFile.columns, LIMITS).forEach((line, i) => {
      const row = guide.getRow(i + 3);
      row.getCell(1).value = `${i + 1}.`;
      row.getCell(1).alignment = { vertical: "top", horizontal: "right" };
      row.getCell(2).value = line;
    });
  }

  // exceljs declares its own Buffer type; on Node the value is a real Buffer over a plain
  // ArrayBuffer, which is what `new Response(body)` accepts.
  const out = (await workbook.xlsx.writeBuffer()) as unknown as Buffer<ArrayBuffer>;
  return Buffer.isBuffer(out) ? out : Buffer.from(out);
}
