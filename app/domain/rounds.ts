export type RoundStatus = "upcoming" | "open" | "closed" | "published";

export interface RoundTimes {
  opensAt: Date;
  closesAt: Date;
  publishedAt: Date | null;
}

/** Where a round stands at `now`: the server's clock is the only clock. */
export function roundStatus(round: RoundTimes, now: Date): RoundStatus {
  if (round.publishedAt && round.publishedAt <= now) return "published";
  if (now < round.opensAt) return "upcoming";
  if (now < round.closesAt) return "open";
  return "closed";
}

export const TIE_BREAKS = ["prediction", "duration", "submittedAt"] as const;
export type TieBreak = (typeof TIE_BREAKS)[number];

export function parseTieBreak(stored: string): TieBreak[] {
  return stored
    .split(",")
    .map((s) => s.trim())
    .filter((s): s is TieBreak => (TIE_BREAKS as readonly string[]).includes(s));
}
