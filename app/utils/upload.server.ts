// Reading one uploaded file from a multipart form, with the size limit enforced while streaming.
import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { vi } from "~/i18n/vi";
import { MAX_FILE_BYTES } from "~/models/question-import.server";

export type UploadRead =
  | { ok: true; fileName: string; bytes: Uint8Array; form: FormData }
  | { ok: false; status: 400 | 403 | 413; message: string };

export async function readUpload(request: Request, field = "file"): Promise<UploadRead> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.toLowerCase().startsWith("multipart/form-data")) {
    return { ok: false, status: 403, message: vi.errors.UNSUPPORTED_MEDIA_TYPE };
  }
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_FILE_BYTES + 64 * 1024) {
    return { ok: false, status: 413, message: vi.questionFile.tooLarge(MAX_FILE_BYTES / 1024 / 1024) };
  }
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: MAX_FILE_BYTES }),
    );
  } catch (e) {
    if (e instanceof MaxPartSizeExceededError) {
      return { ok: false, status: 413, message: vi.questionFile.tooLarge(MAX_FILE_BYTES / 1024 / 1024) };
    }
    return { ok: false, status: 400, message: vi.questionFile.noFile };
  }
  const file = form.get(field);
  if (!file || typeof file === "string" || file.size === 0) return { ok: false, status: 400, message: vi.questionFile.noFile };
  return { ok: true, fileName: file.name || "tep-cau-hoi", bytes: new Uint8Array(await file.arrayBuffer()), form };
}
