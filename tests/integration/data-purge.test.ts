// npm run data:purge: after a contest's complaint windows, non-winners' personal data is
// anonymised; attempts, answers, standings and winners stay.
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { maskName } from "~/domain/names";
import { validateRegistration } from "~/domain/registration";
import { purgeContestPersonalData } from "~/models/privacy.server";
import { createContestant, verifyLogin } from "~/models/user.server";
import { db } from "~/utils/db.server";
import { newContestant } from "./helpers";

const DAY = 24 * 60 * 60 * 1000;

async function contestant() {
  const input = newContestant({ email: `ts.${randomUUID().slice(0, 8)}@example.vn`, workplace: "UBND phường Quy Nhơn" });
  const check = validateRegistration(input, "2025-11-01");
  if (!check.ok) throw new Error(JSON.stringify(check.fields));
  const user = await createContestant(check.value, { ip: "203.0.113.9", deviceId: "dev-1" });
  return { ...user, input };
}

/** A contest with one closed round, three contestants with a closed attempt each, one winner. */
async function world(opts: { closedDaysAgo: number; publishedDaysAgo: number | null; complaintDays: number }) {
  const now = Date.now();
  const tag = randomUUID().slice(0, 8);
  const contest = await db().contest.create({ data: { title: `Cuộc thi lưu trữ ${tag}`, description: "" } });
  const bank = await db().questionBank.create({ data: { name: `Ngân hàng ${tag}` } });
  const closesAt = new Date(now - opts.closedDaysAgo * DAY);
  const round = await db().round.create({
    data: {
      contestId: contest.id,
      name: `Vòng ${tag}`,
      opensAt: new Date(closesAt.getTime() - 7 * DAY),
      closesAt,
      durationSeconds: 600,
      questionCount: 1,
      bankId: bank.id,
    },
  });
  const people = [await contestant(), await contestant(), await contestant()];
  // Registered before the round (the accounts are made now, so their creation time is moved back).
  await db().user.updateMany({ where: { id: { in: people.map((p) => p.id) } }, data: { createdAt: new Date(closesAt.getTime() - 10 * DAY) } });
  for (const [i, p] of people.entries()) {
    const startedAt = new Date(closesAt.getTime() - DAY);
    const attempt = await db().attempt.create({
      data: {
        roundId: round.id,
        userId: p.id,
        number: 1,
        status: "submitted",
        seed: "s",
        startedAt,
        deadlineAt: new Date(startedAt.getTime() + 600_000),
        closedAt: new Date(startedAt.getTime() + 60_000),
        correctCount: 1 - (i % 2),
        questionCount: 1,
        durationMs: 60_000,
        ip: "203.0.113.10",
        userAgent: "Mozilla/5.0 (Linux; Android 10)",
        deviceId: "dev-1",
      },
    });
    await db().answer.create({ data: { attemptId: attempt.id, questionId: `q-${tag}`, optionId: "o", savedAt: startedAt, ip: "203.0.113.11" } });
    await db().standing.create({
      data: {
        roundId: round.id,
        userId: p.id,
        attemptId: attempt.id,
        communeCode: "21583",
        group: "citizen",
        correctCount: 1 - (i % 2),
        questionCount: 1,
        durationMs: 60_000,
        closedAt: attempt.closedAt!,
        attemptCount: 1,
      },
    });
  }
  const plan = await db().awardPlan.create({
    data: {
      roundId: round.id,
      plan: "{}",
      complaintDays: opts.complaintDays,
      status: opts.publishedDaysAgo === null ? "draft" : "published",
      publishedAt: opts.publishedDaysAgo === null ? null : new Date(now - opts.publishedDaysAgo * DAY),
    },
  });
  const winner = people[0];
  await db().award.create({ data: { planId: plan.id, roundId: round.id, userId: winner.id, attemptId: "a", tier: "Giải Nhất", tierOrder: 0, rank: 1 } });
  const session = await db().session.create({ data: { userId: people[1].id, expiresAt: new Date(now + DAY) } });
  return { contest, round, people, winner, losers: people.slice(1), session };
}

const today = () => new Date();
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);

