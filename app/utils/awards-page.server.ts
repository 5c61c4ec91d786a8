// The judges' awards page, shared by a round's prizes (/judge/rounds/:id/awards) and the whole
// contest's (/judge/contests/:id/awards): both work on a plan key (see award.server).
import { data } from "@remix-run/node";
import { communeFullName } from "~/domain/communes";
import type { PrizePlan } from "~/domain/awards";
import { vi } from "~/i18n/vi";
import { allocate, AwardError, getPlan, prizePlanSchema, previewAllocation, publish, replaceWinner, roundRanking, savePlan, setVerified } from "~/models/award.server";
import { db } from "~/utils/db.server";
import { isUnstorableText } from "~/utils/http.server";
import { COLLECTIVE_TIERS, PLAN_TIERS } from "~/components/awards-page";

const SHOWN = 100;

export interface AwardsPageTarget {
  key: string;
  title: string;
  /** Where the judge came from (the round's flag queue, or the judges' home). */
  back: { to: string; label: string };
  /** Base of the export addresses: /api/v1/judge/rounds/:id or /api/v1/judge/contests/:id. */
  exportBase: string;
  wholeContest: boolean;
}

export async function awardsPageData(target: AwardsPageTarget, now: Date) {
  try {
    const [ranking, plan] = await Promise.all([roundRanking(target.key, now), getPlan(target.key)]);
    const preview = plan ? await previewAllocation(target.key, now) : null;
    const communes = new Map((await db().commune.findMany({ select: { code: true, name: true, type: true } })).map((c) => [c.code, communeFullName(c)]));
    const byUser = new Map(ranking.entries.map((e) => [e.userId, e]));
    const nameOf = (userId: string) => byUser.get(userId)?.fullName ?? "";
    const parsed = plan ? (JSON.parse(plan.plan) as PrizePlan) : null;
    return {
      target,
      closed: true as const,
      actualAllCorrect: ranking.actualAllCorrect,
      total: ranking.entries.length,
      entries: ranking.entries.slice(0, SHOWN).map((e) => ({ ...e, submittedAt: e.submittedAt.toISOString(), commune: communes.get(e.communeCode ?? "") ?? "" })),
      plan:
        plan && parsed
          ? {
              tiers: parsed.tiers,
              onlyAllCorrect: parsed.onlyAllCorrect,
              onePrizePerContest: parsed.onePrizePerContest ?? false,
              collective: parsed.collective ?? null,
              complaintDays: plan.complaintDays,
              status: plan.status,
              publishedAt: plan.publishedAt?.toISOString() ?? null,
              sha256: plan.snapshotSha256,
              awards: plan.awards.map((a) => ({
                id: a.id,
                userId: a.userId,
                tier: a.tier,
                rank: a.rank,
                amount: a.amount,
                status: a.status,
                verified: a.verified,
                replacedReason: a.replacedReason,
                fullName: nameOf(a.userId),
                commune: communes.get(byUser.get(a.userId)?.communeCode ?? "") ?? "",
              })),
            }
          : null,
      boundaryTies: preview?.allocation.boundaryTies ?? [],
      unfilled: preview?.allocation.unfilled ?? [],
      supersedes: (preview?.allocation.supersedes ?? []).map((s) => ({ ...s, fullName: nameOf(s.userId) })),
      passedOver: (preview?.allocation.passedOver ?? []).map((s) => ({ ...s, fullName: nameOf(s.userId) })),
      collective: (preview?.collective ?? []).map((c) => ({ ...c, commune: communes.get(c.communeCode) ?? c.communeCode })),
    };
  } catch (e) {
    if (e instanceof AwardError && (e.code === "ROUND_NOT_CLOSED" || e.code === "CONTEST_NOT_CLOSED")) return { target, closed: false as const, message: vi.errors[e.code] };
    throw e;
  }
}

const digits = (v: FormDataEntryValue | null) => String(v ?? "").replace(/[^\d]/g, "");

/** The plan form: up to six tiers (name, count, amount, group), the options, collective tiers. */
export function planFromForm(form: FormData) {
  const tiers = [];
  for (let i = 0; i < PLAN_TIERS; i++) {
    const name = String(form.get(`tier${i}Name`) ?? "").trim();
    if (!name) continue;
    const amount = digits(form.get(`tier${i}Amount`));
    const group = String(form.get(`tier${i}Group`) ?? "");
    tiers.push({ name, count: Number(form.get(`tier${i}Count`) ?? 0), ...(amount ? { amount: Number(amount) } : {}), ...(group ? { group } : {}) });
  }
  const by = String(form.get("collectiveBy") ?? "");
  const collectiveTiers = [];
  for (let i = 0; i < COLLECTIVE_TIERS; i++) {
    const name = String(form.get(`ctier${i}Name`) ?? "").trim();
    if (!name) continue;
    const amount = digits(form.get(`ctier${i}Amount`));
    collectiveTiers.push({ name, count: Number(form.get(`ctier${i}Count`) ?? 0), ...(amount ? { amount: Number(amount) } : {}) });
  }
  const threshold = String(form.get("collectiveMinRate") ?? "").trim().replace(",", ".");
  return {
    tiers,
    onlyAllCorrect: form.get("onlyAllCorrect") === "on",
    onePrizePerContest: form.get("onePrizePerContest") === "on",
    ...(by ? { collective: { by, tiers: collectiveTiers, ...(threshold ? { minRatePer10k: Number(threshold) } : {}) } } : {}),
    complaintDays: Number(form.get("complaintDays") ?? 5),
  };
}

export async function awardsPageAction(key: string, judge: { id: string }, form: FormData, now: Date) {
  const intent = String(form.get("intent"));
  try {
    if (intent === "plan") {
      const parsed = prizePlanSchema.safeParse(planFromForm(form));
      if (!parsed.success) return data({ message: parsed.error.issues[0]?.message ?? vi.errors.VALIDATION_FAILED }, { status: 400 });
      await savePlan(key, parsed.data, judge, now);
    } else if (intent === "allocate") await allocate(key, judge, now);
    else if (intent === "verify" || intent === "unverify" || intent === "replace") {
      const awardId = String(form.get("awardId"));
      // The award must belong to the plan in the address.
      if (!(await db().award.findFirst({ where: { id: awardId, roundId: key }, select: { id: true } }))) throw new Response(null, { status: 404 });
      if (intent === "replace") await replaceWinner(awardId, String(form.get("reason") ?? ""), judge, now);
      else await setVerified(awardId, intent === "verify", judge, now);
    } else if (intent === "publish") await publish(key, judge, now);
    else if (intent === "republish") await publish(key, judge, now, String(form.get("reason") ?? ""));
    else return data({ message: vi.errors.VALIDATION_FAILED }, { status: 400 });
    return { message: null };
  } catch (e) {
    if (e instanceof AwardError) return data({ message: vi.errors[e.code] }, { status: e.code === "REASON_REQUIRED" ? 400 : e.code === "NOT_FOUND" ? 404 : 409 });
    // An id no record can have (a NUL character, refused by PostgreSQL): nothing by that id.
    if (isUnstorableText(e)) throw new Response(null, { status: 404 });
    throw e;
  }
}
