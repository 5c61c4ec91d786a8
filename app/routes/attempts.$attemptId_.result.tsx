import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { vi } from "~/i18n/vi";
import { AttemptError, getResult, reviewAttempt } from "~/models/attempt.server";
import { db } from "~/utils/db.server";
import { formatDuration } from "~/utils/format";
import { isUnstorableText } from "~/utils/http.server";
import { requireUser } from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: `${vi.play.resultTitle} · ${vi.app.shortName}` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const now = new Date();
  try {
    const result = await getResult(params.attemptId ?? "", user.id, now);
    // Still running: there is no result yet, the contestant belongs on the attempt page.
    if (result.status === "in_progress") throw redirect(`/attempts/${result.attemptId}`);
    const attempt = await db().attempt.findUniqueOrThrow({ where: { id: result.attemptId }, select: { roundId: true, voidReason: true } });
    const round = await db().round.findUniqueOrThrow({ where: { id: attempt.roundId }, select: { id: true, name: true, revealAnswers: true } });
    const review = await reviewAttempt(result.attemptId, user.id, now);
    return { result, round, review, voidReason: attempt.voidReason };
  } catch (e) {
    if ((e instanceof AttemptError && e.code === "NOT_FOUND") || isUnstorableText(e)) throw new Response(null, { status: 404 });
    throw e;
  }
}

export default function Result() {
  const { result, round, review, voidReason } = useLoaderData<typeof loader>();
  const P = vi.play;
  return (
    <div className="space-y-4">
      <section className="card space-y-2" data-testid="result">
        <p className="text-sm text-brand-700">{round.name}</p>
        <h1 className="text-xl font-bold">{P.resultTitle}</h1>
        {result.status === "voided" ? (
          <>
            <p className="text-red-800" data-testid="voided">
              {P.voidedNote(voidReason ?? "")}
            </p>
            <p className="text-sm text-slate-700">{P.complaint}</p>
            <p className="text-sm text-slate-700">{P.attemptCode(result.attemptId)}</p>
          </>
        ) : (
          <>
            <p className="text-2xl font-bold" data-testid="score">
              {P.resultLine(result.correctCount, result.questionCount)}
            </p>
            <p>{P.durationLine(formatDuration(result.durationMs))}</p>
            {result.prediction !== null ? <p>{P.predictionLine(result.prediction)}</p> : null}
            {result.status === "expired" ? <p className="text-sm text-amber-800">{P.expiredNote}</p> : null}
          </>
        )}
        <p className="pt-2">
          <Link to={`/rounds/${round.id}`} className="text-brand-700 underline">
            {P.backToRound}
          </Link>
        </p>
      </section>
      {review ? (
        <section className="card space-y-4" aria-labelledby="review-title">
          <h2 id="review-title" className="font-semibold">
            {P.reviewTitle}
          </h2>
          <ol className="space-y-4">
            {review.map((q, i) => (
              <li key={q.id} className="border-b border-slate-100 pb-3">
                <p className="font-medium">
                  {i + 1}. {q.text}
                </p>
                <ul className="mt-1 space-y-0.5 text-sm">
                  {q.options.map((o, k) => (
                    <li key={o.id} className={o.correct ? "font-semibold text-green-800" : o.id === q.chosen ? "text-red-700" : ""}>
                      {String.fromCharCode(65 + k)}. {o.text}
                      {o.correct ? ` — ${P.correctAnswer}` : ""}
                      {o.id === q.chosen ? ` — ${P.yourChoice}` : ""}
                    </li>
                  ))}
                  {q.chosen === null ? <li className="text-slate-600">{P.noAnswer}</li> : null}
                </ul>
                <p className="mt-1 text-sm text-slate-700">{q.explanation}</p>
              </li>
            ))}
          </ol>
        </section>
      ) : result.status !== "voided" ? (
        <p className="text-sm text-slate-700">{round.revealAnswers === "never" ? P.reviewNever : P.reviewLater}</p>
      ) : null}
    </div>
  );
}
