import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { AwardsPage } from "~/components/awards-page";
import { vi } from "~/i18n/vi";
import { contestKey } from "~/models/award.server";
import { awardsPageAction, awardsPageData } from "~/utils/awards-page.server";
import { db } from "~/utils/db.server";
import { orNotFound, readForm } from "~/utils/http.server";
import { JUDGES, requireRole } from "~/utils/session.server";

/** Prizes of the whole contest, ranked over all its rounds. Judges and admins only. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, JUDGES);
  const contest = await orNotFound(db().contest.findUnique({ where: { id: params.contestId ?? "" }, select: { id: true, title: true } }));
  if (!contest) throw new Response(null, { status: 404 });
  return awardsPageData(
    { key: contestKey(contest.id), title: vi.awards.wholeContestTitle, back: { to: "/judge", label: vi.judge.title }, exportBase: `/api/v1/judge/contests/${contest.id}`, wholeContest: true },
    new Date(),
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const judge = await requireRole(request, JUDGES);
  const contest = await orNotFound(db().contest.findUnique({ where: { id: params.contestId ?? "" }, select: { id: true } }));
  if (!contest) throw new Response(null, { status: 404 });
  return awardsPageAction(contestKey(contest.id), judge, await readForm(request), new Date());
}

export default function ContestAwards() {
  return <AwardsPage d={useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
