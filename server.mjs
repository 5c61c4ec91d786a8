// The production HTTP server: Express serving the Remix build, its static assets and nothing else.
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";
import helmet from "helmet";
import { randomBytes } from "node:crypto";
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
// Security headers, and a Content-Security-Policy the app works under: scripts only from this site
// or carrying this response's nonce; the captcha's solver runs in a worker started from a data: or
// blob: URL; inline style attributes (progress bars, chart sizes) are allowed.
app.use((_req, res, next) => {
  res.locals.cspNonce = randomBytes(16).toString("base64");
  next();
});
const secure = process.env.SECURE_COOKIES ? process.env.SECURE_COOKIES === "true" : process.env.NODE_ENV === "production";
app.use(
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", (_req, res) => `'nonce-${res.locals.cspNonce}'`],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:", "blob:"],
        fontSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", "blob:", "data:"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    crossOriginEmbedderPolicy: false,
    // HSTS only where the site is really served over HTTPS (behind the TLS proxy).
    strictTransportSecurity: secure ? { maxAge: 15552000, includeSubDomains: false } : false,
    referrerPolicy: { policy: "same-origin" },
  }),
);
// Fingerprinted assets can be cached for a year; the rest of public/ for an hour.
app.use("/assets", express.static(path.join(root, "build", "client", "assets"), { immutable: true, maxAge: "1y" }));
app.use(express.static(path.join(root, "build", "client"), { maxAge: "1h" }));
app.all("*", createRequestHandler({ build, mode: "production", getLoadContext: (req, res) => ({ ip: req.ip ?? null, cspNonce: res.locals.cspNonce }) }));

const server = app.listen(port, host, () => {
  console.log(`✓ cchc-contest is serving on http://localhost:${port}`);
});
// Longer than the usual reverse proxy's idle timeout (60 s), so the proxy closes idle connections
// first and never sends a request on one Node is closing (the classic source of stray 502s).
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
