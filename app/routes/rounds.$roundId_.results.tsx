import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ResultsPage } from "~/components/results-page";
import { vi } from "~/i18n/vi";
import { publicResultsView } from "~/utils/results-page.server";

export const meta: MetaFunction = () => [{ title: `${vi.awards.title} · ${vi.app.shortName}` }];

/** Public results of a round: masked names, commune and prize only. */
export const loader = ({ params }: LoaderFunctionArgs) => publicResultsView(params.roundId ?? "", new Date());

export default function Results() {
  const d = useLoaderData<typeof loader>();
  return <ResultsPage d={d} back={{ to: `/rounds/${d.round.id}`, label: vi.play.backToRound }} />;
}
