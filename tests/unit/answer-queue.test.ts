// The browser answer queue ("never lose an answer"): local storage first, then the server, with
// retries and backoff. Everything it touches is injected, so these tests drive it by hand: an
// in-memory storage that can fail, a sender whose every call the test resolves itself, and Vitest's
// fake timers (wrapped to record each delay the queue asks for).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AnswerQueue, BACKOFF_MS, httpSender, type QueueDeps, type QueueState, type SendOutcome } from "../../app/lib/answer-queue";

const KEY = "cchc:answers:att-1";

/** localStorage in memory; logs every operation, and can be told to throw like a full or disabled storage. */
class FakeStorage {
  data = new Map<string, string>();
  log: string[] = [];
  failSet = false;
  failRemove = false;
  failGet = false;
  getItem(k: string): string | null {
    this.log.push(`get ${k}`);
    if (this.failGet) throw new Error("SecurityError: storage is disabled");
    return this.data.has(k) ? this.data.get(k)! : null;
  }
  setItem(k: string, v: string) {
    this.log.push(`set ${k} ${v}`);
    if (this.failSet) throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    this.data.set(k, v);
  }
  removeItem(k: string) {
    this.log.push(`remove ${k}`);
    if (this.failRemove) throw new Error("storage is disabled");
    this.data.delete(k);
  }
  json(k = KEY): unknown {
    const v = this.data.get(k);
    return v === undefined ? undefined : JSON.parse(v);
  }
}

interface Call {
  questionId: string;
  optionId: string;
  /** What storage held for the queue's key at the moment send() was called. */
  storedAtSend: unknown;
  resolve(o: SendOutcome): void;
}

/** A queue over fake storage, a sender the test answers call by call, and recording fake timers. */
function setup(opts: { storage?: FakeStorage | null; key?: string } = {}) {
  const storage = opts.storage === undefined ? new FakeStorage() : opts.storage;
  const calls: Call[] = [];
  const delays: number[] = [];
  const cleared: unknown[] = [];
  const deps: QueueDeps = {
    send: (questionId, optionId) =>
      new Promise<SendOutcome>((resolve) => {
        storage?.log.push(`send ${questionId} ${optionId}`);
        calls.push({ questionId, optionId, storedAtSend: storage?.json(opts.key ?? KEY), resolve });
      }),
    storage,
    setTimeout: (fn, ms) => {
      delays.push(ms);
      return setTimeout(fn, ms);
    },
    clearTimeout: (h) => {
      cleared.push(h);
      clearTimeout(h as ReturnType<typeof setTimeout>);
    },
  };
  const queue = new AnswerQueue(opts.key ?? KEY, deps);
  const states: QueueState[] = [];
  queue.subscribe((s) => states.push(s));
  /** The send calls still waiting for an answer. */
  const open = () => calls.filter((c) => !(c as Call & { done?: boolean }).done);
  /** Answers the oldest unanswered send call and lets the queue react. */
  async function answer(outcome: SendOutcome) {
    const c = open()[0];
    if (!c) throw new Error("no send in flight");
    (c as Call & { done?: boolean }).done = true;
    c.resolve(outcome);
    await settle();
    return c;
  }
  return { queue, storage: storage as FakeStorage, calls, delays, cleared, states, deps, open, answer };
}

