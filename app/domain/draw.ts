// Drawing an attempt's questions from a bank: exact counts per listed topic, the rest from the
// other topics; optionally exact counts per listed difficulty, the rest from the other
// difficulties. Pure and seeded.
//
// Topics × difficulties form a small transportation problem; a max-flow over
// source → topic → (topic, difficulty) cell → difficulty → sink finds how many questions to take
// from each cell, or proves the spec impossible for this bank (reported at round setup).
import { DIFFICULTIES, type Difficulty } from "./questions";
import { shuffle, type Rng } from "./random";

export interface DrawSpec {
  count: number;
  /** Exactly this many from each listed topic; the remainder comes from unlisted topics. */
  topics?: Record<string, number>;
  /** Exactly this many of each listed difficulty; the remainder from the unlisted difficulties. */
  difficulty?: Partial<Record<Difficulty, number>>;
}

export interface PoolQuestion {
  id: string;
  topic: string;
  difficulty: Difficulty;
}

export type DrawError =
  | { code: "BAD_SPEC"; detail: string }
  | { code: "NOT_ENOUGH_QUESTIONS"; available: number; needed: number; topic?: string; difficulty?: Difficulty; otherTopics?: true };

export type DrawResult = { ok: true; ids: string[] } | { ok: false; error: DrawError };

const OTHER = "\u0000other"; // the bucket of all topics not listed in the spec

function checkSpec(spec: DrawSpec): DrawError | null {
  const counts = [...Object.values(spec.topics ?? {}), ...Object.values(spec.difficulty ?? {})];
  if (!Number.isInteger(spec.count) || spec.count < 1) return { code: "BAD_SPEC", detail: "count" };
  if (counts.some((n) => !Number.isInteger(n) || (n as number) < 0)) return { code: "BAD_SPEC", detail: "negative" };
  const topicSum = Object.values(spec.topics ?? {}).reduce((a, b) => a + b, 0);
  const diffSum = Object.values(spec.difficulty ?? {}).reduce((a: number, b) => a + (b ?? 0), 0);
  if (topicSum > spec.count) return { code: "BAD_SPEC", detail: "topics exceed count" };
  if (diffSum > spec.count) return { code: "BAD_SPEC", detail: "difficulties exceed count" };
  const allListed = DIFFICULTIES.every((d) => spec.difficulty?.[d] !== undefined);
  if (allListed && diffSum !== spec.count) return { code: "BAD_SPEC", detail: "difficulties must add up to count" };
  return null;
}

/** Max-flow with DFS augmenting paths; graphs here have at most a few hundred edges. */
class Flow {
  private to: number[] = [];
  private cap: number[] = [];
  private adj: number[][] = [];
  constructor(n: number) {
    for (let i = 0; i < n; i++) this.adj.push([]);
  }
  edge(u: number, v: number, c: number): number {
    this.adj[u].push(this.to.length); this.to.push(v); this.cap.push(c);
    this.adj[v].push(this.to.length); this.to.push(u); this.cap.push(0);
    return this.to.length - 2;
  }
  flowOn(e: number): number {
    return this.cap[e + 1];
  }
  max(s: number, t: number): number {
    let total = 0;
    for (;;) {
      const seen = new Set<number>();
      const push = (u: number, f: number): number => {
        if (u === t) return f;
        seen.add(u);
        for (const e of this.adj[u]) {
          const v = this.to[e];
          if (this.cap[e] > 0 && !seen.has(v)) {
            const got = push(v, Math.min(f, this.cap[e]));
            if (got > 0) {
              this.cap[e] -= got;
              this.cap[e ^ 1] += got;
              return got;
            }
          }
        }
        return 0;
      };
      const f = push(s, Infinity);
      if (f === 0) return total;
      total += f;
    }
  }
}

