import { describe, expect, it } from 'vitest';
import { RandomStream, RandomStreams } from '../../src/engine/rng.js';

const N = 100_000;

function draws(stream: RandomStream, n: number, draw: (s: RandomStream) => number = (s) => s.nextUint32()): number[] {
  return Array.from({ length: n }, () => draw(stream));
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function sd(xs: number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

/** Thrown by `bounded` when a call keeps drawing far longer than it should. */
class RunawayDraws extends Error {}

/** Wraps a stream's nextUint32 so that a call drawing more than `limit` numbers throws instead of hanging. */
function bounded(stream: RandomStream, limit: number): RandomStream {
  const next = stream.nextUint32.bind(stream);
  let calls = 0;
  stream.nextUint32 = () => {
    if (++calls > limit) throw new RunawayDraws(`more than ${limit} raw draws`);
    return next();
  };
  return stream;
}

describe('RandomStreams', () => {
  it('gives the same sequence for the same seed and name', () => {
    const a = new RandomStreams(42).stream('disk0.seek');
    const b = new RandomStreams(42).stream('disk0.seek');
    expect(draws(a, 1_000)).toEqual(draws(b, 1_000));
  });

  it('gives different sequences for different names', () => {
    const streams = new RandomStreams(42);
    expect(draws(streams.stream('a'), 20)).not.toEqual(draws(streams.stream('b'), 20));
    expect(draws(streams.stream('ab'), 20)).not.toEqual(draws(streams.stream('ba'), 20));
  });

  it('keeps streams independent: drawing from one does not shift another', () => {
    const quiet = new RandomStreams(42);
    const expected = draws(quiet.stream('B'), 50);

    const busy = new RandomStreams(42);
    const a = busy.stream('A');
    const b = busy.stream('B');
    const got: number[] = [];
    for (let i = 0; i < 50; i++) {
      draws(a, 1 + (i % 7), (s) => s.uniform());
      a.normal();
      got.push(b.nextUint32());
    }
    expect(got).toEqual(expected);
  });

  it('does not depend on the order in which streams are first used', () => {
    const first = new RandomStreams(9);
    first.stream('x');
    const y1 = draws(first.stream('y'), 10);
    const second = new RandomStreams(9);
    const y2 = draws(second.stream('y'), 10);
    second.stream('x');
    expect(y1).toEqual(y2);
  });

  it('gives different sequences for different seeds', () => {
    const seeds = [0, 1, 42, 43, -1, 2 ** 32, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
    const firsts = seeds.map((seed) => draws(new RandomStreams(seed).stream('s'), 4).join(','));
    expect(new Set(firsts).size).toBe(seeds.length);
  });

  it('returns the same stream object for the same name', () => {
    const streams = new RandomStreams(7);
    const s = streams.stream('net');
    expect(streams.stream('net')).toBe(s);
    expect(streams.stream('disk')).not.toBe(s);
    expect(streams.seed).toBe(7);
  });

  it('rejects a seed that is not a safe integer', () => {
    expect(() => new RandomStreams(1.5)).toThrow(RangeError);
    expect(() => new RandomStreams(Number.NaN)).toThrow(RangeError);
    expect(() => new RandomStreams(Infinity)).toThrow(RangeError);
    expect(() => new RandomStreams(2 ** 53)).toThrow(/seed must be a safe integer/);
  });

  it('keeps its first draws for seed 42 (changing them changes every golden trace)', () => {
    expect(draws(new RandomStreams(42).stream('disk0.seek'), 5)).toEqual(GOLDEN_SEED_42_DISK0_SEEK);
  });
});

// Regression pin: the first five raw draws of seed 42, stream 'disk0.seek'.
const GOLDEN_SEED_42_DISK0_SEEK = [3268481201, 3083062862, 2266914034, 90127304, 205916367];

describe('RandomStream generator', () => {
  it('is xoshiro128** (matches an independent implementation from a known state)', () => {
    const stream = new RandomStream(0);
    // Set the state directly to compare against the reference algorithm from the same point.
    Object.assign(stream as unknown as Record<string, number>, { s0: 1, s1: 2, s2: 3, s3: 4 });
    const ref = referenceXoshiro128ss([1, 2, 3, 4]);
    const expected = Array.from({ length: 1_000 }, ref);
    expect(expected.slice(0, 2)).toEqual([11520, 0]); // the published first outputs for state {1, 2, 3, 4}
    expect(draws(stream, 1_000)).toEqual(expected);
  });

  it('is deterministic per 32-bit seed, including 0', () => {
    expect(draws(new RandomStream(123), 100)).toEqual(draws(new RandomStream(123), 100));
    expect(draws(new RandomStream(123), 10)).not.toEqual(draws(new RandomStream(124), 10));
    const zero = draws(new RandomStream(0), 100);
    expect(new Set(zero).size).toBeGreaterThan(90);
  });

  it('nextUint32 returns integers in [0, 2^32)', () => {
    const xs = draws(new RandomStreams(7).stream('u32'), N);
    for (const x of xs) {
      if (!(Number.isInteger(x) && x >= 0 && x < 2 ** 32)) throw new Error(`out of range: ${x}`);
    }
    expect(Math.max(...xs)).toBeGreaterThanOrEqual(2 ** 31); // the top bit is set sometimes
    expect(Math.min(...xs)).toBeLessThan(2 ** 20);
  });

  it('uniform is in [0, 1) with mean 1/2', () => {
    const xs = draws(new RandomStreams(7).stream('uniform'), N, (s) => s.uniform());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(Math.min(...xs)).toBeLessThan(0.001);
    expect(Math.max(...xs)).toBeGreaterThan(0.999);
    expect(mean(xs)).toBeCloseTo(0.5, 2);
  });

  it('uniformRange is in [low, high)', () => {
    const xs = draws(new RandomStreams(7).stream('range'), N, (s) => s.uniformRange(-3, 5));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(-3);
    expect(Math.max(...xs)).toBeLessThan(5);
    expect(mean(xs)).toBeCloseTo(1, 1);
    const s = new RandomStreams(7).stream('degenerate');
    expect(s.uniformRange(2, 2)).toBe(2);
  });

  it('exponential has the requested mean and is never negative', () => {
    const target = 2_500;
    const xs = draws(new RandomStreams(7).stream('exp'), N, (s) => s.exponential(target));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(xs.every(Number.isFinite)).toBe(true);
    expect(Math.abs(mean(xs) - target) / target).toBeLessThan(0.01);
    expect(Math.abs(sd(xs) - target) / target).toBeLessThan(0.02); // sd equals the mean
  });

  it('exponential(0) is 0', () => {
    const s = new RandomStreams(7).stream('exp0');
    for (let i = 0; i < 10; i++) expect(s.exponential(0)).toBe(0);
  });

  it('normal has the requested mean and standard deviation', () => {
    const xs = draws(new RandomStreams(7).stream('normal'), N, (s) => s.normal(100, 15));
    expect(Math.abs(mean(xs) - 100)).toBeLessThan(0.2);
    expect(Math.abs(sd(xs) - 15) / 15).toBeLessThan(0.01);
    // about 68% within one sd
    const within = xs.filter((x) => Math.abs(x - 100) < 15).length / xs.length;
    expect(within).toBeCloseTo(0.6827, 2);
  });

  it('normal defaults to the standard normal', () => {
    const xs = draws(new RandomStreams(7).stream('std'), N, (s) => s.normal());
    expect(Math.abs(mean(xs))).toBeLessThan(0.02);
    expect(Math.abs(sd(xs) - 1)).toBeLessThan(0.01);
  });

  it('normal is deterministic across its cached second value', () => {
    const a = new RandomStreams(5).stream('n');
    const b = new RandomStreams(5).stream('n');
    const xa = [a.normal(), a.normal(), a.normal(10, 2), a.uniform(), a.normal()];
    const xb = [b.normal(), b.normal(), b.normal(10, 2), b.uniform(), b.normal()];
    expect(xa).toEqual(xb);
  });
});

describe('RandomStream.integer', () => {
  it('hits both inclusive bounds and nothing outside, roughly uniformly', () => {
    const s = new RandomStreams(7).stream('die');
    const counts = new Map<number, number>();
    for (let i = 0; i < 6_000; i++) {
      const x = s.integer(1, 6);
      counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    for (const c of counts.values()) expect(Math.abs(c - 1_000)).toBeLessThan(100);
  });

  it('handles negative ranges and a single value', () => {
    const s = new RandomStreams(7).stream('neg');
    const xs = draws(s, 2_000, (r) => r.integer(-3, 3));
    expect(Math.min(...xs)).toBe(-3);
    expect(Math.max(...xs)).toBe(3);
    expect(xs.every(Number.isInteger)).toBe(true);
    expect(s.integer(5, 5)).toBe(5);
    expect(s.integer(-9, -9)).toBe(-9);
  });

  it('covers a full 2^32 span', () => {
    const xs = draws(new RandomStreams(7).stream('full32'), 10_000, (r) => r.integer(0, 2 ** 32 - 1));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThanOrEqual(2 ** 32 - 1);
    expect(Math.max(...xs)).toBeGreaterThan(2 ** 31);
  });

  it('works for ranges wider than 2^32', () => {
    const s = new RandomStreams(7).stream('wide');
    const hi = 2 ** 40;
    const xs = draws(s, 10_000, (r) => r.integer(0, hi));
    expect(xs.every((x) => Number.isSafeInteger(x) && x >= 0 && x <= hi)).toBe(true);
    expect(xs.filter((x) => x > 2 ** 32).length).toBeGreaterThan(9_900); // almost all, if uniform
    expect(Math.abs(mean(xs) - hi / 2) / hi).toBeLessThan(0.01);

    const ys = draws(s, 10_000, (r) => r.integer(-(2 ** 45), 2 ** 45));
    expect(ys.every((y) => Number.isSafeInteger(y) && Math.abs(y) <= 2 ** 45)).toBe(true);
    expect(ys.some((y) => y < -(2 ** 44))).toBe(true);
    expect(ys.some((y) => y > 2 ** 44)).toBe(true);
  });

  it('works for a span of exactly 2^32 + 1 and of 2^53', () => {
    const s = new RandomStreams(7).stream('edges');
    for (let i = 0; i < 1_000; i++) {
      const x = s.integer(0, 2 ** 32);
      expect(x >= 0 && x <= 2 ** 32).toBe(true);
      const y = s.integer(0, Number.MAX_SAFE_INTEGER);
      expect(Number.isSafeInteger(y) && y >= 0).toBe(true);
    }
  });

  it('terminates for the widest safe range (returns a value in range or throws a RangeError)', () => {
    for (const [min, max] of [
      [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
      [-(2 ** 52), 2 ** 52 + 2],
    ] as const) {
      const s = bounded(new RandomStreams(7).stream('widest'), 10_000);
      let outcome: unknown;
      try {
        outcome = s.integer(min, max);
      } catch (error) {
        outcome = error;
      }
      expect(outcome, `integer(${min}, ${max})`).not.toBeInstanceOf(RunawayDraws);
      if (typeof outcome === 'number') {
        expect(Number.isSafeInteger(outcome) && outcome >= min && outcome <= max).toBe(true);
      } else {
        expect(outcome).toBeInstanceOf(RangeError);
      }
    }
  });

  it('rejects spans of more than 2^53 values, even 2^53 + 1', () => {
    const s = bounded(new RandomStreams(7).stream('over'), 10_000);
    // 2^53 + 1 values: max - min + 1 rounds to 2^53, and 53 random bits cannot reach them all (max never comes up).
    expect(() => s.integer(-(2 ** 52), 2 ** 52)).toThrow(RangeError);
    expect(() => s.integer(0, Number.MAX_SAFE_INTEGER)).not.toThrow(); // exactly 2^53 values
  });

  it('rejects bad arguments', () => {
    const s = new RandomStreams(7).stream('bad');
    expect(() => s.integer(2, 1)).toThrow(RangeError);
    expect(() => s.integer(0.5, 3)).toThrow(RangeError);
    expect(() => s.integer(0, 3.5)).toThrow(RangeError);
    expect(() => s.integer(0, Number.NaN)).toThrow(RangeError);
    expect(() => s.integer(0, Infinity)).toThrow(RangeError);
    expect(() => s.integer(0, 2 ** 53)).toThrow(/needs safe integers with min <= max/);
  });
});

/** xoshiro128** straight from Blackman & Vigna's reference C, with explicit 32-bit masking. */
function referenceXoshiro128ss(seed: [number, number, number, number]): () => number {
  const s = seed.map((x) => BigInt(x >>> 0));
  const M = 0xffffffffn;
  const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (32n - k))) & M;
  return () => {
    const result = (rotl((s[1]! * 5n) & M, 7n) * 9n) & M;
    const t = (s[1]! << 9n) & M;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11n);
    return Number(result);
  };
}
