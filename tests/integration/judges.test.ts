import { randomBytes, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, inject, it, vi } from "vitest";
import type { QuestionDraft } from "~/domain/questions";
import { saveAnswer, startAttempt, submitAttempt, recordEvent } from "~/models/attempt.server";
import { PEER_LIMIT, PEER_WINDOW_MS } from "~/domain/flags";
import { checkAttemptFlags, checkPendingFlags, peersOf } from "~/models/flag.server";
import { createBank, insertQuestions } from "~/models/question-bank.server";
import { createRound } from "~/models/round.server";
import { upsertStaff } from "~/models/user.server";
import * as resultPage from "~/routes/attempts.$attemptId_.result";
import * as loginApi from "~/routes/api.v1.auth.login";
import * as registerApi from "~/routes/api.v1.auth.register";
import * as clearApi from "~/routes/api.v1.judge.attempts.$attemptId.clear";
import * as voidApi from "~/routes/api.v1.judge.attempts.$attemptId.void";
import * as flagsApi from "~/routes/api.v1.judge.rounds.$roundId.flags";
import * as evidencePage from "~/routes/judge.attempts.$attemptId";
import * as queuePage from "~/routes/judge.rounds.$roundId";
import { db } from "~/utils/db.server";
import { args, cookieOf, loginBody, newContestant, req } from "./helpers";

const SYSTEM = { id: null };
const MIN = 60_000;
const uniq = () => randomBytes(4).toString("hex");

/** A bank as large as the draw, so every attempt has the same 20 questions (the same-answers rule can compare). */
async function roundWithFullBank() {
  const tag = uniq();
  const drafts: QuestionDraft[] = Array.from({ length: 20 }, (_, i) => ({
    topic: "Chính phủ số",
    text: `Câu ${tag} số ${i + 1}?`,
    options: ["Một", "Hai", "Ba", "Bốn"],
    correct: i % 4,
    explanation: "Vì vậy.",
    difficulty: "medium",
    source: "",
  }));
  const bank = await createBank({ name: `NH ${tag}` }, SYSTEM);
  await db().$transaction((tx) => insertQuestions(tx, bank.id, drafts, SYSTEM));
  const now = Date.now();
  return createRound(
    {
      name: `Vòng ${tag}`,
      description: "",
      opensAt: new Date(now - 120 * MIN),
      closesAt: new Date(now + 120 * MIN),
      durationSeconds: 1200,
      questionCount: 20,
      maxAttempts: 1,
      bankId: bank.id,
      topics: {},
      difficulty: {},
      eligibleGroups: ["official", "citizen", "student", "business"],
      groupBanks: {},
      prediction: true,
      tieBreak: ["prediction", "duration", "submittedAt"],
      attemptPolicy: "best",
      revealAnswers: "after_close",
      flagRules: {},
    },
    SYSTEM,
    new Date(),
  );
}

async function contestant() {
  const res = await registerApi.action(args(req("/api/v1/auth/register", { json: newContestant() })));
  const { user } = (await res.json()) as { user: { id: string; group: string } };
  return { cookie: cookieOf(res), user: { id: user.id, role: "contestant" as const, group: user.group } };
}

async function staffCookie(role: "judge" | "organizer") {
  const email = `${role}.${uniq()}@example.vn`;
  await upsertStaff({ role, email, password: "mat-khau-can-bo", fullName: "Cán Bộ" });
  return cookieOf(await loginApi.action(args(req("/api/v1/auth/login", { json: loginBody(email, "mat-khau-can-bo") }))));
}

/** Plays an attempt on a simulated clock: `gapMs` between answers, choosing by `pick`. */
async function play(
  roundId: string,
  user: { id: string; role: "contestant"; group: string },
  o: { t0: number; gapMs: number; device?: string; ip?: string; pick: (q: { id: string; options: { id: string }[] }, i: number) => string },
) {
  const { attempt } = await startAttempt({ roundId, user, now: new Date(o.t0), deviceId: o.device ?? null, ip: o.ip ?? "10.0.0.1", userAgent: "Mozilla/5.0 (Linux; Android 13) Chrome/120" });
  let t = o.t0;
  for (const [i, q] of attempt.questions.entries()) {
    t += o.gapMs;
    await saveAnswer(attempt.id, user.id, q.id, o.pick(q, i), new Date(t), o.ip ?? "10.0.0.1");
  }
  await submitAttempt(attempt.id, user.id, 100, new Date(t + 2_000));
  return attempt;
}

let judge = "";
beforeAll(async () => {
  judge = await staffCookie("judge");
});

