import type { LoaderFunctionArgs } from "@remix-run/node";
import { api, apiJson, methodNotAllowed, requireApiUser } from "~/utils/api.server";

export const loader = ({ request }: LoaderFunctionArgs) =>
  api(async () => apiJson({ user: await requireApiUser(request) }));
export const action = () => methodNotAllowed();
