import type { BlockingRule } from "./types";

/** No attempt before the round opens or from the moment it closes. */
export const roundOpen: BlockingRule = {
  name: "round-open",
  check: ({ now, round }) => (now >= round.opensAt && now < round.closesAt ? null : "ROUND_NOT_OPEN"),
};
