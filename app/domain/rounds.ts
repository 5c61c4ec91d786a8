import { z } from "zod";
import { vi } from "../i18n/vi";
import { FLAG_RULE_NAMES } from "./flags";
import { DIFFICULTIES } from "./questions";
import { GROUPS } from "./roles";

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

// ---------- round settings (organizers: web form and POST /api/v1/admin/rounds) ----------

export const REVEAL_POLICIES = ["after_close", "immediately", "never"] as const;
export type RevealPolicy = (typeof REVEAL_POLICIES)[number];

const R = () => vi.rounds.errors;
/** An ISO 8601 instant with an explicit offset, and a real calendar day (no 30 February). */
function isIsoInstant(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(s);
  if (!m || Number.isNaN(Date.parse(s))) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d;
}

const isoDate = (msg: string) =>
  z
    .string({ error: msg })
    .refine(isIsoInstant, msg)
    .transform((s) => new Date(s));

const count = (msg: string) => z.number({ error: msg }).int(msg).min(0, msg).max(200, msg);

/** The settings one by one; `roundSchema` adds the defaults that depend on each other and the cross-field checks. */
export const roundFields = z.object({
    contestId: z.string({ error: R().contest }).min(1, R().contest).max(100, R().contest).optional(),
    name: z.string({ error: R().name }).trim().min(1, R().name).max(200, R().name),
    description: z.string({ error: R().description }).trim().max(4000, R().description).optional().default(""),
    opensAt: isoDate(R().opensAt),
    closesAt: isoDate(R().closesAt),
    durationSeconds: z.number({ error: R().duration }).int(R().duration).min(60, R().duration).max(6 * 3600, R().duration),
    questionCount: z.number({ error: R().questionCount }).int(R().questionCount).min(1, R().questionCount).max(200, R().questionCount),
    maxAttempts: z.number({ error: R().maxAttempts }).int(R().maxAttempts).min(1, R().maxAttempts).max(50, R().maxAttempts),
    bankId: z.string({ error: R().bank }).min(1, R().bank).max(100),
    topics: z
      .record(z.string({ error: R().topics }).min(1, R().topics).max(200, R().topics), count(R().topics), { error: R().topics })
      .optional()
      .default({}),
    difficulty: z
      .partialRecord(z.enum(DIFFICULTIES, { error: R().difficulty }), count(R().difficulty), { error: R().difficulty })
      .optional()
      .default({}),
    eligibleGroups: z
      .array(z.enum(GROUPS, { error: R().groups }), { error: R().groups })
      .min(1, R().groups)
      .optional()
      .default([...GROUPS]),
    groupBanks: z
      .partialRecord(z.enum(GROUPS, { error: R().bank }), z.string({ error: R().bank }).min(1, R().bank).max(100, R().bank), { error: R().bank })
      .optional()
      .default({}),
    prediction: z.boolean({ error: R().prediction }).optional().default(true),
    // Default: prediction closeness (when the round asks for one), then time taken, then submission time.
    tieBreak: z
      .array(z.enum(TIE_BREAKS, { error: R().tieBreak }), { error: R().tieBreak })
      .refine((a) => new Set(a).size === a.length, R().tieBreak)
      .optional(),
    attemptPolicy: z.literal("best", { error: R().attemptPolicy }).optional().default("best"),
    revealAnswers: z.enum(REVEAL_POLICIES, { error: R().reveal }).optional().default("after_close"),
    // Per flagging rule: {enabled: false} switches it off; numbers override its thresholds.
    flagRules: z
      .record(
        z.enum(FLAG_RULE_NAMES as [string, ...string[]], { error: R().flagRules }),
        z.record(z.string().max(50), z.union([z.boolean(), z.number().min(0).max(1_000_000)], { error: R().flagRules }), { error: R().flagRules }),
        { error: R().flagRules },
      )
      .optional()
      .default({}),
  });

export const roundSchema = roundFields
  .transform((r) => ({
    ...r,
    tieBreak: r.tieBreak ?? (r.prediction ? ["prediction", "duration", "submittedAt"] : ["duration", "submittedAt"]),
  }) as typeof r & { tieBreak: TieBreak[] })
  .superRefine((r, ctx) => {
    if (r.closesAt <= r.opensAt) ctx.addIssue({ code: "custom", path: ["closesAt"], message: R().closesAfterOpens });
    const topicSum = Object.values(r.topics).reduce((a, b) => a + b, 0);
    if (topicSum > r.questionCount) ctx.addIssue({ code: "custom", path: ["topics"], message: R().topicsExceed });
    const diffSum = Object.values(r.difficulty).reduce((a: number, b) => a + (b ?? 0), 0);
    if (diffSum > r.questionCount) ctx.addIssue({ code: "custom", path: ["difficulty"], message: R().difficultyExceed });
    if (!r.prediction && r.tieBreak.includes("prediction")) ctx.addIssue({ code: "custom", path: ["tieBreak"], message: R().predictionTieBreak });
  });

export type RoundInput = z.output<typeof roundSchema>;
