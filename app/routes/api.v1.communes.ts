import { listCommunes } from "~/models/commune.server";
import { api, apiJson, methodNotAllowed } from "~/utils/api.server";

export const loader = () =>
  api(async () => apiJson(await listCommunes(), { headers: { "Cache-Control": "public, max-age=3600" } }));
export const action = () => methodNotAllowed();
