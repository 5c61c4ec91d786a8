import type { LoaderFunctionArgs } from "@remix-run/node";
import { api, methodNotAllowed, requireApiUser } from "~/utils/api.server";
import { awardErrorToApi } from "~/utils/award-api.server";
import { exportCertificates, exportResponse } from "~/utils/award-exports.server";
import { JUDGES } from "~/utils/session.server";

/**
 * The winners' certificates, one A4 page each, in one PDF (?userId= for one winner's). Only once
 * the result is published (409 NOT_PUBLISHED before). Judges and admins only.
 */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  api(async () => {
    const user = await requireApiUser(request, JUDGES);
    const userId = new URL(request.url).searchParams.get("userId")?.trim() || undefined;
    return exportResponse(await exportCertificates(params.roundId ?? "", user, new Date(), userId).catch(awardErrorToApi));
  });
export const action = () => methodNotAllowed();
