// File downloads: a Vietnamese file name that survives every browser (RFC 6266 / 5987).
import { foldVietnamese } from "~/domain/communes";

export function attachment(fileName: string, contentType: string, body: string | Uint8Array): Response {
  const ascii = foldVietnamese(fileName).replace(/[^a-z0-9._-]+/gi, "-");
  const payload = typeof body === "string" ? body : new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  return new Response(payload as BodyInit, {
    headers: {
      "Content-Type": contentType,
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
