import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { saveAnswer } from "~/models/attempt.server";
import { api, apiJson, clientIp, methodNotAllowed, parseWith, readJson, requireApiUser } from "~/utils/api.server";
import { enforce, ipKey, limitAnswerSave } from "~/utils/rate-limit.server";

const body = z.object({ optionId: z.string().min(1).max(100) });

export const loader = () => methodNotAllowed();

/** PUT {optionId}: idempotent; 409 once the attempt is closed; 400 for a question or option not in it. */
export const action = ({ request, params, context }: ActionFunctionArgs) =>
  api(async () => {
    if (request.method !== "PUT") return methodNotAllowed();
    const user = await requireApiUser(request);
    await enforce(limitAnswerSave(user.id, ipKey(clientIp(context), request)));
    const { optionId } = parseWith(body, await readJson(request, 4096));
    const ip = clientIp(context);
    return apiJson(await saveAnswer(params.attemptId ?? "", user.id, params.questionId ?? "", optionId, new Date(), ip));
  });
