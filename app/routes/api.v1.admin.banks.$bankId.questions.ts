import type { LoaderFunctionArgs } from "@remix-run/node";
import { getBank, listQuestions, NotFoundError } from "~/models/question-bank.server";
import { api, ApiError, apiJson, methodNotAllowed, requireApiUser } from "~/utils/api.server";
import { int } from "~/utils/http.server";
import { ORGANIZERS } from "~/utils/session.server";

/** The bank with its answer key: organizers and administrators only. */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  api(async () => {
    await requireApiUser(request, ORGANIZERS);
    const bankId = params.bankId ?? "";
    try {
      await getBank(bankId);
    } catch (e) {
      if (e instanceof NotFoundError) throw new ApiError(404, "NOT_FOUND");
      throw e;
    }
    const url = new URL(request.url);
    const { items } = await listQuestions(bankId, {
      q: url.searchParams.get("q") ?? undefined,
      topic: url.searchParams.get("topic") ?? undefined,
      status: url.searchParams.get("status") ?? undefined,
      page: int(url.searchParams.get("page"), 1),
      pageSize: int(url.searchParams.get("pageSize"), 500),
    });
    return apiJson(
      items.map((q) => ({
        id: q.id,
        topic: q.topic,
        text: q.text,
        options: q.options.map((o) => ({ id: o.id, text: o.text, correct: o.correct })),
        explanation: q.explanation,
        difficulty: q.difficulty,
        source: q.source,
        status: q.status,
        version: q.version,
      })),
    );
  });

export const action = () => methodNotAllowed();
