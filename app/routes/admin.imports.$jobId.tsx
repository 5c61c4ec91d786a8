import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { DIFFICULTY_LABEL_VI, OPTION_LETTERS, type ImportRowError } from "~/domain/questions";
import { vi } from "~/i18n/vi";
import { ConflictError } from "~/models/question-bank.server";
import { commitImport, discardImport, getImportJob } from "~/models/question-import.server";
import { orNotFound, readForm } from "~/utils/http.server";
import { ORGANIZERS, requireRole } from "~/utils/session.server";

const SAMPLE = 20;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ORGANIZERS);
  const job = await orNotFound(getImportJob(params.jobId ?? "", user));
  const { plan } = job;
  return {
    job: { id: job.id, bankId: job.bankId, fileName: job.fileName, format: job.format, status: job.status, importedCount: job.importedCount },
    valid: plan.questions?.length ?? 0,
    errors: plan.errors ?? [],
    duplicates: plan.duplicates ?? [],
    sample: (plan.questions ?? []).slice(0, SAMPLE),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, ORGANIZERS);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  try {
    if (intent === "discard") {
      await orNotFound(discardImport(params.jobId ?? "", user));
      return { done: "discarded" as const, imported: 0, skipped: 0 };
    }
    const result = await orNotFound(commitImport(params.jobId ?? "", intent === "partial", user));
    // A file with errors imports nothing unless the organizer chose "valid rows only".
    if (!result.committed) return data({ done: "preview" as const, imported: 0, skipped: result.skipped }, { status: 400 });
    return { done: "committed" as const, imported: result.imported, skipped: result.skipped };
  } catch (e) {
    if (e instanceof ConflictError) return data({ done: "conflict" as const, imported: 0, skipped: 0 }, { status: 409 });
    throw e;
  }
}

function ErrorTable({ rows, caption }: { rows: ImportRowError[]; caption: string }) {
  if (!rows.length) return null;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="mb-2 text-left font-semibold">{caption}</caption>
        <thead>
          <tr className="border-b border-slate-300">
            <th className="py-1 pr-3">{vi.admin.row}</th>
            <th className="py-1 pr-3">{vi.admin.column}</th>
            <th className="py-1">{vi.admin.problem}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e, i) => (
            <tr key={i} className="border-b border-slate-100 align-top" data-testid="import-error">
              <td className="py-1 pr-3">{e.row}</td>
              <td className="py-1 pr-3">{e.column ?? ""}</td>
              <td className="py-1">
                {vi.questionFile.rowPrefix(e.row)}: {e.message}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function ImportPreview() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const T = vi.admin;
  const status = result?.done ?? d.job.status;
  return (
    <div className="space-y-4">
      <div className="card space-y-3">
        <p className="text-sm">
          <Link to={`/admin/banks/${d.job.bankId}`} className="text-brand-700 underline">
            {T.backToBank}
          </Link>
        </p>
        <h1 className="text-xl font-bold">{T.previewTitle}</h1>
        <p className="text-sm text-slate-700">
          {d.job.fileName} · {d.job.format.toUpperCase()}
        </p>
        <p className="font-medium" data-testid="import-summary">
          {T.previewSummary(d.valid, d.errors.length, d.duplicates.length)}
        </p>
        {status === "committed" ? (
          <div role="status" className="rounded-md border border-green-300 bg-green-50 px-3 py-2 text-green-900" data-testid="import-result">
            {result ? T.imported(result.imported, result.skipped) : `${T.importCommitted} ${T.imported(d.job.importedCount, 0)}`}
          </div>
        ) : status === "discarded" ? (
          <p role="status">{T.importDiscarded}</p>
        ) : status === "conflict" ? (
          <p role="alert">{T.importCommitted}</p>
        ) : (
          <Form method="post" className="space-y-3">
            {d.errors.length ? <p className="text-sm text-red-800">{T.fixAndRetry}</p> : null}
            <div className="flex flex-wrap gap-2">
              {d.errors.length === 0 ? (
                <button type="submit" name="intent" value="all" className="btn-primary" disabled={d.valid === 0}>
                  {T.importAll}
                </button>
              ) : (
                <button type="submit" name="intent" value="partial" className="btn-primary" disabled={d.valid === 0}>
                  {T.importValidOnly(d.valid)}
                </button>
              )}
              <Link to={`/admin/banks/${d.job.bankId}/import`} className="btn-secondary">
                {T.importAgain}
              </Link>
              <button type="submit" name="intent" value="discard" className="btn-secondary">
                {T.discard}
              </button>
            </div>
          </Form>
        )}
      </div>
      <div className="card space-y-4">
        <ErrorTable rows={d.errors} caption={T.previewErrors} />
        <ErrorTable rows={d.duplicates} caption={T.previewDuplicates} />
        {d.sample.length ? (
          <section>
            <h2 className="mb-2 font-semibold">{T.previewSample(d.sample.length, d.valid)}</h2>
            <ol className="space-y-3">
              {d.sample.map(({ row, question: q }) => (
                <li key={row} className="border-b border-slate-100 pb-2 text-sm">
                  <p className="text-xs text-slate-600">
                    {vi.questionFile.rowPrefix(row)} · {q.topic} · {DIFFICULTY_LABEL_VI[q.difficulty]}
                  </p>
                  <p className="font-medium">{q.text}</p>
                  <ul>
                    {q.options.map((o, i) => (
                      <li key={i} className={i === q.correct ? "font-semibold text-green-800" : ""}>
                        {OPTION_LETTERS[i]}. {o}
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ol>
          </section>
        ) : null}
      </div>
    </div>
  );
}
