// The contest runs on Vietnam time (UTC+7, no daylight saving). Pure: the instant is passed in.
export const CONTEST_TIME_ZONE = "Asia/Ho_Chi_Minh";

/** The calendar date (YYYY-MM-DD) in Vietnam at `now`. */
export function contestDate(now: Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: CONTEST_TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** "08:00 ngày 01/10/2025": how Vietnamese notices write a moment. */
export function formatContestTime(iso: string | Date): string {
  const d = typeof iso === "string" ? new Date(iso) : iso;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: CONTEST_TIME_ZONE,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.hour}:${parts.minute} ngày ${parts.day}/${parts.month}/${parts.year}`;
}
