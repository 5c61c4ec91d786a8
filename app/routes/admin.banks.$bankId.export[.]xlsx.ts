import type { LoaderFunctionArgs } from "@remix-run/node";
import { audit } from "~/models/audit.server";
import { exportDrafts, getBank } from "~/models/question-bank.server";
import { attachment } from "~/utils/download.server";
import { orNotFound } from "~/utils/http.server";
import { writeQuestionWorkbook, XLSX_CONTENT_TYPE } from "~/utils/question-workbook.server";
import { ORGANIZERS, requireRole } from "~/utils/session.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ORGANIZERS);
  const bank = await orNotFound(getBank(params.bankId ?? ""));
  const questions = await exportDrafts(bank.id);
  const file = await writeQuestionWorkbook(questions.map((q) => q.draft), { title: bank.name });
  await audit({ actorId: user.id, action: "bank.export", entityType: "bank", entityId: bank.id, detail: { format: "xlsx", count: questions.length } });
  return attachment(`${bank.name}.xlsx`, XLSX_CONTENT_TYPE, file);
}
