import { unstable_parseMultipartFormData, type ActionFunctionArgs, type UploadHandler } from "@remix-run/node";
import { createHash } from "node:crypto";
import { api, ApiError, apiJson, assertSameOrigin, methodNotAllowed, requireApiUser } from "~/utils/api.server";
import { lookupExport } from "~/utils/award-exports.server";
import { JUDGES } from "~/utils/session.server";

/** Larger than any export the app writes; the file is hashed as it streams, never held in memory. */
const MAX_BYTES = 100 * 1024 * 1024;

export const loader = () => methodNotAllowed();

/**
 * multipart/form-data with `file`: was this exact file exported by the app? Answers
 * {known, kind, roundId, createdAt, sha256} by looking its SHA-256 up in the export records.
 */
export const action = ({ request }: ActionFunctionArgs) =>
  api(async () => {
    if (request.method !== "POST") return methodNotAllowed();
    assertSameOrigin(request);
    await requireApiUser(request, JUDGES);
    if (!(request.headers.get("Content-Type") ?? "").toLowerCase().startsWith("multipart/form-data")) throw new ApiError(403, "UNSUPPORTED_MEDIA_TYPE");
    if (Number(request.headers.get("Content-Length") ?? 0) > MAX_BYTES + 64 * 1024) throw new ApiError(413, "PAYLOAD_TOO_LARGE");
    let hashed: { sha256: string; bytes: number } | null = null;
    const handler: UploadHandler = async ({ name, filename, data }) => {
      const hash = createHash("sha256");
      let bytes = 0;
      for await (const chunk of data) {
        if (name !== "file" || filename === undefined || hashed) continue; // drain other parts
        bytes += chunk.byteLength;
        if (bytes > MAX_BYTES) throw new ApiError(413, "PAYLOAD_TOO_LARGE");
        hash.update(chunk);
      }
      if (name === "file" && filename !== undefined && !hashed) hashed = { sha256: hash.digest("hex"), bytes };
      return undefined;
    };
    try {
      await unstable_parseMultipartFormData(request, handler);
    } catch (e) {
      if (e instanceof ApiError) throw e;
      throw new ApiError(400, "INVALID_FILE");
    }
    const file = hashed as { sha256: string; bytes: number } | null;
    if (!file || file.bytes === 0) throw new ApiError(400, "INVALID_FILE");
    return apiJson(await lookupExport(file.sha256));
  });
