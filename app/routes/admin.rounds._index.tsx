import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RoundStatusBadge } from "~/components/round-form";
import { formatContestTime } from "~/domain/time";
import { vi } from "~/i18n/vi";
import { listRoundsForAdmin } from "~/models/round.server";
import { ORGANIZERS, requireRole } from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: `${vi.rounds.listTitle} · ${vi.app.shortName}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ORGANIZERS);
  const rounds = await listRoundsForAdmin(new Date());
  return {
    rounds: rounds.map((r) => ({
      id: r.id,
      name: r.name,
      contestTitle: r.contestTitle,
      status: r.status,
      opensAt: r.opensAt,
      closesAt: r.closesAt,
      attempts: r.attempts,
    })),
  };
}

export default function Rounds() {
  const { rounds } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-xl font-bold">{vi.rounds.listTitle}</h1>
        <Link to="/admin/rounds/new" className="btn-primary">
          {vi.rounds.newRound}
        </Link>
      </div>
      {rounds.length === 0 ? <p className="text-slate-600">{vi.rounds.none}</p> : null}
      <ul className="space-y-3">
        {rounds.map((r) => (
          <li key={r.id} className="card" data-testid="admin-round">
            <div className="flex items-start justify-between gap-2">
              <div>
                <p className="text-xs text-slate-600">{r.contestTitle}</p>
                <Link to={`/admin/rounds/${r.id}`} className="font-semibold text-brand-700 underline">
                  {r.name}
                </Link>
              </div>
              <RoundStatusBadge status={r.status} />
            </div>
            <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm text-slate-700">
              <dt className="font-medium">{vi.rounds.opens}</dt>
              <dd>{formatContestTime(r.opensAt)}</dd>
              <dt className="font-medium">{vi.rounds.closes}</dt>
              <dd>{formatContestTime(r.closesAt)}</dd>
            </dl>
            <p className="mt-1 text-sm text-slate-600">{vi.rounds.attemptsCount(r.attempts)}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}
