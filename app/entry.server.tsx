// Server entry: renders each page whole (pages are small; no out-of-order streaming needed) and
// starts the background jobs of the process (the deadline sweep).
import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { startBackgroundJobs } from "~/utils/jobs.server";
import { NonceProvider } from "~/utils/nonce";
import { errorForLog } from "~/utils/redact";

// The hot JSON endpoints, for server.mjs to mount ahead of Remix (build.entry.module.hotRoutes):
// the same handlers as their Remix routes, in this bundle's module instances (one db, one cache).
export { hotRoutes } from "~/utils/hot-api.server";

const ABORT_DELAY = 5_000;

startBackgroundJobs();

export default function handleRequest(request: Request, status: number, headers: Headers, remixContext: EntryContext, loadContext: AppLoadContext) {
  // The production server sets a fresh CSP nonce per response (server.mjs); dev has none.
  const nonce = typeof loadContext?.cspNonce === "string" ? loadContext.cspNonce : undefined;
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const app = (
      <NonceProvider value={nonce ?? ""}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>
    );
    const { pipe, abort } = renderToPipeableStream(app, {
      nonce,
      onAllReady() {
        shellRendered = true;
        const body = new PassThrough();
        headers.set("Content-Type", "text/html; charset=utf-8");
        resolve(new Response(createReadableStreamFromReadable(body), { headers, status }));
        pipe(body);
      },
      onShellError(error: unknown) {
        reject(error);
      },
      onError(error: unknown) {
        status = 500;
        if (shellRendered) console.error(errorForLog(error));
      },
    });
    setTimeout(abort, ABORT_DELAY);
  });
}

/** Errors reach the log without request bodies or personal data (errorForLog redacts Prisma's echo of values). */
export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  console.error(`[${request.method} ${new URL(request.url).pathname}]`, errorForLog(error));
}
