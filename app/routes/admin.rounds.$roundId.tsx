import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { FieldError, FormAlert } from "~/components/form";
import { RoundForm, RoundStatusBadge } from "~/components/round-form";
import { roundFields } from "~/domain/rounds";
import { formatContestTime } from "~/domain/time";
import { vi } from "~/i18n/vi";
import { listBanks, listTopics } from "~/models/question-bank.server";
import { formFields, fromContestLocal, parseRoundForm, valuesOfRound } from "~/models/round-form.server";
import { attemptCount, getRound, moveRoundTimes, RoundFieldsError, updateRound } from "~/models/round.server";
import { orNotFound, readForm } from "~/utils/http.server";
import { ORGANIZERS, requireRole } from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: `${vi.rounds.editRound} · ${vi.app.shortName}` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, ORGANIZERS);
  const round = await orNotFound(getRound(params.roundId ?? "", new Date()));
  const [attempts, banks, topics] = await Promise.all([attemptCount(round.id), listBanks(), listTopics(round.bankId)]);
  return {
    round: { id: round.id, name: round.name, status: round.status, opensAt: round.opensAt, closesAt: round.closesAt },
    attempts,
    banks: banks.map((b) => ({ id: b.id, name: b.name, active: b.active })),
    topics,
    values: valuesOfRound(round),
  };
}

type Intent = "save" | "openNow" | "extend" | "closeNow";
const INTENTS: readonly Intent[] = ["save", "openNow", "extend", "closeNow"];

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, ORGANIZERS);
  const now = new Date();
  const round = await orNotFound(getRound(params.roundId ?? "", now));
  const form = await readForm(request);
  const raw = String(form.get("intent") ?? "save");
  const intent: Intent = (INTENTS as readonly string[]).includes(raw) ? (raw as Intent) : "save";
  const done = (what: string) => redirect(`/admin/rounds/${round.id}?${what}`);
  const refuse = (message: string, fields: Record<string, string> = {}, status = 409) => data({ intent, message, fields, values: null }, { status });

  if (intent === "openNow") {
    if (round.status !== "upcoming") return refuse(vi.rounds.notUpcoming);
    await moveRoundTimes(round.id, { opensAt: now }, user, now);
    return done("done=opened");
  }
  if (intent === "closeNow") {
    if (round.status !== "open") return refuse(vi.errors.ROUND_NOT_OPEN);
    await moveRoundTimes(round.id, { closesAt: now }, user, now);
    return done("done=closed");
  }
  if (intent === "extend") {
    const local = String(form.get("extendTo") ?? "").slice(0, 40);
    // The same date check as the settings form's closing time.
    const parsed = roundFields.shape.closesAt.safeParse(fromContestLocal(local) ?? local);
    if (!parsed.success) return refuse(vi.errors.VALIDATION_FAILED, { extendTo: vi.rounds.errors.closesAt }, 400);
    if (parsed.data.getTime() <= new Date(round.closesAt).getTime()) return refuse(vi.errors.VALIDATION_FAILED, { extendTo: vi.rounds.extendLater }, 400);
    try {
      await moveRoundTimes(round.id, { closesAt: parsed.data }, user, now);
    } catch (e) {
      if (e instanceof RoundFieldsError) return refuse(vi.errors.VALIDATION_FAILED, { extendTo: Object.values(e.fields)[0] ?? vi.rounds.errors.closesAt }, 400);
      throw e;
    }
    return done("done=extended");
  }

  const checked = parseRoundForm(form);
  if (!checked.ok) return data({ intent, message: vi.errors.VALIDATION_FAILED, fields: checked.fields, values: checked.values }, { status: 400 });
  try {
    await updateRound(round.id, checked.input, user, now);
  } catch (e) {
    if (e instanceof RoundFieldsError) {
      const locked = e.code === "ROUND_HAS_ATTEMPTS";
      return data(
        { intent, message: locked ? vi.errors.ROUND_HAS_ATTEMPTS : vi.errors.VALIDATION_FAILED, fields: formFields(e.fields), values: checked.values },
        { status: locked ? 409 : 400 },
      );
    }
    throw e;
  }
  return done("saved=1");
}

const DONE: Record<string, string> = { opened: vi.rounds.opened, closed: vi.rounds.closedNow, extended: vi.rounds.extended };

export default function EditRound() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const notice = params.get("saved") ? vi.rounds.saved : DONE[params.get("done") ?? ""];
  const saving = !result || result.intent === "save";
  const values = (saving ? result?.values : null) ?? d.values;
  const quick = result && !saving ? result : null;
  return (
    <div className="space-y-4">
      <div className="card space-y-4">
        <p className="text-sm">
          <Link to="/admin/rounds" className="text-brand-700 underline">
            {vi.rounds.listTitle}
          </Link>
        </p>
        <div className="flex items-start justify-between gap-2">
          <h1 className="text-xl font-bold">
            {vi.rounds.editRound}: {d.round.name}
          </h1>
          <RoundStatusBadge status={d.round.status} />
        </div>
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm text-slate-700">
          <dt className="font-medium">{vi.rounds.opens}</dt>
          <dd>{formatContestTime(d.round.opensAt)}</dd>
          <dt className="font-medium">{vi.rounds.closes}</dt>
          <dd>{formatContestTime(d.round.closesAt)}</dd>
        </dl>
        <p className="text-sm text-slate-600">{vi.rounds.attemptsCount(d.attempts)}</p>
        {notice ? (
          <div role="status" className="rounded-md border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-900">
            {notice}
          </div>
        ) : null}
      </div>

      <section className="card space-y-3" aria-labelledby="quick-heading">
        <h2 id="quick-heading" className="font-semibold">
          {vi.rounds.quickActions}
        </h2>
        <FormAlert message={quick?.message} />
        <div className="flex flex-wrap items-end gap-3">
          {d.round.status === "upcoming" ? (
            <Form method="post">
              <button type="submit" name="intent" value="openNow" className="btn-secondary">
                {vi.rounds.openNow}
              </button>
            </Form>
          ) : null}
          {d.round.status === "open" ? (
            <Form method="post">
              <button type="submit" name="intent" value="closeNow" className="btn-secondary">
                {vi.rounds.closeNow}
              </button>
            </Form>
          ) : null}
          <Form method="post" className="flex flex-wrap items-end gap-2">
            <div>
              <label htmlFor="extendTo" className="field-label">
                {vi.rounds.extend}
              </label>
              <input
                id="extendTo"
                name="extendTo"
                type="datetime-local"
                required
                defaultValue={values.closesAt.slice(0, 16)}
                className="field-input"
                aria-invalid={quick?.fields.extendTo ? true : undefined}
                aria-describedby={quick?.fields.extendTo ? "extendTo-error" : undefined}
              />
              <FieldError id="extendTo-error" error={quick?.fields.extendTo} />
            </div>
            <button type="submit" name="intent" value="extend" className="btn-secondary">
              {vi.rounds.extend}
            </button>
          </Form>
        </div>
      </section>

      <section className="card">
        <RoundForm
          key={JSON.stringify(values)}
          values={values}
          fields={saving ? result?.fields : undefined}
          message={saving ? result?.message : undefined}
          banks={d.banks}
          topics={d.topics}
          locked={d.attempts > 0}
        />
      </section>
    </div>
  );
}
