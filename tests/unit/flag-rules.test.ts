// The flagging rules, one describe per rule: a case that triggers, one that does not (the normal
// person the rule must leave alone), and the threshold edge at the rule's default (exactly at it vs
// just past it), with the severity and the detail numbers a judge reads. Then the settings merge and
// the rule runner. The defaults are the ones tuned with the flags bench (bench/flags.bench.ts) so that
// honest contestants stay out of the judges' queue.
import { describe, expect, it } from "vitest";
import { effectiveSettings, evaluateFlags, FLAG_RULE_NAMES, FLAG_RULES } from "../../app/domain/flags";
import { focusLost } from "../../app/domain/flags/focus-lost";
import { identity } from "../../app/domain/flags/identity";
import { impossibleTimeline } from "../../app/domain/flags/impossible-timeline";
import { sameAnswers } from "../../app/domain/flags/same-answers";
import { sharedDevice } from "../../app/domain/flags/shared-device";
import { tooFast } from "../../app/domain/flags/too-fast";
import type {
  AnswerEvidence,
  AttemptEvidence,
  EventEvidence,
  FlagContext,
  FlagRule,
  IdentityEvidence,
  PeerEvidence,
  RaisedFlag,
} from "../../app/domain/flags/types";

// ---------------------------------------------------------------------------------------------
// A small factory: a normal, unremarkable attempt (20 questions, one every 30 s, 15 correct,
// own phone, nobody around), and overrides for what a test is about.

const T0 = new Date("2025-11-03T02:00:00Z"); // 09:00 in Gia Lai
const S = 1000;
const MIN = 60 * S;
const at = (ms: number) => new Date(T0.getTime() + ms);
const qid = (i: number) => `q${String(i).padStart(3, "0")}`;

const UA_ANDROID = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Mobile Safari/537.36";
const UA_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1";

/** Answers to q001…q0NN, the k-th saved `offsetsMs[k]` after T0, option "a" unless given. */
function answersAt(offsetsMs: number[], opts: { ip?: string | null | ((k: number) => string | null); option?: (k: number) => string; firstQuestion?: number } = {}): AnswerEvidence[] {
  const first = opts.firstQuestion ?? 1;
  return offsetsMs.map((ms, k) => ({
    questionId: qid(first + k),
    optionId: opts.option ? opts.option(k) : "a",
    savedAt: at(ms),
    ip: typeof opts.ip === "function" ? opts.ip(k) : opts.ip === undefined ? "203.0.113.10" : opts.ip,
  }));
}

const every = (n: number, stepMs: number, startMs = stepMs) => Array.from({ length: n }, (_, k) => startMs + k * stepMs);

type CtxOverrides = {
  attempt?: Partial<AttemptEvidence>;
  answers?: AnswerEvidence[];
  events?: EventEvidence[];
  peers?: PeerEvidence[];
  identity?: Partial<IdentityEvidence>;
};

function ctx(over: CtxOverrides = {}): FlagContext {
  const attempt: AttemptEvidence = {
    id: "att-me",
    userId: "u-me",
    startedAt: T0,
    closedAt: at(10 * MIN + 30 * S),
    durationMs: 10 * MIN + 30 * S,
    correctCount: 15,
    questionCount: 20,
    ip: "203.0.113.10",
    userAgent: UA_ANDROID,
    deviceId: "dev-me",
    ...over.attempt,
  };
  return {
    attempt,
    answers: over.answers ?? answersAt(every(20, 30 * S)),
    events: over.events ?? [],
    peers: over.peers ?? [],
    identity: {
      nationalIdValid: true,
      registrationIp: "203.0.113.10",
      registrationDevice: "dev-me",
      sameDeviceRegistrations: 1,
      sameIpRegistrations: 1,
      ...over.identity,
    },
  };
}

let peerN = 0;
/** Another closed attempt of the round: by default another person, another phone, 5 min later, different questions. */
function peer(over: Partial<PeerEvidence> & { choices?: ReadonlyMap<string, string> } = {}): PeerEvidence {
  peerN++;
  return {
    id: `att-p${peerN}`,
    userId: `u-p${peerN}`,
    startedAt: at(5 * MIN),
    durationMs: 10 * MIN + 30 * S,
    ip: `198.51.100.${peerN % 250}`,
    userAgent: UA_IPHONE,
    deviceId: `dev-p${peerN}`,
    choices: new Map([["q900", "a"]]),
    ...over,
  };
}

const ev = (type: string, ms: number): EventEvidence => ({ type, receivedAt: at(ms) });
/** One absence on a phone: the page is hidden and loses focus, then comes back. */
const away = (fromMs: number, forMs: number): EventEvidence[] => [ev("hidden", fromMs), ev("blur", fromMs + 20), ev("visible", fromMs + forMs), ev("focus", fromMs + forMs + 15)];
/** A short absence that only blurs the window (a notification pulled down, another window clicked). */
const blurFor = (fromMs: number, forMs: number): EventEvidence[] => [ev("blur", fromMs), ev("focus", fromMs + forMs)];

function run(rule: FlagRule, c: FlagContext, overrides: Record<string, number> = {}): RaisedFlag | null {
  return rule.evaluate(c, { ...rule.defaults, ...overrides });
}

// ---------------------------------------------------------------------------------------------

