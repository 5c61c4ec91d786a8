// Questions as the organizers write them: the shape every import format parses into, every
// export writes from, and the editor validates. Pure: no I/O.
import { z } from "zod";
import { vi } from "../i18n/vi";
import { foldVietnamese } from "./communes";

export const DIFFICULTIES = ["easy", "medium", "hard"] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

export const QUESTION_STATUSES = ["draft", "active", "retired"] as const;
export type QuestionStatus = (typeof QUESTION_STATUSES)[number];

export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 6;
export const OPTION_LETTERS = ["A", "B", "C", "D", "E", "F"] as const;

export const LIMITS = {
  topic: 200,
  text: 2000,
  option: 500,
  explanation: 4000,
  source: 500,
} as const;

/** One question as drafted: options in the author's order, `correct` the index of the right one. */
export interface QuestionDraft {
  topic: string;
  text: string;
  options: string[];
  correct: number;
  explanation: string;
  difficulty: Difficulty;
  source: string;
}

/** A parsed row (or block) of an import file: 1-based line/row number as the file shows it. */
export interface ImportRowError {
  row: number;
  column?: string;
  message: string;
}

export interface ParsedImport {
  /** Valid questions with the row each came from. */
  questions: { row: number; question: QuestionDraft }[];
  errors: ImportRowError[];
  /** Rows that were entirely empty and skipped silently. */
  blankRows: number;
}

/** Difficulty as organizers type it in Vietnamese or English; empty means medium. */
export function parseDifficulty(raw: string): Difficulty | null {
  const s = foldVietnamese(raw);
  if (s === "") return "medium";
  if (["de", "easy", "1", "nhan biet"].includes(s)) return "easy";
  if (["trung binh", "tb", "medium", "2", "thong hieu"].includes(s)) return "medium";
  if (["kho", "hard", "3", "van dung"].includes(s)) return "hard";
  return null;
}

export const DIFFICULTY_LABEL_VI: Record<Difficulty, string> = { easy: "Dễ", medium: "Trung bình", hard: "Khó" };

/**
 * The key under which two stems count as the same question: NFC, no tone marks, lower case,
 * punctuation and spacing ignored. "Cải cách  hành chính?" and "cai cach hanh chinh" collide.
 */
export function normalizeStem(text: string): string {
  return foldVietnamese(text)
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** Text for forgiving search (topic + stem + options), without tone marks. */
export function searchKey(q: Pick<QuestionDraft, "topic" | "text" | "options">): string {
  return foldVietnamese([q.topic, q.text, ...q.options].join(" \u0001 "));
}

/** Cleans a cell or line: NFC, non-breaking and repeated spaces folded, trimmed. */
export function cleanText(raw: unknown): string {
  if (raw === null || raw === undefined) return "";
  return String(raw)
    .normalize("NFC")
    .replace(/[\u00a0\u2007\u202f\t]/g, " ")
    .replace(/\r\n?/g, "\n")
    .replace(/[ ]{2,}/g, " ")
    .trim();
}

/** Creating a bank: the web form and POST /api/v1/admin/banks. */
export const bankSchema = z.object({
  name: z
    .string({ error: vi.errors.required })
    .transform((s) => cleanText(s))
    .pipe(z.string().min(1, vi.errors.required).max(200, vi.errors.required)),
  description: z
    .string()
    .optional()
    .transform((s) => cleanText(s ?? ""))
    .pipe(z.string().max(2000)),
});
