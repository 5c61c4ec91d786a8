import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ATTEMPT_STATUSES,
  GRACE_MS,
  deadlineFor,
  decodeDraw,
  durationMs,
  encodeDraw,
  isOpen,
  isOverdue,
  optionOrderHas,
  secondsLeft,
  transition,
  type AttemptEvent,
  type AttemptStatus,
} from "../../app/domain/attempt";

const at = (iso: string) => new Date(iso);
const plus = (d: Date, ms: number) => new Date(d.getTime() + ms);

describe("attempt state machine", () => {
  const allowed: [AttemptStatus, AttemptEvent, AttemptStatus][] = [
    ["in_progress", "submit", "submitted"],
    ["in_progress", "expire", "expired"],
    ["submitted", "void", "voided"],
    ["expired", "void", "voided"],
  ];

  it.each(allowed)("%s --%s--> %s", (from, event, to) => {
    expect(transition(from, event)).toBe(to);
  });

  it("refuses every other transition", () => {
    const events: AttemptEvent[] = ["submit", "expire", "void"];
    const refused: string[] = [];
    for (const from of ATTEMPT_STATUSES) {
      for (const event of events) {
        if (allowed.some(([f, e]) => f === from && e === event)) continue;
        expect(transition(from, event), `${from} --${event}`).toBeNull();
        refused.push(`${from}:${event}`);
      }
    }
    expect(refused).toEqual([
      "in_progress:void",
      "submitted:submit",
      "submitted:expire",
      "expired:submit",
      "expired:expire",
      "voided:submit",
      "voided:expire",
      "voided:void",
    ]);
  });

  it("knows exactly four statuses", () => {
    expect(ATTEMPT_STATUSES).toEqual(["in_progress", "submitted", "expired", "voided"]);
  });
});

describe("deadlineFor", () => {
  const start = at("2025-10-01T02:00:00Z");

  it("is start + duration when the round closes later", () => {
    expect(deadlineFor(start, 1800, at("2025-10-08T01:00:00Z"))).toEqual(at("2025-10-01T02:30:00Z"));
    expect(deadlineFor(start, 60, at("2025-10-08T01:00:00Z"))).toEqual(at("2025-10-01T02:01:00Z"));
  });

  it("is cut at the round's close", () => {
    expect(deadlineFor(start, 1800, at("2025-10-01T02:10:00Z"))).toEqual(at("2025-10-01T02:10:00Z"));
  });

  it("is start + duration when that is exactly the close", () => {
    expect(deadlineFor(start, 1800, at("2025-10-01T02:30:00Z"))).toEqual(at("2025-10-01T02:30:00Z"));
  });

  it("keeps milliseconds of the start", () => {
    expect(deadlineFor(at("2025-10-01T02:00:00.250Z"), 600, at("2026-01-01T00:00:00Z"))).toEqual(at("2025-10-01T02:10:00.250Z"));
  });

  it("returns a new Date (not the round's own object)", () => {
    const closes = at("2025-10-01T02:10:00Z");
    const d = deadlineFor(start, 1800, closes);
    expect(d).not.toBe(closes);
  });
});

describe("isOpen / isOverdue", () => {
  const deadlineAt = at("2025-10-01T02:30:00Z");
  const attempt = { status: "in_progress", startedAt: at("2025-10-01T02:00:00Z"), deadlineAt };

  it("grace is 5 seconds", () => {
    expect(GRACE_MS).toBe(5000);
  });

  it("is open before, at the deadline and at deadline + grace; closed 1 ms after", () => {
    expect(isOpen(attempt, at("2025-10-01T02:00:00Z"))).toBe(true);
    expect(isOpen(attempt, plus(deadlineAt, -1))).toBe(true);
    expect(isOpen(attempt, deadlineAt)).toBe(true);
    expect(isOpen(attempt, plus(deadlineAt, GRACE_MS))).toBe(true);
    expect(isOpen(attempt, plus(deadlineAt, GRACE_MS + 1))).toBe(false);
    expect(isOpen(attempt, plus(deadlineAt, 3_600_000))).toBe(false);
  });

  it("uses the grace passed in", () => {
    expect(isOpen(attempt, plus(deadlineAt, 1), 0)).toBe(false);
    expect(isOpen(attempt, deadlineAt, 0)).toBe(true);
    expect(isOpen(attempt, plus(deadlineAt, 10_000), 10_000)).toBe(true);
    expect(isOverdue(attempt, plus(deadlineAt, 1), 0)).toBe(true);
    expect(isOverdue(attempt, plus(deadlineAt, 10_000), 10_000)).toBe(false);
  });

  it("isOverdue is the complement of isOpen for an attempt in progress", () => {
    for (const offset of [-60_000, -1, 0, 1, GRACE_MS - 1, GRACE_MS, GRACE_MS + 1, 60_000]) {
      const now = plus(deadlineAt, offset);
      expect(isOverdue(attempt, now), `offset ${offset}`).toBe(!isOpen(attempt, now));
    }
    expect(isOverdue(attempt, plus(deadlineAt, GRACE_MS))).toBe(false);
    expect(isOverdue(attempt, plus(deadlineAt, GRACE_MS + 1))).toBe(true);
  });

  it("is never open nor overdue once submitted, expired or voided", () => {
    for (const status of ["submitted", "expired", "voided"]) {
      for (const now of [plus(deadlineAt, -60_000), deadlineAt, plus(deadlineAt, 60_000)]) {
        expect(isOpen({ ...attempt, status }, now)).toBe(false);
        expect(isOverdue({ ...attempt, status }, now)).toBe(false);
      }
    }
  });
});

