// The question editor's form ⇄ the domain's draft checks, shared by the "new" and "edit" pages.
import { checkDraft } from "~/domain/question-import/draft";
import { OPTION_LETTERS, QUESTION_STATUSES, type QuestionDraft, type QuestionStatus } from "~/domain/questions";
import { vi } from "~/i18n/vi";

const C = vi.questionFile.columns;
/** Field name of the form for each column name the draft checks report. */
const FIELD_OF_COLUMN: Record<string, string> = {
  [C.topic]: "topic",
  [C.text]: "text",
  [C.optionA]: "optionA",
  [C.optionB]: "optionB",
  [C.optionC]: "optionC",
  [C.optionD]: "optionD",
  [C.optionE]: "optionE",
  [C.optionF]: "optionF",
  [C.correct]: "correct",
  [C.explanation]: "explanation",
  [C.difficulty]: "difficulty",
  [C.source]: "source",
};

export type QuestionFormValues = Record<string, string>;

export function formValues(form: FormData): QuestionFormValues {
  const keys = ["topic", "text", ...OPTION_LETTERS.map((l) => `option${l}`), "correct", "explanation", "difficulty", "source", "status"];
  return Object.fromEntries(keys.map((k) => [k, String(form.get(k) ?? "").slice(0, 10_000)]));
}

export function valuesOf(d: QuestionDraft, status: string): QuestionFormValues {
  const v: QuestionFormValues = { topic: d.topic, text: d.text, correct: OPTION_LETTERS[d.correct], explanation: d.explanation, difficulty: d.difficulty, source: d.source, status };
  OPTION_LETTERS.forEach((l, i) => (v[`option${l}`] = d.options[i] ?? ""));
  return v;
}

export type QuestionFormCheck =
  | { ok: true; draft: QuestionDraft; status: QuestionStatus }
  | { ok: false; fields: Record<string, string> };

export function checkQuestionForm(v: QuestionFormValues): QuestionFormCheck {
  const r = checkDraft({
    topic: v.topic,
    text: v.text,
    options: OPTION_LETTERS.map((l) => v[`option${l}`] ?? ""),
    correct: v.correct,
    explanation: v.explanation,
    difficulty: v.difficulty,
    source: v.source,
  });
  const status = (QUESTION_STATUSES as readonly string[]).includes(v.status) ? (v.status as QuestionStatus) : null;
  const fields: Record<string, string> = {};
  if (!r.ok) for (const e of r.errors) fields[FIELD_OF_COLUMN[e.column] ?? "_form"] ??= e.message;
  if (!status) fields.status = vi.errors.required;
  if (!r.ok || !status) return { ok: false, fields };
  return { ok: true, draft: r.question, status };
}
