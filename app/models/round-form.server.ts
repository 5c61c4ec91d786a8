// The round editor's form ⇄ roundSchema, shared by the "new" and "edit" pages. The form only
// gathers what was typed into the schema's input shape; every rule is the schema's (and the model's).
import type { z } from "zod";
import { fieldErrors } from "~/domain/registration";
import { DIFFICULTIES, type Difficulty } from "~/domain/questions";
import { GROUPS, type Group } from "~/domain/roles";
import { roundSchema, TIE_BREAKS, type RoundInput } from "~/domain/rounds";
import { vi } from "~/i18n/vi";
import type { RoundSettings } from "./round.server";

/** What the form shows: exactly what was typed (or stored), so nothing is lost on an error. */
export interface RoundFormValues {
  contestId: string;
  name: string;
  description: string;
  /** datetime-local, Vietnam time: "2025-10-01T08:00" (seconds and milliseconds only when stored so). */
  opensAt: string;
  closesAt: string;
  durationMinutes: string;
  questionCount: string;
  maxAttempts: string;
  bankId: string;
  /** One "Chủ đề: số câu" per line. */
  topics: string;
  difficulty: Record<Difficulty, string>;
  eligibleGroups: string[];
  groupBanks: Record<Group, string>;
  prediction: boolean;
  /** The tie-break order, one criterion per slot; "" = slot unused. */
  tieBreak: [string, string, string];
  revealAnswers: string;
}

export type RoundFormCheck = { ok: true; input: RoundInput; values: RoundFormValues } | { ok: false; fields: Record<string, string>; values: RoundFormValues };

// ---------- Vietnam time (UTC+7, no daylight saving) ⇄ instants ----------

const OFFSET_MS = 7 * 3600 * 1000;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

/** "2025-10-01T08:00" (Vietnam time) → "2025-10-01T08:00+07:00"; null if it is no real moment. */
export function fromContestLocal(local: string): string | null {
  const value = local.trim();
  const m = LOCAL.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1, 6).map(Number);
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi));
  // Date.UTC rolls 30 February over into March: a date that does not round-trip does not exist.
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d || t.getUTCHours() !== h || t.getUTCMinutes() !== mi) return null;
  if (m[6] !== undefined && Number(m[6]) > 59) return null;
  return `${value}+07:00`;
}

/** An instant → the datetime-local value in Vietnam time, to the minute unless it has seconds. */
export function toContestLocal(iso: string | Date): string {
  const d = typeof iso === "string" ? new Date(iso) : iso;
  const local = new Date(d.getTime() + OFFSET_MS).toISOString(); // "YYYY-MM-DDTHH:MM:SS.sssZ"
  if (local.endsWith(":00.000Z")) return local.slice(0, 16);
  if (local.endsWith(".000Z")) return local.slice(0, 19);
  return local.slice(0, 23);
}

// ---------- FormData → values → schema input ----------

const str = (form: FormData, name: string, max = 10_000) => {
  const v = form.get(name);
  return typeof v === "string" ? v.slice(0, max) : "";
};

export function roundFormValues(form: FormData): RoundFormValues {
  return {
    contestId: str(form, "contestId", 100),
    name: str(form, "name", 1000),
    description: str(form, "description", 10_000),
    opensAt: str(form, "opensAt", 40),
    closesAt: str(form, "closesAt", 40),
    durationMinutes: str(form, "durationMinutes", 20),
    questionCount: str(form, "questionCount", 20),
    maxAttempts: str(form, "maxAttempts", 20),
    bankId: str(form, "bankId", 100),
    topics: str(form, "topics", 20_000),
    difficulty: Object.fromEntries(DIFFICULTIES.map((d) => [d, str(form, `difficulty.${d}`, 20)])) as Record<Difficulty, string>,
    eligibleGroups: form
      .getAll("eligibleGroups")
      .filter((v): v is string => typeof v === "string")
      .slice(0, 20)
      .map((v) => v.slice(0, 40)),
    groupBanks: Object.fromEntries(GROUPS.map((g) => [g, str(form, `groupBanks.${g}`, 100)])) as Record<Group, string>,
    prediction: form.get("prediction") !== null,
    tieBreak: [str(form, "tieBreak1", 40), str(form, "tieBreak2", 40), str(form, "tieBreak3", 40)],
    revealAnswers: str(form, "revealAnswers", 40),
  };
}

/** "" → undefined (the schema then reports the field as missing); anything else as a number (NaN if not one). */
const num = (s: string) => (s.trim() === "" ? undefined : Number(s.trim()));

/** The topics textarea → {topic: count}; null if a line is not "Chủ đề: số câu" (or repeats a topic). */
export function parseTopics(text: string): Record<string, number> | null {
  const out: Record<string, number> = {};
  for (const raw of text.split(/\r\n?|\n/)) {
    const line = raw.normalize("NFC").replace(/[\u00a0\t]/g, " ").trim();
    if (!line) continue;
    // The last colon separates the count, so a topic may itself contain one.
    const m = /^(.*\S)\s*:\s*(\d{1,4})$/.exec(line);
    if (!m) return null;
    const topic = m[1].replace(/ {2,}/g, " ").trim();
    if (!topic || topic in out) return null;
    out[topic] = Number(m[2]);
  }
  return out;
}

