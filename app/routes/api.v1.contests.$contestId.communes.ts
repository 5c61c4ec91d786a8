import type { LoaderFunctionArgs } from "@remix-run/node";
import { contestCommuneStandings } from "~/models/standing.server";
import { api, ApiError, apiJson, methodNotAllowed } from "~/utils/api.server";
import { db } from "~/utils/db.server";

/** The commune standings over the whole contest (distinct participants across its rounds). */
export const loader = ({ params }: LoaderFunctionArgs) =>
  api(async () => {
    const contest = await db().contest.findUnique({ where: { id: params.contestId ?? "" }, select: { id: true } });
    if (!contest) throw new ApiError(404, "NOT_FOUND");
    return apiJson({ entries: await contestCommuneStandings(contest.id, new Date()) }, { headers: { "Cache-Control": "public, max-age=5" } });
  });
export const action = () => methodNotAllowed();