describe("flagging rules on real attempts", () => {
  it("flags a scripted bot driving several accounts from one device with the same answers, not a normal contestant", async () => {
    const round = await roundWithFullBank();
    const t0 = Date.now() - 60 * MIN;
    const key = async (qid: string) => (await db().option.findFirstOrThrow({ where: { questionId: qid, correct: true } })).id;
    const device = randomUUID();
    const bots = [];
    for (let b = 0; b < 4; b++) {
      const { user } = await contestant();
      const keyed = new Map<string, string>();
      const a = await startAttempt({ roundId: round.id, user, now: new Date(t0 + b * 1_000), deviceId: device, ip: "203.0.113.7", userAgent: "bot" });
      for (const q of a.attempt.questions) keyed.set(q.id, await key(q.id));
      let t = t0 + b * 1_000;
      for (const q of a.attempt.questions) {
        t += 400;
        await saveAnswer(a.attempt.id, user.id, q.id, keyed.get(q.id)!, new Date(t), "203.0.113.7");
      }
      await submitAttempt(a.attempt.id, user.id, 5, new Date(t + 100));
      bots.push(a.attempt.id);
    }
    // A normal person: 20–40 s a question, on their own phone, some mistakes, leaves the page once for a call.
    const { user: human } = await contestant();
    const h = await play(round.id, human, { t0, gapMs: 27_000, device: randomUUID(), ip: "198.51.100.20", pick: (q, i) => q.options[i % 3].id });
    await recordEvent(h.id, human.id, "hidden", null, null);
    await recordEvent(h.id, human.id, "visible", null, null);

    for (const id of [...bots, h.id]) await checkAttemptFlags(id, new Date());
    const flags = await db().flag.findMany({ where: { roundId: round.id } });
    const rulesOf = (id: string) => flags.filter((f) => f.attemptId === id).map((f) => f.rule).sort();
    for (const id of bots) {
      expect(rulesOf(id)).toEqual(expect.arrayContaining(["too-fast", "shared-device", "same-answers", "impossible-timeline"]));
    }
    expect(rulesOf(h.id)).toEqual([]);
    // Running the rules again changes nothing (one flag per attempt and rule).
    await checkAttemptFlags(bots[0], new Date());
    expect(await db().flag.count({ where: { roundId: round.id } })).toBe(flags.length);
  });

  it("the sweep checks every closed attempt once", async () => {
    const round = await roundWithFullBank();
    const { user } = await contestant();
    const a = await play(round.id, user, { t0: Date.now() - 30 * MIN, gapMs: 1_000, pick: (q) => q.options[0].id });
    // An attempt the rules cannot check (no account behind it), closed before it: logged and skipped.
    const orphan = await db().attempt.create({
      data: { roundId: round.id, userId: `gone-${uniq()}`, number: 1, status: "submitted", seed: "s", startedAt: new Date(Date.now() - 90 * MIN), deadlineAt: new Date(Date.now() - 70 * MIN), closedAt: new Date(Date.now() - 80 * MIN), questionCount: 20 },
    });
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      await checkPendingFlags(new Date(), 10_000);
      expect(logged.mock.calls.map((c) => String(c[0]))).toContain(`[sweep] flags of attempt ${orphan.id}:`);
    } finally {
      logged.mockRestore();
      await db().attempt.delete({ where: { id: orphan.id } }); // not left for another test's sweep
    }
    const row = await db().attempt.findUniqueOrThrow({ where: { id: a.id } });
    expect(row.flagsCheckedAt).not.toBeNull();
    expect(await db().flag.count({ where: { attemptId: a.id, rule: "too-fast" } })).toBe(1);
  });

  // On SQLite a query resolves at once, so without these turns a check (90–120 ms for a process's
  // first) held the only thread from its first query to its last. On PostgreSQL every query waits
  // on the network anyway.
  it.skipIf(inject("engine") !== "sqlite")("hands the event loop back between a check's queries", async () => {
    const round = await roundWithFullBank();
    const { user } = await contestant();
    const a = await play(round.id, user, { t0: Date.now() - 30 * MIN, gapMs: 1_000, pick: (q) => q.options[0].id });
    let turns = 0;
    let checking = true;
    const count = () => {
      if (!checking) return;
      turns++;
      setImmediate(count);
    };
    setImmediate(count);
    const raised = await checkAttemptFlags(a.id, new Date());
    checking = false;
    expect(raised).toContain("too-fast");
    // Three turns while the evidence is read (four when peers' answers are read too), one before the
    // rules run, two per flag raised. Without them: none at all.
    expect(turns).toBeGreaterThanOrEqual(4 + 2 * raised.length);
  });
});

