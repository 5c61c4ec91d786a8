import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatContestTime } from "~/domain/time";
import { vi } from "~/i18n/vi";
import { listContests } from "~/models/contest.server";
import { roundsWithFlagCounts } from "~/models/flag.server";
import { JUDGES, requireRole } from "~/utils/session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, JUDGES);
  const [rounds, contests] = await Promise.all([roundsWithFlagCounts(), listContests()]);
  return { contests, rounds: rounds.map((r) => ({ ...r, opensAt: r.opensAt.toISOString(), closesAt: r.closesAt.toISOString() })) };
}

export default function JudgeHome() {
  const { rounds, contests } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-bold">{vi.judge.title}</h1>
      <p className="text-sm text-slate-600">{vi.judge.lead}</p>
      <ul className="space-y-3">
        {rounds.map((r) => (
          <li key={r.id} className="card">
            <Link to={`/judge/rounds/${r.id}`} className="font-semibold text-brand-700 underline">
              {r.name}
            </Link>
            <p className="text-sm text-slate-600">
              {formatContestTime(r.opensAt)} – {formatContestTime(r.closesAt)}
            </p>
            <p className="text-sm">{r.open ? vi.judge.openFlags(r.open) : vi.judge.noFlags}</p>
            <Link to={`/judge/rounds/${r.id}/awards`} className="text-sm text-brand-700 underline">
              {vi.awards.title}
            </Link>
          </li>
        ))}
      </ul>
      <ul className="space-y-3">
        {contests.map((c) => (
          <li key={c.id} className="card">
            <Link to={`/judge/contests/${c.id}/awards`} className="font-semibold text-brand-700 underline">
              {vi.awards.wholeContestTitle}
            </Link>
            <p className="text-sm text-slate-600">{c.title}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}
