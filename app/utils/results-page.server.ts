import { communeFullName } from "~/domain/communes";
import { publicResults } from "~/models/award.server";
import { db } from "~/utils/db.server";
import { orNotFound } from "~/utils/http.server";

/** The public results of a plan key, with commune names. */
export async function publicResultsView(key: string, now: Date) {
  const r = await orNotFound(publicResults(key, now));
  if (!r.published) return r;
  const communes = new Map((await db().commune.findMany({ select: { code: true, name: true, type: true } })).map((c) => [c.code, communeFullName(c)]));
  return {
    ...r,
    winners: r.winners.map((w) => ({ ...w, commune: communes.get(w.communeCode) ?? "" })),
    collective: r.collective.map((c) => ({ ...c, commune: communes.get(c.communeCode) ?? "" })),
  };
}