describe("the attempts a closed attempt is compared with", () => {
  it("are the newest 200 closed attempts of its round started within an hour of it or on its device, with their answers", async () => {
    const round = await roundWithFullBank();
    const otherRound = await roundWithFullBank();
    const t0 = Date.now() - 30 * MIN;
    const device = randomUUID();
    let n = 0;
    const attempt = (o: { startedAt: number; status?: string; deviceId?: string; roundId?: string }) => ({
      id: `cpeer${uniq()}${String(n).padStart(4, "0")}`,
      roundId: o.roundId ?? round.id,
      userId: `u${n}`,
      number: ++n,
      status: o.status ?? "submitted",
      seed: "s",
      startedAt: new Date(o.startedAt),
      deadlineAt: new Date(o.startedAt + 20 * MIN),
      closedAt: o.status === "in_progress" ? null : new Date(o.startedAt + 10 * MIN),
      flagsCheckedAt: new Date(), // rows without accounts: not for another test's sweep
      questionCount: 20,
      deviceId: o.deviceId ?? randomUUID(),
    });
    const me = attempt({ startedAt: t0, deviceId: device });
    // More than PEER_LIMIT within the hour, one second apart, the newest first.
    const near = Array.from({ length: PEER_LIMIT + 10 }, (_, i) => attempt({ startedAt: t0 + 20 * MIN - i * 1_000 }));
    const deviceLater = attempt({ startedAt: t0 + 3 * 60 * MIN, deviceId: device }); // newer than all: a peer
    const deviceEarlier = attempt({ startedAt: t0 - 5 * 60 * MIN, deviceId: device }); // older than the newest 200: cut
    const notPeers = [
      attempt({ startedAt: t0 + 21 * MIN, status: "in_progress" }),
      attempt({ startedAt: t0 + 21 * MIN, status: "voided" }),
      attempt({ startedAt: t0 + 21 * MIN, roundId: otherRound.id, deviceId: device }),
      attempt({ startedAt: t0 + 2 * 60 * MIN }), // outside the hour, another device
    ];
    await db().attempt.createMany({ data: [me, ...near, deviceLater, deviceEarlier, ...notPeers] });
    await db().answer.createMany({
      data: ["q1", "q2"].map((questionId, i) => ({ attemptId: near[0].id, questionId, optionId: `o${i}`, savedAt: new Date(t0) })),
    });

    const peers = await peersOf(round.id, me.id, new Date(t0 - PEER_WINDOW_MS), new Date(t0 + PEER_WINDOW_MS), device);
    expect(peers.map((p) => p.id)).toEqual([deviceLater.id, ...near.slice(0, PEER_LIMIT - 1).map((a) => a.id)]);
    expect(peers[1]).toMatchObject({ userId: near[0].userId, startedAt: near[0].startedAt, deviceId: near[0].deviceId });
    expect([...peers[1].choices]).toEqual([["q1", "o0"], ["q2", "o1"]]);
    expect(peers[2].choices.size).toBe(0);

    // With fewer attempts in the hour, the device's older attempt is one of them; without a device, not.
    const few = await peersOf(round.id, me.id, new Date(t0 + 20 * MIN - 2_500), new Date(t0 + 20 * MIN), device);
    expect(few.map((p) => p.id)).toEqual([deviceLater.id, near[0].id, near[1].id, near[2].id, deviceEarlier.id]);
    const noDevice = await peersOf(round.id, me.id, new Date(t0 + 20 * MIN - 2_500), new Date(t0 + 20 * MIN), null);
    expect(noDevice.map((p) => p.id)).toEqual([near[0].id, near[1].id, near[2].id]);
  });
});

