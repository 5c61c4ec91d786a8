import type { ActionFunctionArgs } from "@remix-run/node";
import { api, assertJsonWrite, methodNotAllowed } from "~/utils/api.server";
import { endSession } from "~/utils/session.server";

export const loader = () => methodNotAllowed();

export const action = ({ request }: ActionFunctionArgs) =>
  api(async () => {
    if (request.method !== "POST") return methodNotAllowed();
    assertJsonWrite(request);
    const cookie = await endSession(request);
    return new Response(null, { status: 204, headers: { "Set-Cookie": cookie, "Cache-Control": "no-store" } });
  });
