// When a contest's personal data may be anonymised (see README, Data protection): only once every
// round has closed, every prize plan is published and its complaint window has ended, all before
// the cut-off date the organizers choose. Pure: the model passes rounds, plans and the time in.

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionRound {
  id: string;
  name: string;
  closesAt: Date;
}

export interface RetentionPlan {
  roundId: string; // a round's id, or the whole contest's key
  status: string; // draft | published
  publishedAt: Date | null;
  complaintDays: number;
}

/** "YYYY-MM-DD" → the start of that day in Vietnam (UTC+7 all year); null when not a real date. */
export function parseCutoff(s: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return null;
  const d = new Date(`${s}T00:00:00+07:00`);
  if (Number.isNaN(d.getTime())) return null;
  // Reject 2025-02-30 and the like, which Date would roll over.
  const back = new Date(d.getTime() + 7 * 60 * 60 * 1000).toISOString().slice(0, 10);
  return back === s ? d : null;
}

export const complaintWindowEnd = (p: RetentionPlan): Date | null =>
  p.publishedAt ? new Date(p.publishedAt.getTime() + p.complaintDays * DAY_MS) : null;

/** The reasons a purge with this cut-off must not run now (empty: it may). */
export function purgeRefusals(input: { before: Date; now: Date; rounds: RetentionRound[]; plans: RetentionPlan[] }): string[] {
  const { before, now, rounds, plans } = input;
  const out: string[] = [];
  if (before.getTime() > now.getTime()) out.push("the cut-off date is in the future");
  if (rounds.length === 0) out.push("the contest has no rounds");
  for (const r of rounds) {
    if (r.closesAt.getTime() >= before.getTime()) out.push(`round "${r.name}" (${r.id}) closes on or after the cut-off`);
  }
  if (plans.length === 0) out.push("no prize plan: the winners are not known, so nobody can be told apart as a non-winner");
  for (const p of plans) {
    const end = complaintWindowEnd(p);
    if (p.status !== "published" || !end) out.push(`the result of ${p.roundId} is not published`);
    else if (end.getTime() > before.getTime()) out.push(`the complaint window of ${p.roundId} ends ${end.toISOString()}, after the cut-off`);
  }
  return out;
}