/** k distinct items, uniformly: a partial Fisher–Yates that touches only k positions. */
function sample<T>(items: readonly T[], k: number, rng: Rng, out: T[]): void {
  // A partial Fisher–Yates shuffle over a virtual copy of `items`: only the positions it swapped are
  // kept, so drawing k of n costs O(k), not a copy of n (the same draws as shuffling a real copy).
  const swapped = new Map<number, number>();
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng() * (items.length - i));
    const atJ = swapped.get(j) ?? j;
    swapped.set(j, swapped.get(i) ?? i);
    out.push(items[atJ]);
  }
}

interface Grouped {
  /** (bucket, difficulty) → question ids, in pool order. */
  cells: Map<string, string[]>;
  perBucket: Map<string, number>;
  perDifficulty: Map<Difficulty, number>;
  /** What a draw takes from where, by spec and by the order its shuffles gave (see `planOf`). */
  plans: Map<string, Plan>;
}

/** Where a draw takes its questions from, in the order it samples them: `take` of `ids`. */
type Plan = { ok: true; picks: { ids: readonly string[]; take: number }[] } | { ok: false; error: DrawError };
const PLANS_MAX = 5_000;

const cellKey = (bucket: string, d: Difficulty) => `${bucket}\u0001${d}`;

/**
 * The pool grouped by (topic bucket, difficulty), once per pool and set of listed topics: a pool
 * is read-only and shared by every start until it is reloaded (the model caches it per bank), so
 * only the first start after a reload pays for the pass over the whole bank.
 */
const groupings = new WeakMap<readonly PoolQuestion[], Map<string, Grouped>>();

function groupPool(pool: readonly PoolQuestion[], listed: Record<string, number>): Grouped {
  const topicsKey = Object.keys(listed).sort().join("\u0001");
  let byTopics = groupings.get(pool);
  const known = byTopics?.get(topicsKey);
  if (known) return known;
  // Own keys only: a topic called "constructor" is a topic like any other.
  const bucketOf = (q: PoolQuestion) => (Object.hasOwn(listed, q.topic) ? q.topic : OTHER);
  const g: Grouped = { cells: new Map(), perBucket: new Map(), perDifficulty: new Map(), plans: new Map() };
  for (const q of pool) {
    const b = bucketOf(q);
    const k = cellKey(b, q.difficulty);
    const list = g.cells.get(k);
    if (list) list.push(q.id);
    else g.cells.set(k, [q.id]);
    g.perBucket.set(b, (g.perBucket.get(b) ?? 0) + 1);
    g.perDifficulty.set(q.difficulty, (g.perDifficulty.get(q.difficulty) ?? 0) + 1);
  }
  if (!byTopics) groupings.set(pool, (byTopics = new Map()));
  byTopics.set(topicsKey, g);
  return g;
}

export function drawQuestions(pool: readonly PoolQuestion[], spec: DrawSpec, rng: Rng): DrawResult {
  const bad = checkSpec(spec);
  if (bad) return { ok: false, error: bad };
  const listed = spec.topics ?? {};
  const topicSum = Object.values(listed).reduce((a, b) => a + b, 0);
  const buckets = new Map<string, number>(Object.entries(listed));
  buckets.set(OTHER, spec.count - topicSum);

  // Grouped once per pool (see groupPool): starts are a hot path; no rescans of the pool.
  const grouped = groupPool(pool, listed);
  const { perBucket, perDifficulty } = grouped;

  // Precise messages for the common shortages before the flow.
  for (const [topic, need] of buckets) {
    const have = perBucket.get(topic) ?? 0;
    if (have < need) {
      const which = topic !== OTHER ? { topic } : Object.keys(listed).length ? { otherTopics: true as const } : {};
      return { ok: false, error: { code: "NOT_ENOUGH_QUESTIONS", available: have, needed: need, ...which } };
    }
  }
  for (const d of DIFFICULTIES) {
    const need = spec.difficulty?.[d] ?? 0;
    const have = perDifficulty.get(d) ?? 0;
    if (have < need) return { ok: false, error: { code: "NOT_ENOUGH_QUESTIONS", available: have, needed: need, difficulty: d } };
  }

  // The two shuffles decide which of several feasible allocations the flow finds; for a given
  // order the allocation is always the same, so it is worked out once per order and reused.
  const bucketNames = shuffle([...buckets.keys()], rng);
  const diffs = shuffle([...DIFFICULTIES], rng);
  const key = JSON.stringify([spec.count, spec.difficulty ?? null, bucketNames.map((b) => [b, buckets.get(b)]), diffs]);
  let plan = grouped.plans.get(key);
  if (!plan) {
    plan = planOf(grouped, spec, buckets, bucketNames, diffs);
    if (grouped.plans.size >= PLANS_MAX) grouped.plans.clear();
    grouped.plans.set(key, plan);
  }
  if (!plan.ok) return plan;
  const chosen: string[] = [];
  for (const { ids, take } of plan.picks) sample(ids, take, rng, chosen);
  return { ok: true, ids: shuffle(chosen, rng) };
}

