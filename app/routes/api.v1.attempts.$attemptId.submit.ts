import type { ActionFunctionArgs } from "@remix-run/node";
import { methodNotAllowed } from "~/utils/api.server";
import { fromRequest, submitAttemptHot, toResponse } from "~/utils/hot-api.server";

export const loader = () => methodNotAllowed();

/**
 * Submitting again returns the same result; past the deadline the attempt closes with the answers
 * saved in time. The handler is shared with the production server's direct route (utils/hot-api.server.ts).
 */
export const action = async ({ request, params, context }: ActionFunctionArgs) => toResponse(await submitAttemptHot(fromRequest(request, context), params));
