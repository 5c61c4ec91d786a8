import type { LoaderFunctionArgs } from "@remix-run/node";
import { methodNotAllowed } from "~/utils/api.server";
import { rankingLoader } from "~/utils/award-api.server";

/** The whole contest's ranking (counting attempts summed over its rounds). Judges and admins only; 409 until every round is closed. */
export const loader = ({ request, params }: LoaderFunctionArgs) => rankingLoader(request, params);
export const action = () => methodNotAllowed();