/** Lets pending promise callbacks run (the timers are fake, microtasks are not). */
async function settle() {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

const sent = (calls: Call[]) => calls.map((c) => `${c.questionId}=${c.optionId}`);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("choosing an answer", () => {
  it("writes the choice to storage before sending it", async () => {
    const { queue, storage, calls } = setup();
    queue.choose("q1", "o1");
    await settle();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ questionId: "q1", optionId: "o1" });
    // Storage already held it when send() was called: a crash mid-request loses nothing.
    expect(calls[0].storedAtSend).toEqual({ q1: "o1" });
    const setAt = storage.log.indexOf(`set ${KEY} {"q1":"o1"}`);
    const sendAt = storage.log.indexOf("send q1 o1");
    expect(setAt).toBeGreaterThanOrEqual(0);
    expect(setAt).toBeLessThan(sendAt);
    expect(queue.snapshot.pending).toEqual({ q1: "o1" });
    expect(queue.snapshot.sending).toBe(true);
  });

  it("removes an acknowledged answer from storage, and the key once nothing is pending", async () => {
    const { queue, storage, calls, answer } = setup();
    queue.choose("q1", "o1");
    queue.choose("q2", "o2");
    await settle();
    expect(storage.json()).toEqual({ q1: "o1", q2: "o2" });
    await answer("saved");
    expect(storage.json()).toEqual({ q2: "o2" });
    expect(queue.snapshot.pending).toEqual({ q2: "o2" });
    await answer("saved");
    expect(storage.data.has(KEY)).toBe(false);
    expect(storage.log.at(-1)).toBe(`remove ${KEY}`);
    expect(queue.snapshot).toMatchObject({ pending: {}, refused: {}, failures: 0, sending: false });
    expect(sent(calls)).toEqual(["q1=o1", "q2=o2"]);
  });

  it("sends one answer at a time, in the order chosen", async () => {
    const { queue, calls, open, answer } = setup();
    queue.choose("q1", "a");
    queue.choose("q2", "b");
    queue.choose("q3", "c");
    await settle();
    expect(open()).toHaveLength(1);
    await answer("saved");
    expect(open()).toHaveLength(1);
    await answer("saved");
    await answer("saved");
    expect(sent(calls)).toEqual(["q1=a", "q2=b", "q3=c"]);
    expect(open()).toHaveLength(0);
  });

  it("keeps only the latest choice for a question that has not been sent yet", async () => {
    const { queue, storage, calls, answer } = setup();
    queue.choose("q1", "a"); // in flight
    queue.choose("q2", "x");
    queue.choose("q2", "y");
    queue.choose("q2", "z");
    await settle();
    expect(storage.json()).toEqual({ q1: "a", q2: "z" });
    await answer("saved");
    await answer("saved");
    expect(sent(calls)).toEqual(["q1=a", "q2=z"]);
    expect(queue.snapshot.pending).toEqual({});
  });

  it("keeps a newer choice made while an older one for the same question is in flight, and sends it next", async () => {
    const { queue, storage, calls, answer } = setup();
    queue.choose("q1", "a");
    await settle();
    expect(sent(calls)).toEqual(["q1=a"]);
    queue.choose("q1", "b"); // while q1=a is on the wire
    await settle();
    expect(calls).toHaveLength(1); // not sent concurrently
    expect(storage.json()).toEqual({ q1: "b" });
    await answer("saved"); // the server acknowledges the OLD choice
    // The acknowledgement of "a" must not drop "b".
    expect(queue.snapshot.pending).toEqual({ q1: "b" });
    expect(storage.json()).toEqual({ q1: "b" });
    expect(sent(calls)).toEqual(["q1=a", "q1=b"]);
    await answer("saved");
    expect(queue.snapshot.pending).toEqual({});
    expect(storage.data.has(KEY)).toBe(false);
    expect(calls).toHaveLength(2);
  });

  it("sends the latest choice, not the failed one, when a question is changed while waiting to retry", async () => {
    const { queue, calls, answer } = setup();
    queue.choose("q1", "a");
    await settle();
    await answer("retry");
    queue.choose("q1", "b");
    await settle();
    await vi.advanceTimersByTimeAsync(60_000);
    while (calls.some((c) => !(c as Call & { done?: boolean }).done)) await answer("saved");
    expect(sent(calls).slice(1)).toEqual(["q1=b"]);
    expect(queue.snapshot.pending).toEqual({});
  });
});

