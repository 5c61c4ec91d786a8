import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { communeFullName } from "~/domain/communes";
import { formatContestTime } from "~/domain/time";
import { vi } from "~/i18n/vi";
import { attemptEvidence, clearAttempt, JudgeError, voidAttempt, voidContestant } from "~/models/flag.server";
import { formatDuration } from "~/utils/format";
import { isUnstorableText, orNotFound, readForm } from "~/utils/http.server";
import { reasonSchema } from "~/utils/judge-api.server";
import { JUDGES, requireRole } from "~/utils/session.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, JUDGES);
  const e = await orNotFound(attemptEvidence(params.attemptId ?? ""));
  return {
    ...e,
    user: { fullName: e.user.fullName, group: e.user.group, commune: e.user.commune ? communeFullName(e.user.commune) : "", registrationIp: e.user.registrationIp },
    timeline: e.timeline.map((t) => ({ ...t, at: t.at.toISOString() })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const judge = await requireRole(request, JUDGES);
  const form = await readForm(request);
  const parsed = reasonSchema.safeParse({ reason: form.get("reason") ?? "" });
  if (!parsed.success) return data({ ok: false, message: vi.judge.reasonRequired }, { status: 400 });
  const id = params.attemptId ?? "";
  const intent = String(form.get("intent"));
  const now = new Date();
  try {
    if (intent === "clear") {
      await clearAttempt(id, parsed.data.reason, judge, now);
      return { ok: true, message: vi.judge.cleared };
    }
    if (intent === "void-all") {
      const ev = await orNotFound(attemptEvidence(id));
      const n = await voidContestant(ev.round.id, ev.user.id, parsed.data.reason, judge, now);
      return { ok: true, message: vi.judge.voidedAll(n) };
    }
    await voidAttempt(id, parsed.data.reason, judge, now);
    return { ok: true, message: vi.judge.voided };
  } catch (e) {
    if (isUnstorableText(e)) throw new Response(null, { status: 404 });
    if (e instanceof JudgeError) {
      if (e.code === "NOT_FOUND") throw new Response(null, { status: 404 });
      return data({ ok: false, message: e.code === "ATTEMPT_IN_PROGRESS" ? vi.judge.inProgress : vi.judge.alreadyVoided }, { status: 409 });
    }
    throw e;
  }
}

export default function Evidence() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const J = vi.judge;
  const a = d.attempt;
  return (
    <div className="space-y-4">
      <p className="text-sm">
        <Link to={`/judge/rounds/${d.round.id}`} className="text-brand-700 underline">
          {J.queueTitle(d.round.name)}
        </Link>
      </p>
      <section className="card space-y-1">
        <h1 className="text-xl font-bold">{d.user.fullName}</h1>
        <p className="text-sm text-slate-700">
          {d.user.commune} · {d.user.group ? vi.groups[d.user.group as keyof typeof vi.groups] : ""}
        </p>
        <p className="text-sm">
          {J.attempt(a.number)} · {vi.play.status[a.status]} · {J.score(a.correctCount ?? 0, a.questionCount)} · {formatDuration(a.durationMs ?? 0)}
          {a.prediction !== null ? ` · ${vi.play.predictionLine(a.prediction)}` : ""}
        </p>
        <p className="text-xs text-slate-600">
          {J.address}: {a.ip ?? "—"} · {J.device}: {a.deviceId ?? "—"}
        </p>
        <p className="break-all text-xs text-slate-600">
          {J.agent}: {a.userAgent ?? "—"}
        </p>
        {a.voidReason ? <p className="text-sm text-red-800">{vi.play.voidedNote(a.voidReason)}</p> : null}
      </section>
      <section className="card">
        <ul className="space-y-2">
          {d.flags.map((f) => (
            <li key={f.id} className="text-sm" data-testid="flag">
              <strong>{J.rules[f.rule] ?? f.rule}</strong> · {J.severity[f.severity as keyof typeof J.severity]} · {J.status[f.status as keyof typeof J.status]}
              <code className="mt-0.5 block break-all text-xs text-slate-600">{JSON.stringify(f.detail)}</code>
              {f.reviewReason ? <span className="block text-xs">{f.reviewReason}</span> : null}
            </li>
          ))}
        </ul>
      </section>
      <section className="card">
        <h2 className="mb-2 font-semibold">{J.timeline}</h2>
        <ol className="space-y-0.5 text-sm">
          {d.timeline.map((t, i) => (
            <li key={i} className="flex flex-wrap gap-x-2">
              <span className="font-mono text-xs text-slate-600">{formatContestTime(t.at)}:{new Date(t.at).getUTCSeconds().toString().padStart(2, "0")}</span>
              <span>
                {J.timelineKinds[t.kind]} {t.text}
              </span>
              {t.ip ? <span className="text-xs text-slate-500">{t.ip}</span> : null}
            </li>
          ))}
        </ol>
      </section>
      {d.others.length > 1 ? (
        <section className="card">
          <h2 className="mb-2 font-semibold">{J.otherAttempts}</h2>
          <ul className="text-sm">
            {d.others.map((o) => (
              <li key={o.id}>
                <Link to={`/judge/attempts/${o.id}`} className="text-brand-700 underline">
                  {J.attempt(o.number)}
                </Link>{" "}
                · {vi.play.status[o.status as keyof typeof vi.play.status]} · {J.score(o.correctCount ?? 0, o.questionCount)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section className="card">
        <Form method="post" className="space-y-3">
          {result?.message ? (
            <p role={result.ok ? "status" : "alert"} className={result.ok ? "text-green-800" : "text-red-800"}>
              {result.message}
            </p>
          ) : null}
          <label htmlFor="reason" className="field-label">
            {J.reason}
          </label>
          <textarea id="reason" name="reason" rows={2} required minLength={3} maxLength={1000} className="field-input" />
          <div className="flex flex-col gap-2 sm:flex-row">
            <button type="submit" name="intent" value="clear" className="btn-secondary">
              {J.clear}
            </button>
            <button type="submit" name="intent" value="void" className="btn-primary bg-red-700 hover:bg-red-800">
              {J.void}
            </button>
            <button type="submit" name="intent" value="void-all" className="btn-secondary border-red-700 text-red-800">
              {J.voidAll}
            </button>
          </div>
        </Form>
      </section>
    </div>
  );
}
