import type { FlagRule } from "./types";

/**
 * The page reported leaving it: many times, or for long. Copy and paste are counted into the
 * detail; pasting repeatedly is itself worth a look.
 */
export const focusLost: FlagRule = {
  name: "focus-lost",
  // 240 s: a phone call of a few minutes is normal (the flags bench: 60 s flagged 6% of honest people).
  defaults: { maxAbsences: 5, maxAbsentSeconds: 240, maxPastes: 3 },
  evaluate({ events, attempt, answers }, s) {
    let absences = 0;
    let absentMs = 0;
    let leftAt: number | null = null;
    let pastes = 0;
    let copies = 0;
    let offline = 0;
    const end = attempt.closedAt.getTime();
    // A saved answer proves the person was back on the page, even if the return event was lost.
    const stream = [...events.map((e) => ({ type: e.type, at: e.receivedAt })), ...answers.map((a) => ({ type: "answer", at: a.savedAt }))];
    for (const e of stream.sort((a, b) => a.at.getTime() - b.at.getTime())) {
      const t = e.at.getTime();
      if (e.type === "hidden" || e.type === "blur") {
        if (leftAt === null) {
          absences++;
          leftAt = t;
        }
      } else if (e.type === "visible" || e.type === "focus" || e.type === "answer") {
        if (leftAt !== null) absentMs += t - leftAt;
        leftAt = null;
      } else if (e.type === "paste") pastes++;
      else if (e.type === "copy") copies++;
      else if (e.type === "offline") offline++;
    }
    if (leftAt !== null) absentMs += Math.max(0, end - leftAt);
    const absentSeconds = Math.round(absentMs / 1000);
    const detail = { absences, absentSeconds, copies, pastes, offline };
    if (absences > s.maxAbsences || absentSeconds > s.maxAbsentSeconds) {
      return { severity: absences > 2 * s.maxAbsences || absentSeconds > 5 * s.maxAbsentSeconds ? "medium" : "low", detail };
    }
    if (pastes > s.maxPastes) return { severity: "low", detail };
    return null;
  },
};
