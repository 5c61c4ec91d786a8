// The statistics pages through their route modules, on a crafted round whose every number is known:
// the commune officer's view (own commune only, whatever the URL says), the organizers' dashboard
// and the Excel files of both, the public leaderboard and commune standings pages, and who may see
// what.
import ExcelJS from "exceljs";
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { contestDate } from "~/domain/time";
import type { QuestionDraft } from "~/domain/questions";
import { vi } from "~/i18n/vi";
import { saveAnswer, startAttempt, submitAttempt } from "~/models/attempt.server";
import { createBank, insertQuestions } from "~/models/question-bank.server";
import { createRound } from "~/models/round.server";
import { upsertStaff } from "~/models/user.server";
import * as dashboardXlsx from "~/routes/admin.dashboard.$table[.]xlsx";
import * as dashboardPage from "~/routes/admin.dashboard";
import * as loginApi from "~/routes/api.v1.auth.login";
import * as registerApi from "~/routes/api.v1.auth.register";
import * as officerXlsx from "~/routes/commune.export[.]xlsx";
import * as officerPage from "~/routes/commune";
import * as communesPage from "~/routes/communes";
import * as leaderboardPage from "~/routes/rounds.$roundId_.leaderboard";
import { db } from "~/utils/db.server";
import { args, cookieOf, loginBody, newContestant, req } from "./helpers";

const B = vi.boards;
const SYSTEM = { id: null };
const DAY = 24 * 60 * 60_000;
const uniq = () => randomBytes(4).toString("hex");
const A = "21583"; // Phường Quy Nhơn
const OTHER = "23938"; // Xã Ia Mơ

type Loaded<T extends (...a: never[]) => unknown> = Exclude<Awaited<ReturnType<T>>, Response>;
type Contestant = { id: string; role: "contestant"; group: string; fullName: string; nationalId: string; phone: string; birthDate: string; cookie: string };

async function contestant(communeCode: string, group: string, fullName: string): Promise<Contestant> {
  const data = newContestant({ communeCode, group, fullName, workplace: "Trường THPT Nguyễn Trãi" });
  const res = await registerApi.action(args(req("/api/v1/auth/register", { json: data })));
  expect(res.status, await res.clone().text()).toBe(201);
  const { user } = (await res.json()) as { user: { id: string; group: string } };
  return { id: user.id, role: "contestant", group: user.group, fullName, nationalId: data.nationalId, phone: data.phone, birthDate: data.birthDate, cookie: cookieOf(res) };
}

async function staffCookie(role: "judge" | "organizer" | "commune_officer" | "admin", communeCode?: string) {
  const email = `${role}.${uniq()}@example.vn`;
  await upsertStaff({ role, email, password: "mat-khau-can-bo", fullName: "Cán Bộ Thống Kê", communeCode });
  const res = await loginApi.action(args(req("/api/v1/auth/login", { json: loginBody(email, "mat-khau-can-bo") })));
  expect(res.status).toBe(200);
  return cookieOf(res);
}

