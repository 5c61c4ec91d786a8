// The public results of a round or of the whole contest: masked names, commune, prize; the
// communes that won collective prizes. Nothing personal (see award.server publicResults).
import { Link } from "@remix-run/react";
import { formatContestTime } from "~/domain/time";
import { vi } from "~/i18n/vi";

export interface PublicResultsView {
  round: { id: string; name: string };
  published: boolean;
  publishedAt?: string;
  complaintUntil?: string;
  complaintOpen?: boolean;
  sha256?: string | null;
  actualAllCorrect?: number;
  winners?: { tier: string; displayName: string; commune: string }[];
  collective?: { tier: string; commune: string }[];
}

export function ResultsPage({ d, back }: { d: PublicResultsView; back: { to: string; label: string } }) {
  const A = vi.awards;
  return (
    <div className="card space-y-3">
      <h1 className="text-xl font-bold">{A.resultsTitle(d.round.name)}</h1>
      {!d.published ? (
        <p>{A.notPublished}</p>
      ) : (
        <>
          <p className="text-sm">{A.published(formatContestTime(d.publishedAt!))}</p>
          <p className="text-sm">{d.complaintOpen ? A.complaintUntil(formatContestTime(d.complaintUntil!)) : A.complaintClosed}</p>
          <p className="text-sm">{A.actual(d.actualAllCorrect ?? 0)}</p>
          <ol className="divide-y divide-slate-100" data-testid="public-winners">
            {(d.winners ?? []).map((w, i) => (
              <li key={i} className="py-2 text-sm">
                <strong>{w.tier}</strong> · {w.displayName} · {w.commune}
              </li>
            ))}
          </ol>
          {d.collective?.length ? (
            <section>
              <h2 className="font-semibold">{A.collectiveWinners}</h2>
              <ol className="divide-y divide-slate-100" data-testid="public-collective">
                {d.collective.map((c, i) => (
                  <li key={i} className="py-2 text-sm">
                    <strong>{c.tier}</strong> · {c.commune}
                  </li>
                ))}
              </ol>
            </section>
          ) : null}
          <p className="break-all text-xs text-slate-600">{A.fingerprint(d.sha256 ?? "")}</p>
        </>
      )}
      <Link to={back.to} className="text-sm text-brand-700 underline">
        {back.label}
      </Link>
    </div>
  );
}
