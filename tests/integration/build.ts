// The tests that run the production server (`node server.mjs` serving build/): is build/ there and
// newer than the sources? `npm test` builds before the integration tests, so in CI a missing or
// stale build is a failure of the run, not a reason to skip; run by hand, the test is skipped with
// a warning (run `npm run build` first).
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(__dirname, "..", "..");

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, e)));
  return newest;
}

function buildIsCurrent(): boolean {
  const stamp = path.join(root, "build", "server", "index.js");
  if (!fs.existsSync(stamp)) return false;
  const sources = Math.max(...["app", "public", "vite.config.ts", "package.json"].map((p) => newestMtime(path.join(root, p))));
  return fs.statSync(stamp).mtimeMs >= sources;
}

/** True when build/ can be served; false (with a warning) when it cannot, or a throw under CI. */
export function productionBuildReady(label: string): boolean {
  if (buildIsCurrent()) return true;
  const why = `[${label}] build/ is missing or older than the sources (npm run build)`;
  if (process.env.CI) throw new Error(`${why}: under CI this test must run`);
  console.warn(`${why}: skipped`);
  return false;
}
