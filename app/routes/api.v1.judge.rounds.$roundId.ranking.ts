import type { LoaderFunctionArgs } from "@remix-run/node";
import { methodNotAllowed } from "~/utils/api.server";
import { rankingLoader } from "~/utils/award-api.server";

/** The round's final ranking in its tie-break order, with the details needed to verify winners. Judges and admins only. */
export const loader = ({ request, params }: LoaderFunctionArgs) => rankingLoader(request, params);
export const action = () => methodNotAllowed();
