import type { LoaderFunctionArgs } from "@remix-run/node";
import { methodNotAllowed } from "~/utils/api.server";
import { awardsFileLoader } from "~/utils/award-api.server";

/** The winners as .xlsx; fingerprint in X-Content-SHA256. Judges and admins only. */
export const loader = ({ request, params }: LoaderFunctionArgs) => awardsFileLoader("xlsx", request, params);
export const action = () => methodNotAllowed();
