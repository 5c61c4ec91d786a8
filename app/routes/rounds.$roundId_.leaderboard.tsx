// The public leaderboard of a round: masked names and communes only. It keeps itself current by
// polling the JSON endpoint (GET /api/v1/rounds/:id/leaderboard) while the tab is visible; the
// filters are a plain GET form, so the page also works without JavaScript.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useEffect, useMemo, useState } from "react";
import { communeFullName } from "~/domain/communes";
import { GROUPS, mayCompete, type Group } from "~/domain/roles";
import { CONTEST_TIME_ZONE } from "~/domain/time";
import { vi } from "~/i18n/vi";
import { listCommunes } from "~/models/commune.server";
import { getRound } from "~/models/round.server";
import { leaderboard, ownRank, type LeaderboardEntry } from "~/models/standing.server";
import { formatDuration } from "~/utils/format";
import { orNotFound } from "~/utils/http.server";
import { getSessionUser } from "~/utils/session.server";

const TOP_N = 50;
const POLL_MS = 4_000;
const B = vi.boards;

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${B.leaderboardTitle(d?.round.name ?? "")} · ${vi.app.shortName}` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const now = new Date();
  const round = await orNotFound(getRound(params.roundId ?? "", now));
  const url = new URL(request.url);
  const communes = await listCommunes();
  const communeParam = url.searchParams.get("commune") ?? "";
  const groupParam = url.searchParams.get("group") ?? "";
  const filter = {
    commune: communes.some((c) => c.code === communeParam) ? communeParam : undefined,
    group: (GROUPS as readonly string[]).includes(groupParam) ? groupParam : undefined,
    limit: TOP_N,
  };
  const [board, user] = await Promise.all([leaderboard(round.id, filter, now), getSessionUser(request)]);
  const me = user && mayCompete(user.role) ? await ownRank(round.id, user.id, filter, now) : null;
  return {
    round: { id: round.id, name: round.name, status: round.status, tieBreak: round.tieBreak },
    communes: communes.map((c) => ({ code: c.code, name: communeFullName(c) })),
    filter: { commune: filter.commune ?? "", group: filter.group ?? "" },
    board: { final: board.final, entries: board.entries, me, at: now.toISOString() },
  };
}

type Board = { final: boolean; entries: LeaderboardEntry[]; me: (LeaderboardEntry & { of: number }) | null; at: string };

/** "14:05:09" in the contest's time zone (the same on the server and in any browser). */
function clockTime(iso: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", { timeZone: CONTEST_TIME_ZONE, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.hour}:${parts.minute}:${parts.second}`;
}

