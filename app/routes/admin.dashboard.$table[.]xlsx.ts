import type { LoaderFunctionArgs } from "@remix-run/node";
import { dashboardTable, isDashboardTable, pickRound, reportRounds, writeWorkbook } from "~/models/dashboard.server";
import { attachment } from "~/utils/download.server";
import { XLSX_CONTENT_TYPE } from "~/utils/question-workbook.server";
import { ORGANIZERS, requireRole } from "~/utils/session.server";

/** One table of the dashboard as a workbook: /admin/dashboard/<days|hours|communes|groups|distribution>.xlsx?round=… */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, ORGANIZERS);
  const key = params.table ?? "";
  if (!isDashboardTable(key)) throw new Response(null, { status: 404 });
  const now = new Date();
  const requested = new URL(request.url).searchParams.get("round");
  const rounds = await reportRounds(now);
  const round = pickRound(rounds, requested);
  if (!round || (requested && round.id !== requested)) throw new Response(null, { status: 404 });
  const table = await dashboardTable(round, key, now);
  const title = `${table.title} · ${round.name}`;
  return attachment(`${title}.xlsx`, XLSX_CONTENT_TYPE, await writeWorkbook([table], title));
}
