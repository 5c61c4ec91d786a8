// The judges' awards page (ranking, prize plan, winners, publication, exports), for a round and for
// the whole contest alike. Data and actions: app/utils/awards-page.server.ts.
import { Form, Link } from "@remix-run/react";
import { formatContestTime } from "~/domain/time";
import { vi } from "~/i18n/vi";
import { formatDuration } from "~/utils/format";
import type { awardsPageData } from "~/utils/awards-page.server";

export const PLAN_TIERS = 6;
export const COLLECTIVE_TIERS = 3;

/** The loader's data: no Date in it, so it is the same before and after serialisation. */
export type AwardsPageData = Awaited<ReturnType<typeof awardsPageData>>;

export function AwardsPage({ d, result }: { d: AwardsPageData; result: { message: string | null } | undefined }) {
  const A = vi.awards;
  if (!d.closed) {
    return (
      <div className="card">
        <h1 className="text-xl font-bold">{d.target.title}</h1>
        <p>{d.message}</p>
      </div>
    );
  }
  const published = d.plan?.status === "published";
  const tiers = [...(d.plan?.tiers ?? []), ...Array.from({ length: PLAN_TIERS - (d.plan?.tiers.length ?? 0) }, () => null)].slice(0, PLAN_TIERS);
  const ctiers = [...(d.plan?.collective?.tiers ?? []), ...Array.from({ length: COLLECTIVE_TIERS }, () => null)].slice(0, COLLECTIVE_TIERS);
  const cdefaults = ["Giải Nhất tập thể", "Giải Nhì tập thể", "Giải Ba tập thể"];
  const defaults = ["Giải Nhất", "Giải Nhì", "Giải Ba", "Giải Khuyến khích", "", ""];
  return (
    <div className="space-y-4">
      <p className="text-sm">
        <Link to={d.target.back.to} className="text-brand-700 underline">
          {d.target.back.label}
        </Link>
      </p>
      <h1 className="text-xl font-bold">
        {A.title}: {d.target.title}
      </h1>
      {d.target.wholeContest ? <p className="text-sm text-slate-700">{A.wholeContestNote}</p> : null}
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
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="onePrizePerContest" defaultChecked={d.plan?.onePrizePerContest ?? false} disabled={published} className="h-5 w-5" /> {A.onePrizePerContest}
          </label>
          <fieldset className="space-y-2 rounded-md border border-slate-200 p-2">
            <legend className="px-1 text-sm font-semibold">{A.collective}</legend>
            <label className="block text-sm">
              {A.collectiveBy}{" "}
              <select name="collectiveBy" defaultValue={d.plan?.collective?.by ?? ""} className="field-input mt-1" disabled={published}>
                <option value="">{A.collectiveNone}</option>
                <option value="rate">{A.collectiveByRate}</option>
                <option value="count">{A.collectiveByCount}</option>
              </select>
            </label>
            <label className="block text-sm">
              {A.threshold}{" "}
              <input name="collectiveMinRate" inputMode="decimal" defaultValue={d.plan?.collective?.minRatePer10k ?? ""} className="field-input mt-1 w-28" disabled={published} />
            </label>
            {ctiers.map((t, i) => (
              <div key={i} className="grid grid-cols-3 gap-2">
                <input name={`ctier${i}Name`} aria-label={`${A.collective}: ${A.tierName}`} placeholder={A.tierName} defaultValue={t?.name ?? (d.plan?.collective ? "" : cdefaults[i])} className="field-input" disabled={published} />
                <input name={`ctier${i}Count`} aria-label={`${A.collective}: ${A.tierCount}`} placeholder={A.tierCount} inputMode="numeric" defaultValue={t?.count ?? (d.plan?.collective ? "" : 1)} className="field-input" disabled={published} />
                <input name={`ctier${i}Amount`} aria-label={`${A.collective}: ${A.amount}`} placeholder={A.amount} inputMode="numeric" defaultValue={t?.amount ?? ""} className="field-input" disabled={published} />
              </div>
            ))}
            <p className="text-xs text-slate-600">{A.collectiveSecondary}</p>
          </fieldset>
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
          {d.supersedes.map((s) => (
            <p key={`s${s.userId}`} className="text-sm text-amber-900">
              {A.supersedes(s.fullName, s.tier)}
            </p>
          ))}
          {d.passedOver.map((s) => (
            <p key={`p${s.userId}`} className="text-sm text-slate-700">
              {A.passedOver(s.fullName, s.tier)}
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
          {d.collective.length ? (
            <div data-testid="collective-winners">
              <h3 className="font-semibold">{A.collectiveWinners}</h3>
              <ul className="text-sm">
                {d.collective.map((c) => (
                  <li key={c.communeCode}>
                    <strong>{c.tier}</strong> · {c.commune}
                    {c.amount ? ` · ${c.amount.toLocaleString("vi-VN")} đ` : ""}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
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
            <a className="text-brand-700 underline" href={`${d.target.exportBase}/awards.xlsx`}>
              .xlsx
            </a>{" "}
            ·{" "}
            <a className="text-brand-700 underline" href={`${d.target.exportBase}/awards.csv`}>
              .csv
            </a>
            {published ? (
              <>
                {" "}
                ·{" "}
                <a className="text-brand-700 underline" href={`${d.target.exportBase}/certificates.pdf`}>
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