describe("durationMs", () => {
  const a = { startedAt: at("2025-10-01T02:00:00Z"), deadlineAt: at("2025-10-01T02:30:00Z") };

  it("is the time from start to submission", () => {
    expect(durationMs(a, at("2025-10-01T02:12:34.567Z"))).toBe(754_567);
  });

  it("is capped at the deadline (the grace does not count)", () => {
    expect(durationMs(a, at("2025-10-01T02:30:00Z"))).toBe(1_800_000);
    expect(durationMs(a, at("2025-10-01T02:30:04.999Z"))).toBe(1_800_000);
    expect(durationMs(a, at("2025-10-02T00:00:00Z"))).toBe(1_800_000);
  });

  it("is 0 at the start and never negative", () => {
    expect(durationMs(a, a.startedAt)).toBe(0);
    expect(durationMs(a, at("2025-10-01T01:59:59Z"))).toBe(0);
    // A deadline before the start (bad data) gives 0, not a negative time.
    expect(durationMs({ startedAt: a.deadlineAt, deadlineAt: a.startedAt }, at("2025-10-01T03:00:00Z"))).toBe(0);
  });
});

describe("secondsLeft", () => {
  const a = { deadlineAt: at("2025-10-01T02:30:00Z") };

  it("counts whole seconds", () => {
    expect(secondsLeft(a, at("2025-10-01T02:00:00Z"))).toBe(1800);
    expect(secondsLeft(a, at("2025-10-01T02:29:59Z"))).toBe(1);
  });

  it("rounds up a partial second", () => {
    expect(secondsLeft(a, at("2025-10-01T02:29:59.999Z"))).toBe(1);
    expect(secondsLeft(a, at("2025-10-01T02:29:59.001Z"))).toBe(1);
    expect(secondsLeft(a, at("2025-10-01T02:29:58.500Z"))).toBe(2);
    expect(secondsLeft(a, at("2025-10-01T02:00:00.001Z"))).toBe(1800);
  });

  it("is 0 at the deadline and after it, never negative", () => {
    expect(secondsLeft(a, at("2025-10-01T02:30:00Z"))).toBe(0);
    expect(secondsLeft(a, at("2025-10-01T02:30:00.001Z"))).toBe(0);
    expect(secondsLeft(a, at("2025-10-01T02:30:01.500Z"))).toBe(0);
    expect(secondsLeft(a, at("2025-10-02T00:00:00Z"))).toBe(0);
    expect(Object.is(secondsLeft(a, at("2025-10-01T02:30:00.400Z")), 0)).toBe(true); // not -0
  });
});

describe("optionOrderHas", () => {
  it("finds whole ids only", () => {
    expect(optionOrderHas("ca,cb,cc", "cb")).toBe(true);
    expect(optionOrderHas("ca,cb,cc", "ca")).toBe(true);
    expect(optionOrderHas("ca,cb,cc", "cc")).toBe(true);
    expect(optionOrderHas("ca,cbx,cc", "cb")).toBe(false);
    expect(optionOrderHas("ca,xcb,cc", "cb")).toBe(false);
    expect(optionOrderHas("ca,cb", "ca,cb")).toBe(false);
    expect(optionOrderHas("ca,cb", "")).toBe(false);
  });

  it("answers as split(\",\").includes does, for any list and id", () => {
    const id = fc.stringMatching(/^[abc,]{0,4}$/);
    fc.assert(
      fc.property(fc.array(id, { maxLength: 5 }), id, (ids, probe) => {
        const order = ids.join(",");
        expect(optionOrderHas(order, probe)).toBe(order.split(",").includes(probe));
      }),
      { numRuns: 5_000 },
    );
  });
});

describe("encodeDraw / decodeDraw", () => {
  it("gives back the questions in their order, with their option orders", () => {
    const drawn = [
      { questionId: "cq2", optionOrder: "co7,co5,co8,co6" },
      { questionId: "cq1", optionOrder: "co2,co1" },
    ];
    expect(encodeDraw(drawn)).toBe('[["cq2","co7,co5,co8,co6"],["cq1","co2,co1"]]');
    expect(decodeDraw(encodeDraw(drawn))).toEqual(drawn);
  });

  it("round-trips any list of ids", () => {
    const pair = fc.record({ questionId: fc.string(), optionOrder: fc.string() });
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 30 }), (drawn) => {
        expect(decodeDraw(encodeDraw(drawn))).toEqual(drawn);
      }),
      { numRuns: 1_000 },
    );
  });

  it("reads PostgreSQL's json_agg spacing (the migration's output) like its own", () => {
    expect(decodeDraw('[["cq1", "co2,co1"], ["cq2", "co3"]]')).toEqual([
      { questionId: "cq1", optionOrder: "co2,co1" },
      { questionId: "cq2", optionOrder: "co3" },
    ]);
  });

  it("reads anything else as no question rather than failing", () => {
    for (const bad of [null, undefined, "", "not json", "{}", '"x"', "[1]", '[["a"]]', '[["a", 2]]', '[["a","b"], null]']) {
      expect(decodeDraw(bad), String(bad)).toEqual([]);
    }
  });
});
