// Moodle GIFT, multiple-choice subset: reading (parseGift) and writing (toGift) question banks.
// https://docs.moodle.org/en/GIFT_format
import { vi } from "../../i18n/vi";
import { foldVietnamese } from "../communes";
import { cleanText, type ParsedImport, type QuestionDraft } from "../questions";
import { ImportCollector } from "./draft";

const msg = vi.questionFile;

// ---------------------------------------------------------------------------------------------
// Escapes

export function giftEscape(s: string): string {
  return s.replace(/[\\~=#{}:]/g, "\\$&").replace(/\n/g, "\\n");
}

export function giftUnescape(s: string): string {
  return s.replace(/\\(.)/gs, (whole, c: string) => (c === "n" ? "\n" : "\\~=#{}:".includes(c) ? c : whole));
}

/** Index of the first `needle` not preceded by a backslash escape, or -1. */
function findUnescaped(s: string, needle: string, from = 0): number {
  for (let i = from; i < s.length; i++) {
    if (s[i] === "\\") i++;
    else if (s.startsWith(needle, i)) return i;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Text formats

const FORMAT_MARKER = /^\s*\[(html|plain|markdown|moodle)\]/i;

function htmlToText(s: string): string {
  return s
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/p>\s*<p[^>]*>/gi, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#0?39;|&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

/** Strips a leading format marker; returns the text and whether it was [html]. */
function splitFormat(raw: string, inheritedHtml = false): { text: string; html: boolean } {
  const m = FORMAT_MARKER.exec(raw);
  if (!m) return { text: raw, html: inheritedHtml };
  return { text: raw.slice(m[0].length), html: m[1].toLowerCase() === "html" };
}

function toPlain(raw: string, html: boolean): string {
  const text = giftUnescape(raw);
  return html ? htmlToText(text) : text;
}

// ---------------------------------------------------------------------------------------------
// One question

type Failure = { error: string };
type Answers = { options: string[]; correct: number; explanation: string };
type Parsed = Failure | (Answers & { text: string });

interface Answer {
  right: boolean;
  raw: string;
}

function splitAnswers(block: string): { lead: string; answers: Answer[] } {
  const answers: Answer[] = [];
  let lead = "";
  let current: Answer | null = null;
  for (let i = 0; i < block.length; i++) {
    const ch = block[i];
    if (ch === "=" || ch === "~") {
      current = { right: ch === "=", raw: "" };
      answers.push(current);
      continue;
    }
    // Keep escapes as written; they are resolved after splitting.
    const piece = ch === "\\" ? block.slice(i, i + 2) : ch;
    if (ch === "\\") i++;
    if (current) current.raw += piece;
    else lead += piece;
  }
  return { lead, answers };
}

function answerText(raw: string, html: boolean): string {
  const feedback = findUnescaped(raw, "#");
  const f = splitFormat(feedback < 0 ? raw : raw.slice(0, feedback), html);
  return toPlain(f.text, f.html);
}

const TRUE_FALSE = /^(t|f|true|false)$/i;
const WEIGHT = /^\s*%-?\d/;

function parseAnswerBlock(block: string, html: boolean): Failure | Answers {
  const general = findUnescaped(block, "####");
  const main = general < 0 ? block : block.slice(0, general);
  const firstFeedback = findUnescaped(main, "#");
  const head = (firstFeedback < 0 ? main : main.slice(0, firstFeedback)).trim();
  if (head === "" || TRUE_FALSE.test(head)) return { error: msg.giftNotMultipleChoice };

  const { lead, answers } = splitAnswers(main);
  if (lead.trim() !== "" || answers.length === 0) return { error: msg.giftNotMultipleChoice };
  // Weighted answers are partial credit; only-"=" blocks are short answer or matching.
  if (answers.some((a) => WEIGHT.test(a.raw)) || answers.every((a) => a.right)) {
    return { error: msg.giftNotMultipleChoice };
  }
  const right = answers.filter((a) => a.right).length;
  if (right === 0) return { error: msg.giftNoCorrect };
  if (right > 1) return { error: msg.giftManyCorrect };

  const explanation = general < 0 ? "" : toPlain(splitFormat(block.slice(general + 4), html).text, html);
  return {
    options: answers.map((a) => answerText(a.raw, html)),
    correct: answers.findIndex((a) => a.right),
    explanation,
  };
}

function stripTitle(head: string): string {
  const s = head.trimStart();
  if (!s.startsWith("::")) return head;
  const end = findUnescaped(s, "::", 2);
  return end < 0 ? head : s.slice(end + 2);
}

/** The stem; an answer block in mid-sentence becomes a blank "_____". */
function stemText(head: string, tail: string, html: boolean): string {
  const before = toPlain(head, html).trim();
  const after = toPlain(tail, html);
  if (after.trim() === "") return before;
  return `${before} _____${/^\s/.test(after) ? " " : ""}${after.trim()}`;
}

function parseQuestion(body: string): Parsed {
  const open = findUnescaped(body, "{");
  if (open < 0) return { error: msg.giftNotMultipleChoice };
  const close = findUnescaped(body, "}", open + 1);
  if (close < 0) return { error: msg.giftUnclosed };
  if (findUnescaped(body, "{", close + 1) >= 0) return { error: msg.giftNotMultipleChoice };

  const format = splitFormat(stripTitle(body.slice(0, open)));
  const answers = parseAnswerBlock(body.slice(open + 1, close), format.html);
  if ("error" in answers) return answers;
  return { ...answers, text: stemText(format.text, body.slice(close + 1), format.html) };
}

// ---------------------------------------------------------------------------------------------
// The file

/** `$course$/top/Cải cách thể chế` → "Cải cách thể chế"; "//" is a literal slash in a name. */
function categoryTopic(path: string): string {
  const segments = path
    .replace(/\/\//g, "\u0000")
    .split("/")
    .map((s) => cleanText(s.replace(/\u0000/g, "/")))
    .filter((s) => !/^\$\w+\$$/.test(s));
  if (segments.length > 0 && segments[0].toLowerCase() === "top") segments.shift();
  return segments.filter((s) => s !== "").pop() ?? "";
}

const CATEGORY = /^\$CATEGORY:(.*)$/i;
const SOURCE_KEYS = [foldVietnamese(msg.columns.source), "nguon", "source"];

/** `// Căn cứ: …` carries the legal source, which GIFT itself has no place for. */
function sourceComment(line: string): string | null {
  const m = /^\/\/([^:]*):(.*)$/.exec(line);
  if (!m || !SOURCE_KEYS.includes(foldVietnamese(m[1]))) return null;
  return giftUnescape(m[2].trim());
}

export function parseGift(text: string): ParsedImport {
  const collector = new ImportCollector();
  const lines = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n").split("\n");
  let topic = "";
  let source = "";
  let chunk: string[] = [];
  let start = 0;

  const flush = () => {
    if (chunk.length === 0) return;
    const parsed = parseQuestion(chunk.join("\n"));
    if ("error" in parsed) collector.addError({ row: start, message: parsed.error });
    else collector.addRow(start, { ...parsed, topic, difficulty: "", source });
    chunk = [];
    source = "";
  };

  lines.forEach((raw, i) => {
    const line = raw.trim();
    const category = CATEGORY.exec(line);
    if (line === "") flush();
    else if (category) {
      flush();
      topic = categoryTopic(category[1]);
    } else if (line.startsWith("//")) source = sourceComment(line) ?? source;
    else {
      if (chunk.length === 0) start = i + 1;
      chunk.push(raw);
    }
  });
  flush();
  return collector.finish();
}

// ---------------------------------------------------------------------------------------------
// Writing

function questionToGift(q: QuestionDraft, n: number): string {
  const lines: string[] = [];
  if (q.source) {
    const source = q.source.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
    lines.push(`// ${msg.columns.source}: ${source}`);
  }
  lines.push(`::Q${n}::${giftEscape(q.text)}`, "{");
  q.options.forEach((o, i) => lines.push(`${i === q.correct ? "=" : "~"}${giftEscape(o)}`));
  if (q.explanation) lines.push(`####${giftEscape(q.explanation)}`);
  lines.push("}");
  return lines.join("\n") + "\n";
}

/** Questions grouped by topic (first-seen order), one `$CATEGORY` per group. */
export function toGift(questions: QuestionDraft[]): string {
  const groups = new Map<string, QuestionDraft[]>();
  for (const q of questions) groups.set(q.topic, [...(groups.get(q.topic) ?? []), q]);
  const parts: string[] = [];
  let n = 0;
  for (const [topic, qs] of groups) {
    parts.push(`$CATEGORY: ${topic.replace(/\//g, "//")}\n`);
    for (const q of qs) parts.push(questionToGift(q, ++n));
  }
  return parts.join("\n");
}
