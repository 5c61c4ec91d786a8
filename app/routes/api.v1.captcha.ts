import type { LoaderFunctionArgs } from "@remix-run/node";
import { api, apiJson, methodNotAllowed } from "~/utils/api.server";
import { createCaptchaChallenge } from "~/utils/captcha.server";

/**
 * GET: a new proof-of-work challenge `{parameters, signature}` (ALTCHA v2, SHA-256), valid for ten
 * minutes, in the shape the <altcha-widget> fetches. Solve it and send the base64 payload as
 * `captcha` with a registration or login.
 */
export const loader = (_: LoaderFunctionArgs) => api(async () => apiJson(await createCaptchaChallenge()));

export const action = () => methodNotAllowed();