describe("too-fast", () => {
  /** `answered` answers (all drawn questions by default), spread over the attempt. */
  const fast = (durationMs: number, correctCount: number, questionCount = 20, answered = questionCount) =>
    run(tooFast, ctx({ attempt: { durationMs, correctCount, questionCount, closedAt: at(durationMs) }, answers: answersAt(every(answered, durationMs / (answered + 1))) }));

  it("flags 20 questions in 40 s: medium when not all correct, high when all correct", () => {
    expect(fast(40 * S, 14)).toEqual({ severity: "medium", detail: { secondsPerQuestion: 2, seconds: 40, allCorrect: false } });
    expect(fast(40 * S, 20)).toEqual({ severity: "high", detail: { secondsPerQuestion: 2, seconds: 40, allCorrect: true } });
  });

  it("leaves normal and well-prepared contestants alone", () => {
    expect(fast(10 * MIN, 15)).toBeNull();
    // A well-prepared official: all 20 right at 4 s a question.
    expect(fast(80 * S, 20)).toBeNull();
    // A fast reader at 6 s a question.
    expect(fast(120 * S, 17)).toBeNull();
  });

  it("minSecondsPerQuestion (3 s): exactly 3 s a question passes, just under is flagged", () => {
    expect(fast(60 * S, 14)).toBeNull(); // 3.0 s/question
    expect(fast(60 * S - 1, 14)?.severity).toBe("medium"); // 2.99995 s/question
    expect(fast(58 * S, 14)).toEqual({ severity: "medium", detail: { secondsPerQuestion: 2.9, seconds: 58, allCorrect: false } });
  });

  it("allCorrectMinSeconds (60 s): all correct in exactly 60 s passes, in 59.9 s is flagged medium", () => {
    // 10 questions, so the per-question check (6 s) is not what decides.
    expect(fast(60 * S, 10, 10)).toBeNull();
    expect(fast(59.9 * S, 10, 10)).toEqual({ severity: "medium", detail: { secondsPerQuestion: 6, seconds: 59.9, allCorrect: true } });
    // Not all correct in the same time: nothing.
    expect(fast(59.9 * S, 9, 10)).toBeNull();
  });

  it("follows overridden thresholds", () => {
    const c = ctx({ attempt: { durationMs: 40 * S, correctCount: 20, closedAt: at(40 * S) } });
    expect(run(tooFast, c, { minSecondsPerQuestion: 1, allCorrectMinSeconds: 30 })).toBeNull();
    expect(run(tooFast, c, { minSecondsPerQuestion: 1 })?.severity).toBe("medium"); // the all-correct check still sees 40 s < 60 s
  });

  // Time per ANSWERED question: someone who opens the quiz, answers 2 questions and submits after
  // 40 s because they are not ready answers at 20 s a question, a normal pace (per drawn question it
  // would be 2 s, "faster than a person reads").
  it("does not flag a contestant who gives up after 2 answers in 40 s", () => {
    const c = ctx({ attempt: { durationMs: 40 * S, correctCount: 1, closedAt: at(40 * S) }, answers: answersAt([15 * S, 35 * S]) });
    expect(run(tooFast, c)).toBeNull();
  });

  it("divides by the questions answered: 2 answers in 6 s pass (3 s each), in 5.8 s are medium", () => {
    expect(fast(6 * S, 1, 20, 2)).toBeNull();
    expect(fast(5.8 * S, 1, 20, 2)).toEqual({ severity: "medium", detail: { secondsPerQuestion: 2.9, seconds: 5.8, allCorrect: false } });
  });

  it("never flags an attempt without answers (nothing read, nothing gained), and does not divide by zero", () => {
    expect(fast(1 * S, 0, 20, 0)).toBeNull(); // opened and submitted at once
    expect(fast(1 * S, 0, 0)).toBeNull(); // no questions at all
    expect(run(tooFast, ctx({ attempt: { durationMs: 1 * S, closedAt: at(1 * S) }, answers: [] }), { minSecondsPerQuestion: 1000, allCorrectMinSeconds: 1000 })).toBeNull();
    // Whatever score the attempt row carries: without answers there is no pace to judge.
    expect(run(tooFast, ctx({ attempt: { durationMs: 1 * S, closedAt: at(1 * S), correctCount: 20 }, answers: [] }))).toBeNull();
  });
});

