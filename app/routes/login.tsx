import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Captcha } from "~/components/captcha";
import { Field, FormAlert } from "~/components/form";
import { Honeypot } from "~/components/honeypot";
import { vi, type ErrorCode } from "~/i18n/vi";
import { clientIp } from "~/utils/api.server";
import { authenticator } from "~/utils/auth.server";
import { readForm } from "~/utils/http.server";
import { checkFormGuards, formGuards } from "~/utils/honeypot.server";
import { ipKey, limitLogin, RateLimitedError, retryAfterHeaders } from "~/utils/rate-limit.server";
import { getSessionUser, safeRedirect, startSession } from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: `${vi.login.title} · ${vi.app.shortName}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getSessionUser(request)) throw redirect("/account");
  return { guard: formGuards() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  // Read once (a clone would keep a second copy of an oversized body); the strategy gets the parsed form.
  const form = await readForm(request);
  const identifier = String(form.get("identifier") ?? "").slice(0, 254);
  const refuse = (status: number, code: ErrorCode, fields: Record<string, string> = {}, headers?: HeadersInit) =>
    data({ message: vi.errors[code], fields, identifier, guard: formGuards() }, { status, headers });

  const guard = await checkFormGuards(form);
  if (guard) return refuse(400, guard.code, guard.fields);
  let limit: Awaited<ReturnType<typeof limitLogin>>;
  try {
    limit = await limitLogin(identifier, ipKey(clientIp(context), request));
  } catch (e) {
    if (e instanceof RateLimitedError) return refuse(429, "RATE_LIMITED", {}, retryAfterHeaders(e));
    throw e;
  }
  let userId: string;
  try {
    userId = (await authenticator.authenticate("form", new Request(request.url, { method: "POST", body: form }))).id;
  } catch {
    // One message whatever failed: no hint whether the account exists.
    return refuse(401, "INVALID_CREDENTIALS");
  }
  await limit.succeeded();
  const cookie = await startSession(request, userId);
  return redirect(safeRedirect(form.get("redirectTo")), { headers: { "Set-Cookie": cookie } });
}

export default function Login() {
  const { guard: loaderGuard } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const guard = result?.guard ?? loaderGuard;
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="card mx-auto max-w-md">
      <h1 className="text-xl font-bold">{vi.login.title}</h1>
      <Form method="post" className="mt-5 space-y-4" noValidate>
        <FormAlert message={result?.message} />
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <Honeypot formStartedAt={guard.formStartedAt} />
        <Field name="identifier" label={vi.login.identifier} autoComplete="username" defaultValue={result?.identifier} required />
        <Field name="password" type="password" label={vi.login.password} autoComplete="current-password" required />
        <Captcha fallback={guard.fallback} minSeconds={guard.minSeconds} fallbackError={result?.fields?.captchaAnswer} />
        <button type="submit" className="btn-primary w-full" disabled={busy}>
          {vi.login.submit}
        </button>
        <p className="text-sm">
          {vi.login.noAccount}{" "}
          <Link to="/register" className="font-semibold text-brand-700 underline">
            {vi.nav.register}
          </Link>
        </p>
      </Form>
    </div>
  );
}
