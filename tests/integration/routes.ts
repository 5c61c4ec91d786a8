// The app's route files as the tests see them: the list in app/routes/, which of them export a
// loader or an action, and the URL each one answers (Remix flat-route naming), so that a test
// table can be checked for completeness against the folder itself.
import fs from "node:fs";
import path from "node:path";

export const ROUTES_DIR = path.resolve(__dirname, "..", "..", "app", "routes");

/** Every route module in app/routes/ (file names, sorted). */
export function routeFiles(): string[] {
  return fs
    .readdirSync(ROUTES_DIR)
    .filter((f) => /\.(ts|tsx)$/.test(f) && !/\.test\./.test(f))
    .sort();
}

/** Whether the file exports a loader and an action (read from its source, without importing it). */
export function exportsOf(file: string): { loader: boolean; action: boolean } {
  const src = fs.readFileSync(path.join(ROUTES_DIR, file), "utf8");
  const has = (name: string) =>
    new RegExp(`export\\s+(?:async\\s+)?(?:function\\s*\\*?|const|let|var)\\s+${name}\\b`).test(src) ||
    new RegExp(`export\\s*\\{[^}]*\\b${name}\\b[^}]*\\}`).test(src);
  return { loader: has("loader"), action: has("action") };
}

/** Splits a flat-route file name into its segments ("awards[.]csv" stays one segment). */
function segments(file: string): string[] {
  const base = file.replace(/\.(ts|tsx)$/, "");
  const out: string[] = [];
  let cur = "";
  let bracket = false;
  for (const ch of base) {
    if (ch === "[") bracket = true;
    if (ch === "]") bracket = false;
    if (ch === "." && !bracket) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/**
 * The URL pattern of a route file: "rounds.$roundId_.leaderboard.tsx" → "/rounds/:roundId/leaderboard",
 * "api.v1.judge.rounds.$roundId.awards[.]csv.ts" → "/api/v1/judge/rounds/:roundId/awards.csv",
 * "$.tsx" → "/*".
 */
export function urlPattern(file: string): string {
  const parts: string[] = [];
  for (let seg of segments(file)) {
    if (seg === "_index") continue;
    if (seg.startsWith("_")) continue; // pathless layout
    if (seg.endsWith("_")) seg = seg.slice(0, -1); // opts out of the parent layout, same URL
    seg = seg.replace(/\[([^\]]*)\]/g, "$1");
    if (seg === "$") parts.push("*");
    else if (seg.startsWith("$")) parts.push(`:${seg.slice(1)}`);
    else parts.push(seg);
  }
  return `/${parts.join("/")}`;
}

const BYTE_ESCAPES = Array.from({ length: 256 }, (_, b) => {
  const c = String.fromCharCode(b);
  return /[A-Za-z0-9_.~-]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
});

/** Percent-encodes any string as UTF-8 (lone surrogates become U+FFFD instead of throwing). */
export function encodeSegment(s: string): string {
  // A table lookup per byte: the fuzz test encodes 1 MB values, many times.
  const bytes = Buffer.from(s, "utf8");
  const out = new Array<string>(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = BYTE_ESCAPES[bytes[i]];
  return out.join("");
}

/** The URL of a route file with its parameters filled in (already encoded values pass through `raw`). */
export function urlOf(file: string, params: Record<string, string> = {}, opts: { raw?: boolean } = {}): string {
  const enc = opts.raw ? (s: string) => s : encodeSegment;
  return urlPattern(file).replace(/:([A-Za-z]+)|\*/g, (m, name: string | undefined) => {
    const key = name ?? "*";
    const v = params[key];
    if (v === undefined) throw new Error(`urlOf(${file}): no value for ${m}`);
    return key === "*" ? v.split("/").map(enc).join("/") : enc(v);
  });
}
