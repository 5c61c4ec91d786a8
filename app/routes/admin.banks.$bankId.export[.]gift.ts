import type { LoaderFunctionArgs } from "@remix-run/node";
import { toGift } from "~/domain/question-import/gift";
import { audit } from "~/models/audit.server";
import { exportDrafts, getBank } from "~/models/question-bank.server";
import { attachment } from "~/utils/download.server";
import { orNotFound } from "~/utils/http.server";
import { ORGANIZERS, requireRole } from "~/utils/session.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ORGANIZERS);
  const bank = await orNotFound(getBank(params.bankId ?? ""));
  const questions = await exportDrafts(bank.id);
  await audit({ actorId: user.id, action: "bank.export", entityType: "bank", entityId: bank.id, detail: { format: "gift", count: questions.length } });
  return attachment(`${bank.name}.gift.txt`, "text/plain; charset=utf-8", toGift(questions.map((q) => q.draft)));
}
