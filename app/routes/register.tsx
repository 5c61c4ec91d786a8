import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { deviceId } from "~/lib/device";
import { Captcha } from "~/components/captcha";
import { CommuneSelect } from "~/components/commune-select";
import { Field, FieldError, FormAlert } from "~/components/form";
import { Honeypot } from "~/components/honeypot";
import { validateRegistration } from "~/domain/registration";
import { GROUPS } from "~/domain/roles";
import { contestDate } from "~/domain/time";
import { vi, type ErrorCode } from "~/i18n/vi";
import { listCommunes } from "~/models/commune.server";
import { registerContestant } from "~/models/registration.server";
import { clientIp } from "~/utils/api.server";
import { readForm } from "~/utils/http.server";
import { checkFormGuards, formGuards } from "~/utils/honeypot.server";
import { ipKey, limitRegistration, RateLimitedError, retryAfterHeaders } from "~/utils/rate-limit.server";
import { getSessionUser, startSession } from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: `${vi.register.title} · ${vi.app.shortName}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getSessionUser(request)) throw redirect("/account");
  return { communes: await listCommunes(), guard: formGuards() };
}

const FIELDS = ["fullName", "nationalId", "phone", "email", "birthDate", "gender", "communeCode", "group", "workplace"] as const;

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const now = new Date();
  const input = Object.fromEntries(
    [...FIELDS, "password", "passwordConfirm"].map((k) => [k, typeof form.get(k) === "string" ? form.get(k) : undefined]),
  );
  // Every answer but success echoes what was typed (never the passwords) and brings fresh guards.
  const values = Object.fromEntries(FIELDS.map((k) => [k, String(input[k] ?? "")]));
  const refuse = (status: number, code: ErrorCode, fields: Record<string, string> = {}, headers?: HeadersInit) =>
    data({ message: vi.errors[code], fields, values, guard: formGuards() }, { status, headers });

  // Honeypot and captcha first; plain typos are reported before the captcha is spent (they reveal
  // nothing), anything that reads accounts comes after it.
  const guard = await checkFormGuards(form, now.getTime());
  if (guard?.code === "FORM_REJECTED") return refuse(400, "FORM_REJECTED");
  const check = validateRegistration(input, contestDate(now));
  if (!check.ok) return refuse(400, "VALIDATION_FAILED", check.fields);
  if (guard) return refuse(400, guard.code, guard.fields);
  let limit: Awaited<ReturnType<typeof limitRegistration>>;
  try {
    limit = await limitRegistration(ipKey(clientIp(context), request));
  } catch (e) {
    if (e instanceof RateLimitedError) return refuse(429, "RATE_LIMITED", {}, retryAfterHeaders(e));
    throw e;
  }
  const deviceId = String(form.get("deviceId") ?? "").slice(0, 100) || null;
  const result = await registerContestant(input, now, { ip: clientIp(context), deviceId });
  if (!result.ok) {
    if (result.status === 400) await limit.refund();
    return refuse(result.status, result.code, result.fields);
  }
  const cookie = await startSession(request, result.user.id);
  return redirect("/account?welcome=1", { headers: { "Set-Cookie": cookie } });
}

export default function Register() {
  // The browser's own random id (see app/lib/device.ts): judges see many accounts made on one phone.
  const [device, setDevice] = useState("");
  useEffect(() => setDevice(deviceId()), []);
  const { communes, guard: loaderGuard } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const guard = result?.guard ?? loaderGuard;
  const busy = useNavigation().state === "submitting";
  const f: Record<string, string | undefined> = result?.fields ?? {};
  const v: Record<string, string> = result?.values ?? {};
  return (
    <div className="card">
      <h1 className="text-xl font-bold">{vi.register.title}</h1>
      <p className="mt-1 text-sm text-slate-600">{vi.register.lead}</p>
      <Form method="post" className="mt-5 space-y-4" noValidate>
        <input type="hidden" name="deviceId" value={device} />
        <FormAlert message={result?.message} />
        <Honeypot formStartedAt={guard.formStartedAt} />
        <Field name="fullName" label={vi.register.fullName} autoComplete="name" defaultValue={v.fullName} error={f.fullName} required />
        <Field
          name="nationalId"
          label={vi.register.nationalId}
          inputMode="numeric"
          autoComplete="off"
          maxLength={14}
          defaultValue={v.nationalId}
          error={f.nationalId}
          required
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <Field name="birthDate" type="date" label={vi.register.birthDate} defaultValue={v.birthDate} error={f.birthDate} required />
          <fieldset>
            <legend className="field-label">{vi.register.gender}</legend>
            <div className="flex gap-6 py-2.5" aria-describedby={f.gender ? "gender-error" : undefined}>
              {(["male", "female"] as const).map((g) => (
                <label key={g} className="inline-flex items-center gap-2">
                  <input type="radio" name="gender" value={g} defaultChecked={v.gender === g} className="h-5 w-5" />
                  {g === "male" ? vi.register.genderMale : vi.register.genderFemale}
                </label>
              ))}
            </div>
            <FieldError id="gender-error" error={f.gender} />
          </fieldset>
        </div>
        <Field name="phone" type="tel" label={vi.register.phone} autoComplete="tel" inputMode="tel" defaultValue={v.phone} error={f.phone} required />
        <Field name="email" type="email" label={vi.register.email} autoComplete="email" defaultValue={v.email} error={f.email} />
        <CommuneSelect communes={communes} defaultValue={v.communeCode} error={f.communeCode} />
        <div>
          <label htmlFor="group" className="field-label">
            {vi.register.group}
          </label>
          <select id="group" name="group" className="field-input" defaultValue={v.group ?? ""} aria-invalid={f.group ? true : undefined} required>
            <option value="">—</option>
            {GROUPS.map((g) => (
              <option key={g} value={g}>
                {vi.groups[g]}
              </option>
            ))}
          </select>
          <FieldError id="group-error" error={f.group} />
        </div>
        <Field name="workplace" label={vi.register.workplace} defaultValue={v.workplace} error={f.workplace} />
        <Field name="password" type="password" label={vi.register.password} autoComplete="new-password" error={f.password} required />
        <Field name="passwordConfirm" type="password" label={vi.register.passwordConfirm} autoComplete="new-password" error={f.passwordConfirm} required />
        <Captcha fallback={guard.fallback} minSeconds={guard.minSeconds} fallbackError={f.captchaAnswer} />
        <p className="text-xs text-slate-600">{vi.register.privacy}</p>
        <button type="submit" className="btn-primary w-full sm:w-auto" disabled={busy}>
          {vi.register.submit}
        </button>
        <p className="text-sm">
          {vi.register.haveAccount}{" "}
          <Link to="/login" className="font-semibold text-brand-700 underline">
            {vi.nav.login}
          </Link>
        </p>
      </Form>
    </div>
  );
}