describe("retrying", () => {
  it("exports the backoff schedule", () => {
    expect(BACKOFF_MS).toEqual([1_000, 2_000, 4_000, 8_000, 15_000, 30_000]);
  });

  it("backs off 1, 2, 4, 8, 15, 30, 30 s and keeps the answer", async () => {
    const { queue, storage, calls, delays, answer } = setup();
    queue.choose("q1", "o1");
    await settle();
    const expected = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000, 30_000, 30_000];
    for (let i = 0; i < expected.length; i++) {
      await answer("retry");
      expect(queue.snapshot.failures).toBe(i + 1);
      expect(delays.at(-1)).toBe(expected[i]);
      // Nothing is sent again before the delay is over…
      await vi.advanceTimersByTimeAsync(expected[i] - 1);
      expect(calls).toHaveLength(i + 1);
      // …and it is sent again once it is.
      await vi.advanceTimersByTimeAsync(1);
      expect(calls).toHaveLength(i + 2);
      expect(calls.at(-1)).toMatchObject({ questionId: "q1", optionId: "o1" });
      expect(queue.snapshot.pending).toEqual({ q1: "o1" });
      expect(storage.json()).toEqual({ q1: "o1" });
    }
    expect(delays).toEqual(expected);
  });

  it("resets the failure count after a success, so the next failure waits 1 s again", async () => {
    const { queue, delays, answer } = setup();
    queue.choose("q1", "a");
    await settle();
    await answer("retry");
    await vi.advanceTimersByTimeAsync(1_000);
    await answer("retry");
    await vi.advanceTimersByTimeAsync(2_000);
    await answer("retry");
    expect(queue.snapshot.failures).toBe(3);
    expect(delays).toEqual([1_000, 2_000, 4_000]);
    await vi.advanceTimersByTimeAsync(4_000);
    await answer("saved");
    expect(queue.snapshot.failures).toBe(0);
    expect(queue.snapshot.pending).toEqual({});

    queue.choose("q2", "b");
    await settle();
    await answer("retry");
    expect(queue.snapshot.failures).toBe(1);
    expect(delays.at(-1)).toBe(1_000);
  });

  it("resets the failure count when one answer succeeds even if others remain", async () => {
    const { queue, answer } = setup();
    queue.choose("q1", "a");
    queue.choose("q2", "b");
    await settle();
    await answer("retry");
    await vi.advanceTimersByTimeAsync(1_000);
    await answer("retry");
    expect(queue.snapshot.failures).toBe(2);
    await vi.advanceTimersByTimeAsync(2_000);
    await answer("saved"); // q1 goes through; q2 is now in flight
    expect(queue.snapshot.failures).toBe(0);
    expect(queue.snapshot.pending).toEqual({ q2: "b" });
  });

  it("has one retry timer at a time, and dispose() cancels it", async () => {
    const { queue, calls, delays, cleared, answer } = setup();
    queue.choose("q1", "a");
    await settle();
    await answer("retry");
    expect(delays).toEqual([1_000]);
    expect(vi.getTimerCount()).toBe(1);
    queue.dispose();
    expect(cleared).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(calls).toHaveLength(1);
  });

  it("does not lose the answer when the attempt's storage content is kept across retries", async () => {
    const { queue, storage, answer } = setup();
    queue.choose("q1", "a");
    await settle();
    for (let i = 0; i < 3; i++) {
      await answer("retry");
      await vi.advanceTimersByTimeAsync(BACKOFF_MS[i]);
    }
    expect(storage.json()).toEqual({ q1: "a" });
    await answer("saved");
    expect(storage.data.has(KEY)).toBe(false);
  });
});

describe("answers the server will not take", () => {
  it("moves a refused answer (409: time is up) to `refused` and drops it from pending, then goes on", async () => {
    const { queue, storage, calls, delays, answer } = setup();
    queue.choose("q1", "a");
    queue.choose("q2", "b");
    await settle();
    await answer("refused");
    expect(queue.snapshot.refused).toEqual({ q1: "a" });
    expect(queue.snapshot.pending).toEqual({ q2: "b" });
    expect(storage.json()).toEqual({ q2: "b" });
    expect(queue.snapshot.failures).toBe(0);
    expect(delays).toEqual([]); // no retry of a refused answer
    await answer("saved");
    expect(sent(calls)).toEqual(["q1=a", "q2=b"]);
    expect(queue.snapshot).toMatchObject({ pending: {}, refused: { q1: "a" }, sending: false });
    expect(storage.data.has(KEY)).toBe(false);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(calls).toHaveLength(2);
  });

  it("drops an invalid answer (400/404) without retrying it or marking it refused", async () => {
    const { queue, storage, calls, delays, answer } = setup();
    queue.choose("q1", "a");
    queue.choose("q2", "b");
    await settle();
    await answer("invalid");
    expect(queue.snapshot.pending).toEqual({ q2: "b" });
    expect(queue.snapshot.refused).toEqual({});
    expect(storage.json()).toEqual({ q2: "b" });
    await answer("saved");
    expect(delays).toEqual([]);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(sent(calls)).toEqual(["q1=a", "q2=b"]);
    expect(queue.snapshot.pending).toEqual({});
  });
});

