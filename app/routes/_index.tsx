import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatContestTime } from "~/domain/time";
import { vi } from "~/i18n/vi";
import { listPublicContests } from "~/models/contest.server";
import { getSessionUser } from "~/utils/session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const [contests, user] = await Promise.all([listPublicContests(new Date()), getSessionUser(request)]);
  return { contests, signedIn: user !== null };
}

const statusStyle = {
  upcoming: "bg-amber-100 text-amber-900",
  open: "bg-green-100 text-green-900",
  closed: "bg-slate-200 text-slate-800",
  published: "bg-brand-100 text-brand-800",
} as const;

export default function Home() {
  const { contests, signedIn } = useLoaderData<typeof loader>();
  const contest = contests[0];
  return (
    <div className="space-y-6">
      <section className="card">
        <p className="text-sm font-medium text-brand-700">{vi.app.leadAgency}</p>
        <h1 className="mt-1 text-2xl font-bold leading-snug text-slate-900">{contest?.title ?? vi.app.name}</h1>
        <p className="mt-3 text-slate-700">{vi.home.intro}</p>
        <p className="mt-2 text-sm text-slate-600">{vi.home.whoCanJoin}</p>
        <div className="mt-5 flex flex-col gap-3 sm:flex-row">
          {signedIn ? (
            <Link to="/account" className="btn-primary">
              {vi.home.accountCta}
            </Link>
          ) : (
            <>
              <Link to="/register" className="btn-primary">
                {vi.home.registerCta}
              </Link>
              <Link to="/login" className="btn-secondary">
                {vi.home.loginCta}
              </Link>
            </>
          )}
        </div>
      </section>

      <section aria-labelledby="rounds-heading">
        <h2 id="rounds-heading" className="mb-3 text-lg font-bold">
          {vi.home.rounds}
        </h2>
        {!contest || contest.rounds.length === 0 ? (
          <p className="text-slate-600">{vi.home.noRounds}</p>
        ) : (
          <ul className="space-y-3">
            {contest.rounds.map((r) => (
              <li key={r.id} className="card" data-testid="round">
                <div className="flex items-start justify-between gap-2">
                  <h3 className="font-semibold">
                    <Link to={`/rounds/${r.id}`} className="text-brand-700 underline">
                      {r.name}
                    </Link>
                  </h3>
                  <span className={`rounded-full px-2.5 py-0.5 text-xs font-semibold ${statusStyle[r.status]}`}>
                    {vi.roundStatus[r.status]}
                  </span>
                </div>
                <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm text-slate-700">
                  <dt className="font-medium">{vi.home.opens}</dt>
                  <dd>{formatContestTime(r.opensAt)}</dd>
                  <dt className="font-medium">{vi.home.closes}</dt>
                  <dd>{formatContestTime(r.closesAt)}</dd>
                </dl>
                <p className="mt-2 text-sm text-slate-600">
                  {vi.home.questions(r.questionCount)} · {vi.home.duration(Math.round(r.durationSeconds / 60))} ·{" "}
                  {vi.home.attempts(r.maxAttempts)}
                  {r.prediction ? ` · ${vi.home.prediction}` : ""}
                </p>
              </li>
            ))}
          </ul>
        )}
        {contest && contest.rounds.length > 0 ? (
          <p className="mt-3 text-sm">
            <Link to={`/contests/${contest.id}/results`} className="text-brand-700 underline">
              {vi.awards.wholeContestLink}
            </Link>
          </p>
        ) : null}
      </section>
    </div>
  );
}
