import type { ActionFunctionArgs } from "@remix-run/node";
import { clearAttempt } from "~/models/flag.server";
import { api, apiJson, methodNotAllowed, parseWith, readJson, requireApiUser } from "~/utils/api.server";
import { judgeErrorToApi, reasonSchema } from "~/utils/judge-api.server";
import { JUDGES } from "~/utils/session.server";

export const loader = () => methodNotAllowed();

export const action = ({ request, params }: ActionFunctionArgs) =>
  api(async () => {
    if (request.method !== "POST") return methodNotAllowed();
    const judge = await requireApiUser(request, JUDGES);
    const { reason } = parseWith(reasonSchema, await readJson(request, 4096));
    await clearAttempt(params.attemptId ?? "", reason, judge, new Date()).catch(judgeErrorToApi);
    return apiJson({ ok: true });
  });