/** How many questions to take from where, for one order of buckets and difficulties: the max-flow. */
function planOf(grouped: Grouped, spec: DrawSpec, buckets: Map<string, number>, bucketNames: string[], diffs: Difficulty[]): Plan {
  const { cells } = grouped;
  const key = cellKey;
  const quotaOf = (d: Difficulty) => spec.difficulty?.[d];
  const isListed = (d: Difficulty) => quotaOf(d) !== undefined;
  // Nodes: 0 source, 1 sink, buckets, cells, listed difficulties, "unlisted difficulties".
  // A cell of a listed difficulty feeds that difficulty's quota; any other cell feeds the free part.
  const B = bucketNames.length;
  const cellIndex = (b: number, d: number) => 2 + B + b * 3 + d;
  const diffNode = (d: number) => 2 + B + B * 3 + d;
  const freeNode = 2 + B + B * 3 + 3;
  const g = new Flow(freeNode + 1);
  const listedCells: { bucket: string; difficulty: Difficulty; edge: number }[] = [];
  const freeEdges = new Map<string, number[]>();
  bucketNames.forEach((name, b) => {
    g.edge(0, 2 + b, buckets.get(name)!);
    diffs.forEach((d, di) => {
      const available = cells.get(key(name, d))?.length ?? 0;
      if (available === 0) return;
      g.edge(2 + b, cellIndex(b, di), available);
      if (isListed(d)) listedCells.push({ bucket: name, difficulty: d, edge: g.edge(cellIndex(b, di), diffNode(di), available) });
      else freeEdges.set(name, [...(freeEdges.get(name) ?? []), g.edge(cellIndex(b, di), freeNode, available)]);
    });
  });
  const diffSum = DIFFICULTIES.reduce((a, d) => a + (quotaOf(d) ?? 0), 0);
  diffs.forEach((d, di) => g.edge(diffNode(di), 1, quotaOf(d) ?? 0));
  g.edge(freeNode, 1, spec.count - diffSum);
  const flow = g.max(0, 1);
  if (flow < spec.count) {
    return { ok: false, error: { code: "NOT_ENOUGH_QUESTIONS", available: flow, needed: spec.count } };
  }

  const picks: { ids: readonly string[]; take: number }[] = [];
  // Quota'd difficulties: as many from each cell as the flow assigned.
  for (const cell of listedCells) {
    const take = g.flowOn(cell.edge);
    if (take > 0) picks.push({ ids: cells.get(key(cell.bucket, cell.difficulty))!, take });
  }
  // The free part of each bucket: uniformly among all its questions of unlisted difficulties, so an
  // unconstrained draw mixes difficulties as the bank does (the flow only fixed how many).
  for (const name of bucketNames) {
    const take = (freeEdges.get(name) ?? []).reduce((n, e) => n + g.flowOn(e), 0);
    if (take === 0) continue;
    picks.push({ ids: DIFFICULTIES.filter((d) => !isListed(d)).flatMap((d) => cells.get(key(name, d)) ?? []), take });
  }
  return { ok: true, picks };
}
