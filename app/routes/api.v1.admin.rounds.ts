import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { roundSchema } from "~/domain/rounds";
import { createRound, listRoundsForAdmin, RoundFieldsError } from "~/models/round.server";
import { api, ApiError, apiJson, methodNotAllowed, parseWith, readJson, requireApiUser } from "~/utils/api.server";
import { ORGANIZERS } from "~/utils/session.server";

export const loader = ({ request }: LoaderFunctionArgs) =>
  api(async () => {
    await requireApiUser(request, ORGANIZERS);
    return apiJson({ rounds: await listRoundsForAdmin(new Date()) });
  });

export const action = ({ request }: ActionFunctionArgs) =>
  api(async () => {
    if (request.method !== "POST") return methodNotAllowed();
    const user = await requireApiUser(request, ORGANIZERS);
    const input = parseWith(roundSchema, await readJson(request, 16 * 1024));
    try {
      return apiJson({ round: await createRound(input, user, new Date()) }, 201);
    } catch (e) {
      if (e instanceof RoundFieldsError) throw new ApiError(400, e.code, e.fields);
      throw e;
    }
  });
