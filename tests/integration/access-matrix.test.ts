// Access control matrix: every route module in app/routes (page loaders and actions, the /api/v1
// endpoints, the .xlsx/.csv/.pdf downloads) called as every kind of visitor: anonymous, the
// contestant who owns the data, another contestant, a commune officer of the owner's commune and
// of another one, an organizer, a judge and an administrator. The table below states the outcome
// of each cell; exactly the allowed cells succeed, a denied one changes nothing in the database,
// and no loader (a GET) changes it either, whoever calls it (a download may only add to the audit log).
// Every answer is also searched for what its reader must not see: another person's CCCD, phone,
// birth date or full name, and, while the round is open, anything that tells the right answer.
// A route file (or a loader/action) missing from the table fails the test: a new route cannot be
// added without an access decision. Route modules are called directly, as the other integration
// tests do; each child route checks the role itself (fuzz.test.ts covers the HTTP layer).
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { contestKey, prizePlanSchema, publish, savePlan } from "~/models/award.server";
import { createImportPreview } from "~/models/question-import.server";
import { db } from "~/utils/db.server";
import { formGuards, loginBody, newContestant, ORIGIN } from "./helpers";
import { routeFiles, urlOf } from "./routes";
import { bankWith, closeRound, contestant, freshCookie, liveAttempt, play, questionForm, round, roundForm, staff, uniq, type Person } from "./world";

type RouteModule = { loader?: (args: unknown) => unknown; action?: (args: unknown) => unknown };
const modules = import.meta.glob("../../app/routes/*.{ts,tsx}", { eager: true }) as Record<string, RouteModule>;
const moduleOf = (file: string): RouteModule => {
  const m = modules[`../../app/routes/${file}`];
  if (!m) throw new Error(`no route module ${file}`);
  return m;
};

// ---------------------------------------------------------------------------------------------
// Who, and what they may get
// ---------------------------------------------------------------------------------------------

const WHO = ["anon", "owner", "other", "officerSame", "officerOther", "organizer", "judge", "admin"] as const;
type Who = (typeof WHO)[number];

/** "ok": 2xx; "login": a redirect to the login page (pages); a number: that status; a RegExp: a redirect there. */
type Expect = "ok" | "login" | number | RegExp;
type Rule = (w: Who) => Expect;

const ORG: Who[] = ["organizer", "admin"];
const JUD: Who[] = ["judge", "admin"];
const OFFICERS: Who[] = ["officerSame", "officerOther"];
const CONTESTANTS: Who[] = ["owner", "other"];
const SIGNED_IN: Who[] = WHO.filter((w) => w !== "anon");
const STAFF: Who[] = ["officerSame", "officerOther", "organizer", "judge", "admin"];

/** Pages: these roles get `ok`; anonymous visitors go to the login page; everyone else 403. */
const page = (allowed: Who[], ok: Expect = "ok"): Rule => (w) => (allowed.includes(w) ? ok : w === "anon" ? "login" : 403);
/** API: these roles get `ok`; anonymous 401; everyone else 403. */
const api = (allowed: Who[], ok: Expect = "ok"): Rule => (w) => (allowed.includes(w) ? ok : w === "anon" ? 401 : 403);
/** The owner's own record: the owner gets `ok`; anonymous the login page or 401; anyone else 404 (it does not exist for them). */
const owner = (ok: Expect, isApi: boolean): Rule => (w) => (w === "owner" ? ok : w === "anon" ? (isApi ? 401 : "login") : 404);
const everyone = (e: Expect): Rule => () => e;
const describeRule = (r: Rule) =>
  WHO.map((w) => {
    const e = r(w);
    return `${w}:${e instanceof RegExp ? "→" : e}`;
  }).join(" ");

// ---------------------------------------------------------------------------------------------
// The world
// ---------------------------------------------------------------------------------------------

interface World {
  p: Record<Exclude<Who, "anon">, Person>;
  /** A contestant whose password the login cells use. */
  loginTarget: Person;
  contestOpen: string;
  contestClosed: string;
  contestDraft: string;
  /** Open now, answers revealed after the close; its bank's explanations carry `markerOpen`. */
  roundOpen: string;
  markerOpen: string;
  /** Closed, prizes published (and the whole contestClosed's too). */
  roundClosed: string;
  /** Closed, no plan yet (in contestDraft). */
  roundDraft: string;
  /** Upcoming, no attempts: the organizers' target. */
  roundUpcoming: string;
  bankId: string;
  questionId: string;
  /** The owner's attempts in the open round: a1 submitted, a2 in progress. */
  a1: string;
  a2: { id: string; questionIds: string[]; options: string[][] };
  /** The other contestant's submitted attempt in the open round. */
  b1: string;
}

let W: World;

