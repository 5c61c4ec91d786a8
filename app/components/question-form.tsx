import { Form } from "@remix-run/react";
import { DIFFICULTIES, OPTION_LETTERS } from "~/domain/questions";
import { DIFFICULTY_LABEL_VI } from "~/domain/questions";
import { vi } from "~/i18n/vi";
import { FieldError, FormAlert } from "./form";

interface Props {
  values: Record<string, string>;
  fields?: Record<string, string>;
  message?: string;
  topics: string[];
  statuses: readonly ("draft" | "active" | "retired")[];
  readOnly?: boolean;
}

const T = vi.admin;

function TextArea({ name, label, value, error, rows = 3, readOnly }: { name: string; label: string; value?: string; error?: string; rows?: number; readOnly?: boolean }) {
  return (
    <div>
      <label htmlFor={name} className="field-label">
        {label}
      </label>
      <textarea
        id={name}
        name={name}
        rows={rows}
        defaultValue={value}
        readOnly={readOnly}
        className="field-input"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${name}-error` : undefined}
      />
      <FieldError id={`${name}-error`} error={error} />
    </div>
  );
}

/** The editor for one question: works as a plain form, one field per column of the Excel template. */
export function QuestionForm({ values: v, fields: f = {}, message, topics, statuses, readOnly }: Props) {
  return (
    <Form method="post" className="space-y-4">
      <FormAlert message={message} />
      <div>
        <label htmlFor="topic" className="field-label">
          {T.topic}
        </label>
        <input id="topic" name="topic" list="topics" defaultValue={v.topic} readOnly={readOnly} className="field-input" aria-invalid={f.topic ? true : undefined} aria-describedby={f.topic ? "topic-error" : undefined} />
        <datalist id="topics">
          {topics.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
        <FieldError id="topic-error" error={f.topic} />
      </div>
      <TextArea name="text" label={T.text} value={v.text} error={f.text} readOnly={readOnly} />
      <fieldset className="space-y-2">
        <legend className="field-label">{T.correct}</legend>
        <p className="text-xs text-slate-600">{T.optionHint}</p>
        {OPTION_LETTERS.map((l) => (
          <div key={l} className="flex items-start gap-2">
            <label className="mt-2.5 inline-flex shrink-0 items-center gap-1 text-sm font-semibold">
              <input type="radio" name="correct" value={l} defaultChecked={v.correct === l} disabled={readOnly} className="h-5 w-5" aria-label={`${T.correct}: ${l}`} />
              {l}
            </label>
            <div className="flex-1">
              <input
                name={`option${l}`}
                aria-label={T.option(l)}
                defaultValue={v[`option${l}`]}
                readOnly={readOnly}
                className="field-input"
                aria-invalid={f[`option${l}`] ? true : undefined}
              />
              <FieldError id={`option${l}-error`} error={f[`option${l}`]} />
            </div>
          </div>
        ))}
        <FieldError id="correct-error" error={f.correct} />
      </fieldset>
      <TextArea name="explanation" label={T.explanation} value={v.explanation} error={f.explanation} readOnly={readOnly} />
      <div>
        <label htmlFor="source" className="field-label">
          {T.source}
        </label>
        <input id="source" name="source" defaultValue={v.source} readOnly={readOnly} className="field-input" />
        <FieldError id="source-error" error={f.source} />
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor="difficulty" className="field-label">
            {T.difficulty}
          </label>
          <select id="difficulty" name="difficulty" defaultValue={v.difficulty || "medium"} disabled={readOnly} className="field-input">
            {DIFFICULTIES.map((d) => (
              <option key={d} value={d}>
                {DIFFICULTY_LABEL_VI[d]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="status" className="field-label">
            {T.statusLabel}
          </label>
          <select id="status" name="status" defaultValue={v.status || "active"} disabled={readOnly} className="field-input">
            {statuses.map((s) => (
              <option key={s} value={s}>
                {T.status[s]}
              </option>
            ))}
          </select>
        </div>
      </div>
      {readOnly ? null : (
        <button type="submit" name="intent" value="save" className="btn-primary">
          {T.save}
        </button>
      )}
    </Form>
  );
}