describe("focus-lost", () => {
  // A 30-minute attempt: the contestant answers one question every 90 s (0:45, 2:15, …, 29:15),
  // never while the page is away. The absences below start on whole minutes, so no answer is saved
  // at the moment one starts.
  const close = { closedAt: at(30 * MIN), durationMs: 30 * MIN };
  const ANSWER_TIMES = every(20, 90 * S, 45 * S);
  /** Whether the page is away at `ms` according to the events (a leave not yet followed by a return). */
  const awayAt = (events: EventEvidence[], ms: number) => {
    let out = false;
    for (const e of [...events].sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime())) {
      if (e.receivedAt.getTime() > at(ms).getTime()) break;
      if (e.type === "hidden" || e.type === "blur") out = true;
      else if (e.type === "visible" || e.type === "focus") out = false;
    }
    return out;
  };
  const answeredWhilePresent = (events: EventEvidence[]) => answersAt(ANSWER_TIMES.filter((ms) => !awayAt(events, ms)));
  const withEvents = (events: EventEvidence[], answers = answeredWhilePresent(events), overrides: Record<string, number> = {}) =>
    run(focusLost, ctx({ attempt: close, events, answers }), overrides);
  /** `n` short absences of 3 s, one a minute. */
  const absences = (n: number) => Array.from({ length: n }, (_, k) => away((k + 1) * MIN, 3 * S)).flat();
  const paste = (n: number) => Array.from({ length: n }, (_, k) => ev("paste", (k + 1) * MIN));

  it("flags many absences (low) and very many (medium)", () => {
    expect(withEvents(absences(6))).toEqual({ severity: "low", detail: { absences: 6, absentSeconds: 18, copies: 0, pastes: 0, offline: 0 } });
    expect(withEvents(absences(11))).toMatchObject({ severity: "medium", detail: { absences: 11, absentSeconds: 33 } });
  });

  it("flags a long absence (low) and a very long one (medium)", () => {
    expect(withEvents(away(2 * MIN, 5 * MIN))).toMatchObject({ severity: "low", detail: { absences: 1, absentSeconds: 300 } });
    expect(withEvents(away(2 * MIN, 21 * MIN))).toMatchObject({ severity: "medium", detail: { absences: 1, absentSeconds: 1260 } });
  });

  it("leaves alone a 3-minute phone call and two notifications", () => {
    expect(withEvents([...away(3 * MIN, 180 * S), ...blurFor(9 * MIN, 4 * S), ...blurFor(12 * MIN, 5 * S)])).toBeNull();
  });

  it("counts hidden+blur (and visible+focus) of one absence once", () => {
    const r = withEvents([...away(MIN, 241 * S)]);
    expect(r?.detail).toMatchObject({ absences: 1, absentSeconds: 241 });
  });

  it("maxAbsences (5): 5 absences pass, 6 are flagged; 10 are low, 11 medium", () => {
    expect(withEvents(absences(5))).toBeNull();
    expect(withEvents(absences(6))?.severity).toBe("low");
    expect(withEvents(absences(10))?.severity).toBe("low");
    expect(withEvents(absences(11))?.severity).toBe("medium");
  });

  it("maxAbsentSeconds (240): 240 s passes, 241 s is low; 1200 s (5×) is low, 1201 s medium", () => {
    expect(withEvents(away(MIN, 240 * S))).toBeNull();
    expect(withEvents(away(MIN, 240.4 * S))).toBeNull(); // rounds to 240
    expect(withEvents(away(MIN, 241 * S))).toMatchObject({ severity: "low", detail: { absentSeconds: 241 } });
    expect(withEvents(away(MIN, 1200 * S))).toMatchObject({ severity: "low", detail: { absentSeconds: 1200 } });
    expect(withEvents(away(MIN, 1201 * S))).toMatchObject({ severity: "medium", detail: { absentSeconds: 1201 } });
  });

  it("adds up several absences", () => {
    expect(withEvents([...away(MIN, 125 * S), ...away(5 * MIN, 120 * S)])).toMatchObject({ severity: "low", detail: { absences: 2, absentSeconds: 245 } });
  });

  it("counts a page that never came back, and no answer came after, until the attempt closed", () => {
    expect(withEvents([ev("hidden", 25 * MIN)])).toMatchObject({ severity: "low", detail: { absences: 1, absentSeconds: 300 } });
    expect(withEvents([ev("hidden", 26 * MIN)])).toBeNull(); // 240 s
  });

  it("sorts the events itself", () => {
    const events = [...away(MIN, 241 * S)].reverse();
    expect(withEvents(events)).toMatchObject({ severity: "low", detail: { absences: 1, absentSeconds: 241 } });
  });

  it("pastes: 4 are flagged low, 3 are not; copies and offline events only go into the detail", () => {
    expect(withEvents(paste(3))).toBeNull();
    expect(withEvents([...paste(4), ev("copy", 30 * S), ev("offline", 4 * MIN + 30 * S), ev("online", 5 * MIN + 30 * S)])).toEqual({
      severity: "low",
      detail: { absences: 0, absentSeconds: 0, copies: 1, pastes: 4, offline: 1 },
    });
  });

  it("maxPastes (3) is the most allowed, like every other max* setting", () => {
    expect(withEvents(paste(3))).toBeNull();
    expect(withEvents(paste(4))?.severity).toBe("low");
    expect(withEvents(paste(1), undefined, { maxPastes: 0 })?.detail).toMatchObject({ pastes: 1 });
  });

  // The page reports its events once, without retry, and a phone coming back from a call often has
  // no data for a few seconds, so the "visible"/"focus" of a return can be lost. A saved answer shows
  // the contestant was back on the page: the absence ends there, not when the attempt closes.
  it("ends an absence whose return event was lost at the next saved answer", () => {
    // The default attempt: an answer every 30 s until 10:00, closed at 10:30. Hidden at 1:05, never reported back.
    const c = ctx({ events: [ev("hidden", 65 * S), ev("blur", 65 * S + 20)] });
    expect(run(focusLost, c)).toBeNull();
    expect(run(focusLost, c, { maxAbsentSeconds: 10 })).toMatchObject({ severity: "low", detail: { absences: 1, absentSeconds: 25 } }); // until the answer at 1:30
  });

  it("answers end an absence: the edge is the answer's save time, at the 240 s default", () => {
    const lost = [ev("hidden", 2 * MIN), ev("blur", 2 * MIN + 20)]; // the return is never reported
    const before = answersAt([45 * S, 90 * S]);
    const after = (fromMs: number) => answersAt(every(10, 60 * S, fromMs), { firstQuestion: 3 });
    expect(withEvents(lost, [...before, ...after(2 * MIN + 240 * S)])).toBeNull();
    expect(withEvents(lost, [...before, ...after(2 * MIN + 241 * S)])).toMatchObject({ severity: "low", detail: { absences: 1, absentSeconds: 241 } });
    // No answer after it: the absence runs to the close (28 min).
    expect(withEvents(lost, before)).toMatchObject({ severity: "medium", detail: { absences: 1, absentSeconds: 1680 } });
  });

  it("a return event that arrives late after an answer does not stretch the absence", () => {
    // Hidden at 2:00, answered at 2:30, the "visible" of that return only received at 9:00.
    const events = [ev("hidden", 2 * MIN), ev("visible", 9 * MIN)];
    expect(withEvents(events, answersAt([30 * S, 150 * S, 10 * MIN]), { maxAbsentSeconds: 10 })).toMatchObject({ severity: "low", detail: { absences: 1, absentSeconds: 30 } });
  });
});

