import type { LoaderFunctionArgs } from "@remix-run/node";
import { getAttempt } from "~/models/attempt.server";
import { api, apiJson, methodNotAllowed, requireApiUser } from "~/utils/api.server";

export const loader = ({ request, params }: LoaderFunctionArgs) =>
  api(async () => {
    const user = await requireApiUser(request);
    return apiJson({ attempt: await getAttempt(params.attemptId ?? "", user.id, new Date()) });
  });
export const action = () => methodNotAllowed();
