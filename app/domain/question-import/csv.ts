// CSV question files: byte decoding (Excel writes UTF-8, UTF-8 with BOM or UTF-16), delimiter
// detection (Vietnamese Excel often writes ";"), then the shared table rules.
import { parse } from "csv-parse/sync";
import { vi } from "../../i18n/vi";
import type { ParsedImport } from "../questions";
import { parseQuestionTable } from "./table";

export type DecodedText = { ok: true; text: string } | { ok: false; message: string };

function bomEncoding(bytes: Uint8Array): "utf-8" | "utf-16le" | "utf-16be" {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  return "utf-8";
}

export function decodeTextFile(bytes: Uint8Array): DecodedText {
  let text: string;
  try {
    // TextDecoder drops the BOM itself (ignoreBOM defaults to false).
    text = new TextDecoder(bomEncoding(bytes), { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, message: vi.questionFile.encoding };
  }
  // NUL characters mean UTF-16 without a BOM, which we cannot tell apart reliably.
  if (text.includes("\u0000")) return { ok: false, message: vi.questionFile.encoding };
  return { ok: true, text };
}

const DELIMITERS = [",", ";", "\t"] as const;
type Delimiter = (typeof DELIMITERS)[number];

/** The delimiter used most in the first record, quotes respected; comma on a tie. */
function detectDelimiter(text: string): Delimiter {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) break;
    else if (!quoted) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best: Delimiter = ",";
  for (const d of DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}

/** Excel honours a first line "sep=;" and hides it; so do we. */
const SEP_LINE = /^sep=([,;\t])\r?\n/i;

export function parseCsv(text: string): string[][] {
  const body = text.replace(/^\uFEFF/, "");
  const sep = SEP_LINE.exec(body);
  const content = sep ? body.slice(sep[0].length) : body;
  const delimiter = sep ? sep[1] : detectDelimiter(content);
  const read = (csv: string) =>
    parse(csv, { delimiter, record_delimiter: ["\r\n", "\n", "\r"], relax_column_count: true, relax_quotes: true }) as string[][];
  try {
    return read(content);
  } catch (e) {
    // Like Excel, an unclosed quote runs to the end of the file: its row then fails the checks.
    if ((e as { code?: string }).code === "CSV_QUOTE_NOT_CLOSED") return read(`${content}"`);
    throw e;
  }
}

export function parseCsvQuestions(bytes: Uint8Array): ParsedImport | { fileError: string } {
  const decoded = decodeTextFile(bytes);
  if (!decoded.ok) return { fileError: decoded.message };
  let rows: string[][];
  try {
    rows = parseCsv(decoded.text);
  } catch {
    // Not expected with the relaxed options above; a file error beats a crash.
    return { fileError: vi.questionFile.unsupportedType };
  }
  return parseQuestionTable(rows);
}