describe("shared-device", () => {
  const onMyPhone = (n: number, over: Partial<PeerEvidence> = {}) => Array.from({ length: n }, () => peer({ deviceId: "dev-me", ...over }));
  const sameIpAgent = (n: number) => Array.from({ length: n }, () => peer({ ip: "203.0.113.10", userAgent: UA_ANDROID }));

  it("flags 4 accounts on one device (medium) and 7 (high), naming the other attempts", () => {
    const peers = onMyPhone(3);
    expect(run(sharedDevice, ctx({ peers }))).toEqual({ severity: "medium", detail: { by: "device", accounts: 4 }, alsoAttempts: peers.map((p) => p.id) });
    expect(run(sharedDevice, ctx({ peers: onMyPhone(6) }))).toMatchObject({ severity: "high", detail: { by: "device", accounts: 7 } });
  });

  it("leaves a family phone (3 accounts) and a commune office with mixed browsers alone", () => {
    expect(run(sharedDevice, ctx({ peers: onMyPhone(2) }))).toBeNull();
    const office = Array.from({ length: 60 }, (_, k) => peer({ ip: "203.0.113.10", userAgent: k % 2 ? UA_IPHONE : `${UA_ANDROID} Zalo/${k}` }));
    expect(run(sharedDevice, ctx({ peers: office }))).toBeNull();
  });

  it("maxAccountsPerDevice (3): 3 pass, 4 are medium; 6 are medium, 7 high", () => {
    expect(run(sharedDevice, ctx({ peers: onMyPhone(2) }))).toBeNull();
    expect(run(sharedDevice, ctx({ peers: onMyPhone(3) }))).toMatchObject({ severity: "medium", detail: { accounts: 4 } });
    expect(run(sharedDevice, ctx({ peers: onMyPhone(5) }))).toMatchObject({ severity: "medium", detail: { accounts: 6 } });
    expect(run(sharedDevice, ctx({ peers: onMyPhone(6) }))).toMatchObject({ severity: "high", detail: { accounts: 7 } });
  });

  it("maxAccountsPerIpAndAgent (40): 40 accounts on one address and browser build pass, 41 are low", () => {
    expect(run(sharedDevice, ctx({ peers: sameIpAgent(39) }))).toBeNull();
    const many = sameIpAgent(40);
    expect(run(sharedDevice, ctx({ peers: many }))).toEqual({ severity: "low", detail: { by: "ip+agent", accounts: 41 }, alsoAttempts: many.map((p) => p.id) });
  });

  it("windowMinutes (60): a start exactly 60 min away counts, 60 min + 1 ms does not", () => {
    const inWindow = [peer({ deviceId: "dev-me", startedAt: at(-60 * MIN) }), peer({ deviceId: "dev-me", startedAt: at(60 * MIN) }), peer({ deviceId: "dev-me" })];
    expect(run(sharedDevice, ctx({ peers: inWindow }))?.detail).toEqual({ by: "device", accounts: 4 });
    const outside = [peer({ deviceId: "dev-me", startedAt: at(-60 * MIN - 1) }), peer({ deviceId: "dev-me", startedAt: at(60 * MIN + 1) })];
    expect(run(sharedDevice, ctx({ peers: [...outside, ...onMyPhone(2)] }))).toBeNull();
  });

  it("counts accounts, not attempts: the same person's other attempts and repeated peers count once", () => {
    const mine = peer({ userId: "u-me", deviceId: "dev-me" });
    const sister = peer({ deviceId: "dev-me" });
    const sisterAgain = peer({ userId: sister.userId, deviceId: "dev-me" });
    const brother = peer({ deviceId: "dev-me" });
    const brotherAgain = peer({ userId: brother.userId, deviceId: "dev-me" });
    expect(run(sharedDevice, ctx({ peers: [mine, sister, sisterAgain, brother, brotherAgain] }))).toBeNull(); // 3 accounts, 6 attempts
    expect(run(sharedDevice, ctx({ peers: [mine, sister, sisterAgain, brother, brotherAgain, peer({ deviceId: "dev-me" })] }))?.detail).toEqual({ by: "device", accounts: 4 });
  });

  it("needs a device id for the device check, and an address and agent for the other", () => {
    expect(run(sharedDevice, ctx({ attempt: { deviceId: null }, peers: onMyPhone(6, { deviceId: null }) }))).toBeNull();
    expect(run(sharedDevice, ctx({ attempt: { ip: null }, peers: Array.from({ length: 45 }, () => peer({ ip: null, userAgent: UA_ANDROID })) }))).toBeNull();
    expect(run(sharedDevice, ctx({ attempt: { userAgent: null }, peers: Array.from({ length: 45 }, () => peer({ ip: "203.0.113.10", userAgent: null })) }))).toBeNull();
  });

  it("reports the device before the address", () => {
    const peers = Array.from({ length: 45 }, () => peer({ deviceId: "dev-me", ip: "203.0.113.10", userAgent: UA_ANDROID }));
    expect(run(sharedDevice, ctx({ peers }))?.detail).toEqual({ by: "device", accounts: 46 });
  });
});

