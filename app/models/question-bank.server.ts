// Question banks and questions: the only code that reads or writes them.
import { randomUUID } from "node:crypto";
import { foldVietnamese } from "~/domain/communes";
import {
  normalizeStem,
  searchKey,
  type Difficulty,
  type QuestionDraft,
  type QuestionStatus,
} from "~/domain/questions";
import { db, type Db } from "~/utils/db.server";
import { audit } from "./audit.server";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** Who makes a change; null for the system itself (the demo seed). */
export interface Actor {
  id: string | null;
}

export class NotFoundError extends Error {}

// ---------- banks ----------

export async function createBank(input: { name: string; description?: string }, actor: Actor) {
  return db().$transaction(async (tx) => {
    const bank = await tx.questionBank.create({
      data: { name: input.name, description: input.description ?? "", createdById: actor.id },
    });
    await audit({ actorId: actor.id, action: "bank.create", entityType: "bank", entityId: bank.id, detail: { name: bank.name } }, tx);
    return bank;
  });
}

export async function listBanks() {
  const [banks, counts] = await Promise.all([
    db().questionBank.findMany({ orderBy: { createdAt: "desc" } }),
    db().question.groupBy({ by: ["bankId", "status"], _count: { _all: true } }),
  ]);
  return banks.map((b) => {
    const mine = counts.filter((c) => c.bankId === b.id);
    const n = (s: QuestionStatus) => mine.find((c) => c.status === s)?._count._all ?? 0;
    return { id: b.id, name: b.name, description: b.description, createdAt: b.createdAt, active: n("active"), draft: n("draft"), retired: n("retired") };
  });
}

export async function getBank(id: string) {
  const bank = await db().questionBank.findUnique({ where: { id } });
  if (!bank) throw new NotFoundError(`bank ${id}`);
  return bank;
}

/** Counts by topic and by difficulty of the questions in use (draft and active), for review. */
export async function bankStats(bankId: string) {
  const rows = await db().question.groupBy({
    by: ["topic", "difficulty", "status"],
    where: { bankId },
    _count: { _all: true },
  });
  const live = rows.filter((r) => r.status !== "retired");
  const byTopic = new Map<string, Record<Difficulty | "total", number>>();
  for (const r of live) {
    const t = byTopic.get(r.topic) ?? { easy: 0, medium: 0, hard: 0, total: 0 };
    t[r.difficulty as Difficulty] += r._count._all;
    t.total += r._count._all;
    byTopic.set(r.topic, t);
  }
  const collator = new Intl.Collator("vi");
  const topics = [...byTopic.entries()].sort(([a], [b]) => collator.compare(a, b)).map(([topic, c]) => ({ topic, ...c }));
  const status = (s: QuestionStatus) => rows.filter((r) => r.status === s).reduce((n, r) => n + r._count._all, 0);
  return { topics, active: status("active"), draft: status("draft"), retired: status("retired") };
}

// ---------- questions ----------

const withOptions = { options: { orderBy: { position: "asc" as const } } };

export type StoredQuestion = Awaited<ReturnType<typeof getQuestion>>;

export async function getQuestion(id: string) {
  const q = await db().question.findUnique({ where: { id }, include: withOptions });
  if (!q) throw new NotFoundError(`question ${id}`);
  return q;
}

export function toDraft(q: { topic: string; text: string; explanation: string; source: string; difficulty: string; options: { text: string; correct: boolean }[] }): QuestionDraft {
  return {
    topic: q.topic,
    text: q.text,
    options: q.options.map((o) => o.text),
    correct: Math.max(0, q.options.findIndex((o) => o.correct)),
    explanation: q.explanation,
    difficulty: q.difficulty as Difficulty,
    source: q.source,
  };
}

export interface QuestionFilter {
  q?: string;
  topic?: string;
  difficulty?: string;
  status?: string;
  page?: number;
  pageSize?: number;
}

/** Search is forgiving about tone marks: "cai cach" finds "cải cách". */
export async function listQuestions(bankId: string, f: QuestionFilter = {}) {
  const pageSize = Math.min(Math.max(f.pageSize ?? 50, 1), 500);
  const page = Math.max(f.page ?? 1, 1);
  const words = foldVietnamese(f.q ?? "").split(" ").filter(Boolean).slice(0, 8);
  const where = {
    bankId,
    ...(f.topic ? { topic: f.topic } : {}),
    ...(f.difficulty ? { difficulty: f.difficulty } : {}),
    ...(f.status ? { status: f.status } : { status: { not: "retired" } }),
    ...(words.length ? { AND: words.map((w) => ({ searchText: { contains: w } })) } : {}),
  };
  const [items, total] = await Promise.all([
    db().question.findMany({ where, include: withOptions, orderBy: [{ createdAt: "asc" }, { id: "asc" }], skip: (page - 1) * pageSize, take: pageSize }),
    db().question.count({ where }),
  ]);
  return { items, total, page, pageSize };
}

export async function listTopics(bankId: string): Promise<string[]> {
  const rows = await db().question.findMany({ where: { bankId }, distinct: ["topic"], select: { topic: true } });
  const collator = new Intl.Collator("vi");
  return rows.map((r) => r.topic).sort(collator.compare);
}

/** Rows for a question and its options, with fresh random ids (opaque: no order, no meaning). */
function questionRows(bankId: string, d: QuestionDraft, extra: { status: QuestionStatus; createdById: string | null; version?: number; rootId?: string | null }) {
  const id = randomUUID();
  return {
    question: {
      id,
      bankId,
      topic: d.topic,
      text: d.text,
      explanation: d.explanation,
      source: d.source,
      difficulty: d.difficulty,
      status: extra.status,
      normalizedText: normalizeStem(d.text),
      searchText: searchKey(d),
      version: extra.version ?? 1,
      rootId: extra.rootId ?? null,
      createdById: extra.createdById,
    },
    options: d.options.map((text, position) => ({ id: randomUUID(), questionId: id, text, correct: position === d.correct, position })),
  };
}

