import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { ORGANIZERS, requireRole } from "~/utils/session.server";

// Checks the role itself too, like every child of /admin (nested loaders run in parallel).
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ORGANIZERS);
  return redirect("/admin/banks");
}
