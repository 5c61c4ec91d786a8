import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { roundSchema } from "~/domain/rounds";
import { NotFoundError } from "~/models/question-bank.server";
import { getRound, RoundFieldsError, updateRound } from "~/models/round.server";
import { api, ApiError, apiJson, methodNotAllowed, parseWith, readJson, requireApiUser } from "~/utils/api.server";
import { ORGANIZERS } from "~/utils/session.server";

const notFound = (e: unknown) => {
  if (e instanceof NotFoundError) throw new ApiError(404, "NOT_FOUND");
  throw e;
};

export const loader = ({ request, params }: LoaderFunctionArgs) =>
  api(async () => {
    await requireApiUser(request, ORGANIZERS);
    return apiJson({ round: await getRound(params.roundId ?? "", new Date()).catch(notFound) });
  });

/** PUT the full settings. Once attempts exist only name, description, closing time, more attempts and the reveal policy may change (409 otherwise). */
export const action = ({ request, params }: ActionFunctionArgs) =>
  api(async () => {
    if (request.method !== "PUT") return methodNotAllowed();
    const user = await requireApiUser(request, ORGANIZERS);
    const input = parseWith(roundSchema, await readJson(request, 16 * 1024));
    try {
      return apiJson({ round: await updateRound(params.roundId ?? "", input, user, new Date()) });
    } catch (e) {
      if (e instanceof RoundFieldsError) throw new ApiError(e.code === "ROUND_HAS_ATTEMPTS" ? 409 : 400, e.code, e.fields);
      return notFound(e);
    }
  });