describe("purgeContestPersonalData", () => {
  it("anonymises non-winners once the complaint window is over; attempts, answers, standings and winners stay", async () => {
    const w = await world({ closedDaysAgo: 100, publishedDaysAgo: 90, complaintDays: 5 });
    const dry = await purgeContestPersonalData({ contestId: w.contest.id, before: daysAgo(30), now: today(), dryRun: true });
    expect(dry).toMatchObject({ refusals: [], participants: 3, winners: 1, anonymised: 2 });
    expect(await db().user.count({ where: { id: { in: w.losers.map((l) => l.id) }, nationalId: null } })).toBe(0); // a dry run changes nothing

    const r = await purgeContestPersonalData({ contestId: w.contest.id, before: daysAgo(30), now: today() });
    expect(r).toMatchObject({ refusals: [], participants: 3, winners: 1, activeLater: 0, anonymised: 2 });

    for (const l of w.losers) {
      const u = await db().user.findUniqueOrThrow({ where: { id: l.id } });
      expect(u).toMatchObject({
        fullName: maskName(l.input.fullName),
        nationalId: null,
        phone: null,
        email: null,
        birthDate: null,
        workplace: null,
        registrationIp: null,
        registrationDevice: null,
        communeCode: "21583",
        group: "citizen",
      });
      expect(JSON.stringify(u)).not.toContain(l.input.nationalId);
      // No way back in, and the open session is gone.
      expect(await verifyLogin({ kind: "phone", value: l.input.phone }, l.input.password)).toBeNull();
      expect(await db().session.count({ where: { userId: l.id } })).toBe(0);
      // The contest's record stays: attempt (without address and device), answers, standing.
      const attempts = await db().attempt.findMany({ where: { userId: l.id }, include: { answers: true } });
      expect(attempts).toHaveLength(1);
      expect(attempts[0]).toMatchObject({ status: "submitted", ip: null, userAgent: null, deviceId: null, durationMs: 60_000 });
      expect(attempts[0].answers.map((a) => a.ip)).toEqual([null]);
      expect(await db().standing.count({ where: { userId: l.id, roundId: w.round.id } })).toBe(1);
    }
    const winner = await db().user.findUniqueOrThrow({ where: { id: w.winner.id } });
    expect(winner).toMatchObject({ fullName: w.winner.input.fullName, nationalId: w.winner.input.nationalId, phone: w.winner.input.phone });
    expect(await verifyLogin({ kind: "phone", value: w.winner.input.phone }, w.winner.input.password)).not.toBeNull();
    expect(await db().auditLog.count({ where: { action: "privacy.purge", entityId: w.contest.id } })).toBe(1);

    // Running it again finds nothing left to do.
    expect(await purgeContestPersonalData({ contestId: w.contest.id, before: daysAgo(30), now: today() })).toMatchObject({
      anonymised: 0,
      alreadyAnonymised: 2,
    });
  });

  it("refuses while the complaint window is open at the cut-off, or the results are not published", async () => {
    const open = await world({ closedDaysAgo: 10, publishedDaysAgo: 3, complaintDays: 5 });
    const r = await purgeContestPersonalData({ contestId: open.contest.id, before: today(), now: today() });
    expect(r.refusals.join("\n")).toContain("complaint window");
    expect(r.anonymised).toBe(0);
    const unpublished = await world({ closedDaysAgo: 100, publishedDaysAgo: null, complaintDays: 5 });
    expect((await purgeContestPersonalData({ contestId: unpublished.contest.id, before: daysAgo(1), now: today() })).refusals.join("\n")).toContain(
      "not published",
    );
    // A cut-off before the round closed, or in the future.
    const done = await world({ closedDaysAgo: 100, publishedDaysAgo: 90, complaintDays: 5 });
    expect((await purgeContestPersonalData({ contestId: done.contest.id, before: daysAgo(120), now: today() })).refusals.join("\n")).toContain("closes");
    expect((await purgeContestPersonalData({ contestId: done.contest.id, before: new Date(Date.now() + DAY), now: today() })).refusals.join("\n")).toContain(
      "future",
    );
    for (const w of [open, unpublished, done]) {
      expect(await db().user.count({ where: { id: { in: w.losers.map((l) => l.id) }, nationalId: null } })).toBe(0);
    }
  });

  it("keeps contestants who took an attempt on or after the cut-off", async () => {
    const w = await world({ closedDaysAgo: 100, publishedDaysAgo: 90, complaintDays: 5 });
    const [active, inactive] = w.losers;
    // The active one also took part in a later round (another contest).
    const later = await db().attempt.findFirstOrThrow({ where: { userId: active.id } });
    await db().attempt.create({
      data: { roundId: later.roundId, userId: active.id, number: 2, seed: "s", startedAt: daysAgo(5), deadlineAt: daysAgo(5), questionCount: 1 },
    });
    const r = await purgeContestPersonalData({ contestId: w.contest.id, before: daysAgo(30), now: today() });
    expect(r).toMatchObject({ activeLater: 1, anonymised: 1 });
    expect((await db().user.findUniqueOrThrow({ where: { id: active.id } })).phone).toBe(active.input.phone);
    expect((await db().user.findUniqueOrThrow({ where: { id: inactive.id } })).phone).toBeNull();
  });
});

describe("npm run data:purge", () => {
  it("anonymises from the command line, refuses bad usage", { timeout: 120_000 }, async () => {
    const w = await world({ closedDaysAgo: 100, publishedDaysAgo: 90, complaintDays: 5 });
    const root = path.resolve(__dirname, "..", "..");
    const cli = (...a: string[]) =>
      spawnSync(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/data-purge.ts", ...a], { cwd: root, env: { ...process.env, NODE_ENV: "test" }, encoding: "utf8" });
    const cutoff = daysAgo(30).toISOString().slice(0, 10);
    const dry = cli("--contest", w.contest.id, "--before", cutoff, "--dry-run");
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain("Dry run: would anonymise 2 contestant(s) of 3.");
    const ok = cli("--contest", w.contest.id, "--before", cutoff);
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain("✓ Anonymised 2 contestant(s) of 3.");
    expect(await db().user.count({ where: { id: { in: w.losers.map((l) => l.id) }, phone: null } })).toBe(2);
    expect(cli("--contest", w.contest.id).status).toBe(2);
    expect(cli("--contest", w.contest.id, "--before", "2026-02-30").status).toBe(2);
    const refused = cli("--contest", "no-such-contest", "--before", cutoff);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("no contest");
  });
});