export function formatTopics(topics: Record<string, number>): string {
  return Object.entries(topics)
    .map(([t, n]) => `${t}: ${n}`)
    .join("\n");
}

/** The schema's input built from the form's values (before the schema checks it). */
export function inputOf(v: RoundFormValues, topics: Record<string, number>): Record<string, unknown> {
  const when = (s: string) => (s.trim() === "" ? undefined : (fromContestLocal(s) ?? s));
  const minutes = num(v.durationMinutes);
  const difficulty: Record<string, number | undefined> = {};
  for (const d of DIFFICULTIES) if (v.difficulty[d].trim() !== "") difficulty[d] = num(v.difficulty[d]);
  const groupBanks: Record<string, string> = {};
  for (const g of GROUPS) if (v.groupBanks[g]) groupBanks[g] = v.groupBanks[g];
  return {
    ...(v.contestId ? { contestId: v.contestId } : {}),
    name: v.name,
    description: v.description,
    opensAt: when(v.opensAt),
    closesAt: when(v.closesAt),
    durationSeconds: minutes === undefined ? undefined : minutes * 60,
    questionCount: num(v.questionCount),
    maxAttempts: num(v.maxAttempts),
    bankId: v.bankId,
    topics,
    difficulty,
    eligibleGroups: v.eligibleGroups,
    groupBanks,
    prediction: v.prediction,
    tieBreak: v.tieBreak.filter(Boolean),
    ...(v.revealAnswers ? { revealAnswers: v.revealAnswers } : {}),
  };
}

/** Where the form shows an error of the schema or the model (their keys are the input's or the columns'). */
const FORM_FIELD: Record<string, string> = {
  durationSeconds: "durationMinutes",
  topicCounts: "topics",
  difficultyCounts: "difficulty",
  attemptPolicy: "_form",
};

/** Vietnamese messages for the schema's issues that carry zod's own (English) text. */
const R = vi.rounds.errors;
const NESTED_MESSAGE: Record<string, string> = {
  topics: R.topics,
  difficulty: R.difficulty,
  eligibleGroups: R.groups,
  groupBanks: R.bank,
  tieBreak: R.tieBreak,
};
const OWN_MESSAGE: Record<string, string> = { description: R.description, contestId: R.contest };

function schemaFields(error: z.ZodError): Record<string, string> {
  const fields = fieldErrors(error);
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "_form");
    if (issue.path.length > 1 && NESTED_MESSAGE[key]) fields[key] = NESTED_MESSAGE[key];
    if (OWN_MESSAGE[key]) fields[key] = OWN_MESSAGE[key];
  }
  return formFields(fields);
}

/** Errors keyed by the schema's or the model's names → keyed by the form's fields. */
export function formFields(fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, message] of Object.entries(fields)) out[FORM_FIELD[k] ?? k] ??= message;
  return out;
}

export function checkRoundValues(values: RoundFormValues): RoundFormCheck {
  const topics = parseTopics(values.topics);
  const parsed = roundSchema.safeParse(inputOf(values, topics ?? {}));
  const fields = parsed.success ? {} : schemaFields(parsed.error);
  if (topics === null) fields.topics = R.topics;
  if (!parsed.success || Object.keys(fields).length) return { ok: false, fields, values };
  return { ok: true, input: parsed.data, values };
}

/** The form's FormData → the schema's input, checked by the schema. */
export function parseRoundForm(form: FormData): RoundFormCheck {
  return checkRoundValues(roundFormValues(form));
}

// ---------- stored round → values ----------

export function valuesOfRound(r: RoundSettings): RoundFormValues {
  const tb = r.tieBreak;
  return {
    contestId: r.contestId,
    name: r.name,
    description: r.description,
    opensAt: toContestLocal(r.opensAt),
    closesAt: toContestLocal(r.closesAt),
    durationMinutes: String(r.durationSeconds / 60),
    questionCount: String(r.questionCount),
    maxAttempts: String(r.maxAttempts),
    bankId: r.bankId,
    topics: formatTopics(r.topics),
    difficulty: Object.fromEntries(DIFFICULTIES.map((d) => [d, r.difficulty[d] === undefined ? "" : String(r.difficulty[d])])) as Record<Difficulty, string>,
    eligibleGroups: [...r.eligibleGroups],
    groupBanks: Object.fromEntries(GROUPS.map((g) => [g, r.groupBanks[g] ?? ""])) as Record<Group, string>,
    prediction: r.prediction,
    tieBreak: [tb[0] ?? "", tb[1] ?? "", tb[2] ?? ""],
    revealAnswers: r.revealAnswers,
  };
}

/** A new round's form: the schema's defaults. */
export function newRoundValues(defaults: { contestId?: string; bankId?: string } = {}): RoundFormValues {
  return {
    contestId: defaults.contestId ?? "",
    name: "",
    description: "",
    opensAt: "",
    closesAt: "",
    durationMinutes: "30",
    questionCount: "20",
    maxAttempts: "1",
    bankId: defaults.bankId ?? "",
    topics: "",
    difficulty: { easy: "", medium: "", hard: "" },
    eligibleGroups: [...GROUPS],
    groupBanks: Object.fromEntries(GROUPS.map((g) => [g, ""])) as Record<Group, string>,
    prediction: true,
    tieBreak: [...TIE_BREAKS] as [string, string, string],
    revealAnswers: "after_close",
  };
}