describe("same-answers", () => {
  /** My 20 answers: q001…q020, all "a". A twin with `common` of them answered like me (`same` of those the same). */
  function twin(common: number, same = common, over: Partial<PeerEvidence> = {}): PeerEvidence {
    const choices = new Map<string, string>();
    for (let i = 1; i <= common; i++) choices.set(qid(i), i <= same ? "a" : "b");
    for (let i = common + 1; i <= 20; i++) choices.set(qid(100 + i), "a"); // the rest of their draw: questions I did not have
    return peer({ startedAt: at(2 * MIN), durationMs: 10 * MIN + 30 * S, choices, ...over });
  }
  const check = (peers: PeerEvidence[], answers?: AnswerEvidence[]) => run(sameAnswers, ctx({ peers, answers }));

  it("flags one twin (medium) and two (high), with the overlap in the detail", () => {
    const t = twin(12);
    expect(check([t])).toEqual({ severity: "medium", detail: { matches: 1, examples: [{ id: t.id, common: 12, same: 12 }] }, alsoAttempts: [t.id] });
    const [a, b] = [twin(12), twin(15, 15)];
    expect(check([a, b])).toMatchObject({ severity: "high", detail: { matches: 2, examples: [{ id: a.id, common: 12, same: 12 }, { id: b.id, common: 15, same: 15 }] } });
  });

  it("leaves alone people who share a couple of questions, or many answered differently", () => {
    expect(check([twin(2)])).toBeNull(); // a typical overlap of two random draws from a large bank
    expect(check([twin(20, 12)])).toBeNull(); // same questions, 60% the same
  });

  it("minCommonQuestions (10): 10 common questions are enough, 9 are not", () => {
    expect(check([twin(10)])).toMatchObject({ severity: "medium", detail: { examples: [{ common: 10, same: 10 }] } });
    expect(check([twin(9)])).toBeNull();
  });

  it("minSameShare (0.95): 19 of 20 the same is flagged, 18 of 20 is not", () => {
    expect(check([twin(20, 19)])).toMatchObject({ severity: "medium", detail: { examples: [{ common: 20, same: 19 }] } });
    expect(check([twin(20, 18)])).toBeNull();
  });

  it("maxStartGapMinutes (10): a start exactly 10 min apart counts, 10 min + 1 ms does not", () => {
    expect(check([twin(12, 12, { startedAt: at(-10 * MIN) })])?.severity).toBe("medium");
    expect(check([twin(12, 12, { startedAt: at(10 * MIN + 1) })])).toBeNull();
  });

  it("maxDurationGapShare (0.1): durations 10 % apart count, 10.1 % do not", () => {
    const mine = { durationMs: 1_000 * S, closedAt: at(1_000 * S) };
    expect(run(sameAnswers, ctx({ attempt: mine, peers: [twin(12, 12, { durationMs: 900 * S })] }))?.severity).toBe("medium");
    expect(run(sameAnswers, ctx({ attempt: mine, peers: [twin(12, 12, { durationMs: 899 * S })] }))).toBeNull();
  });

  it("ignores the contestant's own other attempts", () => {
    expect(check([twin(20, 20, { userId: "u-me" })])).toBeNull();
  });
});

describe("identity", () => {
  const id = (over: Partial<IdentityEvidence>) => run(identity, ctx({ identity: over }));

  it("flags a CCCD that does not fit (high), many accounts from one device (medium) or one address (low)", () => {
    expect(id({ nationalIdValid: false })).toEqual({ severity: "high", detail: { nationalIdValid: false } });
    expect(id({ sameDeviceRegistrations: 4 })).toEqual({ severity: "medium", detail: { by: "device", registrations: 4 } });
    expect(id({ sameIpRegistrations: 61 })).toEqual({ severity: "low", detail: { by: "ip", registrations: 61 } });
  });

  it("leaves alone a family registering three accounts on one phone, and an office registering 60 staff", () => {
    expect(id({ sameDeviceRegistrations: 3, sameIpRegistrations: 60 })).toBeNull();
  });

  it("maxRegistrationsPerDevice (3) and maxRegistrationsPerIp (60): at the limit passes, one more is flagged", () => {
    expect(id({ sameDeviceRegistrations: 3 })).toBeNull();
    expect(id({ sameDeviceRegistrations: 4 })?.severity).toBe("medium");
    expect(id({ sameIpRegistrations: 60 })).toBeNull();
    expect(id({ sameIpRegistrations: 61 })?.severity).toBe("low");
  });

  it("reports the worst reason first", () => {
    expect(id({ nationalIdValid: false, sameDeviceRegistrations: 9, sameIpRegistrations: 90 })?.severity).toBe("high");
    expect(id({ sameDeviceRegistrations: 9, sameIpRegistrations: 90 })?.detail).toEqual({ by: "device", registrations: 9 });
  });
});