async function freshLive(p: Person) {
  // A new open round of the same bank for each destructive cell: the owner's a2 stays as it is.
  const r = await round(W.bankId, { contestId: W.contestOpen, questionCount: 2, revealAnswers: "after_close" });
  return liveAttempt(r.id, p);
}
async function freshSubmitted() {
  const c = await contestant("21583");
  const r = await round(W.bankId, { contestId: W.contestOpen, questionCount: 2 });
  return (await play(r.id, c, { right: 1 })).attemptId;
}
async function freshUpcoming() {
  return (await round(W.bankId, { contestId: W.contestOpen, questionCount: 2, upcoming: true })).id;
}
async function freshImportJob(by: Person) {
  const job = await createImportPreview(W.bankId, { fileName: "x.csv", bytes: new TextEncoder().encode(csv()), defaultTopic: "" }, { id: by.id, role: by.role } as never);
  if (!job.ok) throw new Error("import preview failed");
  return job.jobId;
}
const csv = () => `Chủ đề,Câu hỏi,Đáp án A,Đáp án B,Đáp án C,Đáp án D,Đáp án đúng,Giải thích\nCải cách,Câu hỏi ${uniq()}?,Một,Hai,Ba,Bốn,A,Vì vậy.\n`;

const roundJson = (bankId: string, contestId: string) => ({
  contestId,
  name: `Vòng ${uniq()}`,
  description: "",
  opensAt: new Date(Date.now() + 86_400_000).toISOString(),
  closesAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
  durationSeconds: 600,
  questionCount: 2,
  maxAttempts: 1,
  bankId,
  eligibleGroups: ["citizen"],
  prediction: true,
  tieBreak: ["prediction", "duration", "submittedAt"],
});

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

type Body = { json: unknown } | { form: Record<string, string | string[]> } | { multipart: { name: string; value: string; filename?: string }[] };
type Params = Record<string, string>;

interface Row {
  file: string;
  fn: "loader" | "action";
  method?: string;
  rule: Rule;
  /** Parameters; a function when an allowed cell needs its own target (it would change a shared one). */
  params?: Params | ((w: Who, allowed: boolean) => Promise<Params>);
  query?: string;
  body?: (w: Who, params: Params) => Body;
  /** Requests that end or replace the session get a session of their own. */
  fresh?: boolean;
}

const R = (file: string, fn: "loader" | "action", rule: Rule, o: Omit<Row, "file" | "fn" | "rule"> = {}): Row => ({ file, fn, rule, ...o });
const NOT_ALLOWED_METHOD = everyone(405);

