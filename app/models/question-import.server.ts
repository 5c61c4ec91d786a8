// Importing question files: parse (any supported format) → preview held in ImportJob → commit.
// A commit is one transaction: a file imports whole, or (when asked) only its valid rows, never half.
import { decodeTextFile, parseCsv } from "~/domain/question-import/csv";
import { parseAiken } from "~/domain/question-import/aiken";
import { detectTextFormat } from "~/domain/question-import/detect";
import { parseGift } from "~/domain/question-import/gift";
import { parseQuestionTable } from "~/domain/question-import/table";
import { normalizeStem, type ImportRowError, type ParsedImport, type QuestionDraft } from "~/domain/questions";
import { vi } from "~/i18n/vi";
import { db } from "~/utils/db.server";
import { readQuestionSheet } from "~/utils/question-workbook.server";
import { audit } from "./audit.server";
import { ConflictError, existingStems, getBank, insertQuestions, NotFoundError, type Actor } from "./question-bank.server";

export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export type ImportFormat = "xlsx" | "csv" | "gift" | "aiken";

export interface Upload {
  fileName: string;
  bytes: Uint8Array;
  /** Aiken files carry no topic: the organizer names one for the whole file. */
  defaultTopic?: string;
}

export type ParseOutcome = { ok: true; format: ImportFormat; parsed: ParsedImport } | { ok: false; message: string };

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0]; // legacy .xls

const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

/** Recognises the file by its content first (a renamed file still works), its name second. */
export async function parseUpload(upload: Upload): Promise<ParseOutcome> {
  const { bytes, fileName } = upload;
  if (bytes.byteLength === 0) return { ok: false, message: vi.questionFile.emptyFile };
  if (bytes.byteLength > MAX_FILE_BYTES) return { ok: false, message: vi.questionFile.tooLarge(MAX_FILE_BYTES / 1024 / 1024) };
  const ext = fileName.toLowerCase().split(".").pop() ?? "";
  if (startsWith(bytes, ZIP_MAGIC) || startsWith(bytes, OLE_MAGIC) || ext === "xlsx" || ext === "xls") {
    const sheet = await readQuestionSheet(bytes);
    if (!sheet.ok) return { ok: false, message: sheet.row ? `${vi.questionFile.rowPrefix(sheet.row)}: ${sheet.message}` : sheet.message };
    return fileLevel("xlsx", parseQuestionTable(sheet.rows));
  }
  if (!["csv", "txt", "gift", "aiken", ""].includes(ext)) return { ok: false, message: vi.questionFile.unsupportedType };
  const decoded = decodeTextFile(bytes);
  if (!decoded.ok) return { ok: false, message: decoded.message };
  const format: ImportFormat = ext === "gift" ? "gift" : ext === "aiken" ? "aiken" : detectTextFormat(decoded.text);
  if (format === "gift") return { ok: true, format, parsed: parseGift(decoded.text) };
  if (format === "aiken") return fileLevel(format, parseAiken(decoded.text, upload.defaultTopic ?? ""));
  return fileLevel("csv", parseQuestionTable(parseCsv(decoded.text)));
}

/**
 * Row-1 errors without a column concern the whole file (missing header columns, too many rows,
 * no topic for an Aiken file): the organizer fixes the file, there is nothing to preview.
 */
function fileLevel(format: ImportFormat, parsed: ParsedImport): ParseOutcome {
  const fatal = parsed.errors.find((e) => e.row === 1 && !e.column);
  return fatal ? { ok: false, message: fatal.message } : { ok: true, format, parsed };
}

export interface ImportPlan {
  questions: { row: number; question: QuestionDraft }[];
  errors: ImportRowError[];
  /** Valid rows whose stem the bank already holds: reported, never added twice. */
  duplicates: ImportRowError[];
  blankRows: number;
}

async function planImport(bankId: string, parsed: ParsedImport): Promise<ImportPlan> {
  const existing = await existingStems(bankId, parsed.questions.map((q) => normalizeStem(q.question.text)));
  const questions: ImportPlan["questions"] = [];
  const duplicates: ImportRowError[] = [];
  for (const q of parsed.questions) {
    if (existing.has(normalizeStem(q.question.text))) {
      duplicates.push({ row: q.row, column: vi.questionFile.columns.text, message: vi.questionFile.duplicateInBank });
    } else questions.push(q);
  }
  return { questions, errors: parsed.errors, duplicates, blankRows: parsed.blankRows };
}

export interface ImportJobView {
  id: string;
  bankId: string;
  fileName: string;
  format: ImportFormat;
  status: "preview" | "committed" | "discarded";
  plan: ImportPlan;
  importedCount: number;
  createdAt: Date;
}