describe("impossible-timeline", () => {
  const check = (answers: AnswerEvidence[], attempt: Partial<AttemptEvidence> = {}, events: EventEvidence[] = [], overrides: Record<string, number> = {}) =>
    run(impossibleTimeline, ctx({ answers, attempt, events }), overrides);
  const WIFI = "203.0.113.10";
  const MOBILE = "100.64.7.9";
  /** 8 answers on Wi-Fi every 30 s, one on 4G `outMs` after the 8th, back on Wi-Fi `backMs` later, then 10 more on Wi-Fi every 30 s. */
  const backAndForth = (outMs: number, backMs: number) => {
    const out = 240 * S + outMs;
    return answersAt([...every(8, 30 * S), out, out + backMs, ...every(10, 30 * S, out + backMs + 30 * S)], { ip: (k) => (k === 8 ? MOBILE : WIFI) });
  };
  /** An answer every 30 s; an "online" event at 5:00 and a burst of 4 answers (3 gaps of 200 ms) starting `afterOnlineMs` after it. */
  const flushAfter = (afterOnlineMs: number) => {
    const b = 300 * S + afterOnlineMs;
    return {
      answers: answersAt([...every(9, 30 * S), b, b + 200, b + 400, b + 600, ...every(7, 30 * S, 330 * S + afterOnlineMs)]),
      events: [ev("offline", 240 * S + 500), ev("online", 300 * S)],
    };
  };

  it("flags an answer saved before the start (high)", () => {
    const answers = answersAt([-2 * S, ...every(19, 30 * S)]);
    expect(check(answers)).toEqual({ severity: "high", detail: { beforeStart: 1, fastGaps: 0, ipSwitches: 0, ips: [WIFI] } });
  });

  it("flags answers from two addresses at once (high)", () => {
    // Alternating every 4 s: the first move to 4G is a new address, each of the other 18 changes is a return.
    const answers = answersAt(every(20, 4 * S), { ip: (k) => (k % 2 ? MOBILE : WIFI) });
    expect(check(answers)).toEqual({ severity: "high", detail: { beforeStart: 0, fastGaps: 0, ipSwitches: 18, ips: [WIFI, MOBILE] } });
  });

  it("flags a burst of answers faster than anyone reads (medium)", () => {
    const answers = answersAt([...every(16, 30 * S), 481 * S, 481.3 * S, 481.6 * S, 481.9 * S]);
    expect(check(answers)).toMatchObject({ severity: "medium", detail: { beforeStart: 0, fastGaps: 3, ipSwitches: 0 } });
  });

  it("leaves alone a normal pace, and a switch from Wi-Fi to 4G with a normal gap", () => {
    expect(check(answersAt(every(20, 30 * S)))).toBeNull();
    const switched = answersAt(every(20, 30 * S), { ip: (k) => (k < 8 ? WIFI : MOBILE) });
    expect(check(switched)).toBeNull();
  });

  // One move from Wi-Fi to 4G (the address changes once and never comes back) is a phone leaving the
  // house, not two places at once, even when the next answer follows within seconds.
  it("does not take a single move from Wi-Fi to 4G for answers from two places, even with maxIpSwitches 0", () => {
    const answers = answersAt([...every(8, 30 * S), 246 * S, ...every(11, 30 * S, 276 * S)], { ip: (k) => (k < 8 ? WIFI : MOBILE) });
    expect(check(answers)).toBeNull();
    expect(check(answers, {}, [], { maxIpSwitches: 0 })).toBeNull();
  });

  it("does not count moves to new addresses: Wi-Fi, then 4G, then the office network, seconds apart", () => {
    const OFFICE = "198.51.100.77";
    const answers = answersAt([...every(8, 30 * S), 244 * S, 249 * S, ...every(10, 30 * S, 279 * S)], { ip: (k) => (k < 8 ? WIFI : k === 8 ? MOBILE : OFFICE) });
    expect(check(answers)).toBeNull();
    // Going back to Wi-Fi 3 s after the last office answer is a return: high.
    const back = [...answers, ...answersAt([549 * S + 3 * S], { ip: WIFI, firstQuestion: 20 })];
    expect(check(back)).toEqual({ severity: "high", detail: { beforeStart: 0, fastGaps: 0, ipSwitches: 1, ips: [WIFI, MOBILE, OFFICE] } });
  });

  it("flags back-and-forth: to 4G and back to Wi-Fi within seconds is 1 switch (the return), high", () => {
    expect(check(backAndForth(4 * S, 5 * S))).toEqual({ severity: "high", detail: { beforeStart: 0, fastGaps: 0, ipSwitches: 1, ips: [WIFI, MOBILE] } });
  });

  it("ipSwitchSeconds (10) and maxIpSwitches (0): a return exactly 10 s after the previous answer does not count, just under is high", () => {
    expect(check(backAndForth(10 * S, 10 * S))).toBeNull();
    // Only the return counts, so how quick the move out was does not matter.
    expect(check(backAndForth(10 * S - 1, 10 * S))).toBeNull();
    expect(check(backAndForth(1 * S, 10 * S))).toBeNull();
    expect(check(backAndForth(10 * S, 10 * S - 1))).toEqual({ severity: "high", detail: { beforeStart: 0, fastGaps: 0, ipSwitches: 1, ips: [WIFI, MOBILE] } });
    expect(check(backAndForth(10 * S - 1, 10 * S - 1))).toEqual({ severity: "high", detail: { beforeStart: 0, fastGaps: 0, ipSwitches: 1, ips: [WIFI, MOBILE] } });
    // A round can allow one quick return with maxIpSwitches: 1.
    expect(check(backAndForth(10 * S - 1, 10 * S - 1), {}, [], { maxIpSwitches: 1 })).toBeNull();
  });

  it("maxFastGaps (3) and minGapMs (700): 2 fast gaps pass, 3 are medium; a gap of exactly 700 ms is not fast", () => {
    const burst = (gaps: number[]) => {
      let t = 300 * S;
      return answersAt([...every(10, 30 * S), ...gaps.map((g) => (t += g))]);
    };
    expect(check(burst([30 * S, 699, 699]))).toBeNull();
    expect(check(burst([30 * S, 699, 699, 699]))).toMatchObject({ severity: "medium", detail: { fastGaps: 3 } });
    expect(check(burst([30 * S, 700, 700, 700]))).toBeNull();
  });

  it("ignores answers without an address, and sorts the answers itself", () => {
    const answers = answersAt(every(20, 3 * S), { ip: (k) => (k % 2 ? null : WIFI) });
    expect(check(answers)).toBeNull();
    expect(check([...answersAt(every(20, 4 * S), { ip: (k) => (k % 2 ? MOBILE : WIFI) })].reverse())?.detail).toMatchObject({ ipSwitches: 18 });
  });

  // The answer queue keeps answers given while the phone is offline and sends them one after another
  // when the network is back; the server stamps each with its arrival, so 4 answers given 30 s apart
  // arrive within a second. A burst that begins just after an "online" event is that flush.
  it("does not take an offline queue flush for a burst of fast answers", () => {
    const answers = answersAt([...every(9, 30 * S), 300.2 * S, 300.4 * S, 300.6 * S, 300.8 * S, ...every(7, 30 * S, 330 * S)]);
    expect(run(impossibleTimeline, ctx({ answers, events: [ev("online", 300 * S)] }))).toBeNull();
    // The same burst without the "online" event is counted.
    expect(run(impossibleTimeline, ctx({ answers }))).toMatchObject({ severity: "medium", detail: { fastGaps: 3 } });
  });

  it("flushWindowSeconds (10): a burst starting 10 s after \"online\" is excused, 10.001 s after is not", () => {
    const at10 = flushAfter(10 * S);
    expect(check(at10.answers, {}, at10.events)).toBeNull();
    const late = flushAfter(10 * S + 1);
    expect(check(late.answers, {}, late.events)).toEqual({ severity: "medium", detail: { beforeStart: 0, fastGaps: 3, ipSwitches: 0, ips: [WIFI] } });
    // A burst that began before the "online" event is not excused either.
    const early = flushAfter(-1 * S);
    expect(check(early.answers, {}, early.events)).toMatchObject({ severity: "medium", detail: { fastGaps: 3 } });
    // flushWindowSeconds: 0 excuses only a burst that begins at the very moment of the event.
    const at0 = flushAfter(0);
    expect(check(at0.answers, {}, at0.events, { flushWindowSeconds: 0 })).toBeNull();
    const at1 = flushAfter(200);
    expect(check(at1.answers, {}, at1.events, { flushWindowSeconds: 0 })).toMatchObject({ severity: "medium", detail: { fastGaps: 3 } });
  });

  // The browser reports "online" itself, so a script could send one before its burst: a flush excuses
  // at most maxFlushAnswers (8) fast gaps, even past the window; the rest of the run counts.
  it("maxFlushAnswers (8): a flush of 8 fast gaps after \"online\" is excused, 9 count 1, 11 count 3 (medium)", () => {
    // Answers 650 ms apart from 5:09 (9 s after "online"): one run, begun in the window, ending past it.
    const flush = (gaps: number) => answersAt([...every(8, 30 * S), ...Array.from({ length: gaps + 1 }, (_, k) => 309 * S + k * 650)]);
    const online = [ev("online", 300 * S)];
    expect(check(flush(8), {}, online)).toBeNull();
    // maxFastGaps 0 and 1 make the rule report what it counted.
    expect(check(flush(8), {}, online, { maxFastGaps: 0 })).toEqual({ severity: "medium", detail: { beforeStart: 0, fastGaps: 0, ipSwitches: 0, ips: [WIFI] } });
    expect(check(flush(9), {}, online)).toBeNull();
    expect(check(flush(9), {}, online, { maxFastGaps: 1 })).toEqual({ severity: "medium", detail: { beforeStart: 0, fastGaps: 1, ipSwitches: 0, ips: [WIFI] } });
    expect(check(flush(11), {}, online)).toEqual({ severity: "medium", detail: { beforeStart: 0, fastGaps: 3, ipSwitches: 0, ips: [WIFI] } });
    // The same 11 without the event: all counted. A round can excuse more, or none.
    expect(check(flush(11))).toEqual({ severity: "medium", detail: { beforeStart: 0, fastGaps: 11, ipSwitches: 0, ips: [WIFI] } });
    expect(check(flush(11), {}, online, { maxFlushAnswers: 11 })).toBeNull();
    expect(check(flush(3), {}, online, { maxFlushAnswers: 0 })).toEqual({ severity: "medium", detail: { beforeStart: 0, fastGaps: 3, ipSwitches: 0, ips: [WIFI] } });
  });

  it("does not excuse a later burst: the window belongs to the first run only", () => {
    const flush = Array.from({ length: 8 }, (_, k) => 309 * S + k * 650);
    const later = answersAt([...every(8, 30 * S), ...flush, 480 * S, 480.3 * S, 480.6 * S, 480.9 * S]);
    expect(check(later, {}, [ev("online", 300 * S)])).toEqual({ severity: "medium", detail: { beforeStart: 0, fastGaps: 3, ipSwitches: 0, ips: [WIFI] } });
  });
});

