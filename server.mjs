// The production HTTP server: Express serving the Remix build, its static assets and nothing else.
// One process; `npm run serve` / `npm start` run several with WEB_CONCURRENCY (scripts/serve.mjs).
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";
import helmet from "helmet";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";

const root = path.dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";
const build = await import(path.join(root, "build", "server", "index.js"));

const app = express();
app.disable("x-powered-by");
// Behind a reverse proxy, trust its X-Forwarded-* headers only when told to (TRUST_PROXY=1).
if (process.env.TRUST_PROXY) app.set("trust proxy", Number(process.env.TRUST_PROXY) || process.env.TRUST_PROXY);
// A request whose handler answers without reading the whole body (a refused upload, a 413, a 415):
// the answer waits until the rest is read and dropped (drained(), below, as for the hot endpoints).
// Answered at once, the client, still sending, never reads it on a kept-alive socket, and on a
// closing one (Connection: close) the socket is closed under the body it is sending: a reset.
app.use((req, res, next) => {
  const end = res.end;
  res.end = function (...args) {
    if (req.complete || req.readableEnded) return end.apply(this, args);
    drained(req).then(() => end.apply(this, args));
    return this;
  };
  next();
});
// Cross-site writes to pages (forms and Remix's .data requests) are refused with a plain 403,
// before Remix, whose own check throws and would answer 500. The JSON API checks Origin itself, and
// every path under /api/v1 reaches one of its routes (api.v1.$ takes the rest) except one with a
// line break once decoded: React Router's splat does not match one. Any other path is a page to
// Remix, /api/x included (the fuzz test found POST /api/v1/%0A from another origin answered 500).
const apiPath = /^\/api\/v1(\/|$)/;
// Percent-encoded only: Node refuses a raw CR or LF in the request line, and reads other bytes as
// Latin-1, so a raw U+2028 never reaches a path as one.
const lineBreak = /%0a|%0d|%e2%80%a[89]/i;
app.use((req, res, next) => {
  if (req.method === "GET" || req.method === "HEAD") return next();
  if (apiPath.test(req.path) && !req.path.endsWith(".data") && !lineBreak.test(req.path)) return next();
  const origin = req.get("origin");
  if (origin === undefined) return next();
  let originHost = null;
  try {
    originHost = origin === "null" ? null : new URL(origin).host;
  } catch {
    originHost = null;
  }
  const hostHeader = req.get("x-forwarded-host") && app.get("trust proxy") ? req.get("x-forwarded-host") : req.get("host");
  if (originHost !== null && originHost === hostHeader) return next();
  res.status(403).type("text/plain; charset=utf-8").send("Yêu cầu bị từ chối: nguồn gửi không hợp lệ.");
});
app.use(compression());
// Security headers, and a Content-Security-Policy the app works under: scripts only from this site
// or carrying this response's nonce; the captcha's solver runs in a worker started from a data: or
// blob: URL; inline style attributes (progress bars, chart sizes) are allowed.
app.use((_req, res, next) => {
  res.locals.cspNonce = randomBytes(16).toString("base64");
  next();
});
const secure = process.env.SECURE_COOKIES ? process.env.SECURE_COOKIES === "true" : process.env.NODE_ENV === "production";
const securityHeaders = helmet({
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
});
app.use(securityHeaders);

// Fingerprinted assets can be cached for a year; the rest of public/ for an hour. The API never
// serves files: no file-system lookup for its requests.
app.use("/assets", express.static(path.join(root, "build", "client", "assets"), { immutable: true, maxAge: "1y" }));
const publicFiles = express.static(path.join(root, "build", "client"), { maxAge: "1h" });
app.use((req, res, next) => (req.path.startsWith("/api/") ? next() : publicFiles(req, res, next)));
// Remix's data requests from before single fetch (`?_data=<route id>`): this app's pages never make
// them (single fetch asks for `<path>.data`), and Remix answers an empty or unknown route id from a
// signed-in user with a 500 (it reads a response that is not there; the fuzz test found
// GET /judge?_data= as an admin). Refused here like any page that does not exist.
app.use((req, res, next) => {
  const q = req.url.indexOf("?");
  if (q < 0 || !new URLSearchParams(req.url.slice(q + 1)).has("_data")) return next();
  res.status(404).set("Cache-Control", "no-store").type("text/plain; charset=utf-8").send("Không tìm thấy trang.");
});
// app.use, not app.all("*"): a path with a malformed escape (%FF) reaches Remix, which answers 404,
// instead of Express failing to decode it.
app.use(createRequestHandler({ build, mode: "production", getLoadContext: (req, res) => ({ ip: req.ip ?? null, cspNonce: res.locals.cspNonce }) }));

