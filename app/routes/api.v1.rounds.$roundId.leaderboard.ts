import type { LoaderFunctionArgs } from "@remix-run/node";
import { NotFoundError } from "~/models/question-bank.server";
import { leaderboard, ownRank } from "~/models/standing.server";
import { api, ApiError, apiJson, methodNotAllowed } from "~/utils/api.server";
import { int } from "~/utils/http.server";
import { getSessionUser } from "~/utils/session.server";

/** Public: masked names and commune only. A signed-in contestant also gets `me`, their own place. */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  api(async () => {
    const url = new URL(request.url);
    const commune = url.searchParams.get("commune") ?? undefined;
    const group = url.searchParams.get("group") ?? undefined;
    if ((commune && !/^\d{5}$/.test(commune)) || (group && !/^[a-z]{1,20}$/.test(group))) throw new ApiError(400, "VALIDATION_FAILED");
    const filter = { commune, group, limit: int(url.searchParams.get("limit"), 50) };
    const now = new Date();
    try {
      const board = await leaderboard(params.roundId ?? "", filter, now);
      const user = await getSessionUser(request);
      const me = user ? await ownRank(params.roundId ?? "", user.id, filter, now) : null;
      return apiJson({ ...board, ...(me ? { me } : {}) }, { headers: { "Cache-Control": user ? "private, no-store" : "public, max-age=2" } });
    } catch (e) {
      if (e instanceof NotFoundError) throw new ApiError(404, "NOT_FOUND");
      throw e;
    }
  });
export const action = () => methodNotAllowed();