// ---------------------------------------------------------------------------------------------

describe("effectiveSettings", () => {
  it("gives the rule's defaults without overrides, as a copy", () => {
    for (const rule of FLAG_RULES) {
      const { enabled, settings } = effectiveSettings(rule, {});
      expect(enabled).toBe(true);
      expect(settings).toEqual(rule.defaults);
      expect(settings).not.toBe(rule.defaults);
    }
    const { settings } = effectiveSettings(tooFast, {});
    settings.minSecondsPerQuestion = 99;
    expect(tooFast.defaults.minSecondsPerQuestion).toBe(3);
  });

  it("has the defaults tuned with the flags bench", () => {
    expect(Object.fromEntries(FLAG_RULES.map((r) => [r.name, r.defaults]))).toEqual({
      "too-fast": { minSecondsPerQuestion: 3, allCorrectMinSeconds: 60 },
      "focus-lost": { maxAbsences: 5, maxAbsentSeconds: 240, maxPastes: 3 },
      "shared-device": { maxAccountsPerDevice: 3, maxAccountsPerIpAndAgent: 40, windowMinutes: 60 },
      "same-answers": { minCommonQuestions: 10, minSameShare: 0.95, maxStartGapMinutes: 10, maxDurationGapShare: 0.1 },
      identity: { maxRegistrationsPerDevice: 3, maxRegistrationsPerIp: 60 },
      "impossible-timeline": { minGapMs: 700, maxFastGaps: 3, ipSwitchSeconds: 10, maxIpSwitches: 0, flushWindowSeconds: 10, maxFlushAnswers: 8 },
    });
  });

  it("applies a round's numeric overrides, 0 included, to that rule only", () => {
    const o = { "too-fast": { minSecondsPerQuestion: 2, allCorrectMinSeconds: 0 }, "focus-lost": { maxAbsences: 8 }, "impossible-timeline": { maxFlushAnswers: 0 } };
    expect(effectiveSettings(tooFast, o)).toEqual({ enabled: true, settings: { minSecondsPerQuestion: 2, allCorrectMinSeconds: 0 } });
    expect(effectiveSettings(focusLost, o).settings).toEqual({ maxAbsences: 8, maxAbsentSeconds: 240, maxPastes: 3 });
    expect(effectiveSettings(impossibleTimeline, o).settings).toEqual({ minGapMs: 700, maxFastGaps: 3, ipSwitchSeconds: 10, maxIpSwitches: 0, flushWindowSeconds: 10, maxFlushAnswers: 0 });
    expect(effectiveSettings(identity, o).settings).toEqual(identity.defaults);
  });

  it("switches a rule off with enabled: false or 0, and keeps it on with true, 1 or nothing", () => {
    expect(effectiveSettings(tooFast, { "too-fast": { enabled: false } }).enabled).toBe(false);
    expect(effectiveSettings(tooFast, { "too-fast": { enabled: 0 } }).enabled).toBe(false);
    expect(effectiveSettings(tooFast, { "too-fast": { enabled: true } }).enabled).toBe(true);
    expect(effectiveSettings(tooFast, { "too-fast": { enabled: 1 } }).enabled).toBe(true);
    expect(effectiveSettings(tooFast, { "too-fast": { minSecondsPerQuestion: 1 } }).enabled).toBe(true);
    // Switching one rule off leaves the others on.
    expect(effectiveSettings(focusLost, { "too-fast": { enabled: false } }).enabled).toBe(true);
  });

  it("ignores junk: negative, NaN, infinite, strings, booleans, null, and unknown keys", () => {
    const junk = {
      "focus-lost": { maxAbsences: -1, maxAbsentSeconds: Number.NaN, maxPastes: Number.POSITIVE_INFINITY, bogus: 5 },
      "shared-device": { maxAccountsPerDevice: "9", maxAccountsPerIpAndAgent: true, windowMinutes: null },
    } as unknown as Parameters<typeof effectiveSettings>[1];
    expect(effectiveSettings(focusLost, junk)).toEqual({ enabled: true, settings: focusLost.defaults });
    expect(effectiveSettings(sharedDevice, junk)).toEqual({ enabled: true, settings: sharedDevice.defaults });
    expect(effectiveSettings(focusLost, junk).settings).not.toHaveProperty("bogus");
    // `enabled` is a switch, never a threshold.
    expect(effectiveSettings(tooFast, { "too-fast": { enabled: 0 } }).settings).not.toHaveProperty("enabled");
  });
});

