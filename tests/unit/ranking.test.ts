import { describe, expect, it } from "vitest";
import { bestAttempt, compareAttempts, predictionError, type RankedAttempt } from "../../app/domain/ranking";
import type { TieBreak } from "../../app/domain/rounds";

const DEFAULT: TieBreak[] = ["prediction", "duration", "submittedAt"];

let n = 0;
const attempt = (over: Partial<RankedAttempt> = {}): RankedAttempt => ({
  id: `a${++n}`,
  correctCount: 8,
  questionCount: 10,
  durationMs: 300_000,
  closedAt: new Date("2025-10-02T03:00:00Z"),
  prediction: 1000,
  ...over,
});

const sign = (x: number) => Math.sign(x);

describe("predictionError", () => {
  it("is the absolute difference", () => {
    expect(predictionError(1000, 1200)).toBe(200);
    expect(predictionError(1400, 1200)).toBe(200);
    expect(predictionError(1200, 1200)).toBe(0);
    expect(predictionError(0, 35)).toBe(35);
  });

  it("is null without a prediction or without the actual count", () => {
    expect(predictionError(null, 1200)).toBeNull();
    expect(predictionError(1000, null)).toBeNull();
    expect(predictionError(null, null)).toBeNull();
  });
});

describe("compareAttempts", () => {
  it("ranks the higher score first whatever the tie-breaks say", () => {
    const better = attempt({ correctCount: 9, durationMs: 900_000, prediction: 5, closedAt: new Date("2025-10-05T00:00:00Z") });
    const worse = attempt({ correctCount: 8, durationMs: 1_000, prediction: 1200, closedAt: new Date("2025-10-01T00:00:00Z") });
    for (const tb of [DEFAULT, ["duration", "prediction", "submittedAt"], ["submittedAt"], []] as TieBreak[][]) {
      expect(compareAttempts(better, worse, tb, 1200)).toBeLessThan(0);
      expect(compareAttempts(worse, better, tb, 1200)).toBeGreaterThan(0);
    }
    expect(compareAttempts(better, worse, DEFAULT, null)).toBeLessThan(0);
  });

  it("score is the correct count: 0 correct ranks after 1 correct", () => {
    expect(compareAttempts(attempt({ correctCount: 0 }), attempt({ correctCount: 1 }), DEFAULT, null)).toBeGreaterThan(0);
  });

  describe("tie-break order on equal scores", () => {
    // a: closer prediction but slower and later; b: faster; c: earliest.
    const a = attempt({ prediction: 1190, durationMs: 600_000, closedAt: new Date("2025-10-02T05:00:00Z") });
    const b = attempt({ prediction: 1000, durationMs: 200_000, closedAt: new Date("2025-10-02T04:00:00Z") });
    const actual = 1200;

    it("prediction,duration,submittedAt: closer prediction wins before speed", () => {
      const tb: TieBreak[] = ["prediction", "duration", "submittedAt"];
      expect(compareAttempts(a, b, tb, actual)).toBe(-190); // 10 − 200
      expect(compareAttempts(b, a, tb, actual)).toBe(190);
    });

    it("duration,prediction,submittedAt: faster wins before prediction", () => {
      const tb: TieBreak[] = ["duration", "prediction", "submittedAt"];
      expect(compareAttempts(a, b, tb, actual)).toBe(400_000);
      expect(compareAttempts(b, a, tb, actual)).toBe(-400_000);
    });

    it("submittedAt,…: earlier submission wins first", () => {
      const tb: TieBreak[] = ["submittedAt", "prediction", "duration"];
      expect(compareAttempts(a, b, tb, actual)).toBe(3_600_000);
      expect(compareAttempts(b, a, tb, actual)).toBe(-3_600_000);
    });

    it("falls through to the next criterion on a tie", () => {
      const p = attempt({ prediction: 1190, durationMs: 500_000 });
      const q = attempt({ prediction: 1210, durationMs: 400_000 }); // same error (10), faster
      expect(sign(compareAttempts(p, q, ["prediction", "duration", "submittedAt"], actual))).toBe(1);
      const r = attempt({ prediction: 1190, durationMs: 400_000, closedAt: new Date("2025-10-02T02:00:00Z") });
      expect(sign(compareAttempts(q, r, ["prediction", "duration", "submittedAt"], actual))).toBe(1); // same error, same duration, r earlier
      expect(sign(compareAttempts(r, q, ["duration", "prediction", "submittedAt"], actual))).toBe(-1);
    });

    it("ignores criteria not listed", () => {
      expect(compareAttempts(a, b, ["prediction"], actual)).toBeLessThan(0);
      expect(compareAttempts(a, b, ["duration"], actual)).toBeGreaterThan(0);
      const x = attempt({ durationMs: 100, prediction: 5 });
      const y = attempt({ durationMs: 999_999, prediction: 1200 });
      expect(compareAttempts(x, y, [], actual)).toBe(0);
      expect(compareAttempts(x, y, ["submittedAt"], actual)).toBe(0);
    });
  });

  it("skips prediction while the actual count is unknown (during the round)", () => {
    const close = attempt({ prediction: 1200, durationMs: 500_000 });
    const far = attempt({ prediction: 1, durationMs: 400_000 });
    expect(compareAttempts(close, far, DEFAULT, null)).toBe(100_000); // decided by duration
    expect(compareAttempts(close, far, DEFAULT, 1200)).toBeLessThan(0); // decided by prediction
    expect(compareAttempts(close, far, ["prediction"], null)).toBe(0);
  });

  it("a missing prediction ranks after any prediction, even a very bad one", () => {
    const none = attempt({ prediction: null, durationMs: 1_000 });
    const bad = attempt({ prediction: 100_000_000, durationMs: 900_000 });
    expect(compareAttempts(none, bad, DEFAULT, 0)).toBe(1);
    expect(compareAttempts(bad, none, DEFAULT, 0)).toBe(-1);
  });

  it("two missing predictions tie on prediction and fall through", () => {
    const p = attempt({ prediction: null, durationMs: 2_000 });
    const q = attempt({ prediction: null, durationMs: 1_000 });
    expect(compareAttempts(p, q, DEFAULT, 1200)).toBe(1_000);
  });

  it("exact prediction beats off-by-one", () => {
    expect(compareAttempts(attempt({ prediction: 1200 }), attempt({ prediction: 1201 }), DEFAULT, 1200)).toBe(-1);
  });

  it("returns 0 for an exact tie", () => {
    const p = attempt();
    const q = attempt({ id: "other" });
    expect(compareAttempts(p, q, DEFAULT, 1200)).toBe(0);
    expect(compareAttempts(p, q, DEFAULT, null)).toBe(0);
    expect(compareAttempts(attempt({ prediction: null }), attempt({ prediction: null }), DEFAULT, 5)).toBe(0);
  });

  it("sorts a list into the expected ranking", () => {
    const list = [
      attempt({ id: "slow-8", correctCount: 8, durationMs: 500_000, prediction: 1200 }),
      attempt({ id: "ten", correctCount: 10, durationMs: 900_000, prediction: null }),
      attempt({ id: "nopred-8", correctCount: 8, durationMs: 100_000, prediction: null }),
      attempt({ id: "fast-8", correctCount: 8, durationMs: 300_000, prediction: 1200 }),
      attempt({ id: "off-8", correctCount: 8, durationMs: 10_000, prediction: 1100 }),
      attempt({ id: "nine", correctCount: 9, durationMs: 900_000, prediction: 0 }),
    ];
    const sorted = [...list].sort((x, y) => compareAttempts(x, y, DEFAULT, 1200)).map((x) => x.id);
    expect(sorted).toEqual(["ten", "nine", "fast-8", "slow-8", "off-8", "nopred-8"]);
  });
});

