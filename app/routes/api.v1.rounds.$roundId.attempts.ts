import type { ActionFunctionArgs } from "@remix-run/node";
import { startAttempt } from "~/models/attempt.server";
import { api, apiJson, clientIp, methodNotAllowed, readJson, requireApiUser } from "~/utils/api.server";
import { enforce, ipKey, limitAttemptStart } from "~/utils/rate-limit.server";

export const loader = () => methodNotAllowed();

/** 201 with a new attempt, or 200 with the one already in progress (resume, never a second live one). */
export const action = ({ request, params, context }: ActionFunctionArgs) =>
  api(async () => {
    if (request.method !== "POST") return methodNotAllowed();
    const user = await requireApiUser(request);
    await enforce(limitAttemptStart(user.id, ipKey(clientIp(context), request)));
    const body = (await readJson(request, 1024)) ?? {};
    const deviceId = typeof (body as { deviceId?: unknown }).deviceId === "string" ? (body as { deviceId: string }).deviceId : null;
    const { created, attempt } = await startAttempt({
      roundId: params.roundId ?? "",
      user,
      now: new Date(),
      ip: clientIp(context),
      userAgent: request.headers.get("User-Agent"),
      deviceId,
    });
    return apiJson({ attempt }, created ? 201 : 200);
  });
