import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { vi } from "~/i18n/vi";
import { ORGANIZERS, requireRole } from "~/utils/session.server";

// Every child route checks the role itself too: loaders of nested routes run in parallel.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ORGANIZERS);
  return null;
}

export default function AdminLayout() {
  return (
    <div className="space-y-4">
      <nav aria-label={vi.admin.nav} className="flex gap-3 text-sm print:hidden">
        <NavLink to="/admin/banks" className={({ isActive }) => (isActive ? "font-semibold text-brand-700 underline" : "text-brand-700")}>
          {vi.admin.banksTitle}
        </NavLink>
        <NavLink to="/admin/rounds" className={({ isActive }) => (isActive ? "font-semibold text-brand-700 underline" : "text-brand-700")}>
          {vi.rounds.title}
        </NavLink>
        <NavLink to="/admin/dashboard" className={({ isActive }) => (isActive ? "font-semibold text-brand-700 underline" : "text-brand-700")}>{vi.boards.dashboardNav}</NavLink>
      </nav>
      <Outlet />
    </div>
  );
}
