// The production HTTP server: Express serving the Remix build, its static assets and nothing else.
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";
const build = await import(path.join(root, "build", "server", "index.js"));

const app = express();
app.disable("x-powered-by");
// Behind a reverse proxy, trust its X-Forwarded-* headers only when told to (TRUST_PROXY=1).
if (process.env.TRUST_PROXY) app.set("trust proxy", Number(process.env.TRUST_PROXY) || process.env.TRUST_PROXY);
app.use(compression());
// Fingerprinted assets can be cached for a year; the rest of public/ for an hour.
app.use("/assets", express.static(path.join(root, "build", "client", "assets"), { immutable: true, maxAge: "1y" }));
app.use(express.static(path.join(root, "build", "client"), { maxAge: "1h" }));
app.all("*", createRequestHandler({ build, mode: "production", getLoadContext: (req) => ({ ip: req.ip ?? null }) }));

const server = app.listen(port, host, () => {
  console.log(`✓ cchc-contest is serving on http://localhost:${port}`);
});
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