describe("surviving a reload", () => {
  it("restores what storage holds on construction and sends it on flush", async () => {
    const storage = new FakeStorage();
    storage.data.set(KEY, JSON.stringify({ q1: "a", q2: "b" }));
    storage.data.set("cchc:answers:other", JSON.stringify({ q9: "z" }));
    const { queue, calls, answer } = setup({ storage });
    expect(queue.snapshot).toMatchObject({ pending: { q1: "a", q2: "b" }, refused: {}, failures: 0, sending: false });
    void queue.flush();
    await settle();
    await answer("saved");
    await answer("saved");
    expect(sent(calls)).toEqual(["q1=a", "q2=b"]);
    expect(storage.data.has(KEY)).toBe(false);
    expect(storage.data.has("cchc:answers:other")).toBe(true); // another attempt's answers are untouched
  });

  it("a page that closes mid-request leaves the answer for the next page to send", async () => {
    const storage = new FakeStorage();
    const first = setup({ storage });
    first.queue.choose("q1", "a");
    first.queue.choose("q2", "b");
    await settle();
    await first.answer("saved"); // q1 acknowledged; q2 in flight when the tab closes
    first.queue.dispose();

    const second = setup({ storage });
    expect(second.queue.snapshot.pending).toEqual({ q2: "b" });
    void second.queue.flush();
    await settle();
    expect(sent(second.calls)).toEqual(["q2=b"]);
  });

  it.each([
    ["not JSON", "{q1: 'a'"],
    ["null", "null"],
    ["a number", "42"],
    ["a string", '"q1"'],
    ["empty", ""],
    ["true", "true"],
  ])("starts empty, without crashing, when storage holds %s", async (_label, raw) => {
    const storage = new FakeStorage();
    storage.data.set(KEY, raw);
    let made: ReturnType<typeof setup> | undefined;
    expect(() => {
      made = setup({ storage });
    }).not.toThrow();
    const { queue, calls, answer } = made!;
    expect(queue.snapshot.pending).toEqual({});
    // …and still works.
    queue.choose("q1", "a");
    await settle();
    expect(storage.json()).toEqual({ q1: "a" });
    await answer("saved");
    expect(sent(calls)).toEqual(["q1=a"]);
    expect(queue.snapshot.pending).toEqual({});
  });

  it("ignores storage holding an array or values of the wrong type: nothing is sent", async () => {
    for (const raw of ['["a","b"]', '{"q1":5,"q2":null}']) {
      const storage = new FakeStorage();
      storage.data.set(KEY, raw);
      const { queue, calls } = setup({ storage });
      void queue.flush();
      await settle();
      expect(calls).toHaveLength(0);
      expect(queue.snapshot.pending).toEqual({});
    }
    const storage = new FakeStorage();
    storage.data.set(KEY, '{"q1":"a","q2":7}');
    expect(setup({ storage }).queue.snapshot.pending).toEqual({ q1: "a" });
  });

  it("starts empty when reading storage throws (storage disabled)", () => {
    const storage = new FakeStorage();
    storage.data.set(KEY, JSON.stringify({ q1: "a" }));
    storage.failGet = true;
    const { queue } = setup({ storage });
    expect(queue.snapshot.pending).toEqual({});
  });
});

