// `npm start`: build the app when the sources are newer than the build, bring the database up to
// date, then serve (scripts/serve.mjs: one process, or WEB_CONCURRENCY workers on PostgreSQL).
// One command from a fresh clone to a running contest.
import fs from "node:fs";
import path from "node:path";
import { bin, loadEnv, root, run } from "./lib.mjs";

loadEnv();
const stamp = path.join(root, "build", "server", "index.js");

function newestMtime(dir) {
  if (!fs.existsSync(dir)) return 0;
  // A folder's own time changes when a file in it is added, removed or renamed.
  let newest = fs.statSync(dir).mtimeMs;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

const sources = Math.max(
  newestMtime(path.join(root, "app")),
  newestMtime(path.join(root, "public")),
  fs.statSync(path.join(root, "vite.config.ts")).mtimeMs,
  fs.statSync(path.join(root, "package.json")).mtimeMs,
);
if (!fs.existsSync(stamp) || fs.statSync(stamp).mtimeMs < sources) {
  console.log("Building the app (first start or changed sources)…");
  run(bin("remix"), ["vite:build"], { NODE_ENV: "production" });
}
run(process.execPath, ["scripts/prepare-db.mjs"]);
await import("./serve.mjs");
