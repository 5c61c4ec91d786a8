import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, useActionData, useNavigate } from "@remix-run/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { MAX_PREDICTION } from "~/domain/attempt";
import { formatContestTime } from "~/domain/time";
import { vi } from "~/i18n/vi";
import { AnswerQueue, httpSender, type QueueState } from "~/lib/answer-queue";
import { AttemptError, getAttempt, saveAnswer, submitAttempt } from "~/models/attempt.server";
import { clientIp } from "~/utils/api.server";
import { db } from "~/utils/db.server";
import { formatClock } from "~/utils/format";
import { isUnstorableText, readForm } from "~/utils/http.server";
import { requireUser } from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: `${vi.play.finish} · ${vi.app.shortName}` }];

async function ownAttempt(attemptId: string, userId: string, now: Date) {
  try {
    return await getAttempt(attemptId, userId, now);
  } catch (e) {
    if ((e instanceof AttemptError && e.code === "NOT_FOUND") || isUnstorableText(e)) throw new Response(null, { status: 404 });
    throw e;
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const attempt = await ownAttempt(params.attemptId ?? "", user.id, new Date());
  if (attempt.status !== "in_progress") throw redirect(`/attempts/${attempt.id}/result`);
  const round = await db().round.findUniqueOrThrow({ where: { id: attempt.roundId }, select: { name: true, prediction: true } });
  return { attempt, round };
}

/** Without JavaScript: the whole form arrives at once; save what is answered, then submit. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const now = new Date();
  const attempt = await ownAttempt(params.attemptId ?? "", user.id, now);
  const form = await readForm(request);
  if (attempt.status === "in_progress") {
    for (const q of attempt.questions) {
      const optionId = form.get(`q_${q.id}`);
      if (typeof optionId !== "string" || !optionId || attempt.answers[q.id] === optionId) continue;
      try {
        await saveAnswer(attempt.id, user.id, q.id, optionId, now, clientIp(context));
      } catch (e) {
        if (!(e instanceof AttemptError)) throw e;
        if (e.code === "ATTEMPT_CLOSED") break;
      }
    }
  }
  const raw = String(form.get("prediction") ?? "").trim();
  const prediction = /^\d{1,9}$/.test(raw) && Number(raw) <= MAX_PREDICTION ? Number(raw) : null;
  if (raw !== "" && prediction === null) return data({ message: vi.errors.PREDICTION_REQUIRED }, { status: 400 });
  try {
    await submitAttempt(attempt.id, user.id, prediction, now);
  } catch (e) {
    if (e instanceof AttemptError && e.code === "PREDICTION_REQUIRED") return data({ message: vi.errors.PREDICTION_REQUIRED }, { status: 400 });
    throw e;
  }
  return redirect(`/attempts/${attempt.id}/result`);
}

// Page events are best effort, but those that happen offline (the "offline" event itself) are kept
// and sent when the network is back, so the judges see them.
const unsentEvents: { attemptId: string; type: string; at: string }[] = [];

function sendEvent(e: { attemptId: string; type: string; at: string }) {
  return fetch(`/api/v1/attempts/${encodeURIComponent(e.attemptId)}/events`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ type: e.type, at: e.at }),
    keepalive: true,
    credentials: "same-origin",
  }).then(
    (r) => r.status < 500,
    () => false,
  );
}

function reportEvent(attemptId: string, type: string) {
  const e = { attemptId, type, at: new Date().toISOString() };
  if (typeof navigator !== "undefined" && navigator.onLine === false) {
    unsentEvents.push(e);
    return;
  }
  void sendEvent(e).then((ok) => {
    if (!ok && unsentEvents.length < 200) unsentEvents.push(e);
  });
  if (type === "online") for (const queued of unsentEvents.splice(0)) void sendEvent(queued);
}

export default function Play() {
  const { attempt, round } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigate = useNavigate();
  const P = vi.play;
  const total = attempt.questions.length;

  const [hydrated, setHydrated] = useState(false);
  const [answers, setAnswers] = useState<Record<string, string>>(attempt.answers);
  const [queue, setQueue] = useState<QueueState>({ pending: {}, refused: {}, failures: 0, sending: false });
  const [index, setIndex] = useState(0);
  const [overview, setOverview] = useState(false);
  const [phase, setPhase] = useState<"answering" | "confirm" | "submitting" | "timeup">("answering");
  const [prediction, setPrediction] = useState("");
  const [predictionError, setPredictionError] = useState<string | null>(null);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [left, setLeft] = useState(() => Math.max(0, (Date.parse(attempt.deadlineAt) - Date.parse(attempt.serverNow)) / 1000));
  const offset = useRef(Date.parse(attempt.serverNow) - Date.now());
  const queueRef = useRef<AnswerQueue | null>(null);
  const submitting = useRef(false);

  // The queue: local storage first, then the server; it also restores what a reload left unsent.
  useEffect(() => {
    const q = new AnswerQueue(`cchc:answers:${attempt.id}`, {
      send: httpSender(attempt.id),
      storage: window.localStorage,
      setTimeout: (fn, ms) => window.setTimeout(fn, ms),
      clearTimeout: (h) => window.clearTimeout(h as number),
    });
    queueRef.current = q;
    setAnswers((a) => ({ ...a, ...q.snapshot.pending }));
    const unsubscribe = q.subscribe(setQueue);
    void q.flush();
    const online = () => void q.flush();
    window.addEventListener("online", online);
    setHydrated(true);
    return () => {
      window.removeEventListener("online", online);
      unsubscribe();
      q.dispose();
    };
  }, [attempt.id]);

  // The server's clock: re-read it once at start, halving the round trip, so a wrong phone clock does not matter.
  useEffect(() => {
    const t0 = Date.now();
    fetch(`/api/v1/attempts/${encodeURIComponent(attempt.id)}`, { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : null))
      .then((body: { attempt?: { serverNow: string; answers: Record<string, string> } } | null) => {
        if (!body?.attempt) return;
        const t1 = Date.now();
        offset.current = Date.parse(body.attempt.serverNow) - (t0 + t1) / 2;
        setAnswers((a) => ({ ...body.attempt!.answers, ...a }));
      })
      .catch(() => {});
  }, [attempt.id]);

  // Focus and network events for the judges' review.
  useEffect(() => {
    const send = (type: string) => () => reportEvent(attempt.id, type);
    const visibility = () => reportEvent(attempt.id, document.visibilityState === "hidden" ? "hidden" : "visible");
    const handlers: [EventTarget, string, EventListener][] = [
      [document, "visibilitychange", visibility],
      [window, "blur", send("blur")],
      [window, "focus", send("focus")],
      [document, "copy", send("copy")],
      [document, "paste", send("paste")],
      [window, "offline", send("offline")],
      [window, "online", send("online")],
    ];
    for (const [t, n, h] of handlers) t.addEventListener(n, h);
    return () => {
      for (const [t, n, h] of handlers) t.removeEventListener(n, h);
    };
  }, [attempt.id]);

  const submit = useCallback(
    async (value: number | null) => {
      if (submitting.current) return;
      submitting.current = true;
      setSubmitError(null);
      await queueRef.current?.drain(8_000);
      for (let i = 0; ; i++) {
        try {
          const res = await fetch(`/api/v1/attempts/${encodeURIComponent(attempt.id)}/submit`, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ prediction: value }),
            credentials: "same-origin",
          });
          if (res.ok || res.status === 404 || res.status === 409) break;
          if (res.status === 400) {
            const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
            setPredictionError(body?.error?.message ?? vi.errors.PREDICTION_REQUIRED);
            setPhase("confirm");
            submitting.current = false;
            return;
          }
        } catch {
          // offline: keep trying; the server closes the attempt at its deadline in any case
        }
        setSubmitError(P.offline);
        await new Promise((r) => setTimeout(r, Math.min(30_000, 1_000 * 2 ** i)));
      }
      navigate(`/attempts/${attempt.id}/result`, { replace: true });
    },
    [attempt.id, navigate, P.offline],
  );

  // The countdown, on the server's clock; at zero the attempt is submitted with what was saved.
  useEffect(() => {
    const deadline = Date.parse(attempt.deadlineAt);
    const tick = () => {
      const s = (deadline - (Date.now() + offset.current)) / 1000;
      setLeft(Math.max(0, s));
      if (s <= 0 && !submitting.current) {
        setPhase("timeup");
        const p = /^\d+$/.test(prediction) ? Number(prediction) : null;
        void submit(p);
      }
    };
    tick();
    const h = window.setInterval(tick, 1000);
    return () => window.clearInterval(h);
  }, [attempt.deadlineAt, submit, prediction]);

  const choose = (questionId: string, optionId: string) => {
    setAnswers((a) => ({ ...a, [questionId]: optionId }));
    queueRef.current?.choose(questionId, optionId);
  };

  const answeredCount = useMemo(() => attempt.questions.filter((q) => answers[q.id]).length, [answers, attempt.questions]);
  const unanswered = attempt.questions.map((q, i) => (answers[q.id] ? null : i + 1)).filter((n): n is number => n !== null);
  const pendingCount = Object.keys(queue.pending).length;
  // Moving to another question brings it into view (a long question may have been scrolled).
  const go = (i: number) => {
    setIndex(i);
    if (typeof window !== "undefined") window.scrollTo({ top: 0 });
  };

  const confirm = () => {
    if (round.prediction) {
      const ok = /^\d{1,9}$/.test(prediction.trim()) && Number(prediction) <= MAX_PREDICTION;
      if (!ok) {
        setPredictionError(vi.errors.PREDICTION_REQUIRED);
        return;
      }
    }
    setPhase("submitting");
    void submit(round.prediction ? Number(prediction) : null);
  };

  const status = !hydrated ? null : queue.failures > 0 ? (
    <span className="text-amber-800">{pendingCount ? P.retrying(pendingCount) : P.offline}</span>
  ) : queue.sending || pendingCount ? (
    <span>{P.saving}</span>
  ) : (
    <span className="text-green-800">{P.saved}</span>
  );

  return (
    <div className="space-y-3">
      {/* The page's heading for screen readers and outlines; the bar below is what sighted people read. */}
      <h1 className="sr-only">{round.name}</h1>
      {hydrated ? (
        <div className="sticky top-0 z-10 -mx-4 border-b border-slate-200 bg-white/95 px-4 py-2 shadow-sm backdrop-blur" data-testid="play-bar">
          <div className="flex items-center justify-between gap-2 text-sm">
            <span className="font-semibold" data-testid="progress">
              {P.question(index + 1, total)}
            </span>
            <span data-testid="answered">{P.answered(answeredCount, total)}</span>
            <span className={`font-mono text-lg font-bold ${left < 60 ? "text-red-700" : ""}`} aria-label={P.timeLeft} role="timer" data-testid="countdown">
              {formatClock(left)}
            </span>
          </div>
          <div className="mt-1 text-xs" aria-live="polite" data-testid="save-status">
            {status}
          </div>
          {queue.failures > 0 ? (
            <p role="status" className="mt-1 rounded bg-amber-50 px-2 py-1 text-xs text-amber-900" data-testid="offline-banner">
              {P.offline}
            </p>
          ) : null}
        </div>
      ) : (
        <p className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
          {P.noScript} {P.deadline}: {formatContestTime(attempt.deadlineAt)}.
        </p>
      )}

      {phase === "timeup" || phase === "submitting" ? (
        <div role="status" className="card text-center font-medium">
          {phase === "timeup" ? P.timeUp : P.saving}
          {submitError ? <p className="mt-2 text-sm text-amber-800">{submitError}</p> : null}
        </div>
      ) : null}

      <form method="post" className={phase === "answering" || !hydrated ? "space-y-3" : "hidden"}>
        {attempt.questions.map((q, i) => (
          <fieldset
            key={q.id}
            className={`card ${hydrated && i !== index ? "hidden" : ""}`}
            data-testid="question"
            aria-labelledby={`q-${q.id}-label`}
          >
            <legend id={`q-${q.id}-label`} className="float-left mb-3 w-full font-medium">
              {hydrated ? null : <span className="block text-sm text-slate-600">{P.question(i + 1, total)}</span>}
              <span className="whitespace-pre-line">{q.text}</span>
            </legend>
            <div className="clear-left space-y-2">
              {q.options.map((o, k) => {
                const checked = answers[q.id] === o.id;
                return (
                  <label
                    key={o.id}
                    className={`flex min-h-12 cursor-pointer items-start gap-3 rounded-md border px-3 py-3 ${checked ? "border-brand-600 bg-brand-50" : "border-slate-300 bg-white"}`}
                  >
                    <input
                      type="radio"
                      name={`q_${q.id}`}
                      value={o.id}
                      checked={hydrated ? checked : undefined}
                      defaultChecked={hydrated ? undefined : checked}
                      onChange={() => choose(q.id, o.id)}
                      className="mt-0.5 h-5 w-5 shrink-0"
                    />
                    <span>
                      <span className="font-semibold">{String.fromCharCode(65 + k)}.</span> {o.text}
                    </span>
                  </label>
                );
              })}
            </div>
            {queue.refused[q.id] ? <p className="mt-2 text-sm text-red-700">{P.refused}</p> : null}
          </fieldset>
        ))}
        {!hydrated ? (
          <div className="card space-y-3">
            {round.prediction ? (
              <div>
                <label htmlFor="prediction-nojs" className="field-label">
                  {P.predictionQuestion}
                </label>
                <input id="prediction-nojs" name="prediction" inputMode="numeric" pattern="[0-9]*" className="field-input" required />
                <p className="mt-1 text-xs text-slate-600">{P.predictionHint}</p>
              </div>
            ) : null}
            {actionData?.message ? (
              <p role="alert" className="text-sm text-red-700">
                {actionData.message}
              </p>
            ) : null}
            <button type="submit" className="btn-primary w-full">
              {P.finish}
            </button>
          </div>
        ) : null}
      </form>

      {hydrated && phase === "answering" ? (
        <div className="space-y-3">
          <div className="flex gap-2">
            <button type="button" className="btn-secondary flex-1" disabled={index === 0} onClick={() => go(Math.max(0, index - 1))}>
              {P.prev}
            </button>
            <button type="button" className="btn-secondary flex-1" disabled={index === total - 1} onClick={() => go(Math.min(total - 1, index + 1))}>
              {P.next}
            </button>
          </div>
          <button type="button" className="w-full text-sm text-brand-700 underline" onClick={() => setOverview((v) => !v)} aria-expanded={overview}>
            {overview ? P.hideOverview : P.overview}
          </button>
          {overview ? (
            <ol className="grid grid-cols-5 gap-2" data-testid="overview">
              {attempt.questions.map((q, i) => (
                <li key={q.id}>
                  <button
                    type="button"
                    aria-label={`${P.goTo(i + 1)}${answers[q.id] ? ` (${P.answeredMark})` : ""}`}
                    aria-current={i === index ? "step" : undefined}
                    onClick={() => {
                      go(i);
                      setOverview(false);
                    }}
                    className={`h-11 w-full rounded border text-sm font-semibold ${answers[q.id] ? "border-brand-600 bg-brand-600 text-white" : "border-slate-300 bg-white"} ${i === index ? "ring-2 ring-amber-400" : ""}`}
                  >
                    {i + 1}
                  </button>
                </li>
              ))}
            </ol>
          ) : null}
          <button type="button" className="btn-primary w-full" onClick={() => setPhase("confirm")}>
            {P.finish}
          </button>
        </div>
      ) : null}

      {hydrated && phase === "confirm" ? (
        <section className="card space-y-3" aria-labelledby="confirm-title" data-testid="confirm">
          <h2 id="confirm-title" className="text-lg font-bold">
            {P.confirmTitle}
          </h2>
          <p>{unanswered.length ? P.unanswered(unanswered.join(", ")) : P.allAnswered}</p>
          {round.prediction ? (
            <div>
              <label htmlFor="prediction" className="field-label">
                {P.predictionQuestion}
              </label>
              <input
                id="prediction"
                inputMode="numeric"
                pattern="[0-9]*"
                value={prediction}
                onChange={(e) => {
                  setPrediction(e.target.value.replace(/[^\d]/g, "").slice(0, 9));
                  setPredictionError(null);
                }}
                className="field-input"
                aria-invalid={predictionError ? true : undefined}
                aria-describedby="prediction-hint"
              />
              <p id="prediction-hint" className={`mt-1 text-xs ${predictionError ? "text-red-700" : "text-slate-600"}`}>
                {predictionError ?? P.predictionHint}
              </p>
            </div>
          ) : null}
          <div className="flex flex-col gap-2 sm:flex-row">
            <button type="button" className="btn-primary" onClick={confirm}>
              {P.confirmSubmit}
            </button>
            <button type="button" className="btn-secondary" onClick={() => setPhase("answering")}>
              {P.backToQuestions}
            </button>
          </div>
        </section>
      ) : null}
    </div>
  );
}
