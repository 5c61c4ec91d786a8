import { describe, expect, it } from "vitest";
import { START_RULES, checkStart, type StartContext } from "../../app/domain/rules";
import { attemptsLeft } from "../../app/domain/rules/attempts-left";
import { eligibleGroup } from "../../app/domain/rules/eligible-group";
import { roundOpen } from "../../app/domain/rules/round-open";
import { staffMayNotCompete } from "../../app/domain/rules/staff-may-not-compete";
import { ROLES } from "../../app/domain/roles";

const opensAt = new Date("2025-10-01T01:00:00Z");
const closesAt = new Date("2025-10-08T01:00:00Z");

/** A context every rule accepts; override what a case needs. */
const ctx = (over: Partial<StartContext> = {}): StartContext => ({
  now: new Date("2025-10-03T12:00:00Z"),
  user: { id: "u1", role: "contestant", group: "citizen" },
  round: { opensAt, closesAt, maxAttempts: 3, eligibleGroups: ["official", "citizen", "student", "business"] },
  attempts: [],
  ...over,
});
const withRound = (r: Partial<StartContext["round"]>, over: Partial<StartContext> = {}) => ctx({ ...over, round: { ...ctx().round, ...r } });
const attempts = (...statuses: string[]) => statuses.map((status) => ({ status }));

describe("staff-may-not-compete", () => {
  it("lets a contestant through", () => {
    expect(staffMayNotCompete.check(ctx())).toBeNull();
  });

  it.each(["organizer", "judge", "commune_officer", "admin"] as const)("refuses %s", (role) => {
    expect(staffMayNotCompete.check(ctx({ user: { id: "s", role, group: "official" } }))).toBe("NOT_ELIGIBLE");
  });

  it("only contestant of all roles passes", () => {
    const passing = ROLES.filter((role) => staffMayNotCompete.check(ctx({ user: { id: "x", role, group: "citizen" } })) === null);
    expect(passing).toEqual(["contestant"]);
  });
});

describe("round-open", () => {
  it("allows from the opening instant", () => {
    expect(roundOpen.check(ctx({ now: opensAt }))).toBeNull();
    expect(roundOpen.check(ctx({ now: new Date(opensAt.getTime() - 1) }))).toBe("ROUND_NOT_OPEN");
  });

  it("allows until 1 ms before closing, refuses at the closing instant", () => {
    expect(roundOpen.check(ctx({ now: new Date(closesAt.getTime() - 1) }))).toBeNull();
    expect(roundOpen.check(ctx({ now: closesAt }))).toBe("ROUND_NOT_OPEN");
    expect(roundOpen.check(ctx({ now: new Date(closesAt.getTime() + 86_400_000) }))).toBe("ROUND_NOT_OPEN");
  });

  it("refuses well before opening and allows in the middle", () => {
    expect(roundOpen.check(ctx({ now: new Date("2025-09-01T00:00:00Z") }))).toBe("ROUND_NOT_OPEN");
    expect(roundOpen.check(ctx())).toBeNull();
  });
});

describe("eligible-group", () => {
  it("lets a member of a listed group through", () => {
    expect(eligibleGroup.check(withRound({ eligibleGroups: ["student", "citizen"] }))).toBeNull();
  });

  it("refuses a group not listed", () => {
    expect(eligibleGroup.check(withRound({ eligibleGroups: ["official"] }))).toBe("NOT_ELIGIBLE");
  });

  it("refuses a user without a group, even when every group is eligible", () => {
    expect(eligibleGroup.check(ctx({ user: { id: "u", role: "contestant", group: null } }))).toBe("NOT_ELIGIBLE");
  });

  it("refuses everyone when no group is listed", () => {
    expect(eligibleGroup.check(withRound({ eligibleGroups: [] }))).toBe("NOT_ELIGIBLE");
  });

  it("matches groups exactly (case-sensitive)", () => {
    expect(eligibleGroup.check(ctx({ user: { id: "u", role: "contestant", group: "Citizen" } }))).toBe("NOT_ELIGIBLE");
  });
});

