import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { RoundForm } from "~/components/round-form";
import { vi } from "~/i18n/vi";
import { listBanks } from "~/models/question-bank.server";
import { formFields, newRoundValues, parseRoundForm } from "~/models/round-form.server";
import { createRound, listContests, RoundFieldsError } from "~/models/round.server";
import { readForm } from "~/utils/http.server";
import { ORGANIZERS, requireRole } from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: `${vi.rounds.newRound} · ${vi.app.shortName}` }];

async function choices() {
  const [banks, contests] = await Promise.all([listBanks(), listContests()]);
  return { banks: banks.map((b) => ({ id: b.id, name: b.name, active: b.active })), contests };
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ORGANIZERS);
  const { banks, contests } = await choices();
  // Contests come newest first: the newest is the default.
  return { banks, contests, values: newRoundValues({ contestId: contests[0]?.id }) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ORGANIZERS);
  const checked = parseRoundForm(await readForm(request));
  if (!checked.ok) return data({ message: vi.errors.VALIDATION_FAILED, fields: checked.fields, values: checked.values }, { status: 400 });
  try {
    const round = await createRound(checked.input, user, new Date());
    return redirect(`/admin/rounds/${round.id}?saved=1`);
  } catch (e) {
    if (e instanceof RoundFieldsError) return data({ message: vi.errors.VALIDATION_FAILED, fields: formFields(e.fields), values: checked.values }, { status: 400 });
    throw e;
  }
}

export default function NewRound() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = result?.values ?? d.values;
  return (
    <div className="card space-y-4">
      <p className="text-sm">
        <Link to="/admin/rounds" className="text-brand-700 underline">
          {vi.rounds.listTitle}
        </Link>
      </p>
      <h1 className="text-xl font-bold">{vi.rounds.newRound}</h1>
      <RoundForm key={JSON.stringify(values)} values={values} fields={result?.fields} message={result?.message} banks={d.banks} contests={d.contests} submitLabel={vi.rounds.newRound} />
    </div>
  );
}