/** Polls the JSON endpoint every few seconds, only while the page is visible. */
function useLiveBoard(roundId: string, filter: { commune: string; group: string }, initial: Board): Board {
  const [board, setBoard] = useState(initial);
  useEffect(() => setBoard(initial), [initial]);
  useEffect(() => {
    const qs = new URLSearchParams({ limit: String(TOP_N) });
    if (filter.commune) qs.set("commune", filter.commune);
    if (filter.group) qs.set("group", filter.group);
    let timer: ReturnType<typeof setInterval> | undefined;
    let inFlight: AbortController | undefined;
    const tick = async () => {
      if (inFlight) return;
      inFlight = new AbortController();
      try {
        const res = await fetch(`/api/v1/rounds/${encodeURIComponent(roundId)}/leaderboard?${qs}`, {
          cache: "no-store",
          credentials: "same-origin",
          headers: { Accept: "application/json" },
          signal: inFlight.signal,
        });
        if (res.ok) {
          const data = (await res.json()) as { final: boolean; entries: LeaderboardEntry[]; me?: Board["me"] };
          setBoard({ final: data.final, entries: data.entries, me: data.me ?? null, at: new Date().toISOString() });
        }
      } catch {
        // Offline or aborted: the next tick tries again.
      } finally {
        inFlight = undefined;
      }
    };
    const start = () => {
      if (timer === undefined) timer = setInterval(tick, POLL_MS);
    };
    const stop = () => {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    };
    const onVisibility = () => {
      if (document.visibilityState === "visible") {
        void tick();
        start();
      } else stop();
    };
    if (document.visibilityState === "visible") start();
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      stop();
      inFlight?.abort();
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [roundId, filter.commune, filter.group]);
  return board;
}

export default function RoundLeaderboard() {
  const d = useLoaderData<typeof loader>();
  const board = useLiveBoard(d.round.id, d.filter, d.board);
  const communeName = useMemo(() => new Map(d.communes.map((c) => [c.code, c.name])), [d.communes]);
  const tieLabels = d.round.tieBreak.map((t) => vi.rounds.tieBreakLabels[t]);
  const me = board.me;
  return (
    <div className="space-y-4">
      <section className="card space-y-2">
        <p className="text-sm">
          <Link to={`/rounds/${d.round.id}`} className="text-brand-700 underline">
            {B.backToRound}
          </Link>
        </p>
        <h1 className="text-xl font-bold">{B.leaderboardTitle(d.round.name)}</h1>
        <p className="text-sm text-slate-700">{B.leaderboardLead}</p>
        <p
          data-testid="order-label"
          data-final={board.final ? "true" : "false"}
          className={`rounded-md px-3 py-2 text-sm font-medium ${board.final ? "bg-brand-50 text-brand-800" : "bg-green-50 text-green-900"}`}
        >
          {board.final ? B.finalOrder(tieLabels) : B.liveOrder}
        </p>
      </section>

      <Form method="get" className="card grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end" aria-label={B.filter}>
        <div>
          <label htmlFor="commune" className="field-label">
            {B.commune}
          </label>
          <select id="commune" name="commune" defaultValue={d.filter.commune} className="field-input">
            <option value="">{B.allCommunes}</option>
            {d.communes.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="group" className="field-label">
            {B.group}
          </label>
          <select id="group" name="group" defaultValue={d.filter.group} className="field-input">
            <option value="">{B.allGroups}</option>
            {GROUPS.map((g) => (
              <option key={g} value={g}>
                {vi.groups[g as Group]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn-secondary">
          {B.filter}
        </button>
      </Form>

      {me ? (
        <p data-testid="own-rank" className="card border-brand-600 bg-brand-50 font-semibold text-brand-800">
          {B.yourRank(me.rank, me.of)}
          <span className="block text-sm font-normal">{B.yourResult(me.correctCount, me.questionCount, formatDuration(me.durationMs))}</span>
        </p>
      ) : null}

      <section className="card p-0 sm:p-0" aria-labelledby="board-heading">
        <div className="flex flex-wrap items-baseline justify-between gap-2 px-4 pt-4">
          <h2 id="board-heading" className="font-semibold">
            {B.topN(TOP_N)}
          </h2>
          <p className="text-xs text-slate-600" aria-live="polite">
            {B.updatedAt(clockTime(board.at))} · {B.autoRefresh}
          </p>
        </div>
        {board.entries.length === 0 ? (
          <p className="px-4 py-6 text-slate-600" data-testid="leaderboard-empty">
            {B.empty}
          </p>
        ) : (
          <table className="mt-2 w-full text-sm" data-testid="leaderboard">
            <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs uppercase text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2 text-center">
                  {B.rank}
                </th>
                <th scope="col" className="px-2 py-2">
                  {B.contestant}
                </th>
                <th scope="col" className="px-2 py-2 text-right">
                  {B.correct}
                </th>
                <th scope="col" className="px-3 py-2 text-right">
                  {B.time}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {board.entries.map((e, i) => (
                <tr key={`${i}-${e.rank}-${e.displayName}`} data-testid="leaderboard-entry">
                  <td className="px-3 py-2 text-center font-semibold tabular-nums">{e.rank}</td>
                  <td className="px-2 py-2">
                    <span className="block font-medium">{e.displayName}</span>
                    <span className="block text-xs text-slate-600">{communeName.get(e.communeCode) ?? e.communeCode}</span>
                  </td>
                  <td className="px-2 py-2 text-right tabular-nums">{B.score(e.correctCount, e.questionCount)}</td>
                  <td className="px-3 py-2 text-right text-xs tabular-nums">{formatDuration(e.durationMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <p className="text-sm">
        <Link to={`/communes?round=${d.round.id}`} className="font-semibold text-brand-700 underline">
          {B.communeStandingsLink}
        </Link>
      </p>
    </div>
  );
}
