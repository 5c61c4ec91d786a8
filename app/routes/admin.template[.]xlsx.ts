import type { LoaderFunctionArgs } from "@remix-run/node";
import { vi } from "~/i18n/vi";
import { attachment } from "~/utils/download.server";
import { writeQuestionWorkbook, XLSX_CONTENT_TYPE } from "~/utils/question-workbook.server";
import { ORGANIZERS, requireRole } from "~/utils/session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ORGANIZERS);
  const file = await writeQuestionWorkbook([], { template: true, title: vi.admin.template });
  return attachment("mau-ngan-hang-cau-hoi.xlsx", XLSX_CONTENT_TYPE, file);
}
