import type { ActionFunctionArgs } from "@remix-run/node";
import { vi } from "~/i18n/vi";
import { NotFoundError } from "~/models/question-bank.server";
import { importDirect } from "~/models/question-import.server";
import { api, ApiError, apiJson, assertSameOrigin, methodNotAllowed, requireApiUser } from "~/utils/api.server";
import { ORGANIZERS } from "~/utils/session.server";
import { readUpload } from "~/utils/upload.server";

export const loader = () => methodNotAllowed();

/**
 * multipart/form-data with `file` (and `defaultTopic` for Aiken). A file with any invalid row
 * imports nothing unless ?partial=1; either way the answer lists every row error.
 */
export const action = ({ request, params }: ActionFunctionArgs) =>
  api(async () => {
    if (request.method !== "POST") return methodNotAllowed();
    assertSameOrigin(request);
    const user = await requireApiUser(request, ORGANIZERS);
    const upload = await readUpload(request);
    if (!upload.ok) {
      const code = upload.status === 413 ? "PAYLOAD_TOO_LARGE" : upload.status === 403 ? "UNSUPPORTED_MEDIA_TYPE" : "VALIDATION_FAILED";
      return apiJson({ error: { code, message: upload.message } }, upload.status);
    }
    const partial = new URL(request.url).searchParams.get("partial") === "1";
    const defaultTopic = String(upload.form.get("defaultTopic") ?? "").slice(0, 200);
    try {
      const r = await importDirect(params.bankId ?? "", { fileName: upload.fileName, bytes: upload.bytes, defaultTopic }, partial, user);
      if (!r.ok) return apiJson({ error: { code: "INVALID_FILE", message: r.message } }, 400);
      const rowErrors = [...r.errors, ...r.duplicates]
        .sort((a, b) => a.row - b.row)
        .map((e) => ({ row: e.row, column: e.column, message: `${vi.questionFile.rowPrefix(e.row)}: ${e.message}` }));
      return apiJson({ imported: r.imported, skipped: r.skipped, format: r.format, errors: rowErrors });
    } catch (e) {
      if (e instanceof NotFoundError) throw new ApiError(404, "NOT_FOUND");
      throw e;
    }
  });