describe("the judges' review", () => {
  it("lists flags to judges only; voiding removes the attempt and tells the contestant why; clearing keeps it", async () => {
    const round = await roundWithFullBank();
    const cheat = await contestant();
    const fast = await play(round.id, cheat.user, { t0: Date.now() - 30 * MIN, gapMs: 500, pick: (q) => q.options[0].id });
    const other = await contestant();
    const quick = await play(round.id, other.user, { t0: Date.now() - 29 * MIN, gapMs: 2_000, pick: (q) => q.options[1].id });
    await checkAttemptFlags(fast.id, new Date());
    await checkAttemptFlags(quick.id, new Date());

    const list = (cookie: string) => flagsApi.loader(args(req(`/api/v1/judge/rounds/${round.id}/flags`, { cookie }), { roundId: round.id }));
    const res = await list(judge);
    expect(res.status).toBe(200);
    const flags = (await res.json()) as { attemptId: string; rule: string; severity: string; status: string; detail: Record<string, unknown> }[];
    expect(flags.find((f) => f.attemptId === fast.id && f.rule === "too-fast")).toMatchObject({ status: "open", severity: "medium" });

    // Contestants and organizers cannot reach the queue, pages or API.
    const organizer = await staffCookie("organizer");
    for (const cookie of [cheat.cookie, organizer]) {
      expect((await list(cookie)).status).toBe(403);
      await expect(queuePage.loader(args(req(`/judge/rounds/${round.id}`, { cookie }), { roundId: round.id }))).rejects.toMatchObject({ status: 403 });
      const v = await voidApi.action(args(req(`/api/v1/judge/attempts/${fast.id}/void`, { json: { reason: "thử" }, cookie }), { attemptId: fast.id }));
      expect(v.status).toBe(403);
    }

    // The queue and the evidence page.
    const queue = await queuePage.loader(args(req(`/judge/rounds/${round.id}`, { cookie: judge }), { roundId: round.id }));
    expect(queue.queue.map((g) => g.attempt.id)).toEqual(expect.arrayContaining([fast.id, quick.id]));
    const ev = await evidencePage.loader(args(req(`/judge/attempts/${fast.id}`, { cookie: judge }), { attemptId: fast.id }));
    expect(ev.timeline.filter((t) => t.kind === "answer")).toHaveLength(20);
    // Each answer names its question's number in the attempt as shown (1–20), from the stored draw.
    expect(new Set(ev.timeline.filter((t) => t.kind === "answer").map((t) => t.text))).toEqual(new Set(Array.from({ length: 20 }, (_, i) => String(i + 1))));
    expect(ev.timeline[0]).toMatchObject({ kind: "start", ip: "10.0.0.1" });

    // A reason is mandatory.
    const noReason = await voidApi.action(args(req(`/api/v1/judge/attempts/${fast.id}/void`, { json: { reason: " " }, cookie: judge }), { attemptId: fast.id }));
    expect(noReason.status).toBe(400);

    const voided = await voidApi.action(args(req(`/api/v1/judge/attempts/${fast.id}/void`, { json: { reason: "Làm bài bằng công cụ tự động" }, cookie: judge }), { attemptId: fast.id }));
    expect(voided.status).toBe(200);
    expect(await db().attempt.findUniqueOrThrow({ where: { id: fast.id } })).toMatchObject({ status: "voided", voidReason: "Làm bài bằng công cụ tự động" });
    expect(await db().flag.count({ where: { attemptId: fast.id, status: "voided" } })).toBeGreaterThan(0);
    const log = await db().auditLog.findFirst({ where: { entityType: "attempt", entityId: fast.id, action: "attempt.void" } });
    expect(JSON.parse(log!.detail)).toMatchObject({ reason: "Làm bài bằng công cụ tự động" });
    const again = await voidApi.action(args(req(`/api/v1/judge/attempts/${fast.id}/void`, { json: { reason: "lần hai" }, cookie: judge }), { attemptId: fast.id }));
    expect(again.status).toBe(409);

    // The contestant sees it, with the reason and how to complain.
    const page = await resultPage.loader(args(req(`/attempts/${fast.id}/result`, { cookie: cheat.cookie }), { attemptId: fast.id }));
    expect(page.result.status).toBe("voided");
    expect(page.voidReason).toBe("Làm bài bằng công cụ tự động");

    const cleared = await clearApi.action(args(req(`/api/v1/judge/attempts/${quick.id}/clear`, { json: { reason: "Cán bộ ôn tập kỹ, đã xác minh" }, cookie: judge }), { attemptId: quick.id }));
    expect(cleared.status).toBe(200);
    expect(await db().flag.count({ where: { attemptId: quick.id, status: "open" } })).toBe(0);
    expect((await db().attempt.findUniqueOrThrow({ where: { id: quick.id } })).status).toBe("submitted");
  });

  it("cannot void an attempt still in progress, nor an unknown one", async () => {
    const round = await roundWithFullBank();
    const { user } = await contestant();
    const { attempt } = await startAttempt({ roundId: round.id, user, now: new Date() });
    const r = await voidApi.action(args(req(`/api/v1/judge/attempts/${attempt.id}/void`, { json: { reason: "sớm quá" }, cookie: judge }), { attemptId: attempt.id }));
    expect(r.status).toBe(409);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe("ATTEMPT_IN_PROGRESS");
    const unknown = await voidApi.action(args(req(`/api/v1/judge/attempts/nope/void`, { json: { reason: "không có" }, cookie: judge }), { attemptId: "nope" }));
    expect(unknown.status).toBe(404);
  });
});
