import { describe, expect, it } from "vitest";
import { seededRng, shuffle } from "../../app/domain/random";

const take = (rng: () => number, n: number) => Array.from({ length: n }, () => rng());

describe("seededRng", () => {
  it("gives the same sequence for the same seed", () => {
    const a = take(seededRng("attempt-42"), 100);
    const b = take(seededRng("attempt-42"), 100);
    expect(a).toEqual(b);
  });

  it("gives different sequences for different seeds", () => {
    const a = take(seededRng("seed-a"), 20);
    const b = take(seededRng("seed-b"), 20);
    const c = take(seededRng(""), 20);
    expect(a).not.toEqual(b);
    expect(a).not.toEqual(c);
    expect(b).not.toEqual(c);
    // Not just a shifted copy: no value in common at the same index.
    expect(a.filter((x, i) => x === b[i])).toEqual([]);
  });

  it("is sensitive to a one-character change of the seed", () => {
    expect(seededRng("abc1")()).not.toBe(seededRng("abc2")());
  });

  it("does not repeat the same value on consecutive calls", () => {
    const xs = take(seededRng("x"), 1000);
    expect(new Set(xs).size).toBe(1000);
  });

  it("returns values in [0, 1)", () => {
    for (const seed of ["", "0", "a", "seed", "Nguyễn Văn A", "🎲".repeat(10)]) {
      for (const x of take(seededRng(seed), 2000)) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThan(1);
      }
    }
  });

  it("is roughly uniform: 10 buckets of 50,000 draws each within 10% ± 1%", () => {
    const rng = seededRng("uniform");
    const counts = new Array(10).fill(0);
    const n = 50_000;
    for (let i = 0; i < n; i++) counts[Math.floor(rng() * 10)]++;
    for (const c of counts) {
      expect(c / n).toBeGreaterThan(0.09);
      expect(c / n).toBeLessThan(0.11);
    }
    const mean = take(seededRng("mean"), n).reduce((a, b) => a + b, 0) / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
  });

  it("independent generators with the same seed do not share state", () => {
    const r1 = seededRng("shared");
    const r2 = seededRng("shared");
    const first = r1();
    r1();
    r1();
    expect(r2()).toBe(first);
  });
});

describe("shuffle", () => {
  const items = ["a", "b", "c", "d", "e", "f", "g", "h"];

  it("returns a permutation of the input", () => {
    for (let s = 0; s < 50; s++) {
      const out = shuffle(items, seededRng(`perm-${s}`));
      expect(out).toHaveLength(items.length);
      expect([...out].sort()).toEqual([...items].sort());
    }
  });

  it("keeps duplicates as duplicates", () => {
    const out = shuffle([1, 1, 2, 2, 2, 3], seededRng("dups"));
    expect([...out].sort()).toEqual([1, 1, 2, 2, 2, 3]);
  });

  it("does not mutate the input and returns a new array", () => {
    const input = Object.freeze([...items]);
    const out = shuffle(input, seededRng("no-mutate"));
    expect(input).toEqual(["a", "b", "c", "d", "e", "f", "g", "h"]);
    expect(out).not.toBe(input);
  });

  it("is deterministic for a seed", () => {
    expect(shuffle(items, seededRng("same"))).toEqual(shuffle(items, seededRng("same")));
  });

  it("actually reorders (not the identity for most seeds)", () => {
    let unchanged = 0;
    for (let s = 0; s < 100; s++) if (shuffle(items, seededRng(`order-${s}`)).join("") === items.join("")) unchanged++;
    // Probability of the identity is 1/8! per seed.
    expect(unchanged).toBeLessThanOrEqual(1);
  });

  it("handles empty and single-item lists", () => {
    expect(shuffle([], seededRng("e"))).toEqual([]);
    expect(shuffle(["only"], seededRng("e"))).toEqual(["only"]);
  });

  it("puts each of 4 items in each position 25% ± 2% over 20,000 shuffles", () => {
    const rng = seededRng("uniform-shuffle");
    const n = 20_000;
    const pos: Record<string, number[]> = { a: [0, 0, 0, 0], b: [0, 0, 0, 0], c: [0, 0, 0, 0], d: [0, 0, 0, 0] };
    for (let i = 0; i < n; i++) shuffle(["a", "b", "c", "d"], rng).forEach((x, p) => pos[x][p]++);
    for (const x of Object.keys(pos)) {
      for (const c of pos[x]) {
        expect(c / n).toBeGreaterThan(0.23);
        expect(c / n).toBeLessThan(0.27);
      }
    }
  });

  it("produces all 24 orders of 4 items, each about equally often", () => {
    const rng = seededRng("all-orders");
    const n = 24_000;
    const seen = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const k = shuffle(["a", "b", "c", "d"], rng).join("");
      seen.set(k, (seen.get(k) ?? 0) + 1);
    }
    expect(seen.size).toBe(24);
    for (const c of seen.values()) {
      expect(c).toBeGreaterThan(800); // expected 1000
      expect(c).toBeLessThan(1200);
    }
  });
});
