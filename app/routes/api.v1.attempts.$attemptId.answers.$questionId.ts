import type { ActionFunctionArgs } from "@remix-run/node";
import { methodNotAllowed } from "~/utils/api.server";
import { fromRequest, saveAnswerHot, toResponse } from "~/utils/hot-api.server";

export const loader = () => methodNotAllowed();

/**
 * PUT {optionId}: idempotent; 409 once the attempt is closed; 400 for a question or option not in it.
 * The handler is shared with the production server's direct route (utils/hot-api.server.ts).
 */
export const action = async ({ request, params, context }: ActionFunctionArgs) => toResponse(await saveAnswerHot(fromRequest(request, context), params));
