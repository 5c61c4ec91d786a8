import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { AwardsPage } from "~/components/awards-page";
import { vi } from "~/i18n/vi";
import { awardsPageAction, awardsPageData } from "~/utils/awards-page.server";
import { db } from "~/utils/db.server";
import { orNotFound, readForm } from "~/utils/http.server";
import { JUDGES, requireRole } from "~/utils/session.server";

/** A round's final ranking and prizes. Judges and admins only. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, JUDGES);
  const round = await orNotFound(db().round.findUnique({ where: { id: params.roundId ?? "" }, select: { id: true, name: true } }));
  if (!round) throw new Response(null, { status: 404 });
  return awardsPageData(
    { key: round.id, title: round.name, back: { to: `/judge/rounds/${round.id}`, label: vi.judge.queueTitle(round.name) }, exportBase: `/api/v1/judge/rounds/${round.id}`, wholeContest: false },
    new Date(),
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const judge = await requireRole(request, JUDGES);
  return awardsPageAction(params.roundId ?? "", judge, await readForm(request), new Date());
}

export default function RoundAwards() {
  return <AwardsPage d={useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