function table(): Row[] {
  const w = W;
  const roundOpen = { roundId: w.roundOpen };
  const roundClosed = { roundId: w.roundClosed };
  const contestClosed = { contestId: w.contestClosed };
  const bank = { bankId: w.bankId };
  return [
    // ----- public pages
    R("$.tsx", "loader", everyone(404), { params: { "*": "khong-co-trang-nay" } }),
    R("$.tsx", "action", everyone(404), { params: { "*": "khong-co-trang-nay" }, body: () => ({ form: { a: "1" } }) }),
    R("_index.tsx", "loader", everyone("ok")),
    R("communes.tsx", "loader", everyone("ok"), { query: `?round=${w.roundOpen}` }),
    R("contests.$contestId.results.tsx", "loader", everyone("ok"), { params: contestClosed }),
    R("rounds.$roundId.tsx", "loader", everyone("ok"), { params: roundOpen }),
    // Starting (or resuming) an attempt: contestants only; staff may not compete (a refusal on the page, 403).
    R("rounds.$roundId.tsx", "action", (x) => (x === "anon" ? "login" : CONTESTANTS.includes(x) ? /^\/attempts\/[^/]+$/ : 403), {
      params: roundOpen,
      body: () => ({ form: { deviceId: "thiet-bi" } }),
    }),
    R("rounds.$roundId_.leaderboard.tsx", "loader", everyone("ok"), { params: roundOpen }),
    R("rounds.$roundId_.results.tsx", "loader", everyone("ok"), { params: roundClosed }),
    // ----- accounts
    R("login.tsx", "loader", (x) => (x === "anon" ? "ok" : /^\/account$/)),
    R("login.tsx", "action", everyone(/^\/account$/), {
      fresh: true,
      body: () => ({ form: { identifier: w.loginTarget.phone!, password: "mat-khau-thi-sinh", redirectTo: "/account", ...formGuards() } }),
    }),
    R("register.tsx", "loader", (x) => (x === "anon" ? "ok" : /^\/account$/)),
    R("register.tsx", "action", everyone(/^\/account\?welcome=1$/), {
      fresh: true,
      body: () => {
        const c = newContestant();
        return { form: { ...c, passwordConfirm: c.password, ...formGuards() } };
      },
    }),
    R("logout.tsx", "loader", everyone(/^\/$/)),
    R("logout.tsx", "action", everyone(/^\/$/), { fresh: true, body: () => ({ form: {} }) }),
    R("account.tsx", "loader", page(SIGNED_IN)),
    // The password change reaches its check of the current password (wrong here: 400) for anyone signed in.
    R("account.tsx", "action", page(SIGNED_IN, 400), {
      body: () => ({ form: { currentPassword: "khong-phai-mat-khau", newPassword: "mat-khau-moi-2025", newPasswordConfirm: "mat-khau-moi-2025" } }),
    }),
    // ----- taking a round: the owner's attempts only
    R("attempts.$attemptId.tsx", "loader", owner("ok", false), { params: { attemptId: w.a2.id } }),
    R("attempts.$attemptId.tsx", "action", owner(/^\/attempts\/[^/]+\/result$/, false), {
      params: async (x, allowed) => ({ attemptId: allowed ? (await freshLive(w.p.owner)).id : w.a2.id }),
      body: () => ({ form: { prediction: "3" } }),
    }),
    R("attempts.$attemptId_.result.tsx", "loader", owner("ok", false), { params: { attemptId: w.a1 } }),
    // ----- commune officers: their own commune only (never from the URL)
    R("commune.tsx", "loader", page(OFFICERS), { query: `?round=${w.roundOpen}` }),
    R("commune.export[.]xlsx.ts", "loader", page(OFFICERS), { query: `?round=${w.roundOpen}` }),
    // ----- organizers
    R("admin.tsx", "loader", page(ORG)),
    R("admin._index.tsx", "loader", page(ORG, /^\/admin\/banks$/)),
    R("admin.banks._index.tsx", "loader", page(ORG)),
    R("admin.banks._index.tsx", "action", page(ORG, /^\/admin\/banks\/[^/]+$/), { body: () => ({ form: { name: `Ngân hàng ${uniq()}`, description: "" } }) }),
    R("admin.banks.$bankId._index.tsx", "loader", page(ORG), { params: bank }),
    R("admin.banks.$bankId.export[.]gift.ts", "loader", page(ORG), { params: bank }),
    R("admin.banks.$bankId.export[.]xlsx.ts", "loader", page(ORG), { params: bank }),
    R("admin.banks.$bankId.import.tsx", "loader", page(ORG), { params: bank }),
    R("admin.banks.$bankId.import.tsx", "action", page(ORG, /^\/admin\/imports\/[^/]+$/), {
      params: bank,
      body: () => ({ multipart: [{ name: "file", value: csv(), filename: "cau-hoi.csv" }] }),
    }),
    R("admin.banks.$bankId.questions.new.tsx", "loader", page(ORG), { params: bank }),
    R("admin.banks.$bankId.questions.new.tsx", "action", page(ORG, /^\/admin\/banks\/[^/]+$/), { params: bank, body: () => ({ form: questionForm() }) }),
    R("admin.banks.$bankId.review.tsx", "loader", page(ORG), { params: bank }),
    R("admin.imports.$jobId.tsx", "loader", page(ORG), { params: async () => ({ jobId: await freshImportJob(w.p.organizer) }) }),
    R("admin.imports.$jobId.tsx", "action", page(ORG), { params: async () => ({ jobId: await freshImportJob(w.p.organizer) }), body: () => ({ form: { intent: "discard" } }) }),
    R("admin.questions.$questionId.tsx", "loader", page(ORG), { params: { questionId: w.questionId } }),
    R("admin.questions.$questionId.tsx", "action", page(ORG, /^\/admin\/questions\/[^/]+$/), { params: { questionId: w.questionId }, body: () => ({ form: { intent: "duplicate" } }) }),
    R("admin.rounds._index.tsx", "loader", page(ORG)),
    R("admin.rounds.new.tsx", "loader", page(ORG)),
    R("admin.rounds.new.tsx", "action", page(ORG, /^\/admin\/rounds\/[^/]+\?saved=1$/), { body: () => ({ form: roundForm(w.bankId, w.contestOpen) }) }),
    R("admin.rounds.$roundId.tsx", "loader", page(ORG), { params: roundOpen }),
    R("admin.rounds.$roundId.tsx", "action", page(ORG, /^\/admin\/rounds\/[^/]+\?done=opened$/), {
      params: async (_x, allowed) => ({ roundId: allowed ? await freshUpcoming() : w.roundUpcoming }),
      body: () => ({ form: { intent: "openNow" } }),
    }),
    R("admin.dashboard.tsx", "loader", page(ORG), { query: `?round=${w.roundOpen}` }),
    R("admin.dashboard.$table[.]xlsx.ts", "loader", page(ORG), { params: { table: "communes" }, query: `?round=${w.roundOpen}` }),
    R("admin.template[.]xlsx.ts", "loader", page(ORG)),
    // ----- judges: ranking, evidence, flags, prizes, exports, certificates
    R("judge.tsx", "loader", page(JUD)),
    R("judge._index.tsx", "loader", page(JUD)),
    R("judge.rounds.$roundId.tsx", "loader", page(JUD), { params: roundOpen }),
    R("judge.attempts.$attemptId.tsx", "loader", page(JUD), { params: { attemptId: w.a1 } }),
    R("judge.attempts.$attemptId.tsx", "action", page(JUD), { params: { attemptId: w.b1 }, body: () => ({ form: { intent: "clear", reason: "Đã xem xét, không vi phạm" } }) }),
    R("judge.rounds.$roundId_.awards.tsx", "loader", page(JUD), { params: roundClosed }),
    R("judge.rounds.$roundId_.awards.tsx", "action", page(JUD), {
      params: { roundId: w.roundDraft },
      body: () => ({ form: { intent: "plan", tier0Name: "Giải Nhất", tier0Count: "1", complaintDays: "5" } }),
    }),
    R("judge.contests.$contestId.awards.tsx", "loader", page(JUD), { params: contestClosed }),
    R("judge.contests.$contestId.awards.tsx", "action", page(JUD), {
      params: { contestId: w.contestDraft },
      body: () => ({ form: { intent: "plan", tier0Name: "Giải Nhất", tier0Count: "1", complaintDays: "5" } }),
    }),
    // ----- the JSON API
    R("api.v1.$.ts", "loader", everyone(404), { params: { "*": "khong-co" } }),
    R("api.v1.$.ts", "action", everyone(404), { params: { "*": "khong-co" }, body: () => ({ json: {} }) }),
    R("api.v1.communes.ts", "loader", everyone("ok")),
    R("api.v1.communes.ts", "action", NOT_ALLOWED_METHOD, { body: () => ({ json: {} }) }),
    R("api.v1.contests.ts", "loader", everyone("ok")),
    R("api.v1.contests.ts", "action", NOT_ALLOWED_METHOD, { body: () => ({ json: {} }) }),
    R("api.v1.contests.$contestId.communes.ts", "loader", everyone("ok"), { params: { contestId: w.contestOpen } }),
    R("api.v1.contests.$contestId.communes.ts", "action", NOT_ALLOWED_METHOD, { params: { contestId: w.contestOpen }, body: () => ({ json: {} }) }),
    R("api.v1.captcha.ts", "loader", everyone("ok")),
    R("api.v1.captcha.ts", "action", NOT_ALLOWED_METHOD, { body: () => ({ json: {} }) }),
    R("api.v1.rounds.$roundId.leaderboard.ts", "loader", everyone("ok"), { params: roundOpen }),
    R("api.v1.rounds.$roundId.leaderboard.ts", "action", NOT_ALLOWED_METHOD, { params: roundOpen, body: () => ({ json: {} }) }),
    R("api.v1.rounds.$roundId.communes.ts", "loader", everyone("ok"), { params: roundOpen }),
    R("api.v1.rounds.$roundId.communes.ts", "action", NOT_ALLOWED_METHOD, { params: roundOpen, body: () => ({ json: {} }) }),
    R("api.v1.auth.login.ts", "loader", NOT_ALLOWED_METHOD),
    R("api.v1.auth.login.ts", "action", everyone("ok"), { fresh: true, body: () => ({ json: loginBody(w.loginTarget.phone!, "mat-khau-thi-sinh") }) }),
    R("api.v1.auth.logout.ts", "loader", NOT_ALLOWED_METHOD),
    R("api.v1.auth.logout.ts", "action", everyone("ok"), { fresh: true, body: () => ({ json: {} }) }),
    R("api.v1.auth.register.ts", "loader", NOT_ALLOWED_METHOD),
    R("api.v1.auth.register.ts", "action", everyone("ok"), { fresh: true, body: () => ({ json: newContestant() }) }),
    R("api.v1.me.ts", "loader", api(SIGNED_IN)),
    R("api.v1.me.ts", "action", NOT_ALLOWED_METHOD, { body: () => ({ json: {} }) }),
    // Starting: contestants (a resume of their live attempt here); staff 403 NOT_ELIGIBLE.
    R("api.v1.rounds.$roundId.attempts.ts", "loader", NOT_ALLOWED_METHOD, { params: roundOpen }),
    R("api.v1.rounds.$roundId.attempts.ts", "action", (x) => (x === "anon" ? 401 : CONTESTANTS.includes(x) ? "ok" : 403), { params: roundOpen, body: () => ({ json: {} }) }),
    R("api.v1.attempts.$attemptId.ts", "loader", owner("ok", true), { params: { attemptId: w.a2.id } }),
    R("api.v1.attempts.$attemptId.ts", "action", NOT_ALLOWED_METHOD, { params: { attemptId: w.a2.id }, body: () => ({ json: {} }) }),
    R("api.v1.attempts.$attemptId.answers.$questionId.ts", "loader", NOT_ALLOWED_METHOD, { params: { attemptId: w.a2.id, questionId: w.a2.questionIds[0] } }),
    R("api.v1.attempts.$attemptId.answers.$questionId.ts", "action", owner("ok", true), {
      method: "PUT",
      params: { attemptId: w.a2.id, questionId: w.a2.questionIds[0] },
      body: () => ({ json: { optionId: w.a2.options[0][1] } }),
    }),
    R("api.v1.attempts.$attemptId.events.ts", "loader", NOT_ALLOWED_METHOD, { params: { attemptId: w.a2.id } }),
    R("api.v1.attempts.$attemptId.events.ts", "action", owner(202, true), { params: { attemptId: w.a2.id }, body: () => ({ json: { type: "blur", at: new Date().toISOString() } }) }),
    R("api.v1.attempts.$attemptId.submit.ts", "loader", NOT_ALLOWED_METHOD, { params: { attemptId: w.a2.id } }),
    R("api.v1.attempts.$attemptId.submit.ts", "action", owner("ok", true), {
      params: async (_x, allowed) => ({ attemptId: allowed ? (await freshLive(w.p.owner)).id : w.a2.id }),
      body: () => ({ json: { prediction: 3 } }),
    }),
    // Organizers' API
    R("api.v1.admin.banks.ts", "loader", api(ORG)),
    R("api.v1.admin.banks.ts", "action", api(ORG, 201), { body: () => ({ json: { name: `Ngân hàng ${uniq()}` } }) }),
    R("api.v1.admin.banks.$bankId.questions.ts", "loader", api(ORG), { params: bank }),
    R("api.v1.admin.banks.$bankId.questions.ts", "action", NOT_ALLOWED_METHOD, { params: bank, body: () => ({ json: {} }) }),
    R("api.v1.admin.banks.$bankId.import.ts", "loader", NOT_ALLOWED_METHOD, { params: bank }),
    R("api.v1.admin.banks.$bankId.import.ts", "action", api(ORG), { params: bank, body: () => ({ multipart: [{ name: "file", value: csv(), filename: "cau-hoi.csv" }] }) }),
    R("api.v1.admin.rounds.ts", "loader", api(ORG)),
    R("api.v1.admin.rounds.ts", "action", api(ORG, 201), { body: () => ({ json: roundJson(w.bankId, w.contestOpen) }) }),
    R("api.v1.admin.rounds.$roundId.ts", "loader", api(ORG), { params: roundOpen }),
    R("api.v1.admin.rounds.$roundId.ts", "action", api(ORG), {
      method: "PUT",
      params: async (_x, allowed) => ({ roundId: allowed ? await freshUpcoming() : w.roundUpcoming }),
      body: () => ({ json: roundJson(w.bankId, w.contestOpen) }),
    }),
    // Judges' API
    R("api.v1.judge.rounds.$roundId.ranking.ts", "loader", api(JUD), { params: roundClosed }),
    R("api.v1.judge.rounds.$roundId.ranking.ts", "action", NOT_ALLOWED_METHOD, { params: roundClosed, body: () => ({ json: {} }) }),
    R("api.v1.judge.rounds.$roundId.flags.ts", "loader", api(JUD), { params: roundOpen }),
    R("api.v1.judge.rounds.$roundId.flags.ts", "action", NOT_ALLOWED_METHOD, { params: roundOpen, body: () => ({ json: {} }) }),
    R("api.v1.judge.rounds.$roundId.awards[.]xlsx.ts", "loader", api(JUD), { params: roundClosed }),
    R("api.v1.judge.rounds.$roundId.awards[.]xlsx.ts", "action", NOT_ALLOWED_METHOD, { params: roundClosed, body: () => ({ json: {} }) }),
    R("api.v1.judge.rounds.$roundId.awards[.]csv.ts", "loader", api(JUD), { params: roundClosed }),
    R("api.v1.judge.rounds.$roundId.awards[.]csv.ts", "action", NOT_ALLOWED_METHOD, { params: roundClosed, body: () => ({ json: {} }) }),
    R("api.v1.judge.rounds.$roundId.certificates[.]pdf.ts", "loader", api(JUD), { params: roundClosed }),
    R("api.v1.judge.rounds.$roundId.certificates[.]pdf.ts", "action", NOT_ALLOWED_METHOD, { params: roundClosed, body: () => ({ json: {} }) }),
    R("api.v1.judge.contests.$contestId.ranking.ts", "loader", api(JUD), { params: contestClosed }),
    R("api.v1.judge.contests.$contestId.ranking.ts", "action", NOT_ALLOWED_METHOD, { params: contestClosed, body: () => ({ json: {} }) }),
    R("api.v1.judge.contests.$contestId.awards[.]xlsx.ts", "loader", api(JUD), { params: contestClosed }),
    R("api.v1.judge.contests.$contestId.awards[.]xlsx.ts", "action", NOT_ALLOWED_METHOD, { params: contestClosed, body: () => ({ json: {} }) }),
    R("api.v1.judge.contests.$contestId.awards[.]csv.ts", "loader", api(JUD), { params: contestClosed }),
    R("api.v1.judge.contests.$contestId.awards[.]csv.ts", "action", NOT_ALLOWED_METHOD, { params: contestClosed, body: () => ({ json: {} }) }),
    R("api.v1.judge.contests.$contestId.certificates[.]pdf.ts", "loader", api(JUD), { params: contestClosed }),
    R("api.v1.judge.contests.$contestId.certificates[.]pdf.ts", "action", NOT_ALLOWED_METHOD, { params: contestClosed, body: () => ({ json: {} }) }),
    R("api.v1.judge.attempts.$attemptId.clear.ts", "loader", NOT_ALLOWED_METHOD, { params: { attemptId: w.b1 } }),
    R("api.v1.judge.attempts.$attemptId.clear.ts", "action", api(JUD), { params: { attemptId: w.b1 }, body: () => ({ json: { reason: "Đã xem xét, không vi phạm" } }) }),
    R("api.v1.judge.attempts.$attemptId.void.ts", "loader", NOT_ALLOWED_METHOD, { params: { attemptId: w.a1 } }),
    R("api.v1.judge.attempts.$attemptId.void.ts", "action", api(JUD), {
      params: async (_x, allowed) => ({ attemptId: allowed ? await freshSubmitted() : w.a1 }),
      body: () => ({ json: { reason: "Vi phạm quy chế thi" } }),
    }),
    R("api.v1.judge.exports.verify.ts", "loader", NOT_ALLOWED_METHOD),
    R("api.v1.judge.exports.verify.ts", "action", api(JUD), { body: () => ({ multipart: [{ name: "file", value: "Họ và tên\r\n", filename: "giai-thuong.csv" }] }) }),
  ];
}

