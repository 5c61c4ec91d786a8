import { Form } from "@remix-run/react";
import type { ReactNode, SelectHTMLAttributes } from "react";
import { DIFFICULTIES, DIFFICULTY_LABEL_VI } from "~/domain/questions";
import { GROUPS } from "~/domain/roles";
import { REVEAL_POLICIES, TIE_BREAKS, type RoundStatus } from "~/domain/rounds";
import { vi } from "~/i18n/vi";
import type { RoundFormValues } from "~/models/round-form.server";
import { Field, FieldError, FormAlert } from "./form";

const T = vi.rounds;

const statusStyle: Record<RoundStatus, string> = {
  upcoming: "bg-amber-100 text-amber-900",
  open: "bg-green-100 text-green-900",
  closed: "bg-slate-200 text-slate-800",
  published: "bg-brand-100 text-brand-800",
};

export function RoundStatusBadge({ status }: { status: RoundStatus }) {
  return <span className={`rounded-full px-2.5 py-0.5 text-xs font-semibold whitespace-nowrap ${statusStyle[status]}`}>{vi.roundStatus[status]}</span>;
}

const errorProps = (id: string, error?: string) => ({
  "aria-invalid": error ? true : undefined,
  "aria-describedby": error ? `${id}-error` : undefined,
});

interface SelectProps extends SelectHTMLAttributes<HTMLSelectElement> {
  name: string;
  label: string;
  error?: string;
  value: string;
  /** Shown but not editable: the value still goes out through a hidden input. */
  locked?: boolean;
  children: ReactNode;
}

function Select({ name, label, error, value, locked, children, id = name, ...rest }: SelectProps) {
  return (
    <div>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <select id={id} name={locked ? undefined : name} defaultValue={value} disabled={locked} className="field-input" {...errorProps(id, error)} {...rest}>
        {children}
      </select>
      {locked ? <input type="hidden" name={name} value={value} /> : null}
      <FieldError id={`${id}-error`} error={error} />
    </div>
  );
}

interface Props {
  values: RoundFormValues;
  fields?: Record<string, string>;
  message?: string;
  banks: { id: string; name: string; active: number }[];
  /** The contest picker (new rounds only: a round stays in its contest). */
  contests?: { id: string; title: string }[];
  /** The round has attempts: what they drew and how they are ranked is frozen. */
  locked?: boolean;
  /** Topics of the round's bank, as a hint for the topics box. */
  topics?: string[];
  submitLabel?: string;
}

