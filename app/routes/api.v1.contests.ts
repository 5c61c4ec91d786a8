import { listPublicContests } from "~/models/contest.server";
import { api, apiJson, methodNotAllowed } from "~/utils/api.server";

export const loader = () =>
  api(async () => {
    const contests = await listPublicContests(new Date());
    return apiJson(contests.map(({ description: _d, rounds, ...c }) => ({ ...c, rounds: rounds.map(({ prediction: _p, ...r }) => r) })));
  });
export const action = () => methodNotAllowed();