/** Parses the upload and keeps the result for the preview. A whole-file problem creates no job. */
export async function createImportPreview(bankId: string, upload: Upload, actor: Actor & { id: string }) {
  await getBank(bankId);
  const outcome = await parseUpload(upload);
  if (!outcome.ok) return outcome;
  const plan = await planImport(bankId, outcome.parsed);
  const job = await db().importJob.create({
    data: {
      bankId,
      createdById: actor.id,
      fileName: upload.fileName.slice(0, 255),
      format: outcome.format,
      payload: JSON.stringify(plan),
      validCount: plan.questions.length,
      errorCount: plan.errors.length,
      duplicateCount: plan.duplicates.length,
    },
  });
  return { ok: true as const, jobId: job.id };
}

/** The job, only for the organizer who uploaded it or an administrator. */
export async function getImportJob(id: string, viewer: { id: string; role: string }): Promise<ImportJobView> {
  const job = await db().importJob.findUnique({ where: { id } });
  if (!job || (job.createdById !== viewer.id && viewer.role !== "admin")) throw new NotFoundError(`import ${id}`);
  return {
    id: job.id,
    bankId: job.bankId,
    fileName: job.fileName,
    format: job.format as ImportFormat,
    status: job.status as ImportJobView["status"],
    plan: JSON.parse(job.payload) as ImportPlan,
    importedCount: job.importedCount,
    createdAt: job.createdAt,
  };
}

export class ImportRejectedError extends Error {
  constructor(readonly errors: ImportRowError[]) {
    super("the file has invalid rows");
  }
}

export interface ImportResult {
  imported: number;
  skipped: number;
  errors: ImportRowError[];
  duplicates: ImportRowError[];
}

/**
 * Writes a plan into the bank in one transaction. With errors and without `partial`, nothing is
 * written. Duplicates are re-checked inside the transaction (the bank may have changed since the
 * preview) and skipped.
 */
async function commitPlan(bankId: string, plan: ImportPlan, partial: boolean, actor: Actor, detail: Record<string, unknown>): Promise<ImportResult> {
  const badRows = new Set(plan.errors.map((e) => e.row)).size;
  if (plan.errors.length > 0 && !partial) {
    return { imported: 0, skipped: plan.questions.length + badRows + plan.duplicates.length, errors: plan.errors, duplicates: plan.duplicates };
  }
  return db().$transaction(
    async (tx) => {
      const existing = await existingStems(bankId, plan.questions.map((q) => normalizeStem(q.question.text)), tx);
      const late = plan.questions.filter((q) => existing.has(normalizeStem(q.question.text)));
      const fresh = plan.questions.filter((q) => !existing.has(normalizeStem(q.question.text)));
      const duplicates = [
        ...plan.duplicates,
        ...late.map((q) => ({ row: q.row, column: vi.questionFile.columns.text, message: vi.questionFile.duplicateInBank })),
      ];
      await insertQuestions(tx, bankId, fresh.map((q) => q.question), actor);
      const result = { imported: fresh.length, skipped: badRows + duplicates.length, errors: plan.errors, duplicates };
      await audit(
        { actorId: actor.id, action: "bank.import", entityType: "bank", entityId: bankId, detail: { ...detail, imported: result.imported, skipped: result.skipped, partial } },
        tx,
      );
      return result;
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

export async function commitImport(jobId: string, partial: boolean, actor: { id: string; role: string }): Promise<ImportResult & { committed: boolean }> {
  const job = await getImportJob(jobId, actor);
  if (job.status !== "preview") throw new ConflictError(`import ${jobId} is ${job.status}`);
  // Claim the job first, so a double click cannot import the file twice.
  const claimed = await db().importJob.updateMany({ where: { id: jobId, status: "preview" }, data: { status: "committing" } });
  if (claimed.count !== 1) throw new ConflictError(`import ${jobId} is already being committed`);
  try {
    const result = await commitPlan(job.bankId, job.plan, partial, actor, { fileName: job.fileName, format: job.format, jobId });
    const done = result.imported > 0 || job.plan.errors.length === 0 || partial;
    await db().importJob.update({
      where: { id: jobId },
      data: done ? { status: "committed", importedCount: result.imported, committedAt: new Date() } : { status: "preview" },
    });
    return { ...result, committed: done };
  } catch (e) {
    await db().importJob.update({ where: { id: jobId }, data: { status: "preview" } });
    throw e;
  }
}

export async function discardImport(jobId: string, actor: { id: string; role: string }) {
  const job = await getImportJob(jobId, actor);
  if (job.status !== "preview") throw new ConflictError(`import ${jobId} is ${job.status}`);
  await db().importJob.update({ where: { id: jobId }, data: { status: "discarded", payload: "{}" } });
}

/** The API's one-step import: parse and commit, with the same all-or-nothing rule. */
export async function importDirect(bankId: string, upload: Upload, partial: boolean, actor: Actor) {
  await getBank(bankId);
  const outcome = await parseUpload(upload);
  if (!outcome.ok) return outcome;
  const plan = await planImport(bankId, outcome.parsed);
  const result = await commitPlan(bankId, plan, partial, actor, { fileName: upload.fileName, format: outcome.format });
  return { ok: true as const, format: outcome.format, ...result };
}
