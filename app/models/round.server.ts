// Rounds: organizers set them up and adjust them; contestants read them.
import type { DrawError } from "~/domain/draw";
import { DIFFICULTY_LABEL_VI } from "~/domain/questions";
import { parseTieBreak, roundStatus, type RevealPolicy, type RoundInput, type RoundStatus, type TieBreak } from "~/domain/rounds";
import { vi } from "~/i18n/vi";
import { db } from "~/utils/db.server";
import { checkDraw, drawSpecOf, parseJsonObject } from "./attempt.server";
import { audit } from "./audit.server";
import { NotFoundError, type Actor } from "./question-bank.server";

export class RoundFieldsError extends Error {
  constructor(
    readonly fields: Record<string, string>,
    readonly code: "VALIDATION_FAILED" | "ROUND_HAS_ATTEMPTS" = "VALIDATION_FAILED",
  ) {
    super("invalid round");
  }
}

export interface RoundSettings {
  id: string;
  contestId: string;
  name: string;
  description: string;
  opensAt: string;
  closesAt: string;
  durationSeconds: number;
  questionCount: number;
  maxAttempts: number;
  bankId: string;
  topics: Record<string, number>;
  difficulty: Record<string, number>;
  eligibleGroups: string[];
  groupBanks: Record<string, string>;
  prediction: boolean;
  tieBreak: TieBreak[];
  attemptPolicy: "best";
  revealAnswers: RevealPolicy;
  flagRules: Record<string, Record<string, number | boolean>>;
  status: RoundStatus;
}

type RoundRow = Awaited<ReturnType<ReturnType<typeof db>["round"]["findUniqueOrThrow"]>>;

export function settingsOf(r: RoundRow, now: Date): RoundSettings {
  return {
    id: r.id,
    contestId: r.contestId,
    name: r.name,
    description: r.description,
    opensAt: r.opensAt.toISOString(),
    closesAt: r.closesAt.toISOString(),
    durationSeconds: r.durationSeconds,
    questionCount: r.questionCount,
    maxAttempts: r.maxAttempts,
    bankId: r.bankId,
    topics: parseJsonObject(r.topicCounts),
    difficulty: parseJsonObject(r.difficultyCounts),
    eligibleGroups: r.eligibleGroups.split(",").filter(Boolean),
    groupBanks: parseJsonObject(r.groupBanks),
    prediction: r.prediction,
    tieBreak: parseTieBreak(r.tieBreak),
    attemptPolicy: "best",
    revealAnswers: r.revealAnswers as RevealPolicy,
    flagRules: parseJsonObject(r.flagRules),
    status: roundStatus(r, now),
  };
}

function drawErrorMessage(e: DrawError): string {
  if (e.code === "BAD_SPEC") return vi.rounds.errors.topics;
  const what = e.topic
    ? `thuộc chủ đề “${e.topic}”`
    : e.difficulty
      ? `mức ${DIFFICULTY_LABEL_VI[e.difficulty].toLowerCase()}`
      : e.otherTopics
        ? "thuộc các chủ đề không được liệt kê"
        : "";
  return vi.rounds.errors.notEnough(e.available, e.needed, what);
}

/** Everything a round refers to exists, and each bank can satisfy the draw. */
async function validateReferences(input: RoundInput): Promise<{ contestId: string }> {
  const fields: Record<string, string> = {};
  // Without a contestId the round joins the newest contest; a fresh installation gets its contest here.
  const contest = input.contestId
    ? await db().contest.findUnique({ where: { id: input.contestId }, select: { id: true } })
    : ((await db().contest.findFirst({ orderBy: { createdAt: "desc" }, select: { id: true } })) ??
      (await db().contest.create({ data: { title: vi.app.name, description: vi.home.intro }, select: { id: true } })));
  if (!contest) fields.contestId = vi.rounds.errors.contest;
  const spec = drawSpecOf({
    questionCount: input.questionCount,
    topicCounts: JSON.stringify(input.topics),
    difficultyCounts: JSON.stringify(input.difficulty),
  });
  const banks: [string, string][] = [["bankId", input.bankId], ...Object.entries(input.groupBanks).map(([g, b]) => [`groupBanks.${g}`, b] as [string, string])];
  for (const [field, bankId] of banks) {
    const bank = await db().questionBank.findUnique({ where: { id: bankId }, select: { id: true } });
    if (!bank) {
      fields[field] = vi.rounds.errors.bank;
      continue;
    }
    const problem = await checkDraw(bankId, spec);
    if (problem) fields[field === "bankId" ? "questionCount" : field] = drawErrorMessage(problem);
  }
  if (Object.keys(fields).length || !contest) throw new RoundFieldsError(fields);
  return { contestId: contest.id };
}

function columns(input: RoundInput) {
  return {
    name: input.name,
    description: input.description,
    opensAt: input.opensAt,
    closesAt: input.closesAt,
    durationSeconds: input.durationSeconds,
    questionCount: input.questionCount,
    maxAttempts: input.maxAttempts,
    bankId: input.bankId,
    topicCounts: JSON.stringify(input.topics),
    difficultyCounts: JSON.stringify(input.difficulty),
    eligibleGroups: input.eligibleGroups.join(","),
    groupBanks: JSON.stringify(input.groupBanks),
    prediction: input.prediction,
    tieBreak: input.tieBreak.join(","),
    attemptPolicy: input.attemptPolicy,
    revealAnswers: input.revealAnswers,
    flagRules: JSON.stringify(input.flagRules ?? {}),
  };
}

