import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet } from "@remix-run/react";
import { vi } from "~/i18n/vi";
import { JUDGES, requireRole } from "~/utils/session.server";

// Each child checks the role itself too (nested loaders run in parallel).
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, JUDGES);
  return null;
}

export default function JudgeLayout() {
  return (
    <div className="space-y-4">
      <nav aria-label={vi.judge.nav} className="text-sm print:hidden">
        <Link to="/judge" className="font-semibold text-brand-700 underline">
          {vi.judge.title}
        </Link>
      </nav>
      <Outlet />
    </div>
  );
}
