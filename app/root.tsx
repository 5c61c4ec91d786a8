import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { vi } from "~/i18n/vi";
import { useNonce } from "~/utils/nonce";
import { getSessionUser } from "~/utils/session.server";
import styles from "./tailwind.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: vi.app.name }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  return { user: user ? { fullName: user.fullName, role: user.role } : null };
}

function Header({ user }: { user: { fullName: string; role: string } | null }) {
  return (
    <header className="bg-brand-800 text-white print:hidden">
      <div className="mx-auto flex max-w-3xl flex-wrap items-center justify-between gap-2 px-4 py-3">
        <Link to="/" className="font-semibold leading-tight">
          <span className="block text-xs font-normal uppercase tracking-wide text-brand-100">{vi.app.organizer}</span>
          {vi.app.shortName}
        </Link>
        <nav className="flex items-center gap-3 text-sm">
          {user ? (
            <>
              {user.role === "organizer" || user.role === "admin" ? (
                <Link to="/admin/banks" className="underline-offset-4 hover:underline">
                  {vi.admin.nav}
                </Link>
              ) : null}
              {user.role === "commune_officer" ? (
                <Link to="/commune" className="underline-offset-4 hover:underline">
                  {vi.boards.officerNav}
                </Link>
              ) : null}
              {user.role === "judge" || user.role === "admin" ? (
                <Link to="/judge" className="underline-offset-4 hover:underline">
                  {vi.judge.nav}
                </Link>
              ) : null}
              <Link to="/account" className="underline-offset-4 hover:underline">
                {vi.nav.account}
              </Link>
              <form method="post" action="/logout">
                <button type="submit" className="rounded border border-white/60 px-3 py-1.5 hover:bg-white/10">
                  {vi.nav.logout}
                </button>
              </form>
            </>
          ) : (
            <>
              <Link to="/login" className="underline-offset-4 hover:underline">
                {vi.nav.login}
              </Link>
              <Link to="/register" className="rounded bg-white px-3 py-1.5 font-semibold text-brand-800">
                {vi.nav.register}
              </Link>
            </>
          )}
        </nav>
      </div>
    </header>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const nonce = useNonce();
  return (
    <html lang="vi">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="flex min-h-screen flex-col">
        <a href="#main" className="sr-only focus:not-sr-only">
          {vi.app.skipToContent}
        </a>
        <Header user={data?.user ?? null} />
        <main id="main" className="mx-auto w-full max-w-3xl flex-1 px-4 py-6">
          {children}
        </main>
        <footer className="border-t border-slate-200 bg-white px-4 py-4 text-center text-xs text-slate-600 print:hidden">
          {vi.app.footer}
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  useLoaderData<typeof loader>();
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  let title: string = vi.errorPage.title;
  let message: string = vi.errors.INTERNAL;
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) {
      title = vi.errorPage.notFoundTitle;
      message = vi.errorPage.notFound;
    } else if (error.status === 403) {
      title = vi.errorPage.forbiddenTitle;
      message = vi.errors.FORBIDDEN;
    } else if (error.status === 401) {
      message = vi.errors.UNAUTHENTICATED;
    } else if (error.status < 500) {
      message = vi.errors.VALIDATION_FAILED;
    }
  }
  return (
    <div className="card text-center" role="alert">
      <h1 className="mb-2 text-xl font-bold">{title}</h1>
      <p className="mb-4 text-slate-700">{message}</p>
      <Link to="/" className="btn-primary">
        {vi.errorPage.back}
      </Link>
    </div>
  );
}
