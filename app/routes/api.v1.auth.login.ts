import type { ActionFunctionArgs } from "@remix-run/node";
import { classifyIdentifier, loginSchema } from "~/domain/registration";
import { verifyLogin } from "~/models/user.server";
import { api, apiError, apiJson, methodNotAllowed, parseWith, readJson } from "~/utils/api.server";
import { startSession } from "~/utils/session.server";

export const loader = () => methodNotAllowed();

export const action = ({ request }: ActionFunctionArgs) =>
  api(async () => {
    if (request.method !== "POST") return methodNotAllowed();
    const { identifier, password } = parseWith(loginSchema, await readJson(request));
    const user = await verifyLogin(classifyIdentifier(identifier), password);
    if (!user) return apiError(401, "INVALID_CREDENTIALS");
    const cookie = await startSession(request, user.id);
    return apiJson({ user }, { headers: { "Set-Cookie": cookie } });
  });
