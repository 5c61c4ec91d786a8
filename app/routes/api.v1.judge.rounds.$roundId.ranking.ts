import type { LoaderFunctionArgs } from "@remix-run/node";
import { roundRanking } from "~/models/award.server";
import { api, apiJson, methodNotAllowed, requireApiUser } from "~/utils/api.server";
import { awardErrorToApi } from "~/utils/award-api.server";
import { JUDGES } from "~/utils/session.server";

/** The final ranking in the round's tie-break order, with the details needed to verify winners. */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  api(async () => {
    await requireApiUser(request, JUDGES);
    const r = await roundRanking(params.roundId ?? "", new Date()).catch(awardErrorToApi);
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
export const action = () => methodNotAllowed();
