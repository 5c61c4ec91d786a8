import type { ActionFunctionArgs } from "@remix-run/node";
import { classifyIdentifier, loginSchema } from "~/domain/registration";
import { vi } from "~/i18n/vi";
import { verifyLogin } from "~/models/user.server";
import { api, apiError, apiJson, clientIp, methodNotAllowed, parseWith, readJson } from "~/utils/api.server";
import { verifyCaptcha } from "~/utils/captcha.server";
import { enforce, ipKey, limitLogin } from "~/utils/rate-limit.server";
import { startSession } from "~/utils/session.server";

export const loader = () => methodNotAllowed();

/** Body: `identifier`, `password` and `captcha` (a solved challenge from GET /api/v1/captcha). */
export const action = ({ request, context }: ActionFunctionArgs) =>
  api(async () => {
    if (request.method !== "POST") return methodNotAllowed();
    const body = await readJson(request);
    const { identifier, password } = parseWith(loginSchema, body);
    const captcha = await verifyCaptcha((body as { captcha?: unknown }).captcha);
    if (captcha) return apiError(400, captcha, { captcha: vi.errors[captcha] });
    // Failures only count: a success clears the identifier's counter and returns the address's point.
    const limit = await enforce(limitLogin(identifier, ipKey(clientIp(context), request)));
    const user = await verifyLogin(classifyIdentifier(identifier), password);
    if (!user) return apiError(401, "INVALID_CREDENTIALS");
    await limit.succeeded();
    const cookie = await startSession(request, user.id);
    return apiJson({ user }, { headers: { "Set-Cookie": cookie } });
  });
