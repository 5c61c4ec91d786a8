import type { ActionFunctionArgs } from "@remix-run/node";
import { validateRegistration } from "~/domain/registration";
import { contestDate } from "~/domain/time";
import { vi } from "~/i18n/vi";
import { registerContestant } from "~/models/registration.server";
import { api, apiError, apiJson, clientIp, methodNotAllowed, readJson } from "~/utils/api.server";
import { verifyCaptcha } from "~/utils/captcha.server";
import { enforce, ipKey, limitRegistration } from "~/utils/rate-limit.server";
import { startSession } from "~/utils/session.server";

export const loader = () => methodNotAllowed();

/** Body: the registration fields and `captcha` (a solved challenge from GET /api/v1/captcha). */
export const action = ({ request, context }: ActionFunctionArgs) =>
  api(async () => {
    if (request.method !== "POST") return methodNotAllowed();
    const now = new Date();
    const body = await readJson(request);
    const input = (body !== null && typeof body === "object" && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
    // Plain typos first: they read no account, so they cost neither the captcha nor a rate-limit point.
    const check = validateRegistration(input, contestDate(now));
    if (!check.ok) return apiError(400, "VALIDATION_FAILED", check.fields);
    const captcha = await verifyCaptcha(input.captcha, now.getTime());
    if (captcha) return apiError(400, captcha, { captcha: vi.errors[captcha] });
    const limit = await enforce(limitRegistration(ipKey(clientIp(context), request)));
    const deviceId = typeof input.deviceId === "string" ? input.deviceId : null;
    const result = await registerContestant(input, now, { ip: clientIp(context), deviceId });
    if (!result.ok) {
      if (result.status === 400) await limit.refund();
      return apiError(result.status, result.code, result.fields);
    }
    const cookie = await startSession(request, result.user.id);
    return apiJson({ user: result.user }, { status: 201, headers: { "Set-Cookie": cookie } });
  });
