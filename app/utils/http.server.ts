import { NotFoundError } from "~/models/question-bank.server";

/**
 * PostgreSQL refuses text containing a NUL character (SQLite stores it): an id or a value with a
 * "%00" in it is bad input, not a fault of the server.
 */
export function isUnstorableText(e: unknown): boolean {
  const x = e as { code?: unknown; meta?: { driverAdapterError?: { cause?: { code?: unknown } } } } | null;
  return x?.code === "22021" || x?.meta?.driverAdapterError?.cause?.code === "22021";
}

/** Whether a parsed body holds a NUL character in any string or key, at any depth (no recursion: bodies may nest 10,000 deep). */
export function hasNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === "string") {
      if (v.includes("\u0000")) return true;
    } else if (Array.isArray(v)) stack.push(...v);
    else if (v !== null && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        if (k.includes("\u0000")) return true;
        stack.push(x);
      }
    }
  }
  return false;
}

/** Pages: a missing record (or an id no record can have) becomes a 404 rendered by the error boundary. */
export async function orNotFound<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof NotFoundError || isUnstorableText(e)) throw new Response(null, { status: 404 });
    throw e;
  }
}

export const int = (s: string | null, fallback: number) => {
  const n = Number.parseInt(s ?? "", 10);
  return Number.isFinite(n) && n > 0 ? Math.min(n, 1_000_000) : fallback;
};

/** Past this many discarded bytes the connection is dropped instead (a client that will not stop). */
const DISCARD_CAP_BYTES = 128 * 1024 * 1024;

/**
 * Reads and throws away what is left of a request body the app will not use, in the background.
 * Answering without reading the body leaves it on the wire, and the client (which sends it all
 * before reading the answer) waits until it times out; cancelling the stream instead resets the
 * connection, so the client never sees the 413 or 401. Past DISCARD_CAP_BYTES it does cancel.
 */
export function discardBody(body: ReadableStream<Uint8Array> | ReadableStreamDefaultReader<Uint8Array> | null | undefined): void {
  if (!body) return;
  let reader: ReadableStreamDefaultReader<Uint8Array>;
  if ("getReader" in body) {
    if (body.locked) return;
    reader = body.getReader();
  } else reader = body;
  void (async () => {
    let size = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        size += value.byteLength;
        if (size > DISCARD_CAP_BYTES) {
          await reader.cancel();
          return;
        }
      }
    } catch {
      // The client went away: nothing left to discard.
    }
  })();
}

/**
 * The body, without trusting Content-Length; null past `limit` bytes (the rest is discarded in the
 * background, see discardBody, so the client still reads the answer).
 */
export async function readBodyUpTo(request: Request, limit: number): Promise<ReturnType<typeof Buffer.concat> | null> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        discardBody(reader);
        return null;
      }
      chunks.push(value);
    }
  }
  return Buffer.concat(chunks);
}

/** The largest form a page accepts (question files go through readUpload, with their own limit). */
export const FORM_LIMIT_BYTES = 2 * 1024 * 1024;

/**
 * Pages: the submitted form. `request.formData()` alone throws a TypeError on anything but a form
 * body, which Remix answers with a 500; this throws a 4xx the error boundary shows instead: 415
 * when the body is not a form (a bodiless POST is an empty form), 413 past `limit`, 400 when the
 * form cannot be parsed (broken multipart).
 */
export async function readForm(request: Request, limit = FORM_LIMIT_BYTES): Promise<FormData> {
  const contentType = request.headers.get("Content-Type") ?? "";
  const type = contentType.split(";")[0].trim().toLowerCase();
  const isForm = type === "application/x-www-form-urlencoded" || type === "multipart/form-data";
  if (!isForm && type !== "") {
    discardBody(request.body);
    throw new Response(null, { status: 415 });
  }
  if (Number(request.headers.get("Content-Length") ?? 0) > limit) {
    discardBody(request.body);
    throw new Response(null, { status: 413 });
  }
  const body = await readBodyUpTo(request, limit);
  if (body === null) throw new Response(null, { status: 413 });
  if (!isForm) {
    if (body.length > 0) throw new Response(null, { status: 415 });
    return new FormData();
  }
  let form: FormData;
  try {
    form = await new Response(body, { headers: { "Content-Type": contentType } }).formData();
  } catch {
    throw new Response(null, { status: 400 });
  }
  for (const [name, value] of form) if (name.includes("\u0000") || (typeof value === "string" && value.includes("\u0000"))) throw new Response(null, { status: 400 });
  return form;
}
