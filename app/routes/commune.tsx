// The commune officer's view: participation and results of their own commune's contestants. The
// commune always comes from the officer's account, never from the URL (only ?round and ?page).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { BarChart, DataTable, formatCell, groupAxisLabel, LineChart } from "~/components/charts";
import { vi } from "~/i18n/vi";
import { NoCommuneError, officerView } from "~/models/dashboard.server";
import { int } from "~/utils/http.server";
import { requireRole } from "~/utils/session.server";
import { formatDuration } from "~/utils/format";

const B = vi.boards;

export const meta: MetaFunction = () => [{ title: `${vi.roles.commune_officer} · ${vi.app.shortName}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["commune_officer"]);
  const url = new URL(request.url);
  try {
    const view = await officerView(user, { roundId: url.searchParams.get("round"), page: int(url.searchParams.get("page"), 1) }, new Date());
    return { noCommune: false as const, ...view };
  } catch (e) {
    if (e instanceof NoCommuneError) return { noCommune: true as const };
    throw e;
  }
}

export default function CommuneOfficer() {
  const d = useLoaderData<typeof loader>();
  if (d.noCommune) {
    return (
      <p className="card" role="alert">
        {B.noCommune}
      </p>
    );
  }
  const { commune, round, summary, days, groups, contestants } = d;
  const roundQs = round ? `round=${encodeURIComponent(round.id)}` : "";
  const pageLink = (p: number) => `/commune?${roundQs}${roundQs ? "&" : ""}page=${p}`;
  return (
    <div className="space-y-4">
      <section className="card space-y-3">
        <h1 className="text-xl font-bold">{B.officerTitle(commune.name)}</h1>
        <p className="text-sm text-slate-700">{B.officerLead}</p>
        {d.rounds.length ? (
          <Form method="get" className="flex flex-wrap items-end gap-3">
            <div className="min-w-52 flex-1">
              <label htmlFor="round" className="field-label">
                {B.round}
              </label>
              <select id="round" name="round" defaultValue={round?.id ?? ""} className="field-input">
                {d.rounds.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name} · {vi.roundStatus[r.status]}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="btn-secondary">
              {B.filter}
            </button>
          </Form>
        ) : (
          <p>{B.noRounds}</p>
        )}
        {round ? (
          <p className="text-sm">
            <a href={`/commune/export.xlsx?${roundQs}`} className="font-semibold text-brand-700 underline" download data-testid="officer-xlsx">
              {B.downloadAll}
            </a>
          </p>
        ) : null}
      </section>

      {summary ? (
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="officer-summary">
          {(
            [
              [B.registered, formatCell(summary.registered, "int")],
              [B.participants, formatCell(summary.participants, "int")],
              [B.attempts, formatCell(summary.attempts, "int")],
              [B.inProgress, formatCell(summary.inProgress, "int")],
              [B.finishers, formatCell(summary.finishers, "int")],
              [B.averageCorrect, formatCell(summary.averageCorrect, "decimal")],
              [B.allCorrect, formatCell(summary.allCorrect, "int")],
              [B.per10k, formatCell(summary.per10k, "decimal")],
            ] as const
          ).map(([label, value]) => (
            <div key={label} className="card p-3 sm:p-3">
              <dt className="text-xs text-slate-600">{label}</dt>
              <dd className="text-lg font-bold tabular-nums">{value}</dd>
            </div>
          ))}
        </dl>
      ) : null}

      {days ? (
        <section className="card">
          <h2 className="font-semibold">{days.title}</h2>
          <LineChart
            title={days.title}
            labels={days.rows.map((r) => String(r.day))}
            series={[
              { label: B.contestantsPerDay, data: days.rows.map((r) => Number(r.contestants)) },
              { label: B.attemptsStarted, data: days.rows.map((r) => Number(r.attempts)) },
            ]}
          />
          <DataTable title={days.title} columns={days.columns} rows={days.rows} testId="officer-days" />
        </section>
      ) : null}

      {groups ? (
        <section className="card">
          <h2 className="font-semibold">{groups.title}</h2>
          <BarChart title={groups.title} labels={groups.rows.map((r) => groupAxisLabel(String(r.group)))} series={[{ label: B.participants, data: groups.rows.map((r) => Number(r.participants)) }]} horizontal height={200} />
          <DataTable title={groups.title} columns={groups.columns} rows={groups.rows} testId="officer-groups" />
        </section>
      ) : null}

      {round ? (
        <section className="card p-0 sm:p-0">
          <div className="flex flex-wrap items-baseline justify-between gap-2 px-4 pt-4">
            <h2 className="font-semibold">{B.contestantsTitle}</h2>
            <p className="text-sm text-slate-600">{B.contestantsCount(contestants.total)}</p>
          </div>
          <div className="mt-2 overflow-x-auto">
            <table className="w-full min-w-[36rem] text-sm" data-testid="officer-contestants">
              <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs text-slate-600">
                <tr>
                  <th scope="col" className="px-3 py-2">
                    {B.fullName}
                  </th>
                  <th scope="col" className="px-2 py-2">
                    {B.group}
                  </th>
                  <th scope="col" className="px-2 py-2">
                    {B.phone}
                  </th>
                  <th scope="col" className="px-2 py-2 text-right">
                    {B.best}
                  </th>
                  <th scope="col" className="px-2 py-2 text-right">
                    {B.duration}
                  </th>
                  <th scope="col" className="px-3 py-2 text-right">
                    {B.attemptCount}
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {contestants.rows.map((c, i) => (
                  <tr key={i} data-testid="officer-contestant">
                    <th scope="row" className="px-3 py-2 text-left font-medium">
                      {c.fullName}
                      {c.workplace ? <span className="block text-xs font-normal text-slate-600">{c.workplace}</span> : null}
                    </th>
                    <td className="px-2 py-2 text-xs">{c.group}</td>
                    <td className="px-2 py-2 text-xs tabular-nums">{c.phone}</td>
                    <td className="px-2 py-2 text-right tabular-nums">
                      {c.correctCount !== null ? B.score(c.correctCount, c.questionCount ?? 0) : c.inProgress ? B.takingNow : c.attempts > 0 ? B.noResult : B.notTaken}
                    </td>
                    <td className="px-2 py-2 text-right text-xs tabular-nums">{c.durationMs !== null ? formatDuration(c.durationMs) : "–"}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{c.attempts}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {contestants.pages > 1 ? (
            <nav className="flex items-center justify-between gap-2 px-4 py-3 text-sm" aria-label={B.page(contestants.page, contestants.pages)}>
              {contestants.page > 1 ? (
                <Link to={pageLink(contestants.page - 1)} className="text-brand-700 underline">
                  {B.prev}
                </Link>
              ) : (
                <span />
              )}
              <span>{B.page(contestants.page, contestants.pages)}</span>
              {contestants.page < contestants.pages ? (
                <Link to={pageLink(contestants.page + 1)} className="text-brand-700 underline">
                  {B.next}
                </Link>
              ) : (
                <span />
              )}
            </nav>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
