import { describe, expect, it } from "vitest";
import { complaintWindowEnd, parseCutoff, purgeRefusals } from "~/domain/retention";

const DAY = 24 * 60 * 60 * 1000;
const now = new Date("2026-06-01T03:00:00Z");
const round = { id: "r1", name: "Vòng 1", closesAt: new Date("2026-01-10T10:00:00Z") };
const published = { roundId: "r1", status: "published", publishedAt: new Date("2026-01-20T03:00:00Z"), complaintDays: 5 };

describe("parseCutoff", () => {
  it("reads a calendar day in Vietnam time and refuses impossible or other spellings", () => {
    expect(parseCutoff("2026-03-01")?.toISOString()).toBe("2026-02-28T17:00:00.000Z");
    expect(parseCutoff("2026-02-30")).toBeNull();
    expect(parseCutoff("01/03/2026")).toBeNull();
    expect(parseCutoff("")).toBeNull();
  });
});

describe("purgeRefusals", () => {
  it("allows a cut-off after every round's close and every complaint window", () => {
    expect(complaintWindowEnd(published)?.toISOString()).toBe("2026-01-25T03:00:00.000Z");
    expect(purgeRefusals({ before: new Date("2026-03-01T00:00:00Z"), now, rounds: [round], plans: [published] })).toEqual([]);
  });

  it("refuses a cut-off inside a complaint window, before a close, in the future, or without published results", () => {
    const inWindow = purgeRefusals({ before: new Date(published.publishedAt.getTime() + 2 * DAY), now, rounds: [round], plans: [published] });
    expect(inWindow).toHaveLength(1);
    expect(inWindow[0]).toContain("complaint window");
    expect(purgeRefusals({ before: new Date("2026-01-05T00:00:00Z"), now, rounds: [round], plans: [published] }).join()).toContain("closes");
    expect(purgeRefusals({ before: new Date(now.getTime() + DAY), now, rounds: [round], plans: [published] }).join()).toContain("future");
    expect(purgeRefusals({ before: new Date("2026-03-01T00:00:00Z"), now, rounds: [round], plans: [] }).join()).toContain("no prize plan");
    expect(
      purgeRefusals({ before: new Date("2026-03-01T00:00:00Z"), now, rounds: [round], plans: [{ ...published, status: "draft", publishedAt: null }] }).join(),
    ).toContain("not published");
  });
});
