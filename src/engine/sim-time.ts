/**
 * Simulated time: an integer count of nanoseconds in a branded number.
 * A JS number is exact to 2^53 ns (about 104 days), so the clock never rounds;
 * floats never enter event ordering (OMNeT++'s integer SimTime, in JS form).
 * This module does not read any wall clock.
 */

/*
 * Times in object fields, for V8. V8 gives a field the representation of
 * the first value stored in it: a small integer (a Smi: 0, -1) makes a Smi
 * field, and the first double stored there later (a time read from the
 * event queue's Float64Arrays, which V8 reads as doubles; a time past
 * 2^31 ns, 2.1 s; an EventId) changes it to a double field. V8 then
 * deprecates the object's map and deoptimizes the code relying on it, mid
 * run, and in the next run on the thread the objects holding such an
 * object (a simulation, an envelope) meet one of the new map where their
 * code expected the old, and that code is deoptimized too. So a field of
 * long-lived objects that will hold times starts as a double: NaN where
 * nothing reads it before it is set, or NaN replaced by the real first
 * value in the constructor. (`hvsim sweep queue-depth`, 7 points on one
 * thread: the second run no longer re-optimizes the tracer's `emit` and
 * `write`, which read the simulation and the envelope.)
 */

/** Integer nanoseconds of simulated time (or a simulated duration). */
export type SimTimeNs = number & { readonly __brand: 'SimTimeNs' };

/** The largest representable simulated time. */
export const SIM_TIME_MAX = Number.MAX_SAFE_INTEGER as SimTimeNs;

/** Throws unless `value` is a non-negative safe integer; returns it branded. */
export function assertSimTime(value: number, what = 'time'): SimTimeNs {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative integer number of nanoseconds, got ${value}`);
  }
  return value as SimTimeNs;
}

function toNs(value: number, scale: number, unit: string): SimTimeNs {
  if (!Number.isFinite(value)) throw new RangeError(`${unit} value must be finite, got ${value}`);
  return assertSimTime(Math.round(value * scale), `${value} ${unit}`);
}

/** Nanoseconds (rounded to the nearest integer). @example ns(500) */
export const ns = (value: number): SimTimeNs => toNs(value, 1, 'ns');
/** Microseconds to nanoseconds. @example us(1.5) === 1500 */
export const us = (value: number): SimTimeNs => toNs(value, 1e3, 'us');
/** Milliseconds to nanoseconds. @example ms(5) === 5_000_000 */
export const ms = (value: number): SimTimeNs => toNs(value, 1e6, 'ms');
/** Seconds to nanoseconds. */
export const sec = (value: number): SimTimeNs => toNs(value, 1e9, 's');

/**
 * A short human reading of a duration in the largest unit that keeps it >= 1,
 * e.g. `formatNs(1500) === "1.5 µs"`. For display only; never parse it back.
 */
export function formatNs(value: number): string {
  const abs = Math.abs(value);
  if (abs < 1e3) return `${value} ns`;
  if (abs < 1e6) return `${trim(value / 1e3)} µs`;
  if (abs < 1e9) return `${trim(value / 1e6)} ms`;
  return `${trim(value / 1e9)} s`;
}

function trim(x: number): string {
  return (Math.round(x * 100) / 100).toString();
}

/**
 * `n` with thousands separators (`100000` → `100,000`, `-1234.5` →
 * `-1,234.5`): what `toLocaleString('en-US', { maximumFractionDigits: 20 })`
 * gives (which it falls back on for exponents), without building a number
 * format: the scenario schemas build their texts as the CLI starts, and
 * the first `toLocaleString` loads the locale data (14 ms of every start;
 * the claims' figures took 38 ms more).
 */
export function grouped(n: number): string {
  const plain = String(n);
  if (plain.includes('e') || !Number.isFinite(n)) return n.toLocaleString('en-US', { maximumFractionDigits: 20 });
  const [whole, fraction] = plain.split('.');
  const digits = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? digits : `${digits}.${fraction}`;
}