describe("when storage fails", () => {
  it("keeps the answer in memory and still sends it when storage is full", async () => {
    const storage = new FakeStorage();
    storage.failSet = true;
    const { queue, calls, answer } = setup({ storage });
    expect(() => queue.choose("q1", "a")).not.toThrow();
    await settle();
    expect(queue.snapshot.pending).toEqual({ q1: "a" });
    expect(storage.log).toContain(`set ${KEY} {"q1":"a"}`); // it tried
    expect(sent(calls)).toEqual(["q1=a"]);
    await answer("retry"); // still kept in memory across a failure
    expect(queue.snapshot.pending).toEqual({ q1: "a" });
    await vi.advanceTimersByTimeAsync(1_000);
    await answer("saved");
    expect(queue.snapshot.pending).toEqual({});
    expect(sent(calls)).toEqual(["q1=a", "q1=a"]);
  });

  it("survives removeItem throwing", async () => {
    const storage = new FakeStorage();
    storage.failRemove = true;
    const { queue, answer } = setup({ storage });
    queue.choose("q1", "a");
    await settle();
    await expect(answer("saved")).resolves.toBeDefined();
    expect(queue.snapshot).toMatchObject({ pending: {}, sending: false });
  });

  it("works without any storage", async () => {
    const { queue, calls, answer } = setup({ storage: null });
    expect(queue.snapshot.pending).toEqual({});
    queue.choose("q1", "a");
    await settle();
    await answer("saved");
    expect(sent(calls)).toEqual(["q1=a"]);
    expect(queue.snapshot.pending).toEqual({});
  });
});

describe("drain (before submitting)", () => {
  it("resolves true at once when nothing is pending", async () => {
    const { queue, calls } = setup();
    await expect(queue.drain(8_000)).resolves.toBe(true);
    expect(calls).toHaveLength(0);
  });

  it("resolves true when everything pending has been sent", async () => {
    const { queue, answer } = setup();
    queue.choose("q1", "a");
    queue.choose("q2", "b");
    await settle();
    let result: boolean | undefined;
    void queue.drain(8_000).then((r) => (result = r));
    await settle();
    expect(result).toBeUndefined();
    await answer("saved");
    await answer("saved");
    await vi.advanceTimersByTimeAsync(500);
    expect(result).toBe(true);
    expect(queue.snapshot.pending).toEqual({});
  });

  it("does not wait for the backoff: it retries while draining and resolves true once the server answers", async () => {
    const { queue, calls, answer } = setup();
    queue.choose("q1", "a");
    await settle();
    await answer("retry"); // the queue would now wait 1 s
    let result: boolean | undefined;
    void queue.drain(8_000).then((r) => (result = r));
    await settle();
    expect(calls).toHaveLength(2); // drain sent at once
    await answer("saved");
    await vi.advanceTimersByTimeAsync(500);
    expect(result).toBe(true);
  });

  it("resolves false when the time runs out and keeps the answer", async () => {
    const { queue, storage, calls, answer } = setup();
    queue.choose("q1", "a");
    await settle();
    await answer("retry");
    let result: boolean | undefined;
    void queue.drain(3_000).then((r) => (result = r));
    // The server keeps failing.
    for (let t = 0; t < 3_000 && result === undefined; t += 100) {
      while (calls.some((c) => !(c as Call & { done?: boolean }).done)) await answer("retry");
      await vi.advanceTimersByTimeAsync(100);
    }
    while (calls.some((c) => !(c as Call & { done?: boolean }).done)) await answer("retry");
    await vi.advanceTimersByTimeAsync(1_000);
    expect(result).toBe(false);
    expect(queue.snapshot.pending).toEqual({ q1: "a" });
    expect(storage.json()).toEqual({ q1: "a" });
  });

  it("resolves false when a request hangs past the time limit", async () => {
    const { queue } = setup();
    queue.choose("q1", "a"); // never answered
    await settle();
    let result: boolean | undefined;
    void queue.drain(2_000).then((r) => (result = r));
    await vi.advanceTimersByTimeAsync(1_999);
    expect(result).toBeUndefined();
    await vi.advanceTimersByTimeAsync(600);
    expect(result).toBe(false);
    expect(queue.snapshot.pending).toEqual({ q1: "a" });
  });

  it("uses the clock it is given", async () => {
    const { queue } = setup();
    queue.choose("q1", "a"); // hangs
    await settle();
    let t = 0;
    let result: boolean | undefined;
    void queue.drain(10_000, () => t).then((r) => (result = r));
    await vi.advanceTimersByTimeAsync(500);
    expect(result).toBeUndefined();
    t = 10_000;
    await vi.advanceTimersByTimeAsync(500);
    expect(result).toBe(false);
  });
});

