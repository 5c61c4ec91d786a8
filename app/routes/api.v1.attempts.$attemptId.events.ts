import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { EVENT_TYPES, recordEvent } from "~/models/attempt.server";
import { api, apiJson, clientIp, methodNotAllowed, parseWith, readJson, requireApiUser } from "~/utils/api.server";

const body = z.object({
  type: z.enum(EVENT_TYPES),
  at: z.iso.datetime({ offset: true }).optional(),
});

export const loader = () => methodNotAllowed();

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  api(async () => {
    if (request.method !== "POST") return methodNotAllowed();
    const user = await requireApiUser(request);
    const e = parseWith(body, await readJson(request, 2048));
    await recordEvent(params.attemptId ?? "", user.id, e.type, e.at ? new Date(e.at) : null, clientIp(context));
    return apiJson({ accepted: true }, 202);
  });
