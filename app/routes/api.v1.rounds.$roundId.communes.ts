import type { LoaderFunctionArgs } from "@remix-run/node";
import { NotFoundError } from "~/models/question-bank.server";
import { communeStandings } from "~/models/standing.server";
import { api, ApiError, apiJson, methodNotAllowed } from "~/utils/api.server";

export const loader = ({ params }: LoaderFunctionArgs) =>
  api(async () => {
    try {
      const entries = await communeStandings(params.roundId ?? "", new Date());
      return apiJson({ entries }, { headers: { "Cache-Control": "public, max-age=5" } });
    } catch (e) {
      if (e instanceof NotFoundError) throw new ApiError(404, "NOT_FOUND");
      throw e;
    }
  });
export const action = () => methodNotAllowed();