// ---------------------------------------------------------------------------------------------
// One cell
// ---------------------------------------------------------------------------------------------

interface Outcome {
  status: number;
  location: string | null;
  text: string;
}

async function textOf(res: Response): Promise<string> {
  const type = res.headers.get("Content-Type") ?? "";
  if (type.includes("spreadsheetml")) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await res.arrayBuffer()) as never);
    const cells: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((r) => r.eachCell((c) => cells.push(String(c.text ?? "")))));
    return cells.join("\n");
  }
  if (type.includes("pdf")) return `%PDF (${(await res.arrayBuffer()).byteLength} bytes)`;
  return res.text();
}

const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? String(x) : x)) ?? "";

async function outcomeOf(run: () => unknown): Promise<Outcome> {
  let r: unknown;
  try {
    r = await run();
  } catch (e) {
    if (e instanceof Response) r = e;
    else throw e;
  }
  if (r instanceof Response) return { status: r.status, location: r.headers.get("Location"), text: await textOf(r) };
  if (r !== null && typeof r === "object" && (r as { type?: unknown }).type === "DataWithResponseInit") {
    const d = r as { data: unknown; init: ResponseInit | null };
    const headers = new Headers(d.init?.headers);
    return { status: d.init?.status ?? 200, location: headers.get("Location"), text: json(d.data) };
  }
  return { status: 200, location: null, text: json(r) };
}

