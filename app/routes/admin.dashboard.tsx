// The organizers' dashboard for one round: participation by day, hour, commune and group, who is
// taking the round right now, and the score distribution. Charts are drawn in the browser; every
// number is also in a table (readable without JavaScript) with its own Excel download.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { BarChart, DataTable, formatCell, groupAxisLabel, LineChart, type TableColumn } from "~/components/charts";
import { vi } from "~/i18n/vi";
import { dashboard, pickRound, reportRounds } from "~/models/dashboard.server";
import { ORGANIZERS, requireRole } from "~/utils/session.server";

const B = vi.boards;
const props = (t: { title: string; columns: TableColumn[]; rows: Record<string, string | number | null>[] }) => ({ title: t.title, columns: t.columns, rows: t.rows });

export const meta: MetaFunction = () => [{ title: `${B.dashboardTitle} · ${vi.app.shortName}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ORGANIZERS);
  const now = new Date();
  const rounds = await reportRounds(now);
  const round = pickRound(rounds, new URL(request.url).searchParams.get("round"));
  return { rounds, round, data: round ? await dashboard(round, now) : null };
}

export default function Dashboard() {
  const { rounds, round, data } = useLoaderData<typeof loader>();
  const xlsx = (table: string) => `/admin/dashboard/${table}.xlsx?round=${encodeURIComponent(round?.id ?? "")}`;
  return (
    <div className="space-y-4">
      <section className="card space-y-3">
        <h1 className="text-xl font-bold">{B.dashboardTitle}</h1>
        <p className="text-sm text-slate-700">{B.dashboardLead}</p>
        {rounds.length ? (
          <Form method="get" className="flex flex-wrap items-end gap-3">
            <div className="min-w-52 flex-1">
              <label htmlFor="round" className="field-label">
                {B.round}
              </label>
              <select id="round" name="round" defaultValue={round?.id ?? ""} className="field-input">
                {rounds.map((r) => (
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
        <p className="text-xs text-slate-600">{B.chartsNote}</p>
      </section>

      {data && round ? (
        <>
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="dashboard-summary">
            {(
              [
                ["inProgressAll", B.inProgressAll, formatCell(data.summary.inProgressAll, "int")],
                ["inProgressRound", B.inProgressRound, formatCell(data.summary.inProgressRound, "int")],
                ["registered", B.contestantsTotal, formatCell(data.summary.registered, "int")],
                ["participants", B.participants, formatCell(data.summary.participants, "int")],
                ["attempts", B.attempts, formatCell(data.summary.attempts, "int")],
                ["finishers", B.finishers, formatCell(data.summary.finishers, "int")],
                ["averageCorrect", B.averageCorrect, formatCell(data.summary.averageCorrect, "decimal")],
                ["allCorrect", B.allCorrect, formatCell(data.summary.allCorrect, "int")],
              ] as const
            ).map(([key, label, value]) => (
              <div key={key} className="card p-3 sm:p-3" data-testid={`kpi-${key}`}>
                <dt className="text-xs text-slate-600">{label}</dt>
                <dd className="text-lg font-bold tabular-nums">{value}</dd>
              </div>
            ))}
          </dl>

          <section className="card">
            <h2 className="font-semibold">{data.tables.days.title}</h2>
            <LineChart
              title={data.tables.days.title}
              labels={data.tables.days.rows.map((r) => String(r.day))}
              series={[
                { label: B.contestantsPerDay, data: data.tables.days.rows.map((r) => Number(r.contestants)) },
                { label: B.attemptsStarted, data: data.tables.days.rows.map((r) => Number(r.attempts)) },
              ]}
            />
            <DataTable {...props(data.tables.days)} download={xlsx("days")} testId="table-days" />
          </section>

          <section className="card">
            <h2 className="font-semibold">{data.tables.hours.title}</h2>
            <BarChart
              title={data.tables.hours.title}
              labels={data.tables.hours.rows.map((_, h) => String(h).padStart(2, "0"))}
              series={[{ label: B.attemptsStarted, data: data.tables.hours.rows.map((r) => Number(r.attempts)) }]}
            />
            <details className="mt-2">
              <summary className="cursor-pointer text-sm text-brand-700">{B.fullTable(data.tables.hours.rows.length)}</summary>
              <DataTable {...props(data.tables.hours)} testId="table-hours" />
            </details>
            <p className="mt-2 text-sm">
              <a href={xlsx("hours")} className="font-semibold text-brand-700 underline" download>
                {B.downloadXlsx}
              </a>
            </p>
          </section>

          <section className="card">
            <h2 className="font-semibold">{data.tables.groups.title}</h2>
            <BarChart
              title={data.tables.groups.title}
              labels={data.tables.groups.rows.map((r) => groupAxisLabel(String(r.group)))}
              series={[
                { label: B.participants, data: data.tables.groups.rows.map((r) => Number(r.participants)) },
                { label: B.finishers, data: data.tables.groups.rows.map((r) => Number(r.finishers)) },
              ]}
              horizontal
              height={220}
            />
            <DataTable {...props(data.tables.groups)} download={xlsx("groups")} testId="table-groups" />
          </section>

          <section className="card">
            <h2 className="font-semibold">{data.tables.distribution.title}</h2>
            <BarChart
              title={data.tables.distribution.title}
              labels={data.tables.distribution.rows.map((r) => String(r.correct))}
              series={[{ label: B.contestantsBest, data: data.tables.distribution.rows.map((r) => Number(r.contestants)) }]}
            />
            <DataTable {...props(data.tables.distribution)} download={xlsx("distribution")} testId="table-distribution" />
          </section>

          <section className="card">
            <h2 className="font-semibold">{data.tables.communes.title}</h2>
            <BarChart
              title={data.tables.communes.title}
              labels={data.tables.communes.rows.slice(0, 15).map((r) => String(r.commune))}
              series={[{ label: B.participants, data: data.tables.communes.rows.slice(0, 15).map((r) => Number(r.participants)) }]}
              horizontal
              height={360}
            />
            <details className="mt-2">
              <summary className="cursor-pointer text-sm text-brand-700">{B.fullTable(data.tables.communes.rows.length)}</summary>
              <DataTable {...props(data.tables.communes)} testId="table-communes" />
            </details>
            <p className="mt-2 text-sm">
              <a href={xlsx("communes")} className="font-semibold text-brand-700 underline" download>
                {B.downloadXlsx}
              </a>
            </p>
            <p className="mt-2 text-xs text-slate-600">{B.populationNote}</p>
          </section>
        </>
      ) : null}
    </div>
  );
}
