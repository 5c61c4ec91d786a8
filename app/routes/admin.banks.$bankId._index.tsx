import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { DIFFICULTIES, DIFFICULTY_LABEL_VI, OPTION_LETTERS, QUESTION_STATUSES, type QuestionStatus } from "~/domain/questions";
import { vi } from "~/i18n/vi";
import { bankStats, getBank, listQuestions, listTopics } from "~/models/question-bank.server";
import { int, orNotFound } from "~/utils/http.server";
import { ORGANIZERS, requireRole } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.bank.name ?? vi.admin.banksTitle} · ${vi.app.shortName}` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, ORGANIZERS);
  const bankId = params.bankId ?? "";
  const bank = await orNotFound(getBank(bankId));
  const url = new URL(request.url);
  const filter = {
    q: url.searchParams.get("q")?.slice(0, 200) ?? "",
    topic: url.searchParams.get("topic") ?? "",
    difficulty: url.searchParams.get("difficulty") ?? "",
    status: url.searchParams.get("status") ?? "",
  };
  const [list, topics, stats] = await Promise.all([
    listQuestions(bankId, { ...filter, page: int(url.searchParams.get("page"), 1) }),
    listTopics(bankId),
    bankStats(bankId),
  ]);
  return {
    bank: { id: bank.id, name: bank.name, description: bank.description },
    filter,
    topics,
    stats,
    total: list.total,
    page: list.page,
    pages: Math.max(1, Math.ceil(list.total / list.pageSize)),
    questions: list.items.map((q) => ({
      id: q.id,
      topic: q.topic,
      text: q.text,
      status: q.status as QuestionStatus,
      difficulty: q.difficulty as keyof typeof DIFFICULTY_LABEL_VI,
      version: q.version,
      used: q.firstUsedAt !== null,
      options: q.options.map((o) => ({ text: o.text, correct: o.correct })),
    })),
  };
}

export default function Bank() {
  const d = useLoaderData<typeof loader>();
  const T = vi.admin;
  const base = `/admin/banks/${d.bank.id}`;
  const pageLink = (p: number) => {
    const sp = new URLSearchParams({ ...d.filter, page: String(p) });
    return `?${sp.toString()}`;
  };
  return (
    <div className="space-y-5">
      <header>
        <p className="text-sm">
          <Link to="/admin/banks" className="text-brand-700 underline">
            {T.banksTitle}
          </Link>
        </p>
        <h1 className="text-xl font-bold">{d.bank.name}</h1>
        {d.bank.description ? <p className="text-sm text-slate-600">{d.bank.description}</p> : null}
        <p className="mt-1 text-sm text-slate-700" data-testid="bank-counts">
          {T.counts(d.stats.active, d.stats.draft, d.stats.retired)}
        </p>
        <div className="mt-3 flex flex-wrap gap-2 text-sm">
          <Link to={`${base}/questions/new`} className="btn-primary">
            {T.addQuestion}
          </Link>
          <Link to={`${base}/import`} className="btn-secondary">
            {T.importFile}
          </Link>
          <a href={`${base}/export.xlsx`} className="btn-secondary">
            {T.exportXlsx}
          </a>
          <a href={`${base}/export.gift`} className="btn-secondary">
            {T.exportGift}
          </a>
          <Link to={`${base}/review`} className="btn-secondary">
            {T.review}
          </Link>
        </div>
      </header>

      <Form method="get" className="card grid gap-3 sm:grid-cols-2" role="search">
        <div className="sm:col-span-2">
          <label htmlFor="q" className="field-label">
            {T.search}
          </label>
          <input id="q" name="q" type="search" defaultValue={d.filter.q} className="field-input" />
        </div>
        <select name="topic" defaultValue={d.filter.topic} className="field-input" aria-label={T.topic}>
          <option value="">{T.allTopics}</option>
          {d.topics.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        <select name="difficulty" defaultValue={d.filter.difficulty} className="field-input" aria-label={T.difficulty}>
          <option value="">{T.allDifficulties}</option>
          {DIFFICULTIES.map((x) => (
            <option key={x} value={x}>
              {DIFFICULTY_LABEL_VI[x]}
            </option>
          ))}
        </select>
        <select name="status" defaultValue={d.filter.status} className="field-input" aria-label={T.statusLabel}>
          <option value="">{T.inUse}</option>
          {QUESTION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {T.status[s]}
            </option>
          ))}
        </select>
        <button type="submit" className="btn-primary">
          {T.filter}
        </button>
      </Form>

      <p className="text-sm text-slate-700" data-testid="found">
        {T.found(d.total)}
      </p>
      <ol className="space-y-3">
        {d.questions.map((q) => (
          <li key={q.id} className="card" data-testid="question">
            <div className="flex flex-wrap items-center gap-2 text-xs">
              <span className="rounded bg-slate-100 px-2 py-0.5">{q.topic}</span>
              <span className="rounded bg-slate-100 px-2 py-0.5">{DIFFICULTY_LABEL_VI[q.difficulty]}</span>
              <span className="rounded bg-slate-100 px-2 py-0.5">{T.status[q.status]}</span>
              {q.version > 1 ? <span className="rounded bg-slate-100 px-2 py-0.5">{T.version(q.version)}</span> : null}
              {q.used ? <span className="rounded bg-amber-100 px-2 py-0.5 text-amber-900">{T.used}</span> : null}
            </div>
            <p className="mt-2 font-medium whitespace-pre-line">{q.text}</p>
            <ol className="mt-1 space-y-0.5 text-sm">
              {q.options.map((o, i) => (
                <li key={i} className={o.correct ? "font-semibold text-green-800" : ""}>
                  {OPTION_LETTERS[i]}. {o.text} {o.correct ? T.correctMark : ""}
                </li>
              ))}
            </ol>
            <p className="mt-2 text-sm">
              <Link to={`/admin/questions/${q.id}`} className="font-semibold text-brand-700 underline">
                {T.edit}
              </Link>
            </p>
          </li>
        ))}
      </ol>
      {d.pages > 1 ? (
        <nav className="flex items-center justify-between text-sm" aria-label={T.page(d.page, d.pages)}>
          {d.page > 1 ? <Link to={pageLink(d.page - 1)}>{T.prev}</Link> : <span />}
          <span>{T.page(d.page, d.pages)}</span>
          {d.page < d.pages ? <Link to={pageLink(d.page + 1)}>{T.next}</Link> : <span />}
        </nav>
      ) : null}
    </div>
  );
}