export async function createRound(input: RoundInput, actor: Actor, now: Date): Promise<RoundSettings> {
  const { contestId } = await validateReferences(input);
  const round = await db().$transaction(async (tx) => {
    const r = await tx.round.create({ data: { ...columns(input), contestId, createdById: actor.id } });
    await audit({ actorId: actor.id, action: "round.create", entityType: "round", entityId: r.id, detail: columns(input) }, tx);
    return r;
  });
  return settingsOf(round, now);
}

/** A stored round as the input that would create it (for comparing an edit with what is stored). */
function inputOf(r: RoundRow, now: Date): RoundInput {
  const s = settingsOf(r, now);
  return { ...s, opensAt: r.opensAt, closesAt: r.closesAt } as RoundInput;
}

/** Dates by instant, JSON objects by content (key order aside), the rest by value. */
function canonical(v: unknown): string {
  if (v instanceof Date) return String(v.getTime());
  if (typeof v === "string" && v.startsWith("{")) {
    const o = parseJsonObject<Record<string, unknown>>(v);
    return JSON.stringify(Object.keys(o).sort().map((k) => [k, o[k]]));
  }
  return String(v);
}

/** Fields that change what contestants already drew or how they are scored: frozen once attempts exist. */
const FROZEN: (keyof ReturnType<typeof columns>)[] = [
  "opensAt",
  "durationSeconds",
  "questionCount",
  "bankId",
  "topicCounts",
  "difficultyCounts",
  "eligibleGroups",
  "groupBanks",
  "prediction",
  "tieBreak",
  "attemptPolicy",
];

export async function updateRound(id: string, input: RoundInput, actor: Actor, now: Date): Promise<RoundSettings> {
  const old = await db().round.findUnique({ where: { id } });
  if (!old) throw new NotFoundError(`round ${id}`);
  const attempts = await db().attempt.count({ where: { roundId: id } });
  const next = columns(input);
  if (attempts > 0) {
    const before = columns(inputOf(old, now));
    const same = (k: keyof typeof next) => canonical(before[k]) === canonical(next[k]);
    const changed = FROZEN.filter((k) => !same(k));
    if (input.maxAttempts < old.maxAttempts) changed.push("maxAttempts");
    if (changed.length) {
      // Report under the input's names (as the 400 errors do), not the columns'.
      const INPUT_NAME: Partial<Record<string, string>> = { topicCounts: "topics", difficultyCounts: "difficulty" };
      throw new RoundFieldsError(Object.fromEntries(changed.map((k) => [INPUT_NAME[k] ?? k, vi.errors.ROUND_HAS_ATTEMPTS])), "ROUND_HAS_ATTEMPTS");
    }
  } else {
    await validateReferences({ ...input, contestId: old.contestId });
  }
  const round = await db().$transaction(async (tx) => {
    const r = await tx.round.update({ where: { id }, data: next });
    // An earlier close also cuts the deadlines of attempts in progress.
    await tx.attempt.updateMany({ where: { roundId: id, status: "in_progress", deadlineAt: { gt: next.closesAt } }, data: { deadlineAt: next.closesAt } });
    await audit({ actorId: actor.id, action: "round.update", entityType: "round", entityId: id, detail: { attempts, ...next } }, tx);
    return r;
  });
  return settingsOf(round, now);
}

/** Open early, extend or close now: moves only the opening or closing instant. */
export async function moveRoundTimes(id: string, change: { opensAt?: Date; closesAt?: Date }, actor: Actor, now: Date): Promise<RoundSettings> {
  const old = await db().round.findUnique({ where: { id } });
  if (!old) throw new NotFoundError(`round ${id}`);
  const opensAt = change.opensAt ?? old.opensAt;
  const closesAt = change.closesAt ?? old.closesAt;
  if (closesAt <= opensAt) throw new RoundFieldsError({ closesAt: vi.rounds.errors.closesAfterOpens });
  const round = await db().$transaction(async (tx) => {
    const r = await tx.round.update({ where: { id }, data: { opensAt, closesAt } });
    // Live attempts must not outlive the round: cut their deadlines at the new close.
    if (change.closesAt) {
      await tx.attempt.updateMany({ where: { roundId: id, status: "in_progress", deadlineAt: { gt: closesAt } }, data: { deadlineAt: closesAt } });
    }
    await audit(
      { actorId: actor.id, action: "round.times", entityType: "round", entityId: id, detail: { from: { opensAt: old.opensAt, closesAt: old.closesAt }, to: { opensAt, closesAt } } },
      tx,
    );
    return r;
  });
  return settingsOf(round, now);
}

export async function getRound(id: string, now: Date): Promise<RoundSettings> {
  const r = await db().round.findUnique({ where: { id } });
  if (!r) throw new NotFoundError(`round ${id}`);
  return settingsOf(r, now);
}

export async function listRoundsForAdmin(now: Date) {
  const [rounds, counts] = await Promise.all([
    db().round.findMany({ orderBy: { opensAt: "asc" }, include: { contest: { select: { title: true } } } }),
    db().attempt.groupBy({ by: ["roundId"], _count: { _all: true } }),
  ]);
  return rounds.map((r) => ({ ...settingsOf(r, now), contestTitle: r.contest.title, attempts: counts.find((c) => c.roundId === r.id)?._count._all ?? 0 }));
}

export async function attemptCount(roundId: string) {
  return db().attempt.count({ where: { roundId } });
}

export async function listContests() {
  return db().contest.findMany({ orderBy: { createdAt: "desc" }, select: { id: true, title: true } });
}
