import type { LoaderFunctionArgs } from "@remix-run/node";
import { api, methodNotAllowed, requireApiUser } from "~/utils/api.server";
import { awardErrorToApi } from "~/utils/award-api.server";
import { exportAwardsXlsx, exportResponse } from "~/utils/award-exports.server";
import { JUDGES } from "~/utils/session.server";

/** The winners as an .xlsx, one sheet per tier (and group); fingerprint in X-Content-SHA256. Judges and admins only. */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  api(async () => {
    const user = await requireApiUser(request, JUDGES);
    return exportResponse(await exportAwardsXlsx(params.roundId ?? "", user, new Date()).catch(awardErrorToApi));
  });
export const action = () => methodNotAllowed();
