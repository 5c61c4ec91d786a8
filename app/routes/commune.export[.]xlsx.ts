import type { LoaderFunctionArgs } from "@remix-run/node";
import { NoCommuneError, officerWorkbook } from "~/models/dashboard.server";
import { attachment } from "~/utils/download.server";
import { XLSX_CONTENT_TYPE } from "~/utils/question-workbook.server";
import { requireRole } from "~/utils/session.server";

/** The officer's own commune as a workbook (contestants, per day, per group); ?round= picks the round. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["commune_officer"]);
  try {
    const file = await officerWorkbook(user, new URL(request.url).searchParams.get("round"), new Date());
    return attachment(file.fileName, XLSX_CONTENT_TYPE, file.bytes);
  } catch (e) {
    if (e instanceof NoCommuneError) throw new Response(null, { status: 403 });
    throw e;
  }
}
