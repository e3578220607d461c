/**
 * Seeded pseudo-random numbers with named, independent streams.
 * Each purpose draws from its own stream (`streams.stream('disk0.seek')`),
 * seeded from the master seed and the stream's name, so adding a draw in
 * one place never shifts the numbers another place sees (OMNeT++'s RNG
 * streams; SimScript seeds each variable). Nothing here is global and
 * nothing reads `Math.random`.
 *
 * Generator: xoshiro128** (Blackman & Vigna), 32-bit arithmetic only, so
 * the integer sequence is identical on every JS engine. Draws that go
 * through `Math.log`/`Math.sqrt`/`Math.cos` are identical wherever the same
 * engine family runs (V8 uses the fdlibm port for these), which covers Node
 * and Chromium.
 */

const TWO_POW_32 = 4294967296;

/** Mixes a 32-bit value (murmur3's finaliser). */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of a seed and a stream name. */
function streamSeed(seed: number, name: string): number {
  const low = seed >>> 0;
  const high = Math.floor(seed / TWO_POW_32) >>> 0;
  let h = fmix32(low ^ 0x9e3779b9) ^ fmix32(high + 0x7f4a7c15);
  for (let i = 0; i < name.length; i++) {
    h = Math.imul(h ^ name.charCodeAt(i), 0x01000193); // FNV-1a step over UTF-16 units
  }
  return fmix32(h);
}

/** One independent stream of random numbers. */
export class RandomStream {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal = NaN;

  /** Seeds the four state words from one 32-bit value with splitmix32. */
  constructor(seed32: number) {
    let x = seed32 >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      return fmix32(x);
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  /** The next raw 32-bit unsigned integer. */
  nextUint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1), with 2^-32 resolution. */
  uniform(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Uniform in [low, high). */
  uniformRange(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** Exponential with the given mean (inverse transform). Always finite and >= 0. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.uniform());
  }

  /** Normal (Gaussian) with the given mean and standard deviation (Marsaglia's polar method). */
  normal(mean = 0, sd = 1): number {
    if (!Number.isNaN(this.spareNormal)) {
      const z = this.spareNormal;
      this.spareNormal = NaN;
      return mean + sd * z;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return mean + sd * u * f;
  }

  /** A uniformly chosen integer in [min, max], both inclusive, without modulo bias. */
  integer(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min) {
      throw new RangeError(`integer(min, max) needs safe integers with min <= max, got ${min}, ${max}`);
    }
    // Compare before adding 1: max - min + 1 would round 2^53 + 1 down to 2^53.
    if (max - min >= 2 ** 53) throw new RangeError(`integer(${min}, ${max}) spans more than 2^53 values`);
    const span = max - min + 1;
    if (span <= TWO_POW_32) {
      // Rejection sampling: discard the top partial copy of [0, span).
      const limit = TWO_POW_32 - (TWO_POW_32 % span);
      let x: number;
      do x = this.nextUint32();
      while (x >= limit);
      return min + (x % span);
    }
    // Wide ranges: combine two draws into 53 bits and reject the tail.
    const limit = 2 ** 53 - (2 ** 53 % span);
    let x: number;
    do x = (this.nextUint32() >>> 11) * TWO_POW_32 + this.nextUint32();
    while (x >= limit);
    return min + (x % span);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The set of named streams derived from one master seed. */
export class RandomStreams {
  private readonly streams = new Map<string, RandomStream>();

  /** `seed` is any safe integer. */
  constructor(readonly seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
  }

  /** The stream for `name`, created on first use; the same name always yields the same stream object. */
  stream(name: string): RandomStream {
    let s = this.streams.get(name);
    if (s === undefined) {
      s = new RandomStream(streamSeed(this.seed, name));
      this.streams.set(name, s);
    }
    return s;
  }
}
