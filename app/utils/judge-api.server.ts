import { z } from "zod";
import { vi } from "~/i18n/vi";
import { JudgeError } from "~/models/flag.server";
import { ApiError } from "./api.server";

/** A judge's decision always carries a reason (it goes to the audit log and to the contestant). */
export const reasonSchema = z.object({
  reason: z
    .string({ error: vi.judge.reasonRequired })
    .trim()
    .min(3, vi.judge.reasonRequired)
    .max(1000, vi.judge.reasonRequired),
});

export function judgeErrorToApi(e: unknown): never {
  if (e instanceof JudgeError) {
    if (e.code === "NOT_FOUND") throw new ApiError(404, "NOT_FOUND");
    throw new ApiError(409, e.code);
  }
  throw e;
}
