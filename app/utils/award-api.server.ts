// The judges' award endpoints, shared by a round (/api/v1/judge/rounds/:roundId/…) and the whole
// contest (/api/v1/judge/contests/:contestId/…): both work on a plan key (see award.server).
import type { Params } from "@remix-run/react";
import { AwardError, contestKey, roundRanking } from "~/models/award.server";
import { api, ApiError, apiJson, requireApiUser } from "./api.server";
import { exportAwardsCsv, exportAwardsXlsx, exportCertificates, exportResponse } from "./award-exports.server";
import { JUDGES } from "./session.server";

export function awardErrorToApi(e: unknown): never {
  if (e instanceof AwardError) {
    if (e.code === "NOT_FOUND") throw new ApiError(404, "NOT_FOUND");
    if (e.code === "REASON_REQUIRED") throw new ApiError(400, "REASON_REQUIRED");
    throw new ApiError(409, e.code);
  }
  throw e;
}

/** The plan key of an address: the round's id, or the contest's key. */
export const planKeyOf = (params: Params) => (params.contestId !== undefined ? contestKey(params.contestId) : (params.roundId ?? ""));

/** The final ranking in the tie-break order, with the details needed to verify winners. */
export const rankingLoader = (request: Request, params: Params) =>
  api(async () => {
    await requireApiUser(request, JUDGES);
    const r = await roundRanking(planKeyOf(params), new Date()).catch(awardErrorToApi);
    return apiJson({
      actualAllCorrect: r.actualAllCorrect,
      entries: r.entries.map((e) => ({
        rank: e.rank,
        tied: e.tied,
        userId: e.userId,
        attemptId: e.attemptId,
        fullName: e.fullName,
        nationalId: e.nationalId,
        phone: e.phone,
        birthDate: e.birthDate,
        communeCode: e.communeCode,
        group: e.group,
        correctCount: e.correctCount,
        questionCount: e.questionCount,
        prediction: e.prediction,
        predictionError: e.predictionError,
        durationMs: e.durationMs,
        submittedAt: e.submittedAt.toISOString(),
        flags: e.flags,
      })),
    });
  });

/** The winners as an .xlsx (one sheet per tier and group, plus the collective prizes) or a CSV. */
export const awardsFileLoader = (kind: "xlsx" | "csv", request: Request, params: Params) =>
  api(async () => {
    const user = await requireApiUser(request, JUDGES);
    const make = kind === "xlsx" ? exportAwardsXlsx : exportAwardsCsv;
    return exportResponse(await make(planKeyOf(params), user, new Date()).catch(awardErrorToApi));
  });

/** The certificates (?userId= for one winner's), once the result is published. */
export const certificatesLoader = (request: Request, params: Params) =>
  api(async () => {
    const user = await requireApiUser(request, JUDGES);
    const userId = new URL(request.url).searchParams.get("userId")?.trim() || undefined;
    return exportResponse(await exportCertificates(planKeyOf(params), user, new Date(), userId).catch(awardErrorToApi));
  });