function matches(e: Expect, o: Outcome): boolean {
  if (e === "ok") return o.status >= 200 && o.status < 300;
  if (e === "login") return o.status >= 300 && o.status < 400 && /^\/login\?redirectTo=/.test(o.location ?? "");
  if (e instanceof RegExp) return o.status >= 300 && o.status < 400 && e.test(o.location ?? "");
  return o.status === e;
}
const isDenial = (e: Expect) => e === "login" || e === 401 || e === 403 || e === 404;

function requestOf(row: Row, url: string, cookie: string | null, body: Body | null): Request {
  const headers = new Headers({ Origin: ORIGIN, "User-Agent": "access-matrix" });
  if (cookie) headers.set("Cookie", cookie);
  let payload: BodyInit | undefined;
  if (body && "json" in body) {
    headers.set("Content-Type", "application/json");
    payload = JSON.stringify(body.json);
  } else if (body && "form" in body) {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(body.form)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
    headers.set("Content-Type", "application/x-www-form-urlencoded");
    payload = p.toString();
  } else if (body && "multipart" in body) {
    const f = new FormData();
    for (const part of body.multipart) {
      if (part.filename !== undefined) f.append(part.name, new File([part.value], part.filename, { type: "text/csv" }));
      else f.append(part.name, part.value);
    }
    payload = f;
  }
  const method = row.method ?? (row.fn === "loader" ? "GET" : "POST");
  return new Request(`${ORIGIN}${url}`, { method, headers, body: payload });
}

