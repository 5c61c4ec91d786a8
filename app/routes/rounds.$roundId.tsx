import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect } from "react";
import { deviceId } from "~/lib/device";
import { GRACE_MS } from "~/domain/attempt";
import { mayCompete } from "~/domain/roles";
import { formatContestTime } from "~/domain/time";
import { vi } from "~/i18n/vi";
import { AttemptError, startAttempt } from "~/models/attempt.server";
import { roundForContestant } from "~/models/play.server";
import { clientIp } from "~/utils/api.server";
import { isUnstorableText, orNotFound, readForm } from "~/utils/http.server";
import { ipKey, limitAttemptStart, RateLimitedError, retryAfterHeaders } from "~/utils/rate-limit.server";
import { getSessionUser, requireUser } from "~/utils/session.server";
import { formatDuration } from "~/utils/format";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.round.name ?? vi.rounds.title} · ${vi.app.shortName}` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  const view = await orNotFound(roundForContestant(params.roundId ?? "", user?.id ?? null, new Date()));
  return { ...view, signedIn: user !== null, isStaff: user ? !mayCompete(user.role) : false };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  try {
    await limitAttemptStart(user.id, ipKey(clientIp(context), request));
  } catch (e) {
    if (e instanceof RateLimitedError) return data({ message: vi.errors.RATE_LIMITED }, { status: 429, headers: retryAfterHeaders(e) });
    throw e;
  }
  const form = await readForm(request);
  const deviceId = String(form.get("deviceId") ?? "").slice(0, 100) || null;
  try {
    const { attempt } = await startAttempt({
      roundId: params.roundId ?? "",
      user,
      now: new Date(),
      ip: clientIp(context),
      userAgent: request.headers.get("User-Agent"),
      deviceId,
    });
    return redirect(`/attempts/${attempt.id}`);
  } catch (e) {
    if (e instanceof AttemptError && e.code !== "NOT_FOUND") return data({ message: vi.errors[e.code] }, { status: 403 });
    if (e instanceof AttemptError || isUnstorableText(e)) throw new Response(null, { status: 404 });
    throw e;
  }
}

export default function RoundPage() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const r = d.round;
  const P = vi.play;
  const used = d.attempts.length;
  const left = Math.max(0, r.maxAttempts - used);
  useEffect(() => {
    for (const input of document.querySelectorAll<HTMLInputElement>("input[data-device-id]")) input.value = deviceId();
  }, []);
  return (
    <div className="space-y-4">
      <section className="card space-y-3">
        <p className="text-sm text-brand-700">{r.contestTitle}</p>
        <h1 className="text-xl font-bold">{r.name}</h1>
        <p className="text-sm text-slate-700">
          {vi.home.opens}: {formatContestTime(r.opensAt)} · {vi.home.closes}: {formatContestTime(r.closesAt)}
        </p>
        <Link to={`/rounds/${r.id}/leaderboard`} className="inline-block text-sm font-semibold text-brand-700 underline">{vi.boards.leaderboardLink}</Link>
        {r.description ? <p className="whitespace-pre-line text-slate-700">{r.description}</p> : null}
        <h2 className="pt-2 font-semibold">{P.rulesTitle}</h2>
        <ul className="list-disc space-y-1 pl-5 text-slate-800">
          <li>{P.rules(r.questionCount, Math.round(r.durationSeconds / 60))}</li>
          <li>
            {r.maxAttempts > 1 ? vi.home.attempts(r.maxAttempts) + ". " + P.countsBest : vi.home.attempts(1) + "."}
          </li>
          <li>{P.tieRule(r.tieBreak.map((t) => vi.rounds.tieBreakLabels[t]))}</li>
          {r.prediction ? <li>{P.predictionRule}</li> : null}
          <li>{P.graceNote(GRACE_MS / 1000)}</li>
        </ul>
        <div aria-live="polite">
          {result?.message ? (
            <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
              {result.message}
            </p>
          ) : null}
        </div>
        {r.status === "upcoming" ? (
          <p className="font-medium">{P.notOpenYet(formatContestTime(r.opensAt))}</p>
        ) : r.status !== "open" ? (
          <p className="font-medium">{P.closed}</p>
        ) : !d.signedIn ? (
          <Link to={`/login?redirectTo=${encodeURIComponent(`/rounds/${r.id}`)}`} className="btn-primary">
            {P.loginToStart}
          </Link>
        ) : d.isStaff ? (
          <p className="text-amber-800">{P.staffNote}</p>
        ) : d.liveAttemptId ? (
          <Link to={`/attempts/${d.liveAttemptId}`} className="btn-primary">
            {P.resume}
          </Link>
        ) : left > 0 ? (
          <Form method="post">
            <p className="mb-2 text-sm">{P.attemptsLeft(left, r.maxAttempts)}</p>
            <input type="hidden" name="deviceId" value="" data-device-id />
            <button type="submit" className="btn-primary w-full sm:w-auto" disabled={busy}>
              {P.start}
            </button>
          </Form>
        ) : (
          <p className="font-medium">{vi.errors.NO_ATTEMPTS_LEFT}</p>
        )}
      </section>
      {d.attempts.length ? (
        <section className="card">
          <h2 className="mb-2 font-semibold">{P.history}</h2>
          <ul className="divide-y divide-slate-100" data-testid="attempt-history">
            {d.attempts.map((a) => (
              <li key={a.attemptId} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
                <span>
                  {P.attemptN(a.number)} · {P.status[a.status]}
                  {a.status === "submitted" || a.status === "expired" ? ` · ${a.correctCount}/${a.questionCount} · ${formatDuration(a.durationMs)}` : ""}
                  {a.counting ? <strong className="ml-2 rounded bg-green-100 px-2 py-0.5 text-green-900">{P.counting}</strong> : null}
                </span>
                {a.status === "in_progress" ? (
                  <Link to={`/attempts/${a.attemptId}`} className="text-brand-700 underline">
                    {P.resume}
                  </Link>
                ) : (
                  <Link to={`/attempts/${a.attemptId}/result`} className="text-brand-700 underline">
                    {P.viewResult}
                  </Link>
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
