import type { ActionFunctionArgs } from "@remix-run/node";
import { methodNotAllowed } from "~/utils/api.server";
import { fromRequest, startAttemptHot, toResponse } from "~/utils/hot-api.server";

export const loader = () => methodNotAllowed();

/**
 * 201 with a new attempt, or 200 with the one already in progress (resume, never a second live one).
 * The handler is shared with the production server's direct route (utils/hot-api.server.ts).
 */
export const action = async ({ request, params, context }: ActionFunctionArgs) => toResponse(await startAttemptHot(fromRequest(request, context), params));
