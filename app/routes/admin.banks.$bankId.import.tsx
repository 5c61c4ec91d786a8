import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useRef, useState, type FormEvent } from "react";
import { FormAlert } from "~/components/form";
import { vi } from "~/i18n/vi";
import { getBank } from "~/models/question-bank.server";
import { createImportPreview } from "~/models/question-import.server";
import { orNotFound } from "~/utils/http.server";
import { ORGANIZERS, requireRole } from "~/utils/session.server";
import { readUpload } from "~/utils/upload.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, ORGANIZERS);
  const bank = await orNotFound(getBank(params.bankId ?? ""));
  return { bank: { id: bank.id, name: bank.name } };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, ORGANIZERS);
  const bank = await orNotFound(getBank(params.bankId ?? ""));
  const upload = await readUpload(request);
  if (!upload.ok) return data({ message: upload.message }, { status: upload.status });
  const defaultTopic = String(upload.form.get("defaultTopic") ?? "").slice(0, 200);
  const preview = await createImportPreview(bank.id, { fileName: upload.fileName, bytes: upload.bytes, defaultTopic }, user);
  if (!preview.ok) return data({ message: preview.message }, { status: 400 });
  return redirect(`/admin/imports/${preview.jobId}`);
}

/**
 * A plain multipart form. With JavaScript it uploads through XMLHttpRequest to show progress
 * (a 10 MB file on a weak connection takes a while), then follows the server's redirect.
 */
export default function ImportQuestions() {
  const { bank } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | undefined>(undefined);
  const formRef = useRef<HTMLFormElement>(null);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const xhr = new XMLHttpRequest();
    xhr.open("POST", window.location.pathname);
    xhr.upload.onprogress = (ev) => ev.lengthComputable && setProgress(Math.round((ev.loaded / ev.total) * 100));
    xhr.upload.onload = () => setProgress(100);
    xhr.onload = () => {
      if (xhr.status < 400 && xhr.responseURL && !xhr.responseURL.endsWith(window.location.pathname)) {
        window.location.assign(xhr.responseURL);
        return;
      }
      // The action answered with the form and its error: show that message here (no script of the
      // answer runs: its CSP nonce is not this page's).
      const doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
      setProgress(null);
      setError(doc.querySelector("[role=alert]")?.textContent?.trim() || vi.errors.INTERNAL);
    };
    xhr.onerror = () => {
      setProgress(null);
      setError(vi.errors.INTERNAL);
    };
    setError(undefined);
    setProgress(0);
    xhr.send(new FormData(e.currentTarget));
  }

  return (
    <div className="card space-y-4">
      <p className="text-sm">
        <Link to={`/admin/banks/${bank.id}`} className="text-brand-700 underline">
          {bank.name}
        </Link>
      </p>
      <h1 className="text-xl font-bold">{vi.admin.importTitle}</h1>
      <p className="text-sm text-slate-600">{vi.admin.importLead}</p>
      <p className="text-sm">
        <a href="/admin/template.xlsx" className="font-semibold text-brand-700 underline">
          {vi.admin.template}
        </a>
      </p>
      <form ref={formRef} method="post" encType="multipart/form-data" className="space-y-4" onSubmit={onSubmit}>
        <FormAlert message={error ?? result?.message} />
        <div>
          <label htmlFor="file" className="field-label">
            {vi.admin.file}
          </label>
          <input id="file" name="file" type="file" required accept=".xlsx,.csv,.txt,.gift" className="field-input" />
        </div>
        <div>
          <label htmlFor="defaultTopic" className="field-label">
            {vi.admin.defaultTopic}
          </label>
          <input id="defaultTopic" name="defaultTopic" maxLength={200} className="field-input" />
        </div>
        {progress !== null ? (
          <div role="status" aria-live="polite" className="space-y-1">
            <div className="h-2 w-full overflow-hidden rounded bg-slate-200">
              <div className={`h-2 bg-brand-600 ${progress >= 100 ? "animate-pulse" : ""}`} style={{ width: `${progress}%` }} />
            </div>
            <p className="text-sm text-slate-700">{progress < 100 ? `${vi.admin.uploading} ${progress}%` : vi.admin.processing}</p>
          </div>
        ) : null}
        <button type="submit" className="btn-primary" disabled={progress !== null}>
          {vi.admin.upload}
        </button>
      </form>
    </div>
  );
}
