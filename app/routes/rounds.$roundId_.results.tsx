import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { communeFullName } from "~/domain/communes";
import { formatContestTime } from "~/domain/time";
import { vi } from "~/i18n/vi";
import { publicResults } from "~/models/award.server";
import { db } from "~/utils/db.server";
import { orNotFound } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: `${vi.awards.title} · ${vi.app.shortName}` }];

/** Public results: masked names, commune and prize only. */
export async function loader({ params }: LoaderFunctionArgs) {
  const r = await orNotFound(publicResults(params.roundId ?? "", new Date()));
  if (!r.published) return r;
  const communes = new Map((await db().commune.findMany({ select: { code: true, name: true, type: true } })).map((c) => [c.code, communeFullName(c)]));
  return { ...r, winners: r.winners.map((w) => ({ ...w, commune: communes.get(w.communeCode) ?? "" })) };
}

export default function Results() {
  const d = useLoaderData<typeof loader>();
  const A = vi.awards;
  return (
    <div className="card space-y-3">
      <h1 className="text-xl font-bold">{A.resultsTitle(d.round.name)}</h1>
      {!d.published ? (
        <p>{A.notPublished}</p>
      ) : (
        <>
          <p className="text-sm">{A.published(formatContestTime(d.publishedAt))}</p>
          <p className="text-sm">{d.complaintOpen ? A.complaintUntil(formatContestTime(d.complaintUntil)) : A.complaintClosed}</p>
          <p className="text-sm">{A.actual(d.actualAllCorrect)}</p>
          <ol className="divide-y divide-slate-100" data-testid="public-winners">
            {d.winners.map((w, i) => (
              <li key={i} className="py-2 text-sm">
                <strong>{w.tier}</strong> · {w.displayName} · {w.commune}
              </li>
            ))}
          </ol>
          <p className="break-all text-xs text-slate-500">{A.fingerprint(d.sha256 ?? "")}</p>
        </>
      )}
      <Link to={`/rounds/${d.round.id}`} className="text-sm text-brand-700 underline">
        {vi.play.backToRound}
      </Link>
    </div>
  );
}