// ---------------------------------------------------------------------------------------------
// The contest's hot JSON endpoints (start, save an answer, submit, the leaderboard) are answered
// before Express: measured on this kind of machine, Express, compression and helmet cost about
// 0.3 ms of CPU per request, several times the database work of a save. Their handlers are the
// same code as their Remix routes (app/utils/hot-api.server.ts, exported by entry.server.tsx),
// with the same checks; the client's address (TRUST_PROXY) and host are read by Express's own
// getters, exactly as for every other request. Responses carry helmet's headers, computed once
// (the Content-Security-Policy of a JSON reply needs no script nonce: it allows nothing), and are
// gzipped above 1 KiB like compression() does.

/** The headers helmet sets, as a plain object (they do not depend on the request). */
function staticHeaders(middleware) {
  const headers = {};
  const res = {
    locals: { cspNonce: "" },
    setHeader: (k, v) => (headers[k.toLowerCase()] = v),
    removeHeader: (k) => delete headers[k.toLowerCase()],
    getHeader: (k) => headers[k.toLowerCase()],
  };
  middleware({ headers: {}, method: "GET", url: "/" }, res, () => {});
  headers["content-security-policy"] = "default-src 'none'; frame-ancestors 'none'";
  return headers;
}
const apiHeaders = staticHeaders(securityHeaders);

const hotRoutes = (build.entry.module.hotRoutes ?? []).map((r) => ({
  method: r.method,
  pattern: new RegExp(`^${r.path.replace(/:[A-Za-z]+/g, "([^/]+)")}/?$`, "i"),
  names: [...r.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]),
  handle: r.handle,
  kind: r.method === "GET" ? "read" : r.path.endsWith("/attempts") ? "start" : r.path.endsWith("/submit") ? "submit" : "save",
}));

// `npm run bench` only: with BENCH_TIMINGS_FILE set, the time each hot request spends in this process
// (from its headers parsed to its answer handed to the kernel) is written to <file>.<pid> on SIGTERM,
// so the bench can tell the server's latency from its own client's.
const timingsFile = process.env.BENCH_TIMINGS_FILE;
const timings = timingsFile ? { kind: [], at: [], ms: [] } : null;
function timed(res, kind) {
  const t = performance.now();
  res.once("finish", () => {
    timings.kind.push(kind);
    timings.at.push(Math.round(performance.timeOrigin + t));
    timings.ms.push(Math.round((performance.now() - t) * 100) / 100);
  });
}

function hotRoute(req) {
  if (req.method !== "GET" && req.method !== "PUT" && req.method !== "POST") return null;
  const url = req.url ?? "";
  const q = url.indexOf("?");
  const pathname = q < 0 ? url : url.slice(0, q);
  if (!pathname.startsWith("/api/v1/")) return null;
  for (const r of hotRoutes) {
    if (r.method !== req.method) continue;
    const m = r.pattern.exec(pathname);
    if (!m) continue;
    const params = {};
    try {
      r.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])));
    } catch {
      return null; // malformed escapes: Express answers as for any such URL
    }
    return { handle: r.handle, params, kind: r.kind };
  }
  return null;
}

/** host[:port] of the request as @remix-run/express puts it in the Request's URL. */
function remixHost(req) {
  const [, forwardedPort] = req.get("X-Forwarded-Host")?.split(":") ?? [];
  const [, hostPort] = req.get("host")?.split(":") ?? [];
  const a = Number.parseInt(forwardedPort, 10);
  const b = Number.parseInt(hostPort, 10);
  const p = Number.isSafeInteger(a) ? a : Number.isSafeInteger(b) ? b : "";
  try {
    return new URL(`${req.protocol}://${req.hostname}${p ? `:${p}` : ""}`).host;
  } catch {
    return "";
  }
}

/**
 * The body, or null past `limit` bytes (the rest is read and dropped). Its listeners go as soon as
 * the body is read (the error one too: a request with no error listener does not emit one), so a
 * finished request no longer reaches this promise and, through it, the handler's objects; in the
 * bench this took the bytes a scavenge promotes from 5.5 to 4.9 MB.
 */
function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    const done = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    const onData = (chunk) => {
      size += chunk.length;
      if (size > limit) {
        done();
        req.resume();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    };
    const onError = (e) => {
      done();
      reject(e);
    };
    req.on("data", onData);
    req.once("end", onEnd);
    req.once("error", onError);
  });
}

