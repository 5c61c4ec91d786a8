import type { LoaderFunctionArgs } from "@remix-run/node";
import { methodNotAllowed } from "~/utils/api.server";
import { fromRequest, leaderboardHot, toResponse } from "~/utils/hot-api.server";

/**
 * Public: masked names and commune only. A signed-in contestant also gets `me`, their own place.
 * The handler is shared with the production server's direct route (utils/hot-api.server.ts).
 */
export const loader = async ({ request, params, context }: LoaderFunctionArgs) => toResponse(await leaderboardHot(fromRequest(request, context), params));
export const action = () => methodNotAllowed();
