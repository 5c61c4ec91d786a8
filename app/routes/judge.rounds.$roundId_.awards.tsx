import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { communeFullName } from "~/domain/communes";
import { formatContestTime } from "~/domain/time";
import { vi } from "~/i18n/vi";
import { allocate, AwardError, getPlan, prizePlanSchema, previewAllocation, publish, replaceWinner, roundRanking, savePlan, setVerified } from "~/models/award.server";
import { db } from "~/utils/db.server";
import { formatDuration } from "~/utils/format";
import { JUDGES, requireRole } from "~/utils/session.server";

const SHOWN = 100;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, JUDGES);
  const roundId = params.roundId ?? "";
  const round = await db().round.findUnique({ where: { id: roundId }, select: { id: true, name: true } });
  if (!round) throw new Response(null, { status: 404 });
  const now = new Date();
  try {
    const [ranking, plan] = await Promise.all([roundRanking(roundId, now), getPlan(roundId)]);
    const preview = plan ? await previewAllocation(roundId, now) : null;
    const communes = new Map((await db().commune.findMany({ select: { code: true, name: true, type: true } })).map((c) => [c.code, communeFullName(c)]));
    const nameOf = new Map(ranking.entries.map((e) => [e.userId, e]));
    return {
      round,
      closed: true as const,
      actualAllCorrect: ranking.actualAllCorrect,
      total: ranking.entries.length,
      entries: ranking.entries.slice(0, SHOWN).map((e) => ({ ...e, submittedAt: e.submittedAt.toISOString(), commune: communes.get(e.communeCode ?? "") ?? "" })),
      plan: plan
        ? {
            tiers: (JSON.parse(plan.plan) as { tiers: { name: string; count: number; amount?: number; group?: string }[] }).tiers,
            onlyAllCorrect: (JSON.parse(plan.plan) as { onlyAllCorrect: boolean }).onlyAllCorrect,
            complaintDays: plan.complaintDays,
            status: plan.status,
            publishedAt: plan.publishedAt?.toISOString() ?? null,
            sha256: plan.snapshotSha256,
            awards: plan.awards.map((a) => ({ ...a, fullName: nameOf.get(a.userId)?.fullName ?? "", commune: communes.get(nameOf.get(a.userId)?.communeCode ?? "") ?? "" })),
          }
        : null,
      boundaryTies: preview?.allocation.boundaryTies ?? [],
      unfilled: preview?.allocation.unfilled ?? [],
    };
  } catch (e) {
    if (e instanceof AwardError && e.code === "ROUND_NOT_CLOSED") return { round, closed: false as const };
    throw e;
  }
}

