import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { DIFFICULTY_LABEL_VI, OPTION_LETTERS } from "~/domain/questions";
import { contestDate } from "~/domain/time";
import { vi } from "~/i18n/vi";
import { bankStats, exportDrafts, getBank } from "~/models/question-bank.server";
import { orNotFound } from "~/utils/http.server";
import { ORGANIZERS, requireRole } from "~/utils/session.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, ORGANIZERS);
  const bank = await orNotFound(getBank(params.bankId ?? ""));
  const [questions, stats] = await Promise.all([exportDrafts(bank.id), bankStats(bank.id)]);
  const collator = new Intl.Collator("vi");
  questions.sort((a, b) => collator.compare(a.draft.topic, b.draft.topic));
  return { bank: { name: bank.name }, questions, stats, date: contestDate(new Date()).split("-").reverse().join("/") };
}

/** A proofreading copy for the drafting committee: prints cleanly on A4, one question never split. */
export default function Review() {
  const d = useLoaderData<typeof loader>();
  const T = vi.admin;
  return (
    <article className="space-y-4 bg-white p-2 print:p-0">
      <header className="flex items-start justify-between gap-2">
        <div>
          <h1 className="text-xl font-bold">{T.reviewTitle(d.bank.name)}</h1>
          <p className="text-sm text-slate-600">{T.reviewLead(d.questions.length, d.date)}</p>
        </div>
        <button type="button" className="btn-secondary print:hidden" onClick={() => window.print()}>
          {T.print}
        </button>
      </header>
      <table className="w-full border-collapse text-sm">
        <caption className="mb-1 text-left font-semibold">{T.byTopic}</caption>
        <thead>
          <tr className="border-b border-slate-400 text-left">
            <th className="py-1 pr-2">{T.topic}</th>
            <th className="py-1 pr-2 text-right">{DIFFICULTY_LABEL_VI.easy}</th>
            <th className="py-1 pr-2 text-right">{DIFFICULTY_LABEL_VI.medium}</th>
            <th className="py-1 pr-2 text-right">{DIFFICULTY_LABEL_VI.hard}</th>
            <th className="py-1 text-right">{T.total}</th>
          </tr>
        </thead>
        <tbody>
          {d.stats.topics.map((t) => (
            <tr key={t.topic} className="border-b border-slate-200" data-testid="topic-row">
              <td className="py-1 pr-2">{t.topic}</td>
              <td className="py-1 pr-2 text-right">{t.easy}</td>
              <td className="py-1 pr-2 text-right">{t.medium}</td>
              <td className="py-1 pr-2 text-right">{t.hard}</td>
              <td className="py-1 text-right font-semibold">{t.total}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ol className="space-y-4">
        {d.questions.map(({ id, status, draft: q }, n) => (
          <li key={id} className="break-inside-avoid border-b border-slate-200 pb-3">
            <p className="text-xs text-slate-600">
              {n + 1}. {q.topic} · {DIFFICULTY_LABEL_VI[q.difficulty]}
              {status === "draft" ? ` · ${T.status.draft}` : ""}
            </p>
            <p className="font-medium whitespace-pre-line">{q.text}</p>
            <ol className="mt-1">
              {q.options.map((o, i) => (
                <li key={i} className={i === q.correct ? "font-semibold" : ""}>
                  {OPTION_LETTERS[i]}. {o} {i === q.correct ? T.correctMark : ""}
                </li>
              ))}
            </ol>
            <p className="mt-1 text-sm">
              <span className="font-semibold">{T.explanation}:</span> {q.explanation}
            </p>
            {q.source ? <p className="text-sm text-slate-700">{q.source}</p> : null}
          </li>
        ))}
      </ol>
    </article>
  );
}
