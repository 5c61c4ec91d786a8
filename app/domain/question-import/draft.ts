// Validation of one question as typed in any import format or in the web editor, and the
// accumulator every importer uses to turn rows into a ParsedImport. Pure: no I/O.
import { vi } from "../../i18n/vi";
import {
  LIMITS,
  MAX_OPTIONS,
  MIN_OPTIONS,
  OPTION_LETTERS,
  cleanText,
  normalizeStem,
  parseDifficulty,
  type ImportRowError,
  type ParsedImport,
  type QuestionDraft,
} from "../questions";

const msg = vi.questionFile;
const col = msg.columns;

export interface DraftInput {
  topic: string;
  text: string;
  options: string[];
  /** A letter as typed ("b", " B ", "B.") from files, or an option index from the web editor. */
  correct: string | number;
  explanation: string;
  difficulty: string;
  source: string;
}

export interface FieldError {
  column: string;
  message: string;
}

export type DraftResult = { ok: true; question: QuestionDraft } | { ok: false; errors: FieldError[] };

const OPTION_COLUMNS = [col.optionA, col.optionB, col.optionC, col.optionD, col.optionE, col.optionF];

/** Column name of option i; past F (only reachable from the editor or GIFT) it stays on F. */
export function optionColumn(i: number): string {
  return OPTION_COLUMNS[Math.min(i, OPTION_COLUMNS.length - 1)];
}

export function checkDraft(input: DraftInput): DraftResult {
  const errors: FieldError[] = [];
  const topic = requiredText(input.topic, col.topic, LIMITS.topic, errors);
  const text = requiredText(input.text, col.text, LIMITS.text, errors);
  const options = checkOptions(input.options, errors);
  const correct = checkCorrect(input.correct, options, errors);
  const explanation = requiredText(input.explanation, col.explanation, LIMITS.explanation, errors);
  const difficulty = checkDifficulty(input.difficulty, errors);
  const source = cleanText(input.source);
  checkLength(source, col.source, LIMITS.source, errors);

  if (errors.length > 0 || correct === null || difficulty === null) return { ok: false, errors };
  return { ok: true, question: { topic, text, options, correct, explanation, difficulty, source } };
}

function requiredText(raw: string, column: string, max: number, errors: FieldError[]): string {
  const value = cleanText(raw);
  if (value === "") errors.push({ column, message: msg.missing(column) });
  checkLength(value, column, max, errors);
  return value;
}

function checkLength(value: string, column: string, max: number, errors: FieldError[]): void {
  if (value.length > max) errors.push({ column, message: msg.tooLong(column, max) });
}

/** Returns the options with trailing blanks dropped; inner blanks stay so letters keep pointing right. */
function checkOptions(raw: string[], errors: FieldError[]): string[] {
  const options = raw.map(cleanText);
  while (options.length > 0 && options[options.length - 1] === "") options.pop();

  options.forEach((o, i) => {
    if (o === "") errors.push({ column: optionColumn(i), message: msg.optionGap(optionColumn(i)) });
    checkLength(o, optionColumn(i), LIMITS.option, errors);
  });
  const filled = options.filter((o) => o !== "").length;
  if (filled < MIN_OPTIONS) errors.push({ column: optionColumn(filled), message: msg.tooFewOptions(MIN_OPTIONS) });
  if (options.length > MAX_OPTIONS) errors.push({ column: optionColumn(MAX_OPTIONS), message: msg.tooManyOptions(MAX_OPTIONS) });
  checkDuplicateOptions(options, errors);
  return options;
}

function checkDuplicateOptions(options: string[], errors: FieldError[]): void {
  const seen = new Map<string, number>();
  options.forEach((o, i) => {
    const key = normalizeStem(o);
    if (key === "") return;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else errors.push({ column: optionColumn(i), message: msg.duplicateOption(optionColumn(first), optionColumn(i)) });
  });
}

const LETTER = /^([A-F])\s*[.)]?$/i;

function checkCorrect(raw: string | number, options: string[], errors: FieldError[]): number | null {
  const index = typeof raw === "number" ? raw : letterIndex(raw, errors);
  if (index === null) return null;
  const letter = OPTION_LETTERS[index];
  if (!Number.isInteger(index) || letter === undefined) {
    errors.push({ column: col.correct, message: msg.correctInvalid(String(raw)) });
    return null;
  }
  if (!options[index]) {
    errors.push({ column: col.correct, message: msg.correctEmpty(letter) });
    return null;
  }
  return index;
}

function letterIndex(raw: string, errors: FieldError[]): number | null {
  const value = cleanText(raw);
  if (value === "") {
    errors.push({ column: col.correct, message: msg.missing(col.correct) });
    return null;
  }
  const m = LETTER.exec(value);
  if (!m) {
    errors.push({ column: col.correct, message: msg.correctInvalid(value) });
    return null;
  }
  return OPTION_LETTERS.indexOf(m[1].toUpperCase() as (typeof OPTION_LETTERS)[number]);
}

function checkDifficulty(raw: string, errors: FieldError[]) {
  const value = cleanText(raw);
  const difficulty = parseDifficulty(value);
  if (difficulty === null) errors.push({ column: col.difficulty, message: msg.difficultyInvalid(value) });
  return difficulty;
}

/**
 * Collects rows of one file into a ParsedImport: validates each with checkDraft and flags a
 * stem already seen earlier in the same file (NFC/NFD, tone marks and punctuation ignored).
 */
export class ImportCollector {
  private readonly result: ParsedImport = { questions: [], errors: [], blankRows: 0 };
  private readonly stems = new Map<string, number>();

  /** Validates one row; `rewrite` lets a format word a draft error its own way (Aiken's ANSWER line). */
  addRow(row: number, input: DraftInput, rewrite = (e: ImportRowError) => e): void {
    const checked = checkDraft(input);
    const errors: ImportRowError[] = checked.ok ? [] : checked.errors.map((e) => rewrite({ row, ...e }));
    const dup = this.duplicateOf(row, input.text);
    if (dup !== null) errors.push({ row, column: col.text, message: msg.duplicateInFile(dup) });

    if (errors.length > 0 || !checked.ok) this.result.errors.push(...errors);
    else this.result.questions.push({ row, question: checked.question });
  }

  addError(error: ImportRowError): void {
    this.result.errors.push(error);
  }

  addBlank(): void {
    this.result.blankRows++;
  }

  /** The collected result; a file that yielded nothing at all gets the empty-file error. */
  finish(): ParsedImport {
    const r = this.result;
    if (r.questions.length === 0 && r.errors.length === 0) r.errors.push({ row: 1, message: msg.emptyFile });
    return r;
  }

  private duplicateOf(row: number, text: string): number | null {
    const key = normalizeStem(cleanText(text));
    if (key === "") return null;
    const first = this.stems.get(key);
    if (first !== undefined) return first;
    this.stems.set(key, row);
    return null;
  }
}