describe("evaluateFlags", () => {
  /** One attempt that every rule flags. */
  function guilty(): FlagContext {
    const answers = answersAt([-1 * S, ...every(19, 500, 0)], { ip: (k) => (k % 2 ? "100.64.7.9" : "203.0.113.10") });
    const sameDevice = Array.from({ length: 6 }, () => peer({ deviceId: "dev-me", startedAt: at(MIN) }));
    const copy = peer({ startedAt: at(MIN), durationMs: 10 * S, choices: new Map(answers.map((a) => [a.questionId, a.optionId])) });
    return ctx({
      attempt: { durationMs: 10 * S, closedAt: at(10 * S), correctCount: 20 },
      answers,
      events: Array.from({ length: 12 }, (_, k) => blurFor(k * 700, 300)).flat(),
      peers: [...sameDevice, copy],
      identity: { nationalIdValid: false },
    });
  }

  it("runs every rule and returns the results in FLAG_RULES order", () => {
    const out = evaluateFlags(guilty());
    expect(out.map((r) => r.rule)).toEqual(FLAG_RULE_NAMES);
    expect(FLAG_RULE_NAMES).toEqual(["too-fast", "focus-lost", "shared-device", "same-answers", "identity", "impossible-timeline"]);
    expect(Object.fromEntries(out.map((r) => [r.rule, r.flag.severity]))).toEqual({
      "too-fast": "high",
      "focus-lost": "medium",
      "shared-device": "high",
      "same-answers": "medium",
      identity: "high",
      "impossible-timeline": "high",
    });
  });

  it("skips disabled rules and keeps the order of the rest", () => {
    const out = evaluateFlags(guilty(), { "focus-lost": { enabled: false }, identity: { enabled: 0 } });
    expect(out.map((r) => r.rule)).toEqual(["too-fast", "shared-device", "same-answers", "impossible-timeline"]);
  });

  it("passes the round's thresholds to the rules", () => {
    const c = ctx({ attempt: { durationMs: 50 * S, closedAt: at(50 * S), correctCount: 12 } });
    expect(evaluateFlags(c).map((r) => r.rule)).toEqual(["too-fast"]);
    expect(evaluateFlags(c, { "too-fast": { minSecondsPerQuestion: 2 } })).toEqual([]);
  });

  it("raises nothing for a normal attempt", () => {
    expect(evaluateFlags(ctx())).toEqual([]);
  });

  it("runs only the rules it is given", () => {
    expect(evaluateFlags(guilty(), {}, [identity, tooFast]).map((r) => r.rule)).toEqual(["identity", "too-fast"]);
  });
});