/** The plan form: up to six tiers, one row each (name, count, amount, group). */
function planFromForm(form: FormData) {
  const tiers = [];
  for (let i = 0; i < 6; i++) {
    const name = String(form.get(`tier${i}Name`) ?? "").trim();
    if (!name) continue;
    const amount = String(form.get(`tier${i}Amount`) ?? "").replace(/[^\d]/g, "");
    const group = String(form.get(`tier${i}Group`) ?? "");
    tiers.push({ name, count: Number(form.get(`tier${i}Count`) ?? 0), ...(amount ? { amount: Number(amount) } : {}), ...(group ? { group } : {}) });
  }
  return { tiers, onlyAllCorrect: form.get("onlyAllCorrect") === "on", complaintDays: Number(form.get("complaintDays") ?? 5) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const judge = await requireRole(request, JUDGES);
  const roundId = params.roundId ?? "";
  const form = await request.formData();
  const intent = String(form.get("intent"));
  const now = new Date();
  try {
    if (intent === "plan") {
      const parsed = prizePlanSchema.safeParse(planFromForm(form));
      if (!parsed.success) return data({ message: parsed.error.issues[0]?.message ?? vi.errors.VALIDATION_FAILED }, { status: 400 });
      await savePlan(roundId, parsed.data, judge, now);
    } else if (intent === "allocate") await allocate(roundId, judge, now);
    else if (intent === "verify" || intent === "unverify" || intent === "replace") {
      const awardId = String(form.get("awardId"));
      // The award must belong to the round in the address.
      if (!(await db().award.findFirst({ where: { id: awardId, roundId }, select: { id: true } }))) throw new Response(null, { status: 404 });
      if (intent === "replace") await replaceWinner(awardId, String(form.get("reason") ?? ""), judge, now);
      else await setVerified(awardId, intent === "verify", judge, now);
    }
    else if (intent === "publish") await publish(roundId, judge, now);
    else if (intent === "republish") await publish(roundId, judge, now, String(form.get("reason") ?? ""));
    return { message: null };
  } catch (e) {
    if (e instanceof AwardError) return data({ message: vi.errors[e.code === "NOT_FOUND" ? "NOT_FOUND" : e.code] }, { status: e.code === "REASON_REQUIRED" ? 400 : 409 });
    throw e;
  }
}

export default function Awards() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const A = vi.awards;
  if (!d.closed) {
    return (
      <div className="card">
        <h1 className="text-xl font-bold">{d.round.name}</h1>
        <p>{A.roundNotClosed}</p>
      </div>
    );
  }
  const published = d.plan?.status === "published";
  const tiers = [...(d.plan?.tiers ?? []), ...Array.from({ length: 6 - (d.plan?.tiers.length ?? 0) }, () => null)].slice(0, 6);
  const defaults = ["Giải Nhất", "Giải Nhì", "Giải Ba", "Giải Khuyến khích", "", ""];
  return (
    <div className="space-y-4">
      <p className="text-sm">
        <Link to={`/judge/rounds/${d.round.id}`} className="text-brand-700 underline">
          {vi.judge.queueTitle(d.round.name)}
        </Link>
      </p>
      <h1 className="text-xl font-bold">
        {A.title}: {d.round.name}
      </h1>
      {result?.message ? (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
          {result.message}
        </p>
      ) : null}
      <section className="card space-y-2">
        <h2 className="font-semibold">{A.plan}</h2>
        <Form method="post" className="space-y-2">
          <input type="hidden" name="intent" value="plan" />
          {tiers.map((t, i) => (
            <div key={i} className="grid grid-cols-2 gap-2 sm:grid-cols-4">
              <input name={`tier${i}Name`} aria-label={A.tierName} placeholder={A.tierName} defaultValue={t?.name ?? (d.plan ? "" : defaults[i])} className="field-input" disabled={published} />
              <input name={`tier${i}Count`} aria-label={A.tierCount} placeholder={A.tierCount} inputMode="numeric" defaultValue={t?.count ?? (d.plan || !defaults[i] ? "" : i < 3 ? 1 : 5)} className="field-input" disabled={published} />
              <input name={`tier${i}Amount`} aria-label={A.amount} placeholder={A.amount} inputMode="numeric" defaultValue={t?.amount ?? ""} className="field-input" disabled={published} />
              <select name={`tier${i}Group`} aria-label={A.group} defaultValue={t?.group ?? ""} className="field-input" disabled={published}>
                <option value="">{A.group}</option>
                {Object.entries(vi.groups).map(([k, label]) => (
                  <option key={k} value={k}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
          ))}
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="onlyAllCorrect" defaultChecked={d.plan?.onlyAllCorrect ?? false} disabled={published} className="h-5 w-5" /> {A.onlyAllCorrect}
          </label>
          <label className="block text-sm">
            {A.complaintDays}{" "}
            <input name="complaintDays" inputMode="numeric" defaultValue={d.plan?.complaintDays ?? 5} className="field-input mt-1 w-24" disabled={published} />
          </label>
          {published ? null : (
            <button type="submit" className="btn-secondary">
              {A.savePlan}
            </button>
          )}
        </Form>
      </section>

      {d.plan ? (
        <section className="card space-y-3" data-testid="winners">
          {d.boundaryTies.map((t) => (
            <p key={t.tier} className="text-sm text-amber-900">
              {A.boundaryTie(t.tier, t.rank, t.places)}
            </p>
          ))}
          {d.unfilled.map((u) => (
            <p key={u.tier} className="text-sm text-amber-900">
              {A.unfilled(u.tier, u.missing)}
            </p>
          ))}
          {published ? null : (
            <Form method="post">
              <button type="submit" name="intent" value="allocate" className="btn-secondary">
                {A.allocate}
              </button>
            </Form>
          )}
          <ul className="divide-y divide-slate-100">
            {d.plan.awards.map((a) => (
              <li key={a.id} className="py-2 text-sm">
                <p>
                  <strong>{a.tier}</strong> · {A.columns.rank} {a.rank} · {a.fullName} · {a.commune}
                  {a.amount ? ` · ${a.amount.toLocaleString("vi-VN")} đ` : ""}
                </p>
                {a.status === "replaced" ? (
                  <p className="text-red-800">{A.replaced(a.replacedReason ?? "")}</p>
                ) : (
                  <>
                    <p className={a.verified ? "text-green-800" : "text-slate-600"}>{a.verified ? A.verified : A.notVerified}</p>
                    {published ? null : (
                      <div className="mt-1 flex flex-wrap gap-2">
                        <Form method="post">
                          <input type="hidden" name="awardId" value={a.id} />
                          <button type="submit" name="intent" value={a.verified ? "unverify" : "verify"} className="text-brand-700 underline">
                            {a.verified ? A.unverify : A.verify}
                          </button>
                        </Form>
                        <Form method="post" className="flex flex-wrap gap-1">
                          <input type="hidden" name="awardId" value={a.id} />
                          <input name="reason" aria-label={A.replaceReason} placeholder={A.replaceReason} className="field-input w-48 py-1 text-sm" required minLength={3} />
                          <button type="submit" name="intent" value="replace" className="text-red-800 underline">
                            {A.replace}
                          </button>
                        </Form>
                      </div>
                    )}
                  </>
                )}
              </li>
            ))}
          </ul>
          {published ? (
            <div className="space-y-2 text-sm">
              <p className="font-semibold text-green-800">{A.published(formatContestTime(d.plan.publishedAt!))}</p>
              <p className="break-all text-xs">{A.fingerprint(d.plan.sha256 ?? "")}</p>
              <Form method="post" className="flex flex-wrap gap-2">
                <input name="reason" aria-label={A.republishReason} placeholder={A.republishReason} className="field-input w-64" required minLength={3} />
                <button type="submit" name="intent" value="republish" className="btn-secondary">
                  {A.republish}
                </button>
              </Form>
            </div>
          ) : (
            <Form method="post">
              <button type="submit" name="intent" value="publish" className="btn-primary">
                {A.publish}
              </button>
            </Form>
          )}
          <p className="text-sm">
            {A.exports}:{" "}
            <a className="text-brand-700 underline" href={`/api/v1/judge/rounds/${d.round.id}/awards.xlsx`}>
              .xlsx
            </a>{" "}
            ·{" "}
            <a className="text-brand-700 underline" href={`/api/v1/judge/rounds/${d.round.id}/awards.csv`}>
              .csv
            </a>
            {published ? (
              <>
                {" "}
                ·{" "}
                <a className="text-brand-700 underline" href={`/api/v1/judge/rounds/${d.round.id}/certificates.pdf`}>
                  {A.certificates}
                </a>
              </>
            ) : null}
          </p>
        </section>
      ) : (
        <p className="text-sm">{A.noPlan}</p>
      )}

      <section className="card overflow-x-auto">
        <h2 className="mb-1 font-semibold">{A.ranking}</h2>
        <p className="mb-2 text-sm">{A.actual(d.actualAllCorrect)}</p>
        <table className="w-full text-left text-sm">
          <thead>
            <tr className="border-b border-slate-300">
              <th className="py-1 pr-2">{A.columns.rank}</th>
              <th className="py-1 pr-2">{A.columns.fullName}</th>
              <th className="py-1 pr-2">{A.columns.correct}</th>
              <th className="py-1 pr-2">{A.columns.predictionError}</th>
              <th className="py-1 pr-2">{A.columns.duration}</th>
              <th className="py-1">{A.columns.flags}</th>
            </tr>
          </thead>
          <tbody>
            {d.entries.map((e) => (
              <tr key={e.userId} className={`border-b border-slate-100 ${e.tied ? "bg-amber-50" : ""}`} data-testid="ranking-row">
                <td className="py-1 pr-2">
                  {e.rank}
                  {e.tied ? <span title={A.tie}> =</span> : null}
                </td>
                <td className="py-1 pr-2">
                  {e.fullName}
                  <span className="block text-xs text-slate-600">{e.commune}</span>
                </td>
                <td className="py-1 pr-2">
                  {e.correctCount}/{e.questionCount}
                </td>
                <td className="py-1 pr-2">{e.predictionError ?? "—"}</td>
                <td className="py-1 pr-2">{formatDuration(e.durationMs)}</td>
                <td className="py-1 text-xs">{e.flags.map((f) => vi.judge.rules[f] ?? f).join(", ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
