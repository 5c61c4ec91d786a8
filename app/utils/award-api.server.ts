import { AwardError } from "~/models/award.server";
import { ApiError } from "./api.server";

export function awardErrorToApi(e: unknown): never {
  if (e instanceof AwardError) {
    if (e.code === "NOT_FOUND") throw new ApiError(404, "NOT_FOUND");
    if (e.code === "REASON_REQUIRED") throw new ApiError(400, "REASON_REQUIRED");
    throw new ApiError(409, e.code);
  }
  throw e;
}
