import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { QuestionForm } from "~/components/question-form";
import { QUESTION_STATUSES } from "~/domain/questions";
import { vi } from "~/i18n/vi";
import { createQuestion, getBank, listTopics } from "~/models/question-bank.server";
import { checkQuestionForm, formValues } from "~/models/question-form.server";
import { orNotFound, readForm } from "~/utils/http.server";
import { ORGANIZERS, requireRole } from "~/utils/session.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, ORGANIZERS);
  const bank = await orNotFound(getBank(params.bankId ?? ""));
  return { bank: { id: bank.id, name: bank.name }, topics: await listTopics(bank.id) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, ORGANIZERS);
  const bank = await orNotFound(getBank(params.bankId ?? ""));
  const values = formValues(await readForm(request));
  const checked = checkQuestionForm(values);
  if (!checked.ok) return data({ message: vi.errors.VALIDATION_FAILED, fields: checked.fields, values }, { status: 400 });
  await createQuestion(bank.id, checked.draft, checked.status, user);
  return redirect(`/admin/banks/${bank.id}`);
}

export default function NewQuestion() {
  const { bank, topics } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="card space-y-4">
      <p className="text-sm">
        <Link to={`/admin/banks/${bank.id}`} className="text-brand-700 underline">
          {bank.name}
        </Link>
      </p>
      <h1 className="text-xl font-bold">{vi.admin.newQuestionTitle}</h1>
      <QuestionForm
        values={result?.values ?? { status: "active", difficulty: "medium" }}
        fields={result?.fields}
        message={result?.message}
        topics={topics}
        statuses={QUESTION_STATUSES.filter((s) => s !== "retired")}
      />
    </div>
  );
}
