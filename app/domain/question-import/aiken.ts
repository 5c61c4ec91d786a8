// Moodle Aiken: a stem, options "A. …"/"A) …", then "ANSWER: X". Aiken has no topic (the
// organizer names one for the file) and no explanation, so we accept extra lines after the options:
// "GIẢI THÍCH: …"/"EXPLANATION: …", "CĂN CỨ: …"/"SOURCE: …", "ĐỘ KHÓ: …"/"DIFFICULTY: …".
import { vi } from "../../i18n/vi";
import { foldVietnamese } from "../communes";
import { OPTION_LETTERS, cleanText, type ImportRowError, type ParsedImport } from "../questions";
import { ImportCollector } from "./draft";

const msg = vi.questionFile;

interface Block {
  start: number;
  stem: string[];
  options: string[];
  answer: string | null;
  meta: Record<MetaField, string>;
}

type MetaField = "explanation" | "source" | "difficulty";

const META_KEYS: Record<string, MetaField> = {
  [foldVietnamese(msg.columns.explanation)]: "explanation",
  explanation: "explanation",
  [foldVietnamese(msg.columns.source)]: "source",
  nguon: "source",
  source: "source",
  [foldVietnamese(msg.columns.difficulty)]: "difficulty",
  difficulty: "difficulty",
};

const OPTION = /^([A-F])[.)](?:\s+(.*))?$/;
const ANSWER = /^ANSWER\s*:\s*(.*)$/i;

function metaLine(line: string): { field: MetaField; value: string } | null {
  const m = /^([^:]{1,20}):(.*)$/.exec(line);
  const field = m ? META_KEYS[foldVietnamese(m[1])] : undefined;
  return m && field ? { field, value: m[2].trim() } : null;
}

function newBlock(start: number): Block {
  return { start, stem: [], options: [], answer: null, meta: { explanation: "", source: "", difficulty: "" } };
}

/** Adds one line to the block; false when the line belongs to the next block. */
function addLine(b: Block, line: string): boolean {
  const meta = b.options.length > 0 || b.answer !== null ? metaLine(line) : null;
  if (meta) {
    b.meta[meta.field] = meta.value;
    return true;
  }
  if (b.answer !== null) return false;

  const answer = ANSWER.exec(line);
  if (answer) {
    b.answer = answer[1].trim();
    return true;
  }
  const option = OPTION.exec(line);
  const index = option ? OPTION_LETTERS.indexOf(option[1] as (typeof OPTION_LETTERS)[number]) : -1;
  if (option && index >= b.options.length && (index === 0 || b.options.length > 0)) {
    // A skipped letter (A, B, D) leaves an empty option: checkDraft reports the gap.
    while (b.options.length < index) b.options.push("");
    b.options.push(option[2] ?? "");
  } else if (b.options.length > 0) {
    // A wrapped option line.
    b.options[b.options.length - 1] += ` ${line}`;
  } else b.stem.push(line);
  return true;
}

function checkBlock(b: Block, topic: string, collector: ImportCollector): void {
  if (b.options.length === 0) {
    collector.addError({ row: b.start, message: msg.aikenNoOptions });
    if (b.answer === null) collector.addError({ row: b.start, message: msg.aikenNoAnswer });
    return;
  }
  const answer = b.answer ?? "";
  const rewrite = (e: ImportRowError): ImportRowError =>
    e.column === msg.columns.correct
      ? { row: e.row, message: answer === "" ? msg.aikenNoAnswer : msg.aikenAnswerInvalid(answer) }
      : e;
  collector.addRow(b.start, { topic, text: b.stem.join("\n"), options: b.options, correct: answer, ...b.meta }, rewrite);
}

export function parseAiken(text: string, defaultTopic: string): ParsedImport {
  const topic = cleanText(defaultTopic);
  if (topic === "") return { questions: [], errors: [{ row: 1, message: msg.topicRequired }], blankRows: 0 };

  const collector = new ImportCollector();
  let block: Block | null = null;
  const lines = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n").split("\n");
  for (const [i, raw] of lines.entries()) {
    const line = cleanText(raw);
    if (block && (line === "" || !addLine(block, line))) {
      checkBlock(block, topic, collector);
      block = null;
    }
    if (line !== "" && !block) {
      block = newBlock(i + 1);
      addLine(block, line);
    }
  }
  if (block) checkBlock(block, topic, collector);
  return collector.finish();
}
