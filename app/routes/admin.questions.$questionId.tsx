import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { QuestionForm } from "~/components/question-form";
import { QUESTION_STATUSES } from "~/domain/questions";
import { formatContestTime } from "~/domain/time";
import { vi } from "~/i18n/vi";
import { listAudit } from "~/models/audit.server";
import {
  ConflictError,
  duplicateQuestion,
  getBank,
  getQuestion,
  listTopics,
  setQuestionStatus,
  toDraft,
  updateQuestion,
} from "~/models/question-bank.server";
import { checkQuestionForm, formValues, valuesOf } from "~/models/question-form.server";
import { orNotFound, readForm } from "~/utils/http.server";
import { ORGANIZERS, requireRole } from "~/utils/session.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, ORGANIZERS);
  const q = await orNotFound(getQuestion(params.questionId ?? ""));
  const [bank, topics, history] = await Promise.all([getBank(q.bankId), listTopics(q.bankId), listAudit("question", q.id, 20)]);
  return {
    bank: { id: bank.id, name: bank.name },
    question: { id: q.id, version: q.version, used: q.firstUsedAt !== null, replacedById: q.replacedById, status: q.status },
    values: valuesOf(toDraft(q), q.status),
    topics,
    history: history.map((h) => ({ id: h.id, action: h.action, at: h.createdAt.toISOString() })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, ORGANIZERS);
  const q = await orNotFound(getQuestion(params.questionId ?? ""));
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "save");
  try {
    if (intent === "duplicate") {
      const id = await duplicateQuestion(q.id, vi.admin.duplicateSuffix, user);
      return redirect(`/admin/questions/${id}`);
    }
    if (intent === "retire" || intent === "activate") {
      await setQuestionStatus(q.id, intent === "retire" ? "retired" : "active", user);
      return redirect(`/admin/questions/${q.id}`);
    }
    const values = formValues(form);
    const checked = checkQuestionForm(values);
    if (!checked.ok) return data({ message: vi.errors.VALIDATION_FAILED, fields: checked.fields, values }, { status: 400 });
    const saved = await updateQuestion(q.id, checked.draft, checked.status, user);
    return redirect(`/admin/questions/${saved.id}?saved=${saved.versioned ? "version" : "1"}`);
  } catch (e) {
    if (e instanceof ConflictError) return data({ message: vi.admin.replaced, fields: {}, values: formValues(form) }, { status: 409 });
    throw e;
  }
}

export default function EditQuestion() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const saved = params.get("saved");
  const readOnly = d.question.replacedById !== null;
  return (
    <div className="space-y-4">
      <div className="card space-y-4">
        <p className="text-sm">
          <Link to={`/admin/banks/${d.bank.id}`} className="text-brand-700 underline">
            {d.bank.name}
          </Link>
        </p>
        <h1 className="text-xl font-bold">
          {vi.admin.editQuestionTitle} <span className="text-sm font-normal text-slate-600">({vi.admin.version(d.question.version)})</span>
        </h1>
        {saved ? (
          <div role="status" className="rounded-md border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-900">
            {saved === "version" ? vi.admin.versioned(d.question.version) : vi.admin.saved}
          </div>
        ) : null}
        {readOnly ? (
          <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            {vi.admin.replaced}{" "}
            <Link to={`/admin/questions/${d.question.replacedById}`} className="underline">
              →
            </Link>
          </p>
        ) : null}
        {d.question.used && !readOnly ? <p className="text-sm text-amber-800">{vi.admin.used}</p> : null}
        <QuestionForm
          values={result?.values ?? d.values}
          fields={result?.fields}
          message={result?.message}
          topics={d.topics}
          statuses={QUESTION_STATUSES}
          readOnly={readOnly}
        />
        <Form method="post" className="flex flex-wrap gap-2 border-t border-slate-200 pt-4">
          <button type="submit" name="intent" value="duplicate" className="btn-secondary">
            {vi.admin.duplicate}
          </button>
          {readOnly ? null : d.question.status === "retired" ? (
            <button type="submit" name="intent" value="activate" className="btn-secondary">
              {vi.admin.activate}
            </button>
          ) : (
            <button type="submit" name="intent" value="retire" className="btn-secondary">
              {vi.admin.retire}
            </button>
          )}
        </Form>
      </div>
      {d.history.length ? (
        <section className="card">
          <h2 className="mb-2 font-semibold">{vi.admin.history}</h2>
          <ul className="space-y-1 text-sm text-slate-700">
            {d.history.map((h) => (
              <li key={h.id}>
                {formatContestTime(h.at)} · {h.action}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