// helmet's headers as [name, value, name, value, …], the form writeHead takes without copying.
const apiHeaderList = Object.entries({ ...apiHeaders, vary: "Accept-Encoding" }).flat();

function sendHot(req, res, r) {
  const headers = apiHeaderList.slice();
  for (const name in r.headers) headers.push(name, r.headers[name]);
  const send = (body, gzipped) => {
    if (gzipped) headers.push("content-encoding", "gzip");
    headers.push("content-length", typeof body === "string" ? Buffer.byteLength(body) : body.length);
    res.writeHead(r.status, headers);
    res.end(body);
  };
  if (r.body.length < 1024 || !/\bgzip\b/i.test(req.headers["accept-encoding"] ?? "")) return send(r.body, false);
  zlib.gzip(r.body, (error, gzipped) => (error ? send(r.body, false) : send(gzipped, true)));
}

// An answer given before the body was read (a 401 before an upload): the rest of the body is read
// and dropped first, up to 16 MiB or 10 s, so that a client that sends it all before reading (and
// asked to close the connection) gets the answer instead of a connection reset. Whoever else was
// reading the body is done with it (the answer is written): its listeners go, or a paused web
// stream over the request (Remix's) would hold the rest back.
const DRAIN_LIMIT = 16 * 1024 * 1024;
const DRAIN_MS = 10_000;
function drained(req) {
  return new Promise((resolve) => {
    let size = 0;
    const finish = () => {
      clearTimeout(timer);
      req.off("data", onData);
      req.off("end", finish);
      req.off("error", finish);
      req.off("close", finish);
      resolve();
    };
    const onData = (chunk) => {
      size += chunk.length;
      if (size > DRAIN_LIMIT) finish();
    };
    const timer = setTimeout(finish, DRAIN_MS);
    req.removeAllListeners("data");
    req.on("data", onData);
    req.once("end", finish);
    req.once("error", finish);
    req.once("close", finish);
    req.resume();
  });
}

/**
 * A hot request as the handlers take it (HotRequest in app/utils/hot-api.server.ts). A class, so
 * that `host` is one getter on the prototype: written as an object literal, the getter was a new
 * accessor on every request's object, and with it about a fifth of everything the server allocated
 * survived each scavenge (6.8 MB of 21 MB, 14 ms pauses, against 0.7 MB and 3 ms without it, on
 * a save path cut short after reading the body; see the README's benchmark section).
 */
class HotRequest {
  constructor(req, view) {
    this.req = req;
    this.view = view;
    this.method = req.method;
    this.ip = view.ip ?? null;
  }
  query() {
    return new URL(this.req.url ?? "/", "http://localhost").searchParams;
  }
  get host() {
    return remixHost(this.view);
  }
  header(name) {
    const v = this.req.headers[name];
    return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
  }
  readBody(limit) {
    return readBody(this.req, limit);
  }
}

function hot(req, res, route) {
  if (timings) timed(res, route.kind);
  // Express's own getters (ip, hostname, protocol, get) on a small view of the request: the same
  // answers as for every other request (TRUST_PROXY included), without giving the request itself
  // Express's prototype (a prototype change on a live object costs more than the whole lookup).
  const view = Object.create(app.request);
  view.headers = req.headers;
  view.connection = view.socket = req.socket;
  const request = new HotRequest(req, view);
  route.handle(request, route.params).then(
    (r) => (req.complete ? sendHot(req, res, r) : drained(req).then(() => sendHot(req, res, r))),
    (e) => {
      console.error("[api] unexpected error:", e instanceof Error ? e.message : e);
      if (!res.headersSent) res.writeHead(500, { ...apiHeaders, "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "INTERNAL" } }));
    },
  );
}

const server = http.createServer((req, res) => {
  const route = hotRoute(req);
  if (route) hot(req, res, route);
  else app(req, res);
});
server.listen(port, host, () => {
  console.log(`✓ cchc-contest is serving on http://localhost:${port}${process.env.WORKER_LABEL ? ` (${process.env.WORKER_LABEL}, pid ${process.pid})` : ""}`);
});
// Longer than the usual reverse proxy's idle timeout (60 s), so the proxy closes idle connections
// first and never sends a request on one Node is closing (the classic source of stray 502s).
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
const stop = () => {
  if (timings) fs.writeFileSync(`${timingsFile}.${process.pid}`, JSON.stringify(timings));
  server.close(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
