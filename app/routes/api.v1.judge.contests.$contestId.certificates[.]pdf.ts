import type { LoaderFunctionArgs } from "@remix-run/node";
import { methodNotAllowed } from "~/utils/api.server";
import { certificatesLoader } from "~/utils/award-api.server";

/** The winners' certificates, one A4 page each (?userId= for one). Once published (409 NOT_PUBLISHED before). Judges and admins only. */
export const loader = ({ request, params }: LoaderFunctionArgs) => certificatesLoader(request, params);
export const action = () => methodNotAllowed();