/** Inserts many questions in the caller's transaction (imports): two statements, not one per row. */
export async function insertQuestions(tx: Tx, bankId: string, drafts: QuestionDraft[], actor: Actor, status: QuestionStatus = "active") {
  // Ids are random, so the file's order is kept by createdAt: one millisecond apart per question.
  const t0 = Date.now();
  const rows = drafts.map((d, i) => {
    const r = questionRows(bankId, d, { status, createdById: actor.id });
    return { ...r, question: { ...r.question, createdAt: new Date(t0 + i) } };
  });
  const CHUNK = 500; // keeps each statement under SQLite's and PostgreSQL's bound-parameter limits
  for (let i = 0; i < rows.length; i += CHUNK) {
    await tx.question.createMany({ data: rows.slice(i, i + CHUNK).map((r) => r.question) });
  }
  const options = rows.flatMap((r) => r.options);
  for (let i = 0; i < options.length; i += CHUNK) {
    await tx.option.createMany({ data: options.slice(i, i + CHUNK) });
  }
  return rows.map((r) => r.question.id);
}

export async function createQuestion(bankId: string, draft: QuestionDraft, status: QuestionStatus, actor: Actor) {
  await getBank(bankId);
  return db().$transaction(async (tx) => {
    const [id] = await insertQuestions(tx, bankId, [draft], actor, status);
    await audit({ actorId: actor.id, action: "question.create", entityType: "question", entityId: id, detail: { bankId } }, tx);
    return id;
  });
}

/**
 * Saves an edit. A question never drawn into an attempt changes in place; one already used becomes
 * a new version (the old one is retired and points to it), so past attempts keep what they showed.
 */
export async function updateQuestion(id: string, draft: QuestionDraft, status: QuestionStatus, actor: Actor): Promise<{ id: string; versioned: boolean }> {
  const old = await getQuestion(id);
  if (old.replacedById) throw new ConflictError("question already replaced by a newer version");
  return db().$transaction(async (tx) => {
    if (!old.firstUsedAt) {
      await tx.option.deleteMany({ where: { questionId: id } });
      const { question, options } = questionRows(old.bankId, draft, { status, createdById: actor.id, version: old.version, rootId: old.rootId });
      const { id: _fresh, bankId: _b, createdById: _c, ...fields } = question;
      await tx.question.update({ where: { id }, data: fields });
      await tx.option.createMany({ data: options.map((o) => ({ ...o, questionId: id })) });
      await audit({ actorId: actor.id, action: "question.update", entityType: "question", entityId: id, detail: { before: toDraft(old), after: draft } }, tx);
      return { id, versioned: false };
    }
    const [newId] = await insertQuestions(tx, old.bankId, [draft], actor, status);
    await tx.question.update({ where: { id: newId }, data: { version: old.version + 1, rootId: old.rootId ?? old.id } });
    await tx.question.update({ where: { id }, data: { status: "retired", replacedById: newId } });
    await audit(
      { actorId: actor.id, action: "question.version", entityType: "question", entityId: newId, detail: { previousId: id, version: old.version + 1 } },
      tx,
    );
    return { id: newId, versioned: true };
  });
}

export class ConflictError extends Error {}

export async function duplicateQuestion(id: string, suffix: string, actor: Actor) {
  const old = await getQuestion(id);
  const draft = { ...toDraft(old), text: `${old.text} ${suffix}` };
  return db().$transaction(async (tx) => {
    const [newId] = await insertQuestions(tx, old.bankId, [draft], actor, "draft");
    await audit({ actorId: actor.id, action: "question.duplicate", entityType: "question", entityId: newId, detail: { from: id } }, tx);
    return newId;
  });
}

export async function setQuestionStatus(id: string, status: QuestionStatus, actor: Actor) {
  const old = await getQuestion(id);
  if (old.replacedById && status !== "retired") throw new ConflictError("a replaced version cannot be reactivated");
  await db().$transaction(async (tx) => {
    await tx.question.update({ where: { id }, data: { status } });
    await audit({ actorId: actor.id, action: "question.status", entityType: "question", entityId: id, detail: { from: old.status, to: status } }, tx);
  });
}

/** The bank's questions in use (draft and active), as drafts, for export and review. */
export async function exportDrafts(bankId: string) {
  const rows = await db().question.findMany({
    where: { bankId, status: { not: "retired" } },
    include: withOptions,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map((q) => ({ id: q.id, status: q.status as QuestionStatus, draft: toDraft(q) }));
}

/** Which of these normalised stems the bank already holds (retired versions do not count). */
export async function existingStems(bankId: string, stems: string[], tx: Pick<Db, "question"> = db()): Promise<Set<string>> {
  const found = new Set<string>();
  const unique = [...new Set(stems)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await tx.question.findMany({
      where: { bankId, status: { not: "retired" }, normalizedText: { in: unique.slice(i, i + 500) } },
      select: { normalizedText: true },
    });
    for (const r of rows) found.add(r.normalizedText);
  }
  return found;
}

/** Fills the duplicate and search keys of rows created before those columns existed. */
export async function backfillQuestionKeys(): Promise<number> {
  const rows = await db().question.findMany({ where: { normalizedText: "" }, include: withOptions });
  for (const q of rows) {
    const d = toDraft(q);
    await db().question.update({ where: { id: q.id }, data: { normalizedText: normalizeStem(d.text), searchText: searchKey(d) } });
  }
  return rows.length;
}
