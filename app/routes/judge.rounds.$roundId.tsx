import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { communeFullName } from "~/domain/communes";
import { vi } from "~/i18n/vi";
import { reviewQueue } from "~/models/flag.server";
import { getRound } from "~/models/round.server";
import { formatDuration } from "~/utils/format";
import { orNotFound } from "~/utils/http.server";
import { JUDGES, requireRole } from "~/utils/session.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, JUDGES);
  const round = await orNotFound(getRound(params.roundId ?? "", new Date()));
  const queue = await reviewQueue(round.id);
  return {
    round: { id: round.id, name: round.name },
    queue: queue.map((g) => ({
      attempt: g.attempt,
      user: g.user ? { fullName: g.user.fullName, commune: g.user.commune ? communeFullName(g.user.commune) : "" } : null,
      flags: g.flags.map((f) => ({ rule: f.rule, severity: f.severity, status: f.status })),
      open: g.open,
    })),
  };
}

const sevStyle: Record<string, string> = { high: "bg-red-100 text-red-900", medium: "bg-amber-100 text-amber-900", low: "bg-slate-100 text-slate-800" };

export default function Queue() {
  const { round, queue } = useLoaderData<typeof loader>();
  const J = vi.judge;
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-bold">{J.queueTitle(round.name)}</h1>
      <Link to={`/judge/rounds/${round.id}/awards`} className="inline-block text-sm font-semibold text-brand-700 underline">
        {vi.awards.title}
      </Link>
      {queue.length === 0 ? <p>{J.noFlags}</p> : null}
      <ul className="space-y-3">
        {queue.map((g) => (
          <li key={g.attempt.id} className={`card ${g.open ? "" : "opacity-70"}`} data-testid="flagged-attempt">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <p className="font-semibold">
                {g.user?.fullName} <span className="font-normal text-slate-600">· {g.user?.commune}</span>
              </p>
              <span className="text-sm">{vi.play.status[g.attempt.status as keyof typeof vi.play.status]}</span>
            </div>
            <p className="text-sm text-slate-700">
              {J.attempt(g.attempt.number)} · {J.score(g.attempt.correctCount ?? 0, g.attempt.questionCount)} · {formatDuration(g.attempt.durationMs ?? 0)}
            </p>
            <ul className="mt-2 flex flex-wrap gap-2 text-xs">
              {g.flags.map((f) => (
                <li key={f.rule} className={`rounded px-2 py-0.5 ${sevStyle[f.severity] ?? ""}`}>
                  {J.rules[f.rule] ?? f.rule} · {J.severity[f.severity as keyof typeof J.severity]} · {J.status[f.status as keyof typeof J.status]}
                </li>
              ))}
            </ul>
            <Link to={`/judge/attempts/${g.attempt.id}`} className="mt-2 inline-block text-sm font-semibold text-brand-700 underline">
              {J.evidence}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
