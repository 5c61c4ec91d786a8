import type { ActionFunctionArgs } from "@remix-run/node";
import { registerContestant } from "~/models/registration.server";
import { api, apiError, apiJson, methodNotAllowed, readJson } from "~/utils/api.server";
import { startSession } from "~/utils/session.server";

export const loader = () => methodNotAllowed();

export const action = ({ request }: ActionFunctionArgs) =>
  api(async () => {
    if (request.method !== "POST") return methodNotAllowed();
    const body = await readJson(request);
    const input = body !== null && typeof body === "object" && !Array.isArray(body) ? body : {};
    const result = await registerContestant(input, new Date());
    if (!result.ok) return apiError(result.status, result.code, result.fields);
    const cookie = await startSession(request, result.user.id);
    return apiJson({ user: result.user }, { status: 201, headers: { "Set-Cookie": cookie } });
  });
