import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ResultsPage } from "~/components/results-page";
import { vi } from "~/i18n/vi";
import { contestKey } from "~/models/award.server";
import { publicResultsView } from "~/utils/results-page.server";

export const meta: MetaFunction = () => [{ title: `${vi.awards.wholeContestTitle} · ${vi.app.shortName}` }];

/** Public results of the whole contest: masked names, commune and prize only. */
export const loader = ({ params }: LoaderFunctionArgs) => publicResultsView(contestKey(params.contestId ?? ""), new Date());

export default function ContestResults() {
  return <ResultsPage d={useLoaderData<typeof loader>()} back={{ to: "/", label: vi.awards.backHome }} />;
}