/** An instant on a contest day at a Vietnamese wall-clock time. */
const vnTime = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+07:00`);
function minusDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}

/** Plays one attempt on an explicit clock, with exactly `correct` right answers; submits unless `submit` is false. */
async function play(roundId: string, c: Contestant, startedAt: Date, correct: number, o: { submit?: boolean; answered?: number; durationMs?: number } = {}) {
  const { attempt } = await startAttempt({ roundId, user: c, now: startedAt });
  const key = new Map(
    (await db().option.findMany({ where: { questionId: { in: attempt.questions.map((q) => q.id) }, correct: true } })).map((x) => [x.questionId, x.id]),
  );
  const answered = o.answered ?? attempt.questions.length;
  for (const [i, q] of attempt.questions.slice(0, answered).entries()) {
    const right = key.get(q.id)!;
    const option = i < correct ? right : q.options.find((x) => x.id !== right)!.id;
    await saveAnswer(attempt.id, c.id, q.id, option, new Date(startedAt.getTime() + (i + 1) * 1000));
  }
  if (o.submit !== false) await submitAttempt(attempt.id, c.id, null, new Date(startedAt.getTime() + (o.durationMs ?? 60_000)));
  return attempt.id;
}

const Q = 4;
let round: { id: string; name: string };
let people: Record<"c1" | "c2" | "c3" | "c4" | "c5", Contestant>;
let cookies: { officerA: string; officerOther: string; organizer: string; admin: string; judge: string; contestant: string };
let today = "";
let nowHour = 0;

beforeAll(async () => {
  const tag = uniq();
  const drafts: QuestionDraft[] = Array.from({ length: 8 }, (_, i) => ({
    topic: "Cải cách hành chính",
    text: `Câu hỏi thống kê ${tag} số ${i + 1}?`,
    options: ["Phương án một", "Phương án hai", "Phương án ba", "Phương án bốn"],
    correct: i % 4,
    explanation: "Giải thích.",
    difficulty: "medium",
    source: "",
  }));
  const bank = await createBank({ name: `Ngân hàng thống kê ${tag}` }, SYSTEM);
  await db().$transaction((tx) => insertQuestions(tx, bank.id, drafts, SYSTEM));
  const realNow = Date.now();
  round = await createRound(
    {
      name: `Vòng thống kê ${tag}`,
      description: "",
      opensAt: new Date(realNow - 3 * DAY),
      closesAt: new Date(realNow + DAY),
      durationSeconds: 600,
      questionCount: Q,
      maxAttempts: 2,
      bankId: bank.id,
      topics: {},
      difficulty: {},
      eligibleGroups: ["official", "citizen", "student", "business"],
      groupBanks: {},
      prediction: false,
      tieBreak: ["duration", "submittedAt"],
      attemptPolicy: "best",
      revealAnswers: "after_close",
      flagRules: {},
    },
    SYSTEM,
    new Date(),
  );
  people = {
    c1: await contestant(A, "citizen", "Rơ Chăm Thị Yến"),
    c2: await contestant(A, "official", "Đặng Quốc Hùng"),
    c3: await contestant(OTHER, "student", "Võ Thị Ánh Tuyết"),
    c4: await contestant(OTHER, "citizen", "Lê Văn Bảo"),
    c5: await contestant(A, "business", "Huỳnh Ngọc Ánh"),
  };
  cookies = {
    officerA: await staffCookie("commune_officer", A),
    officerOther: await staffCookie("commune_officer", OTHER),
    organizer: await staffCookie("organizer"),
    admin: await staffCookie("admin"),
    judge: await staffCookie("judge"),
    contestant: people.c1.cookie,
  };
  // The attempt being taken "right now" started a minute ago: its day and hour are the ones expected
  // (taken from the present instead, the test failed in the first minute of an hour, in CI at 14:00 UTC).
  const live = new Date(Date.now() - 60_000);
  today = contestDate(live);
  nowHour = Number(new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Ho_Chi_Minh", hour: "2-digit", hourCycle: "h23" }).format(live));
  const d2 = minusDays(today, 2);
  const d1 = minusDays(today, 1);
  const { c1, c2, c3, c4, c5 } = people;
  await play(round.id, c1, vnTime(d2, "09:10"), 4, { durationMs: 90_000 });
  await play(round.id, c2, vnTime(d2, "10:20"), 2);
  await play(round.id, c4, vnTime(d2, "20:05"), 0, { submit: false, answered: 1 }); // left open: past its deadline, never swept
  await play(round.id, c2, vnTime(d1, "14:00"), 3, { durationMs: 120_000 });
  await play(round.id, c3, vnTime(d1, "14:30"), 0);
  await play(round.id, c5, live, 0, { submit: false, answered: 1 }); // taking the round right now
});

const byKey = <T extends object>(rows: T[], key: string) => new Map(rows.map((r) => [(r as Record<string, unknown>)[key] as string | number, r]));

async function status(fn: () => Promise<unknown>): Promise<number | "ok"> {
  try {
    const r = await fn();
    return r instanceof Response ? (r.status === 200 ? "ok" : r.status) : "ok";
  } catch (e) {
    if (e instanceof Response) return e.status;
    throw e;
  }
}

async function sheets(res: Response) {
  expect(res.status).toBe(200);
  expect(res.headers.get("Content-Type")).toContain("spreadsheetml");
  expect(res.headers.get("Content-Disposition")).toMatch(/attachment; filename="[^"]+\.xlsx"; filename\*=UTF-8''/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await res.arrayBuffer()) as never);
  return wb.worksheets.map((ws) => ({
    name: ws.name,
    rows: Array.from(ws.getSheetValues()).slice(1).map((r) => (Array.isArray(r) ? Array.from(r).slice(1).map((v) => v ?? null) : [])),
  }));
}

describe("who may see the statistics", () => {
  it("lets only commune officers see /commune, and only organizers and admins see /admin/dashboard (pages and Excel)", async () => {
    const officerPageAs = (cookie?: string) => status(() => officerPage.loader(args(req(`/commune?round=${round.id}`, { cookie }))));
    const officerFileAs = (cookie?: string) => status(() => officerXlsx.loader(args(req(`/commune/export.xlsx?round=${round.id}`, { cookie }))));
    const dashAs = (cookie?: string) => status(() => dashboardPage.loader(args(req(`/admin/dashboard?round=${round.id}`, { cookie }))));
    const dashFileAs = (cookie?: string) =>
      status(() => dashboardXlsx.loader(args(req(`/admin/dashboard/groups.xlsx?round=${round.id}`, { cookie }), { table: "groups" })));

    for (const c of [cookies.contestant, cookies.judge, cookies.organizer, cookies.admin]) {
      expect(await officerPageAs(c)).toBe(403);
      expect(await officerFileAs(c)).toBe(403);
    }
    for (const c of [cookies.contestant, cookies.judge, cookies.officerA]) {
      expect(await dashAs(c)).toBe(403);
      expect(await dashFileAs(c)).toBe(403);
    }
    expect(await officerPageAs(cookies.officerA)).toBe("ok");
    expect(await officerFileAs(cookies.officerA)).toBe("ok");
    expect(await dashAs(cookies.organizer)).toBe("ok");
    expect(await dashAs(cookies.admin)).toBe("ok");
    expect(await dashFileAs(cookies.admin)).toBe("ok");
    // Anonymous visitors are sent to the login page, and come back afterwards.
    for (const fn of [() => officerPage.loader(args(req("/commune"))), () => dashboardPage.loader(args(req("/admin/dashboard"))), () => officerXlsx.loader(args(req("/commune/export.xlsx")))]) {
      const r = await fn().catch((e: unknown) => e);
      expect(r).toBeInstanceOf(Response);
      expect((r as Response).status).toBe(302);
      expect((r as Response).headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    }
    // An unknown table is a 404, not an error.
    expect(await status(() => dashboardXlsx.loader(args(req(`/admin/dashboard/users.xlsx`, { cookie: cookies.organizer }), { table: "users" })))).toBe(404);
  });

  it("shows an officer without a commune a notice instead of anyone's data", async () => {
    const cookie = await staffCookie("commune_officer");
    const page = (await officerPage.loader(args(req("/commune", { cookie })))) as { noCommune: boolean };
    expect(page.noCommune).toBe(true);
    expect(await status(() => officerXlsx.loader(args(req("/commune/export.xlsx", { cookie }))))).toBe(403);
  });
});

describe("the commune officer's view", () => {
  type View = Extract<Loaded<typeof officerPage.loader>, { noCommune: false }>;
  const view = async (cookie: string, qs = "") => (await officerPage.loader(args(req(`/commune?round=${round.id}${qs}`, { cookie })))) as View;

  it("lists only the officer's own commune, even when the URL names another one", async () => {
    for (const qs of ["", `&commune=${OTHER}`, `&communeCode=${OTHER}`]) {
      const v = await view(cookies.officerA, qs);
      expect(v.commune).toMatchObject({ code: A, name: "Phường Quy Nhơn" });
      const names = v.contestants.rows.map((r) => r.fullName);
      expect(names).toEqual(expect.arrayContaining([people.c1.fullName, people.c2.fullName, people.c5.fullName]));
      expect(names).not.toContain(people.c3.fullName);
      expect(names).not.toContain(people.c4.fullName);
      expect(JSON.stringify(v)).not.toContain(people.c3.fullName);
    }
    const other = await view(cookies.officerOther, `&commune=${A}`);
    expect(other.commune.code).toBe(OTHER);
    expect(other.contestants.rows.map((r) => r.fullName)).toEqual(expect.arrayContaining([people.c3.fullName, people.c4.fullName]));
    expect(JSON.stringify(other)).not.toContain(people.c1.fullName);
  });

  it("shows each contestant's best result, time and attempts, with the phone masked and no CCCD or birth date", async () => {
    const v = await view(cookies.officerA);
    // On a shared PostgreSQL database earlier runs left namesakes; this round's people have attempts in it.
    const mine = v.contestants.rows.filter((r) => r.attempts > 0);
    const rows = byKey(mine, "fullName");
    expect(rows.get(people.c1.fullName)).toMatchObject({ correctCount: 4, questionCount: Q, durationMs: 90_000, attempts: 1, inProgress: false, group: vi.groups.citizen, workplace: "Trường THPT Nguyễn Trãi" });
    expect(rows.get(people.c2.fullName)).toMatchObject({ correctCount: 3, questionCount: Q, durationMs: 120_000, attempts: 2 });
    expect(rows.get(people.c5.fullName)).toMatchObject({ correctCount: null, attempts: 1, inProgress: true });
    // Best first.
    const order = mine.map((r) => r.fullName);
    expect(order.indexOf(people.c1.fullName)).toBeLessThan(order.indexOf(people.c2.fullName));
    expect(order.indexOf(people.c2.fullName)).toBeLessThan(order.indexOf(people.c5.fullName));
    const c1 = rows.get(people.c1.fullName)!;
    expect(c1.phone).toBe(`${people.c1.phone.slice(0, 3)}****${people.c1.phone.slice(-3)}`);
    const text = JSON.stringify(v);
    for (const p of [people.c1, people.c2, people.c5]) {
      expect(text).not.toContain(p.nationalId);
      expect(text).not.toContain(p.phone);
      expect(text).not.toContain(p.birthDate);
    }
    expect(v.summary).toMatchObject({ participants: 3, attempts: 4, finishers: 2, averageCorrect: 3.5, allCorrect: 1, inProgress: 1 });
    const groups = byKey(v.groups!.rows, "group");
    expect(groups.get(vi.groups.official)).toMatchObject({ participants: 1, attempts: 2, finishers: 1, averageCorrect: 3 });
    expect(groups.get(vi.groups.business)).toMatchObject({ participants: 1, attempts: 1, inProgress: 1, finishers: 0, averageCorrect: null });
    expect(groups.get(vi.groups.student)).toMatchObject({ participants: 0, attempts: 0 });
    const days = byKey(v.days!.rows, "day");
    expect(days.get(minusDays(today, 2))).toMatchObject({ contestants: 2, attempts: 2, finished: 2 });
    expect(days.get(minusDays(today, 1))).toMatchObject({ contestants: 1, attempts: 1, finished: 1 });
    expect(days.get(today)).toMatchObject({ contestants: 1, attempts: 1, finished: 0 });
  });

  it("downloads the same list as Excel with Vietnamese intact, and never another commune's rows", async () => {
    const res = await officerXlsx.loader(args(req(`/commune/export.xlsx?round=${round.id}&commune=${OTHER}`, { cookie: cookies.officerA })));
    expect(decodeURIComponent(res.headers.get("Content-Disposition")!.split("UTF-8''")[1])).toContain("Phường Quy Nhơn");
    const [list, days, groups] = await sheets(res);
    expect(list.name).toBe(B.sheetContestants);
    expect(list.rows[0]).toEqual([B.fullName, B.group, B.workplace, B.phone, B.bestCorrect, B.questionCount, B.duration, B.attemptCount]);
    const byName = new Map(list.rows.slice(1).filter((r) => Number(r[7]) > 0).map((r) => [r[0], r]));
    expect([...byName.keys()]).toEqual(expect.arrayContaining([people.c1.fullName, people.c2.fullName, people.c5.fullName]));
    const everyone = list.rows.map((r) => r[0]);
    expect(everyone).not.toContain(people.c3.fullName);
    expect(everyone).not.toContain(people.c4.fullName);
    const c1 = byName.get(people.c1.fullName)!;
    expect(c1.slice(0, 6)).toEqual([people.c1.fullName, vi.groups.citizen, "Trường THPT Nguyễn Trãi", `${people.c1.phone.slice(0, 3)}****${people.c1.phone.slice(-3)}`, 4, Q]);
    // An Excel duration ([m]:ss): exceljs reads it back as a time of day on Excel's day zero.
    expect((c1[6] as Date).getTime() - Date.UTC(1899, 11, 30)).toBe(90_000);
    expect(c1[7]).toBe(1);
    expect(JSON.stringify(list.rows)).not.toContain(people.c1.nationalId);
    expect(byName.get(people.c5.fullName)!.slice(4, 6)).toEqual([null, null]);
    expect(days.name).toBe(B.perDayTitle);
    expect(groups.rows[0][0]).toBe(B.group);
    expect(groups.rows.map((r) => r[0])).toEqual([B.group, ...Object.values(vi.groups)]);
  });
});

describe("the organizers' dashboard", () => {
  type Dash = Loaded<typeof dashboardPage.loader>;
  const load = async () => (await dashboardPage.loader(args(req(`/admin/dashboard?round=${round.id}`, { cookie: cookies.organizer })))) as Dash;

  it("counts participation per day, hour, group and commune, attempts in progress and the score distribution exactly", async () => {
    const d = await load();
    expect(d.round?.id).toBe(round.id);
    const { summary, tables } = d.data!;
    expect(summary).toMatchObject({ participants: 5, attempts: 6, finishers: 3, averageCorrect: 2.33, allCorrect: 1, inProgressRound: 1 });
    expect(summary.inProgressAll).toBeGreaterThanOrEqual(1);

    expect(tables.days.rows).toEqual([
      { day: minusDays(today, 2), contestants: 3, attempts: 3, finished: 2 },
      { day: minusDays(today, 1), contestants: 2, attempts: 2, finished: 2 },
      { day: today, contestants: 1, attempts: 1, finished: 0 },
    ]);

    const hours = new Map<number, number>([[9, 1], [10, 1], [20, 1], [14, 2]]);
    hours.set(nowHour, (hours.get(nowHour) ?? 0) + 1);
    expect(tables.hours.rows).toHaveLength(24);
    tables.hours.rows.forEach((r, h) => {
      expect(r.hour).toBe(B.hourLabel(h));
      expect(r.attempts).toBe(hours.get(h) ?? 0);
    });

    const groups = byKey(tables.groups.rows, "group");
    expect(groups.get(vi.groups.citizen)).toMatchObject({ participants: 2, attempts: 2, inProgress: 0, finishers: 1, averageCorrect: 4, allCorrect: 1 });
    expect(groups.get(vi.groups.official)).toMatchObject({ participants: 1, attempts: 2, inProgress: 0, finishers: 1, averageCorrect: 3, allCorrect: 0 });
    expect(groups.get(vi.groups.student)).toMatchObject({ participants: 1, attempts: 1, inProgress: 0, finishers: 1, averageCorrect: 0, allCorrect: 0 });
    expect(groups.get(vi.groups.business)).toMatchObject({ participants: 1, attempts: 1, inProgress: 1, finishers: 0, averageCorrect: null, allCorrect: 0 });

    expect(tables.distribution.rows).toEqual([
      { correct: 0, contestants: 1, share: 1 / 3, attempts: 1 },
      { correct: 1, contestants: 0, share: 0, attempts: 0 },
      { correct: 2, contestants: 0, share: 0, attempts: 1 },
      { correct: 3, contestants: 1, share: 1 / 3, attempts: 1 },
      { correct: 4, contestants: 1, share: 1 / 3, attempts: 1 },
    ]);

    expect(tables.communes.rows).toHaveLength(135);
    const communes = byKey(tables.communes.rows, "commune");
    expect(communes.get("Phường Quy Nhơn")).toMatchObject({ participants: 3, attempts: 4, inProgress: 1, finishers: 2, averageCorrect: 3.5, allCorrect: 1 });
    expect(communes.get("Xã Ia Mơ")).toMatchObject({ participants: 2, attempts: 2, inProgress: 0, finishers: 1, averageCorrect: 0 });
    expect(tables.communes.rows.slice(0, 2).map((r) => r.commune)).toEqual(["Phường Quy Nhơn", "Xã Ia Mơ"]);
    expect(tables.communes.rows.filter((r) => r.participants === 0)).toHaveLength(133);
  });

  it("writes each table to Excel with the same rows and Vietnamese headers", async () => {
    const d = await load();
    for (const key of ["days", "hours", "communes", "groups", "distribution"] as const) {
      const res = await dashboardXlsx.loader(args(req(`/admin/dashboard/${key}.xlsx?round=${round.id}`, { cookie: cookies.organizer }), { table: key }));
      const [sheet] = await sheets(res);
      const table = d.data!.tables[key];
      expect(sheet.name).toBe(table.title.slice(0, 31));
      expect(sheet.rows[0]).toEqual(table.columns.map((c) => c.label));
      expect(sheet.rows.length - 1).toBe(table.rows.length);
      table.rows.forEach((r, i) => {
        table.columns.forEach((c, j) => {
          const cell = sheet.rows[i + 1][j];
          if (c.format === "duration") expect(cell).toBeCloseTo(Number(r[c.key]) / 86_400_000, 10);
          else if (typeof r[c.key] === "number") expect(cell as number).toBeCloseTo(r[c.key] as number, 10);
          else expect(cell).toBe(r[c.key]);
        });
      });
    }
    const res = await dashboardXlsx.loader(args(req(`/admin/dashboard/communes.xlsx?round=${round.id}`, { cookie: cookies.organizer }), { table: "communes" }));
    const [sheet] = await sheets(res);
    expect(sheet.rows[0]).toContain(B.per10k);
    expect(sheet.rows.map((r) => r[0])).toEqual(expect.arrayContaining(["Phường Quy Nhơn", "Xã Ia Mơ", "Xã Ia Grai"]));
    // A round that does not exist is a 404, never another round's numbers.
    expect(await status(() => dashboardXlsx.loader(args(req(`/admin/dashboard/days.xlsx?round=nope`, { cookie: cookies.organizer }), { table: "days" })))).toBe(404);
  });
});

describe("the public pages", () => {
  it("the round leaderboard carries masked names and communes only, with filters and the contestant's own rank", async () => {
    type Board = Loaded<typeof leaderboardPage.loader>;
    const anon = (await leaderboardPage.loader(args(req(`/rounds/${round.id}/leaderboard`), { roundId: round.id }))) as Board;
    expect(anon.board.final).toBe(false);
    expect(anon.board.entries.map((e) => [e.rank, e.displayName, e.communeCode, e.correctCount])).toEqual([
      [1, "Rơ C. T. Y.", A, 4],
      [2, "Đặng Q. H.", A, 3],
      [3, "Võ T. Á. T.", OTHER, 0],
    ]);
    expect(anon.communes).toHaveLength(135);
    const text = JSON.stringify(anon);
    for (const p of Object.values(people)) {
      for (const secret of [p.fullName, p.nationalId, p.phone, p.birthDate]) expect(text).not.toContain(secret);
    }
    const filtered = (await leaderboardPage.loader(args(req(`/rounds/${round.id}/leaderboard?commune=${OTHER}&group=student`), { roundId: round.id }))) as Board;
    expect(filtered.filter).toEqual({ commune: OTHER, group: "student" });
    expect(filtered.board.entries.map((e) => e.displayName)).toEqual(["Võ T. Á. T."]);
    const mine = (await leaderboardPage.loader(args(req(`/rounds/${round.id}/leaderboard?group=official`, { cookie: people.c2.cookie }), { roundId: round.id }))) as Board;
    expect(mine.board.me).toMatchObject({ rank: 1, of: 1, correctCount: 3 });
    const none = (await leaderboardPage.loader(args(req(`/rounds/${round.id}/leaderboard`, { cookie: people.c3.cookie }), { roundId: round.id }))) as Board;
    expect(none.board.me).toMatchObject({ rank: 3, of: 3 });
    expect(await status(() => leaderboardPage.loader(args(req(`/rounds/nope/leaderboard`), { roundId: "nope" })))).toBe(404);
  });

  it("the commune standings list all 135 communes and sort by any column through the URL", async () => {
    type Page = Loaded<typeof communesPage.loader>;
    const page = (await communesPage.loader(args(req(`/communes?round=${round.id}`)))) as Page;
    expect(page.rows).toHaveLength(135);
    expect(page.rows[0]).toMatchObject({ code: A, participants: 2, attempts: 3 }); // standings: contestants with a closed attempt
    const byName = (await communesPage.loader(args(req(`/communes?round=${round.id}&sort=name&dir=asc`)))) as Page;
    const names = byName.rows.map((r) => r.name.replace(/^(Xã|Phường|Đặc khu) /, ""));
    expect(names).toEqual([...names].sort(new Intl.Collator("vi", { sensitivity: "base", numeric: true }).compare));
    const byAverage = (await communesPage.loader(args(req(`/communes?round=${round.id}&sort=averageCorrect&dir=desc`)))) as Page;
    expect(byAverage.rows[0].code).toBe(A);
    const ascending = (await communesPage.loader(args(req(`/communes?round=${round.id}&sort=participants&dir=asc`)))) as Page;
    expect(ascending.rows[134].code).toBe(A);
    expect(await status(() => communesPage.loader(args(req(`/communes?round=nope`))))).toBe(404);
  });
});
