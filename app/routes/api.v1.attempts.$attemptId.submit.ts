import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { vi } from "~/i18n/vi";
import { MAX_PREDICTION } from "~/domain/attempt";
import { submitAttempt } from "~/models/attempt.server";
import { api, apiJson, methodNotAllowed, parseWith, readJson, requireApiUser } from "~/utils/api.server";

const body = z.object({
  prediction: z
    .number({ error: vi.errors.PREDICTION_REQUIRED })
    .int(vi.errors.PREDICTION_REQUIRED)
    .min(0, vi.errors.PREDICTION_REQUIRED)
    .max(MAX_PREDICTION, vi.errors.PREDICTION_REQUIRED)
    .nullable()
    .optional(),
});

export const loader = () => methodNotAllowed();

/** Submitting again returns the same result; past the deadline the attempt closes with the answers saved in time. */
export const action = ({ request, params }: ActionFunctionArgs) =>
  api(async () => {
    if (request.method !== "POST") return methodNotAllowed();
    const user = await requireApiUser(request);
    const { prediction } = parseWith(body, await readJson(request, 1024));
    return apiJson({ result: await submitAttempt(params.attemptId ?? "", user.id, prediction ?? null, new Date()) });
  });