describe("attempts-left", () => {
  it("allows the first attempt", () => {
    expect(attemptsLeft.check(ctx())).toBeNull();
  });

  it("allows at max − 1 attempts, refuses at max and above", () => {
    expect(attemptsLeft.check(ctx({ attempts: attempts("submitted", "expired") }))).toBeNull();
    expect(attemptsLeft.check(ctx({ attempts: attempts("submitted", "expired", "submitted") }))).toBe("NO_ATTEMPTS_LEFT");
    expect(attemptsLeft.check(ctx({ attempts: attempts("submitted", "submitted", "submitted", "submitted") }))).toBe("NO_ATTEMPTS_LEFT");
  });

  it("counts voided attempts", () => {
    expect(attemptsLeft.check(ctx({ attempts: attempts("voided", "voided", "voided") }))).toBe("NO_ATTEMPTS_LEFT");
    expect(attemptsLeft.check(withRound({ maxAttempts: 1 }, { attempts: attempts("voided") }))).toBe("NO_ATTEMPTS_LEFT");
  });

  it("counts an attempt still in progress", () => {
    expect(attemptsLeft.check(withRound({ maxAttempts: 1 }, { attempts: attempts("in_progress") }))).toBe("NO_ATTEMPTS_LEFT");
  });

  it("with a single allowed attempt: 0 used passes, 1 used refuses", () => {
    expect(attemptsLeft.check(withRound({ maxAttempts: 1 }))).toBeNull();
    expect(attemptsLeft.check(withRound({ maxAttempts: 1 }, { attempts: attempts("submitted") }))).toBe("NO_ATTEMPTS_LEFT");
  });
});

describe("checkStart", () => {
  it("checks the rules in the documented order", () => {
    expect(START_RULES.map((r) => r.name)).toEqual(["staff-may-not-compete", "round-open", "eligible-group", "attempts-left"]);
  });

  it("returns null when every rule passes", () => {
    expect(checkStart(ctx())).toBeNull();
    expect(checkStart(ctx({ now: opensAt, attempts: attempts("voided", "submitted") }))).toBeNull();
  });

  it("returns each rule's refusal with the rule's name", () => {
    expect(checkStart(ctx({ user: { id: "s", role: "judge", group: "citizen" } }))).toEqual({ code: "NOT_ELIGIBLE", rule: "staff-may-not-compete" });
    expect(checkStart(ctx({ now: closesAt }))).toEqual({ code: "ROUND_NOT_OPEN", rule: "round-open" });
    expect(checkStart(withRound({ eligibleGroups: ["student"] }))).toEqual({ code: "NOT_ELIGIBLE", rule: "eligible-group" });
    expect(checkStart(ctx({ attempts: attempts("voided", "voided", "voided") }))).toEqual({ code: "NO_ATTEMPTS_LEFT", rule: "attempts-left" });
  });

  it("returns the first refusal: staff before round-open before eligible-group before attempts-left", () => {
    const everythingWrong = withRound(
      { eligibleGroups: ["student"], maxAttempts: 1 },
      { user: { id: "s", role: "admin", group: "official" }, now: closesAt, attempts: attempts("submitted") },
    );
    expect(checkStart(everythingWrong)).toEqual({ code: "NOT_ELIGIBLE", rule: "staff-may-not-compete" });

    const contestant = { ...everythingWrong, user: { id: "u", role: "contestant" as const, group: "official" } };
    expect(checkStart(contestant)).toEqual({ code: "ROUND_NOT_OPEN", rule: "round-open" });

    const open = { ...contestant, now: new Date("2025-10-03T00:00:00Z") };
    expect(checkStart(open)).toEqual({ code: "NOT_ELIGIBLE", rule: "eligible-group" });

    const eligible = { ...open, user: { ...open.user, group: "student" } };
    expect(checkStart(eligible)).toEqual({ code: "NO_ATTEMPTS_LEFT", rule: "attempts-left" });

    expect(checkStart({ ...eligible, attempts: [] })).toBeNull();
  });

  it("uses the rules passed in, in their order", () => {
    const wrong = ctx({ now: closesAt, attempts: attempts("submitted", "submitted", "submitted") });
    expect(checkStart(wrong, [attemptsLeft, roundOpen])).toEqual({ code: "NO_ATTEMPTS_LEFT", rule: "attempts-left" });
    expect(checkStart(wrong, [roundOpen, attemptsLeft])).toEqual({ code: "ROUND_NOT_OPEN", rule: "round-open" });
    expect(checkStart(wrong, [])).toBeNull();
  });
});
