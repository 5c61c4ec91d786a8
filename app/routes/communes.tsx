// Public standings of the 135 communes, for one round or the whole contest. Every column sorts by
// a query parameter (?sort=…&dir=…), so the page needs no JavaScript; communes with nobody yet
// are listed too.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { communeFullName } from "~/domain/communes";
import { vi } from "~/i18n/vi";
import { listPublicContests } from "~/models/contest.server";
import { communeStandings, contestCommuneStandings } from "~/models/standing.server";
import { formatCell } from "~/components/charts";
import { orNotFound } from "~/utils/http.server";

const B = vi.boards;
const SORTS = ["name", "participants", "attempts", "averageCorrect", "allCorrectShare", "participationPer10k"] as const;
type Sort = (typeof SORTS)[number];
const collator = new Intl.Collator("vi", { sensitivity: "base", numeric: true });

export const meta: MetaFunction = () => [{ title: `${B.communesTitle} · ${vi.app.shortName}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const now = new Date();
  const url = new URL(request.url);
  const contests = await listPublicContests(now);
  const roundParam = url.searchParams.get("round") ?? "";
  const contest =
    contests.find((c) => c.rounds.some((r) => r.id === roundParam)) ?? contests.find((c) => c.id === url.searchParams.get("contest")) ?? contests[0] ?? null;
  const round = contest?.rounds.find((r) => r.id === roundParam) ?? null;
  if (roundParam && !round) throw new Response(null, { status: 404 });
  const sortParam = url.searchParams.get("sort") ?? "";
  const sort: Sort = (SORTS as readonly string[]).includes(sortParam) ? (sortParam as Sort) : "participants";
  const dir = url.searchParams.get("dir") === "asc" ? "asc" : url.searchParams.get("dir") === "desc" ? "desc" : sort === "name" ? "asc" : "desc";
  if (!contest) return { contest: null, round: null, sort, dir, rows: [] };
  const standings = round ? await orNotFound(communeStandings(round.id, now)) : await contestCommuneStandings(contest.id, now);
  // Already ordered by participants, then the official order: a stable sort keeps that among equals.
  const rows = standings.map((r) => ({ ...r, fullName: communeFullName(r) }));
  const sign = dir === "asc" ? 1 : -1;
  rows.sort((a, b) => {
    if (sort === "name") return sign * collator.compare(a.name, b.name);
    const x = a[sort] ?? -1;
    const y = b[sort] ?? -1;
    return sign * (x - y);
  });
  return {
    contest: { id: contest.id, title: contest.title, rounds: contest.rounds.map((r) => ({ id: r.id, name: r.name })) },
    round: round ? { id: round.id, name: round.name } : null,
    sort,
    dir,
    rows: rows.map((r) => ({
      code: r.communeCode,
      name: r.fullName,
      participants: r.participants,
      attempts: r.attempts,
      // Nobody yet: no average to show (a dash, not a zero).
      averageCorrect: r.participants ? r.averageCorrect : null,
      allCorrectShare: r.participants ? r.allCorrectShare : null,
      participationPer10k: r.participationPer10k,
    })),
  };
}

export default function CommuneStandings() {
  const d = useLoaderData<typeof loader>();
  const columns: { key: Sort; label: string; format: "text" | "int" | "decimal" | "percent" }[] = [
    { key: "name", label: B.commune, format: "text" },
    { key: "participants", label: B.participants, format: "int" },
    { key: "attempts", label: B.attempts, format: "int" },
    { key: "averageCorrect", label: B.averageCorrect, format: "decimal" },
    { key: "allCorrectShare", label: B.allCorrectShare, format: "percent" },
    { key: "participationPer10k", label: B.per10k, format: "decimal" },
  ];
  const link = (sort: Sort) => {
    const qs = new URLSearchParams();
    if (d.round) qs.set("round", d.round.id);
    else if (d.contest) qs.set("contest", d.contest.id);
    qs.set("sort", sort);
    qs.set("dir", d.sort === sort ? (d.dir === "asc" ? "desc" : "asc") : sort === "name" ? "asc" : "desc");
    return `/communes?${qs}`;
  };
  return (
    <div className="space-y-4">
      <section className="card space-y-2">
        <h1 className="text-xl font-bold">{B.communesTitle}</h1>
        <p className="text-sm text-slate-700">{B.communesLead}</p>
        {d.contest ? (
          <Form method="get" className="flex flex-wrap items-end gap-3">
            <input type="hidden" name="contest" value={d.contest.id} />
            <input type="hidden" name="sort" value={d.sort} />
            <input type="hidden" name="dir" value={d.dir} />
            <div className="min-w-52 flex-1">
              <label htmlFor="round" className="field-label">
                {B.scope}
              </label>
              <select id="round" name="round" defaultValue={d.round?.id ?? ""} className="field-input">
                <option value="">{B.wholeContest}</option>
                {d.contest.rounds.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
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
        {d.round ? (
          <p className="text-sm">
            <Link to={`/rounds/${d.round.id}/leaderboard`} className="text-brand-700 underline">
              {B.leaderboardTitle(d.round.name)}
            </Link>
          </p>
        ) : null}
      </section>
      {d.contest ? (
        <section className="card p-0 sm:p-0">
          <div className="overflow-x-auto">
            <table className="w-full min-w-[40rem] text-sm" data-testid="commune-standings">
              <caption className="sr-only">{d.round ? `${B.communesTitle} · ${d.round.name}` : `${B.communesTitle} · ${B.wholeContest}`}</caption>
              <thead className="border-b border-slate-200 bg-slate-50 text-xs text-slate-600">
                <tr>
                  <th scope="col" className="px-2 py-2 text-right">
                    #
                  </th>
                  {columns.map((c) => (
                    <th
                      key={c.key}
                      scope="col"
                      aria-sort={d.sort === c.key ? (d.dir === "asc" ? "ascending" : "descending") : undefined}
                      className={`px-2 py-2 align-bottom font-semibold ${c.format === "text" ? "min-w-40 text-left" : "text-right"}`}
                    >
                      <Link to={link(c.key)} className="text-brand-700 underline" aria-label={B.sortBy(c.label)} preventScrollReset>
                        {c.label}
                        {d.sort === c.key ? (d.dir === "asc" ? " ▲" : " ▼") : ""}
                      </Link>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {d.rows.map((r, i) => (
                  <tr key={r.code} data-testid="commune-row" data-code={r.code}>
                    <td className="px-2 py-1.5 text-right tabular-nums text-slate-500">{i + 1}</td>
                    <th scope="row" className="px-2 py-1.5 text-left font-medium">
                      {r.name}
                    </th>
                    {columns.slice(1).map((c) => (
                      <td key={c.key} className="whitespace-nowrap px-2 py-1.5 text-right tabular-nums">
                        {formatCell(r[c.key], c.format)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="px-4 py-3 text-xs text-slate-600">{B.populationNote}</p>
        </section>
      ) : null}
    </div>
  );
}