/** The round editor: a plain form (works without JavaScript), one error next to each field. */
export function RoundForm({ values: v, fields: f = {}, message, banks, contests, locked = false, topics, submitLabel = T.save }: Props) {
  const bankOptions = (
    <>
      {banks.map((b) => (
        <option key={b.id} value={b.id}>
          {T.bankOption(b.name, b.active)}
        </option>
      ))}
    </>
  );
  const knownBank = (id: string) => id === "" || banks.some((b) => b.id === id);
  const difficultyError = f.difficulty;
  const groupsError = f.eligibleGroups;
  const tieBreakError = f.tieBreak;
  return (
    <Form method="post" className="space-y-5">
      <FormAlert message={message} />
      {f._form ? <p className="field-error">{f._form}</p> : null}
      {locked ? (
        <p role="note" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {T.lockedNote}
        </p>
      ) : null}

      {contests ? (
        <Select name="contestId" label={T.contest} value={v.contestId} error={f.contestId}>
          {contests.map((c) => (
            <option key={c.id} value={c.id}>
              {c.title}
            </option>
          ))}
        </Select>
      ) : null}

      <Field name="name" label={T.name} defaultValue={v.name} error={f.name} required maxLength={200} />
      <div>
        <label htmlFor="description" className="field-label">
          {T.description}
        </label>
        <textarea id="description" name="description" rows={3} maxLength={4000} defaultValue={v.description} className="field-input" {...errorProps("description", f.description)} />
        <FieldError id="description-error" error={f.description} />
      </div>

      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          name="opensAt"
          type="datetime-local"
          label={T.opensAt}
          defaultValue={v.opensAt}
          error={f.opensAt}
          required
          readOnly={locked}
          step={v.opensAt.length > 16 ? "any" : undefined}
        />
        <Field name="closesAt" type="datetime-local" label={T.closesAt} defaultValue={v.closesAt} error={f.closesAt} required step={v.closesAt.length > 16 ? "any" : undefined} />
      </div>

      <div className="grid gap-4 sm:grid-cols-3">
        <Field name="durationMinutes" type="number" inputMode="numeric" min={1} max={360} step="any" label={T.durationMinutes} defaultValue={v.durationMinutes} error={f.durationMinutes} required readOnly={locked} />
        <Field name="questionCount" type="number" inputMode="numeric" min={1} max={200} label={T.questionCount} defaultValue={v.questionCount} error={f.questionCount} required readOnly={locked} />
        <Field name="maxAttempts" type="number" inputMode="numeric" min={1} max={50} label={T.maxAttempts} defaultValue={v.maxAttempts} error={f.maxAttempts} required />
      </div>

      <Select name="bankId" label={T.bank} value={v.bankId} error={f.bankId} locked={locked} required>
        <option value="">{T.chooseBank}</option>
        {bankOptions}
        {knownBank(v.bankId) ? null : <option value={v.bankId}>{v.bankId}</option>}
      </Select>
      {banks.length === 0 ? (
        <p className="text-sm text-amber-800">
          {T.noBanks}{" "}
          <a href="/admin/banks" className="underline">
            {vi.admin.banksTitle}
          </a>
        </p>
      ) : null}

      <div>
        <label htmlFor="topics" className="field-label">
          {T.topics}
        </label>
        <textarea
          id="topics"
          name="topics"
          rows={4}
          defaultValue={v.topics}
          readOnly={locked}
          placeholder="Cải cách thủ tục hành chính: 5"
          className="field-input"
          {...errorProps("topics", f.topics)}
        />
        <p className="mt-1 text-xs text-slate-600">{T.topicsRest}</p>
        {topics && topics.length ? <p className="mt-1 text-xs text-slate-600">{T.topicsAvailable(topics.join("; "))}</p> : null}
        <FieldError id="topics-error" error={f.topics} />
      </div>

      <fieldset aria-describedby={difficultyError ? "difficulty-error" : undefined}>
        <legend className="field-label">{T.difficulty}</legend>
        <div className="grid grid-cols-3 gap-3">
          {DIFFICULTIES.map((d) => (
            <div key={d}>
              <label htmlFor={`difficulty.${d}`} className="text-sm text-slate-700">
                {DIFFICULTY_LABEL_VI[d]}
              </label>
              <input
                id={`difficulty.${d}`}
                name={`difficulty.${d}`}
                type="number"
                inputMode="numeric"
                min={0}
                max={200}
                defaultValue={v.difficulty[d]}
                readOnly={locked}
                className="field-input"
                {...errorProps("difficulty", difficultyError)}
              />
            </div>
          ))}
        </div>
        <FieldError id="difficulty-error" error={difficultyError} />
      </fieldset>

      <fieldset aria-describedby={groupsError ? "eligibleGroups-error" : undefined}>
        <legend className="field-label">{T.groups}</legend>
        <div className="space-y-2">
          {GROUPS.map((g) => {
            const checked = v.eligibleGroups.includes(g);
            return (
              <label key={g} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  name={locked ? undefined : "eligibleGroups"}
                  value={g}
                  defaultChecked={checked}
                  disabled={locked}
                  className="h-5 w-5"
                  aria-invalid={groupsError ? true : undefined}
                />
                {vi.groups[g]}
                {locked && checked ? <input type="hidden" name="eligibleGroups" value={g} /> : null}
              </label>
            );
          })}
        </div>
        <FieldError id="eligibleGroups-error" error={groupsError} />
      </fieldset>

      <div className="space-y-3">
        {GROUPS.map((g) => (
          <Select key={g} name={`groupBanks.${g}`} label={T.groupBank(vi.groups[g])} value={v.groupBanks[g]} error={f[`groupBanks.${g}`]} locked={locked}>
            <option value="">{T.sameBank}</option>
            {bankOptions}
            {knownBank(v.groupBanks[g]) ? null : <option value={v.groupBanks[g]}>{v.groupBanks[g]}</option>}
          </Select>
        ))}
        <FieldError id="groupBanks-error" error={f.groupBanks} />
      </div>

      <div>
        <label className="flex items-center gap-2 text-sm font-medium">
          <input
            type="checkbox"
            name={locked ? undefined : "prediction"}
            value="1"
            defaultChecked={v.prediction}
            disabled={locked}
            className="h-5 w-5"
            {...errorProps("prediction", f.prediction)}
          />
          {T.prediction}
        </label>
        {locked && v.prediction ? <input type="hidden" name="prediction" value="1" /> : null}
        <FieldError id="prediction-error" error={f.prediction} />
      </div>

      <fieldset aria-describedby={tieBreakError ? "tieBreak-error" : undefined}>
        <legend className="field-label">{T.tieBreak}</legend>
        <div className="grid gap-3 sm:grid-cols-3">
          {[0, 1, 2].map((i) => (
            <Select key={i} name={`tieBreak${i + 1}`} label={T.tieBreakPosition(i + 1)} value={v.tieBreak[i]} locked={locked} aria-invalid={tieBreakError ? true : undefined} aria-describedby={tieBreakError ? "tieBreak-error" : undefined}>
              <option value="">—</option>
              {TIE_BREAKS.map((t) => (
                <option key={t} value={t}>
                  {T.tieBreakLabels[t]}
                </option>
              ))}
            </Select>
          ))}
        </div>
        <FieldError id="tieBreak-error" error={tieBreakError} />
      </fieldset>

      <Select name="revealAnswers" label={T.reveal} value={v.revealAnswers} error={f.revealAnswers}>
        {REVEAL_POLICIES.map((p) => (
          <option key={p} value={p}>
            {T.revealLabels[p]}
          </option>
        ))}
      </Select>

      <button type="submit" name="intent" value="save" className="btn-primary w-full sm:w-auto">
        {submitLabel}
      </button>
    </Form>
  );
}
