import { describe, expect, it } from "vitest";
import { parseTieBreak, roundStatus } from "../../app/domain/rounds";
import { contestDate, formatContestTime } from "../../app/domain/time";

const round = {
  opensAt: new Date("2025-10-01T01:00:00Z"),
  closesAt: new Date("2025-10-08T01:00:00Z"),
  publishedAt: null as Date | null,
};

describe("roundStatus", () => {
  it("is upcoming before opening, open from the opening instant, closed from the closing instant", () => {
    expect(roundStatus(round, new Date("2025-10-01T00:59:59.999Z"))).toBe("upcoming");
    expect(roundStatus(round, new Date("2025-10-01T01:00:00Z"))).toBe("open");
    expect(roundStatus(round, new Date("2025-10-08T00:59:59.999Z"))).toBe("open");
    expect(roundStatus(round, new Date("2025-10-08T01:00:00Z"))).toBe("closed");
  });

  it("is published once results are published", () => {
    const published = { ...round, publishedAt: new Date("2025-10-10T00:00:00Z") };
    expect(roundStatus(published, new Date("2025-10-09T00:00:00Z"))).toBe("closed");
    expect(roundStatus(published, new Date("2025-10-10T00:00:00Z"))).toBe("published");
  });
});

describe("tie-break order", () => {
  it("keeps the stated order and drops unknown criteria", () => {
    expect(parseTieBreak("duration, prediction,submittedAt")).toEqual(["duration", "prediction", "submittedAt"]);
    expect(parseTieBreak("prediction,luck")).toEqual(["prediction"]);
  });
});

describe("contest time (Asia/Ho_Chi_Minh, UTC+7)", () => {
  it("turns the date at 17:00 UTC", () => {
    expect(contestDate(new Date("2025-12-31T16:59:59Z"))).toBe("2025-12-31");
    expect(contestDate(new Date("2025-12-31T17:00:00Z"))).toBe("2026-01-01");
  });

  it("formats a moment as Vietnamese notices do", () => {
    expect(formatContestTime("2025-10-01T01:00:00Z")).toBe("08:00 ngày 01/10/2025");
    expect(formatContestTime(new Date("2025-10-01T16:30:00Z"))).toBe("23:30 ngày 01/10/2025");
  });
});