describe("subscribers", () => {
  it("get the state at once and on every change, until they unsubscribe", async () => {
    const { queue, answer } = setup();
    const seen: QueueState[] = [];
    const off = queue.subscribe((s) => seen.push(s));
    expect(seen).toHaveLength(1);
    queue.choose("q1", "a");
    await settle();
    expect(seen.some((s) => s.sending && s.pending.q1 === "a")).toBe(true);
    await answer("saved");
    expect(seen.at(-1)).toMatchObject({ pending: {}, sending: false, failures: 0 });
    const n = seen.length;
    off();
    queue.choose("q2", "b");
    await settle();
    expect(seen).toHaveLength(n);
  });
});

describe("httpSender", () => {
  type Init = RequestInit & { headers: Record<string, string> };
  function fakeFetch(respond: () => Response | Promise<Response>) {
    const requests: { url: string; init: Init }[] = [];
    const impl = (async (url: string, init: Init) => {
      requests.push({ url, init });
      return respond();
    }) as unknown as typeof fetch;
    return { impl, requests };
  }

  it("PUTs JSON {optionId} to /api/v1/attempts/:id/answers/:questionId with the session cookie", async () => {
    const f = fakeFetch(() => Response.json({ savedAt: "2025-10-01T00:00:00Z" }));
    const send = httpSender("att-1", f.impl);
    await expect(send("q-7", "opt-3")).resolves.toBe("saved");
    expect(f.requests).toHaveLength(1);
    const { url, init } = f.requests[0];
    expect(url).toBe("/api/v1/attempts/att-1/answers/q-7");
    expect(init.method).toBe("PUT");
    expect(new Headers(init.headers).get("content-type")).toBe("application/json");
    expect(JSON.parse(init.body as string)).toEqual({ optionId: "opt-3" });
    expect(init.credentials).toBe("same-origin");
  });

  it("escapes the ids in the path", async () => {
    const f = fakeFetch(() => new Response(null, { status: 204 }));
    await httpSender("a/b?c", f.impl)("q#1 2", "o");
    expect(f.requests[0].url).toBe("/api/v1/attempts/a%2Fb%3Fc/answers/q%231%202");
  });

  it.each([
    [200, "saved"],
    [201, "saved"],
    [204, "saved"],
    [409, "refused"],
    [400, "invalid"],
    [404, "invalid"],
    [403, "invalid"], // cross-origin or wrong content type: a retry cannot change it
    [413, "invalid"],
    [401, "retry"],
    [408, "retry"],
    [429, "retry"],
    [500, "retry"],
    [502, "retry"],
    [503, "retry"],
  ] as const)("maps HTTP %i to %s", async (status, outcome) => {
    const body = status === 204 ? null : JSON.stringify(status < 300 ? { savedAt: "x" } : { error: { code: "X", message: "x" } });
    const f = fakeFetch(() => new Response(body, { status, headers: { "Content-Type": "application/json" } }));
    await expect(httpSender("att-1", f.impl)("q1", "o1")).resolves.toBe(outcome);
  });

  it("maps a network error (offline, reset) to retry instead of throwing", async () => {
    const f = fakeFetch(() => Promise.reject(new TypeError("Failed to fetch")));
    await expect(httpSender("att-1", f.impl)("q1", "o1")).resolves.toBe("retry");
    const g = fakeFetch(() => {
      throw new TypeError("synchronous failure");
    });
    await expect(httpSender("att-1", g.impl)("q1", "o1")).resolves.toBe("retry");
  });

  it("drives the queue end to end: a 500 is retried, a 200 clears storage", async () => {
    const statuses = [500, 200];
    const f = fakeFetch(() => new Response("{}", { status: statuses.shift() ?? 200 }));
    const storage = new FakeStorage();
    const queue = new AnswerQueue(KEY, {
      send: httpSender("att-1", f.impl),
      storage,
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    });
    queue.choose("q1", "o1");
    await vi.advanceTimersByTimeAsync(0);
    expect(queue.snapshot).toMatchObject({ pending: { q1: "o1" }, failures: 1 });
    expect(storage.json()).toEqual({ q1: "o1" });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(f.requests).toHaveLength(2);
    expect(queue.snapshot).toMatchObject({ pending: {}, failures: 0, sending: false });
    expect(storage.data.has(KEY)).toBe(false);
  });
});