describe("bestAttempt", () => {
  it("is null for no attempts", () => {
    expect(bestAttempt([], DEFAULT, null)).toBeNull();
  });

  it("returns the only attempt", () => {
    const only = attempt();
    expect(bestAttempt([only], DEFAULT, null)).toBe(only);
  });

  it("picks the highest score wherever it is", () => {
    const a = attempt({ id: "a", correctCount: 6 });
    const b = attempt({ id: "b", correctCount: 9 });
    const c = attempt({ id: "c", correctCount: 7 });
    expect(bestAttempt([a, b, c], DEFAULT, null)?.id).toBe("b");
    expect(bestAttempt([b, a, c], DEFAULT, null)?.id).toBe("b");
    expect(bestAttempt([a, c, b], DEFAULT, null)?.id).toBe("b");
  });

  it("on equal scores, applies the tie-break order", () => {
    const first = attempt({ id: "first", durationMs: 600_000, prediction: 1200, closedAt: new Date("2025-10-02T01:00:00Z") });
    const second = attempt({ id: "second", durationMs: 200_000, prediction: 900, closedAt: new Date("2025-10-02T02:00:00Z") });
    expect(bestAttempt([first, second], ["prediction", "duration", "submittedAt"], 1200)?.id).toBe("first");
    expect(bestAttempt([first, second], ["duration", "prediction", "submittedAt"], 1200)?.id).toBe("second");
    // During the round the prediction is skipped: duration decides.
    expect(bestAttempt([first, second], ["prediction", "duration", "submittedAt"], null)?.id).toBe("second");
  });

  it("on an exact tie, keeps the earlier attempt whatever the input order", () => {
    const early = attempt({ id: "early", closedAt: new Date("2025-10-02T01:00:00Z") });
    const late = attempt({ id: "late", closedAt: new Date("2025-10-02T02:00:00Z") });
    // The tie-break without submittedAt gives 0; the earlier attempt still wins.
    expect(bestAttempt([early, late], ["prediction", "duration"], 1200)?.id).toBe("early");
    expect(bestAttempt([late, early], ["prediction", "duration"], 1200)?.id).toBe("early");
    expect(bestAttempt([late, early], [], null)?.id).toBe("early");
  });

  it("on a complete tie (same instant too), keeps the first in the list", () => {
    const p = attempt({ id: "p" });
    const q = attempt({ id: "q" });
    expect(bestAttempt([p, q], DEFAULT, 1200)?.id).toBe("p");
    expect(bestAttempt([q, p], DEFAULT, 1200)?.id).toBe("q");
  });

  it("returns the same object it was given (keeps extra fields)", () => {
    const a = { ...attempt({ correctCount: 10 }), status: "submitted" };
    const b = { ...attempt({ correctCount: 3 }), status: "expired" };
    expect(bestAttempt([b, a], DEFAULT, null)).toBe(a);
  });
});
