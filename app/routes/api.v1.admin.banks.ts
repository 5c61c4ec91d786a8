import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { bankSchema } from "~/domain/questions";
import { createBank, listBanks } from "~/models/question-bank.server";
import { api, apiJson, methodNotAllowed, parseWith, readJson, requireApiUser } from "~/utils/api.server";
import { ORGANIZERS } from "~/utils/session.server";

export const loader = ({ request }: LoaderFunctionArgs) =>
  api(async () => {
    await requireApiUser(request, ORGANIZERS);
    const banks = await listBanks();
    return apiJson({ banks: banks.map((b) => ({ ...b, createdAt: b.createdAt.toISOString() })) });
  });

export const action = ({ request }: ActionFunctionArgs) =>
  api(async () => {
    if (request.method !== "POST") return methodNotAllowed();
    const user = await requireApiUser(request, ORGANIZERS);
    const input = parseWith(bankSchema, await readJson(request));
    const bank = await createBank(input, user);
    return apiJson({ bank: { id: bank.id, name: bank.name, description: bank.description } }, 201);
  });