// ---------------------------------------------------------------------------------------------
// What each reader must never see
// ---------------------------------------------------------------------------------------------

const ddmmyyyy = (iso: string) => iso.split("-").reverse().join("/");

/** Everything a response must not contain for this reader. */
function forbiddenFor(w: Who): [string, string | RegExp][] {
  const out: [string, string | RegExp][] = [
    ["a password hash", /"passwordHash"\s*:|scrypt\$\d+\$\d+\$/],
    ["a session id", /"sid"\s*:/],
  ];
  const people: [Exclude<Who, "anon">, Person, Who][] = [
    ["owner", W.p.owner, "officerSame"],
    ["other", W.p.other, "officerOther"],
  ];
  for (const [name, p, officer] of people) {
    if (w === name || JUD.includes(w)) continue;
    out.push([`${name}'s CCCD`, p.nationalId!], [`${name}'s phone`, p.phone!], [`${name}'s birth date`, p.birthDate!], [`${name}'s birth date`, ddmmyyyy(p.birthDate!)]);
    if (w !== officer) out.push([`${name}'s full name`, p.fullName]);
  }
  // While the round is open, nothing a contestant (or anyone without a staff role) can read tells the right answer.
  if (w === "anon" || CONTESTANTS.includes(w) || OFFICERS.includes(w)) {
    out.push(["an answer key field", /"(?:isCorrect|correct|correctOption(?:Id)?|answerKey|correctAnswer)"\s*:/]);
    out.push(["an explanation of the open round", W.markerOpen]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// A denied request changes nothing
// ---------------------------------------------------------------------------------------------

/** The database's state as the rows below see it; `withLogs: false` leaves out the audit log (a download's record). */
async function snapshot(withLogs = true): Promise<string> {
  const d = db();
  const keys = [W.roundClosed, W.roundDraft, contestKey(W.contestClosed), contestKey(W.contestDraft)];
  const [attempts, answerCount, answers, events, banks, questions, rounds, jobs, plans, awards, audit, users, sessions, a1, a2, upcoming] = await Promise.all([
    d.attempt.count(),
    d.answer.count(),
    d.answer.findMany({ where: { attemptId: W.a2.id }, select: { questionId: true, optionId: true }, orderBy: { questionId: "asc" } }),
    d.attemptEvent.count(),
    d.questionBank.count(),
    d.question.count(),
    d.round.count(),
    d.importJob.findMany({ where: { createdById: W.p.organizer.id }, select: { id: true, status: true }, orderBy: { id: "asc" } }),
    d.awardPlan.findMany({ where: { roundId: { in: keys } }, select: { roundId: true, status: true, plan: true }, orderBy: { roundId: "asc" } }),
    d.award.count(),
    d.auditLog.count(),
    d.user.count(),
    d.session.count(),
    d.attempt.findUnique({ where: { id: W.a1 }, select: { status: true, reviewedAt: true, voidReason: true } }),
    d.attempt.findUnique({ where: { id: W.a2.id }, select: { status: true, prediction: true } }),
    d.round.findUnique({ where: { id: W.roundUpcoming }, select: { opensAt: true, closesAt: true, name: true } }),
  ]);
  return json({ attempts, answerCount, answers, events, banks, questions, rounds, jobs, plans, awards, audit: withLogs ? audit : null, users, sessions, a1, a2, upcoming });
}

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

const cells = { total: 0, allowed: 0 };
// This run's client address: on PostgreSQL the rate-limit counters outlive the run (a table).
const CLIENT_IP = `2001:db8::${uniq()}`;

beforeAll(async () => {
  const t0 = Date.now();
  const d = db();
  // Contests made before the open one: rounds made without a contest join the newest, which must be contestOpen.
  const contestClosed = (await d.contest.create({ data: { title: `Cuộc thi đã khép lại ${uniq()}`, description: "" } })).id;
  const contestDraft = (await d.contest.create({ data: { title: `Cuộc thi chờ trao giải ${uniq()}`, description: "" } })).id;
  const contestOpen = (await d.contest.create({ data: { title: `Cuộc thi đang mở ${uniq()}`, description: "" } })).id;
  const p = {
    owner: await contestant("21583"),
    other: await contestant("23938"),
    officerSame: await staff("commune_officer", "21583"),
    officerOther: await staff("commune_officer", "23938"),
    organizer: await staff("organizer"),
    judge: await staff("judge"),
    admin: await staff("admin"),
  };
  const loginTarget = await contestant("21583");
  const open = await bankWith(12);
  const closedBank = await bankWith(6);
  const roundOpen = await round(open.bankId, { contestId: contestOpen, questionCount: 4, maxAttempts: 50, revealAnswers: "after_close" });
  const roundUpcoming = await round(open.bankId, { contestId: contestOpen, questionCount: 2, upcoming: true });
  const roundClosed = await round(closedBank.bankId, { contestId: contestClosed, questionCount: 4 });
  const roundDraft = await round(closedBank.bankId, { contestId: contestDraft, questionCount: 4 });
  for (const r of [roundClosed.id, roundDraft.id]) {
    await play(r, p.owner, { right: 4 });
    await play(r, p.other, { right: 2 });
    await closeRound(r);
  }
  const now = new Date();
  const plan = prizePlanSchema.parse({ tiers: [{ name: "Giải Nhất", count: 1 }, { name: "Giải Nhì", count: 1 }] });
  await savePlan(roundClosed.id, plan, p.judge, now);
  await publish(roundClosed.id, p.judge, now);
  await savePlan(contestKey(contestClosed), plan, p.judge, now);
  await publish(contestKey(contestClosed), p.judge, now);
  const a1 = (await play(roundOpen.id, p.owner, { right: 3 })).attemptId;
  const b1 = (await play(roundOpen.id, p.other, { right: 2 })).attemptId;
  const a2 = await liveAttempt(roundOpen.id, p.owner);
  await liveAttempt(roundOpen.id, p.other);
  W = {
    p,
    loginTarget,
    contestOpen,
    contestClosed,
    contestDraft,
    roundOpen: roundOpen.id,
    markerOpen: open.marker,
    roundClosed: roundClosed.id,
    roundDraft: roundDraft.id,
    roundUpcoming: roundUpcoming.id,
    bankId: open.bankId,
    questionId: open.questionIds[0],
    a1,
    a2: { id: a2.id, questionIds: a2.questions.map((q) => q.id), options: a2.questions.map((q) => q.options.map((o) => o.id)) },
    b1,
  };
  // The answer the owner's cell saves is the one already saved: a denied save would show as a change.
  await d.answer.deleteMany({ where: { attemptId: a2.id } });
  console.log(`[access-matrix] world ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}, 120_000);

describe("access control matrix", () => {
  // The rows are built once the world exists; vitest needs the test names now, so one test per
  // route file and function is declared from a static list and looks its row up when it runs.
  const declared = routeFiles().flatMap((file) => (["loader", "action"] as const).map((fn) => ({ file, fn })));
  for (const { file, fn } of declared) {
    it(`${file} ${fn}`, async () => {
      const mod = moduleOf(file);
      const rows = table().filter((r) => r.file === file && r.fn === fn);
      if (typeof mod[fn] !== "function") {
        expect(rows, `${file} has no ${fn}, but the table has a row for it`).toEqual([]);
        return;
      }
      expect(rows.length, `${file} exports a ${fn} with no row in the access table: decide who may use it`).toBe(1);
      const row = rows[0];
      const problems: string[] = [];
      for (const w of WHO) {
        const expected = row.rule(w);
        const allowed = !isDenial(expected) && expected !== 405;
        const params = typeof row.params === "function" ? await row.params(w, allowed) : (row.params ?? {});
        const url = urlOf(file, params) + (row.query ?? "");
        const person = w === "anon" ? null : W.p[w];
        const cookie = person ? (row.fresh ? await freshCookie(person) : person.cookie) : null;
        const body = row.body ? row.body(w, params) : null;
        const request = requestOf(row, url, cookie, body);
        const before = isDenial(expected) || expected === 405 ? await snapshot() : null;
        // No state change on GET, allowed or not (a download may add to the audit log, nothing else).
        const beforeGet = fn === "loader" ? await snapshot(false) : null;
        let got: Outcome;
        try {
          got = await outcomeOf(() => mod[fn]!({ request, params, context: { ip: CLIENT_IP } }));
        } catch (e) {
          problems.push(`${w}: threw ${(e as Error).stack?.split("\n").slice(0, 3).join(" ")}`);
          continue;
        }
        cells.total++;
        if (allowed) cells.allowed++;
        const shown = (e: Expect) => (e instanceof RegExp ? `a redirect to ${e}` : String(e));
        if (!matches(expected, got)) problems.push(`${w}: expected ${shown(expected)}, got ${got.status}${got.location ? ` → ${got.location}` : ""} ${got.text.slice(0, 160)}`);
        for (const [what, needle] of forbiddenFor(w)) {
          const hit = typeof needle === "string" ? got.text.includes(needle) : needle.test(got.text);
          if (hit) problems.push(`${w}: ${what} in the answer (${got.status})`);
        }
        if (before !== null) {
          const after = await snapshot();
          if (after !== before) problems.push(`${w}: a refused request changed the database`);
        }
        if (beforeGet !== null && (await snapshot(false)) !== beforeGet) problems.push(`${w}: a GET changed the database`);
      }
      expect(problems, `${file} ${fn} (${describeRule(row.rule)}):\n${problems.join("\n")}`).toEqual([]);
    });
  }

  it("has no row for a route file that is gone", () => {
    const files = new Set(routeFiles());
    expect(table().filter((r) => !files.has(r.file)).map((r) => `${r.file} ${r.fn}`)).toEqual([]);
    console.log(`[access-matrix] ${cells.total} route × role cells, ${cells.allowed} of them allowed`);
    expect(cells.total).toBeGreaterThan(800);
  });
});
