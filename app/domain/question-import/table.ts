// Question tables (CSV rows or the first sheet of an .xlsx) as string cells, header in row 1.
import { vi } from "../../i18n/vi";
import { cleanText, normalizeStem, type ParsedImport } from "../questions";
import { ImportCollector } from "./draft";

export const MAX_IMPORT_QUESTIONS = 5000;

const col = vi.questionFile.columns;

type Field =
  | "topic"
  | "text"
  | "optionA"
  | "optionB"
  | "optionC"
  | "optionD"
  | "optionE"
  | "optionF"
  | "correct"
  | "explanation"
  | "difficulty"
  | "source";

const REQUIRED: Field[] = ["topic", "text", "optionA", "optionB", "correct", "explanation"];
const OPTION_FIELDS: Field[] = ["optionA", "optionB", "optionC", "optionD", "optionE", "optionF"];
const SYNONYMS: Record<string, Field> = { [headerKey("Nguồn")]: "source" };

/** Header cells compare without case, tone marks, punctuation or extra spaces. */
function headerKey(cell: string): string {
  return normalizeStem(cleanText(cell));
}

function mapHeader(header: string[]): Map<Field, number> {
  const byKey = new Map<string, Field>(Object.entries(col).map(([field, name]) => [headerKey(name), field as Field]));
  for (const [key, field] of Object.entries(SYNONYMS)) byKey.set(key, field);
  const found = new Map<Field, number>();
  header.forEach((cell, i) => {
    const field = byKey.get(headerKey(cell ?? ""));
    if (field && !found.has(field)) found.set(field, i);
  });
  return found;
}

function isBlank(row: string[]): boolean {
  return row.every((cell) => cleanText(cell) === "");
}

export function parseQuestionTable(rows: string[][]): ParsedImport {
  if (rows.every(isBlank)) return { questions: [], errors: [{ row: 1, message: vi.questionFile.emptyFile }], blankRows: 0 };
  const fields = mapHeader(rows[0] ?? []);
  const missing = REQUIRED.filter((f) => !fields.has(f));
  if (missing.length > 0) {
    const names = missing.map((f) => col[f]).join(", ");
    return { questions: [], errors: [{ row: 1, message: vi.questionFile.missingColumns(names) }], blankRows: 0 };
  }

  const collector = new ImportCollector();
  const data = rows.slice(1);
  const filled = data.filter((r) => !isBlank(r)).length;
  if (filled > MAX_IMPORT_QUESTIONS) {
    collector.addError({ row: 1, message: vi.questionFile.tooManyQuestions(MAX_IMPORT_QUESTIONS) });
  }

  const cell = (r: string[], f: Field) => {
    const i = fields.get(f);
    return i === undefined ? "" : (r[i] ?? "");
  };
  data.forEach((r, i) => {
    if (isBlank(r)) return collector.addBlank();
    collector.addRow(i + 2, {
      topic: cell(r, "topic"),
      text: cell(r, "text"),
      options: OPTION_FIELDS.map((f) => cell(r, f)),
      correct: cell(r, "correct"),
      explanation: cell(r, "explanation"),
      difficulty: cell(r, "difficulty"),
      source: cell(r, "source"),
    });
  });
  return collector.finish();
}
