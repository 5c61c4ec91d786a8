import type { LoaderFunctionArgs } from "@remix-run/node";
import { listRoundFlags } from "~/models/flag.server";
import { NotFoundError } from "~/models/question-bank.server";
import { api, ApiError, apiJson, methodNotAllowed, requireApiUser } from "~/utils/api.server";
import { JUDGES } from "~/utils/session.server";

export const loader = ({ request, params }: LoaderFunctionArgs) =>
  api(async () => {
    await requireApiUser(request, JUDGES);
    const status = new URL(request.url).searchParams.get("status") ?? undefined;
    try {
      const flags = await listRoundFlags(params.roundId ?? "", status);
      return apiJson(flags.map(({ id: _id, ...f }) => f));
    } catch (e) {
      if (e instanceof NotFoundError) throw new ApiError(404, "NOT_FOUND");
      throw e;
    }
  });
export const action = () => methodNotAllowed();
