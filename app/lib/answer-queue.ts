// The browser side of "never lose an answer": every choice is written to local storage first, then
// sent; what the server has not acknowledged is retried with backoff until it is, and survives a
// reload or a closed tab. Browser-only, but with fetch, storage and timers injected for tests.

export type SendOutcome = "saved" | "refused" | "invalid" | "retry";

export interface QueueDeps {
  /** PUT one answer; resolves to what happened, never throws. */
  send(questionId: string, optionId: string): Promise<SendOutcome>;
  storage: Pick<Storage, "getItem" | "setItem" | "removeItem"> | null;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface QueueState {
  pending: Record<string, string>;
  refused: Record<string, string>;
  /** Consecutive failed tries: > 0 means the network is struggling. */
  failures: number;
  sending: boolean;
}

export const BACKOFF_MS = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000];

export class AnswerQueue {
  private state: QueueState;
  private timer: unknown = null;
  private disposed = false;
  private listeners = new Set<(s: QueueState) => void>();

  constructor(
    private readonly key: string,
    private readonly deps: QueueDeps,
  ) {
    this.state = { pending: this.load(), refused: {}, failures: 0, sending: false };
  }

  private load(): Record<string, string> {
    try {
      const raw = this.deps.storage?.getItem(this.key);
      const parsed = raw ? JSON.parse(raw) : {};
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return {};
      return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === "string"));
    } catch {
      return {};
    }
  }

  private persist() {
    try {
      if (Object.keys(this.state.pending).length) this.deps.storage?.setItem(this.key, JSON.stringify(this.state.pending));
      else this.deps.storage?.removeItem(this.key);
    } catch {
      // Storage full or disabled (private mode): the answer is still in memory and being sent.
    }
  }

  private emit(patch: Partial<QueueState>) {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l(this.state);
  }

  subscribe(l: (s: QueueState) => void): () => void {
    this.listeners.add(l);
    l(this.state);
    return () => this.listeners.delete(l);
  }

  get snapshot(): QueueState {
    return this.state;
  }

  /** Records a choice (the latest choice for a question wins) and sends it. */
  choose(questionId: string, optionId: string) {
    this.emit({ pending: { ...this.state.pending, [questionId]: optionId } });
    this.persist();
    void this.flush();
  }

  /** Sends everything pending, one at a time; schedules a retry on failure. Resolves when done or waiting. */
  async flush(): Promise<void> {
    if (this.state.sending) return;
    if (this.timer !== null) {
      this.deps.clearTimeout(this.timer);
      this.timer = null;
    }
    this.emit({ sending: true });
    try {
      for (;;) {
        const next = Object.entries(this.state.pending)[0];
        if (!next) {
          this.emit({ failures: 0 });
          return;
        }
        const [questionId, optionId] = next;
        const outcome = await this.deps.send(questionId, optionId);
        if (this.disposed) return;
        if (outcome === "retry") {
          const failures = this.state.failures + 1;
          this.emit({ failures });
          this.timer = this.deps.setTimeout(() => void this.flush(), BACKOFF_MS[Math.min(failures - 1, BACKOFF_MS.length - 1)]);
          return;
        }
        const pending = { ...this.state.pending };
        // A newer choice made while this one was in flight stays pending and is sent next.
        if (pending[questionId] === optionId) delete pending[questionId];
        const refused = { ...this.state.refused };
        if (outcome === "refused") refused[questionId] = optionId;
        else delete refused[questionId]; // saved (or dropped) later: no longer "not recorded"
        this.emit({ pending, refused, failures: 0 });
        this.persist();
      }
    } finally {
      this.emit({ sending: false });
    }
  }

  /** Flushes and waits up to `ms` for the queue to empty (before submitting). */
  async drain(ms: number, now: () => number = Date.now): Promise<boolean> {
    const until = now() + ms;
    while (Object.keys(this.state.pending).length && now() < until) {
      await this.flush();
      if (Object.keys(this.state.pending).length) await new Promise((r) => this.deps.setTimeout(() => r(null), 500));
    }
    return Object.keys(this.state.pending).length === 0;
  }

  dispose() {
    this.disposed = true;
    if (this.timer !== null) this.deps.clearTimeout(this.timer);
    this.listeners.clear();
  }
}

/** The real sender: PUT /api/v1/attempts/:id/answers/:questionId, mapped to queue outcomes. */
export function httpSender(attemptId: string, fetchImpl: typeof fetch = fetch) {
  return async (questionId: string, optionId: string): Promise<SendOutcome> => {
    try {
      const res = await fetchImpl(`/api/v1/attempts/${encodeURIComponent(attemptId)}/answers/${encodeURIComponent(questionId)}`, {
        method: "PUT",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ optionId }),
        credentials: "same-origin",
      });
      if (res.ok) return "saved";
      if (res.status === 409) return "refused";
      // Errors that a retry cannot change: the request itself is wrong, or refused for good.
      if (res.status === 400 || res.status === 403 || res.status === 404 || res.status === 413) return "invalid";
      return "retry"; // 401 (session lost: the next page load asks to log in), 429, 5xx
    } catch {
      return "retry"; // offline, timeout, connection reset
    }
  };
}
