import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Field, FormAlert } from "~/components/form";
import { communeFullName } from "~/domain/communes";
import { maskNationalId, maskPhone } from "~/domain/identity";
import { passwordSchema } from "~/domain/registration";
import { mayCompete, type Group } from "~/domain/roles";
import { vi } from "~/i18n/vi";
import { changePassword, getOwnProfile, loginIdentifierOf } from "~/models/user.server";
import { clientIp } from "~/utils/api.server";
import { readForm } from "~/utils/http.server";
import { ipKey, limitLogin, RateLimitedError, retryAfterHeaders } from "~/utils/rate-limit.server";
import { requireUser, restartSessions } from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: `${vi.account.title} · ${vi.app.shortName}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const profile = await getOwnProfile(user.id);
  if (!profile) throw new Response(null, { status: 404 });
  // Even on the owner's own page the identifiers are shown masked: screens get photographed.
  return {
    fullName: profile.fullName,
    role: user.role,
    commune: profile.commune ? communeFullName(profile.commune) : null,
    group: profile.group as Group | null,
    phone: profile.phone ? maskPhone(profile.phone) : null,
    nationalId: profile.nationalId ? maskNationalId(profile.nationalId) : null,
  };
}

/**
 * Password change: the current password is checked under the same failure limits as a login to
 * this account (a stolen session must not become a way to guess it), then every other session of
 * the account ends and this browser gets a new session id.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  const current = String(form.get("currentPassword") ?? "");
  const next = String(form.get("newPassword") ?? "");
  const confirm = String(form.get("newPasswordConfirm") ?? "");
  const refuse = (status: number, message: string, fields: Record<string, string> = {}, headers?: HeadersInit) =>
    data({ message, fields }, { status, headers });

  const fields: Record<string, string> = {};
  if (!current) fields.currentPassword = vi.errors.required;
  if (!passwordSchema.safeParse(next).success) fields.newPassword = vi.errors.password;
  else if (next === current) fields.newPassword = vi.account.passwordSame;
  if (confirm !== next) fields.newPasswordConfirm = vi.errors.passwordConfirm;
  if (Object.keys(fields).length) return refuse(400, vi.errors.VALIDATION_FAILED, fields);

  let limit: Awaited<ReturnType<typeof limitLogin>>;
  try {
    limit = await limitLogin((await loginIdentifierOf(user.id)) ?? `user:${user.id}`, ipKey(clientIp(context), request));
  } catch (e) {
    if (e instanceof RateLimitedError) return refuse(429, vi.errors.RATE_LIMITED, {}, retryAfterHeaders(e));
    throw e;
  }
  if (!(await changePassword(user.id, current, next))) {
    return refuse(400, vi.account.passwordWrong, { currentPassword: vi.account.passwordWrong });
  }
  await limit.succeeded();
  const cookie = await restartSessions(request, user.id);
  return redirect("/account?password=changed", { headers: { "Set-Cookie": cookie } });
}

export default function Account() {
  const p = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const f: Record<string, string | undefined> = result?.fields ?? {};
  return (
    <div className="space-y-4">
      {params.get("welcome") ? (
        <div role="status" className="rounded-md border border-green-300 bg-green-50 px-3 py-2 text-green-900">
          {vi.account.registered}
        </div>
      ) : null}
      {params.get("password") === "changed" ? (
        <div role="status" className="rounded-md border border-green-300 bg-green-50 px-3 py-2 text-green-900">
          {vi.account.passwordChanged}
        </div>
      ) : null}
      <section className="card">
        <h1 className="text-xl font-bold">{vi.account.welcome(p.fullName)}</h1>
        <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
          <dt className="font-medium text-slate-600">{vi.account.role}</dt>
          <dd data-testid="account-role">{vi.roles[p.role]}</dd>
          {p.commune ? (
            <>
              <dt className="font-medium text-slate-600">{vi.account.commune}</dt>
              <dd data-testid="account-commune">{p.commune}</dd>
            </>
          ) : null}
          {p.group ? (
            <>
              <dt className="font-medium text-slate-600">{vi.account.group}</dt>
              <dd>{vi.groups[p.group]}</dd>
            </>
          ) : null}
          {p.phone ? (
            <>
              <dt className="font-medium text-slate-600">{vi.account.phone}</dt>
              <dd>{p.phone}</dd>
            </>
          ) : null}
          {p.nationalId ? (
            <>
              <dt className="font-medium text-slate-600">{vi.account.nationalId}</dt>
              <dd>{p.nationalId}</dd>
            </>
          ) : null}
        </dl>
        {!mayCompete(p.role) ? <p className="mt-4 text-sm text-amber-800">{vi.account.staffNote}</p> : null}
        <form method="post" action="/logout" className="mt-6">
          <button type="submit" className="btn-secondary">
            {vi.account.logout}
          </button>
        </form>
      </section>
      <section className="card" aria-labelledby="password-title">
        <h2 id="password-title" className="text-lg font-bold">
          {vi.account.passwordTitle}
        </h2>
        <p className="mt-1 text-sm text-slate-600">{vi.account.passwordNote}</p>
        <Form method="post" className="mt-4 space-y-4" noValidate>
          <FormAlert message={result?.message} />
          <Field
            name="currentPassword"
            type="password"
            label={vi.account.currentPassword}
            autoComplete="current-password"
            error={f.currentPassword}
            required
          />
          <Field name="newPassword" type="password" label={vi.account.newPassword} autoComplete="new-password" error={f.newPassword} required />
          <Field
            name="newPasswordConfirm"
            type="password"
            label={vi.account.newPasswordConfirm}
            autoComplete="new-password"
            error={f.newPasswordConfirm}
            required
          />
          <button type="submit" className="btn-primary" disabled={busy}>
            {vi.account.passwordSubmit}
          </button>
        </Form>
      </section>
    </div>
  );
}
