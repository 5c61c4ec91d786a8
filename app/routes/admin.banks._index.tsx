import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormAlert } from "~/components/form";
import { bankSchema } from "~/domain/questions";
import { vi } from "~/i18n/vi";
import { createBank, listBanks } from "~/models/question-bank.server";
import { readForm } from "~/utils/http.server";
import { ORGANIZERS, requireRole } from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: `${vi.admin.banksTitle} · ${vi.app.shortName}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ORGANIZERS);
  return { banks: await listBanks() };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ORGANIZERS);
  const form = await readForm(request);
  const parsed = bankSchema.safeParse({ name: form.get("name") ?? undefined, description: form.get("description") ?? undefined });
  if (!parsed.success) return data({ message: vi.errors.VALIDATION_FAILED, error: vi.errors.required }, { status: 400 });
  const bank = await createBank(parsed.data, user);
  return redirect(`/admin/banks/${bank.id}`);
}

export default function Banks() {
  const { banks } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="space-y-6">
      <section>
        <h1 className="text-xl font-bold">{vi.admin.banksTitle}</h1>
        <p className="text-sm text-slate-600">{vi.admin.banksLead}</p>
        <p className="mt-2 text-sm">
          <a href="/admin/template.xlsx" className="font-semibold text-brand-700 underline">
            {vi.admin.template}
          </a>
        </p>
      </section>
      {banks.length === 0 ? <p className="text-slate-600">{vi.admin.noBanks}</p> : null}
      <ul className="space-y-3">
        {banks.map((b) => (
          <li key={b.id} className="card flex items-center justify-between gap-3">
            <div>
              <Link to={`/admin/banks/${b.id}`} className="font-semibold text-brand-700 underline">
                {b.name}
              </Link>
              <p className="text-sm text-slate-600">{vi.admin.counts(b.active, b.draft, b.retired)}</p>
            </div>
          </li>
        ))}
      </ul>
      <section className="card">
        <h2 className="mb-3 font-semibold">{vi.admin.newBank}</h2>
        <Form method="post" className="space-y-3">
          <FormAlert message={result?.message} />
          <Field name="name" label={vi.admin.bankName} error={result?.error} required maxLength={200} />
          <Field name="description" label={vi.admin.bankDescription} maxLength={2000} />
          <button type="submit" className="btn-primary">
            {vi.admin.create}
          </button>
        </Form>
      </section>
    </div>
  );
}
