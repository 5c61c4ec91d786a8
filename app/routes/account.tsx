import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { communeFullName } from "~/domain/communes";
import { maskNationalId, maskPhone } from "~/domain/identity";
import { mayCompete, type Group } from "~/domain/roles";
import { vi } from "~/i18n/vi";
import { getOwnProfile } from "~/models/user.server";
import { requireUser } from "~/utils/session.server";

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

export default function Account() {
  const p = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <div className="space-y-4">
      {params.get("welcome") ? (
        <div role="status" className="rounded-md border border-green-300 bg-green-50 px-3 py-2 text-green-900">
          {vi.account.registered}
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
    </div>
  );
}
