import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { Field, FormAlert } from "~/components/form";
import { vi } from "~/i18n/vi";
import { authenticator } from "~/utils/auth.server";
import { getSessionUser, safeRedirect, startSession } from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: `${vi.login.title} · ${vi.app.shortName}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getSessionUser(request)) throw redirect("/account");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.clone().formData();
  const identifier = String(form.get("identifier") ?? "").slice(0, 254);
  try {
    const user = await authenticator.authenticate("form", request);
    const cookie = await startSession(request, user.id);
    return redirect(safeRedirect(form.get("redirectTo")), { headers: { "Set-Cookie": cookie } });
  } catch {
    // One message whatever failed: no hint whether the account exists.
    return data({ message: vi.errors.INVALID_CREDENTIALS, identifier }, { status: 401 });
  }
}

export default function Login() {
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="card mx-auto max-w-md">
      <h1 className="text-xl font-bold">{vi.login.title}</h1>
      <Form method="post" className="mt-5 space-y-4">
        <FormAlert message={result?.message} />
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <Field name="identifier" label={vi.login.identifier} autoComplete="username" defaultValue={result?.identifier} required />
        <Field name="password" type="password" label={vi.login.password} autoComplete="current-password" required />
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
