/**
 * The units a scenario file writes durations and sizes in, and their exact
 * conversion to integer nanoseconds and bytes. A value is either a plain
 * integer (ns or bytes) or a short string ("5ms", "1.5us", "10KiB"). The
 * conversion never rounds: a duration that is not a whole number of
 * nanoseconds, or a size that is not a whole number of bytes, is refused.
 * Decimal size units (KB, MB) are refused too, because trainers and disk
 * vendors disagree on what they mean.
 */

/** A duration string: a decimal number and a unit. */
export const DURATION_PATTERN = '^[0-9]+(\\.[0-9]+)?[ ]?(ns|us|µs|ms|s)$';
/** A size string: a decimal number and a binary unit (or B for bytes). */
export const SIZE_PATTERN = '^[0-9]+(\\.[0-9]+)?[ ]?(B|KiB|MiB)$';

/** The longest duration a scenario may name: one day (well inside the 2^53 ns clock). */
export const DURATION_MAX_NS = 86_400_000_000_000;
/** Sector size in bytes; every transfer is a whole number of sectors. */
export const SECTOR_BYTES = 512;
/** The largest single request: 32 MiB. */
export const REQUEST_MAX_BYTES = 32 * 1024 * 1024;

const DURATION_RE = new RegExp(DURATION_PATTERN);
const SIZE_RE = new RegExp(SIZE_PATTERN);
const NS_PER_UNIT: Record<string, bigint> = { ns: 1n, us: 1_000n, µs: 1_000n, ms: 1_000_000n, s: 1_000_000_000n };
const BYTES_PER_UNIT: Record<string, bigint> = { B: 1n, KiB: 1024n, MiB: 1_048_576n };

/** A conversion's result: the integer, or why the text is not acceptable. */
export type Converted = { ok: true; value: number } | { ok: false; why: string };

/** What a duration field accepts, in words. */
export const DURATION_ALLOWED = 'a duration: integer nanoseconds, or a string like "500ns", "1.5us", "5ms", "2s" (at most 1 day)';
/** What a request size field accepts, in words. */
export const SIZE_ALLOWED = 'a size: integer bytes or a string like "4KiB", "1MiB"; a multiple of 512 bytes, from 512 B to 32 MiB';

/**
 * `value` as V8 keeps a small integer (a Smi) whenever it is one, in
 * interpreted and optimized code alike. A number read from a field that
 * has ever held a double (as `Converted.value` has: durations past 2^31 ns)
 * is a boxed double even when it is 4096, and so is one that optimized code
 * computed in floating point (`Number.isSafeInteger`, `Number(bigint)`).
 * Once this module's conversions got hot (a sweep's third point in one
 * thread), workloads' `bytes` and `startNs` reached the model boxed: the
 * objects holding them changed hidden class mid-sweep and the model's
 * compiled code was thrown away and compiled again. `v | 0` is an int32 in
 * both tiers, so the configuration the model gets has one shape per run.
 * Values, and so traces, are unchanged.
 */
export function canonicalInteger(value: number): number {
  return (value | 0) === value ? value | 0 : value;
}

/** `value × scale` as an exact integer, or null when it has a fraction (decimal arithmetic on bigints: no float rounding). */
function scaleExact(text: string, scale: bigint): bigint | null {
  const [whole = '0', fraction = ''] = text.split('.');
  const denominator = 10n ** BigInt(fraction.length);
  const numerator = BigInt(whole + fraction) * scale;
  return numerator % denominator === 0n ? numerator / denominator : null;
}

function splitUnit(text: string): { number: string; unit: string } {
  const match = /^([0-9.]+)[ ]?(.*)$/.exec(text);
  return { number: match?.[1] ?? '', unit: match?.[2] ?? '' };
}

/** A duration (integer ns or a unit string) in integer ns. */
export function durationNs(value: number | string): Converted {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) return { ok: false, why: 'not a non-negative integer' };
    if (value > DURATION_MAX_NS) return { ok: false, why: 'longer than 1 day' };
    return { ok: true, value };
  }
  if (!DURATION_RE.test(value)) return { ok: false, why: 'not a number followed by ns, us, ms or s' };
  const { number, unit } = splitUnit(value);
  const total = scaleExact(number, NS_PER_UNIT[unit]!);
  if (total === null) return { ok: false, why: 'not a whole number of nanoseconds' };
  if (total > BigInt(DURATION_MAX_NS)) return { ok: false, why: 'longer than 1 day' };
  return { ok: true, value: Number(total) };
}

/** A request size (integer bytes or a unit string) in bytes, checked against the sector and request limits. */
export function sizeBytes(value: number | string): Converted {
  let bytes: number;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) return { ok: false, why: 'not an integer' };
    bytes = value;
  } else {
    if (!SIZE_RE.test(value)) return { ok: false, why: sizeTextProblem(value) };
    const { number, unit } = splitUnit(value);
    const total = scaleExact(number, BYTES_PER_UNIT[unit]!);
    if (total === null) return { ok: false, why: 'not a whole number of bytes' };
    if (total > BigInt(REQUEST_MAX_BYTES)) return { ok: false, why: 'larger than 32 MiB' };
    bytes = Number(total);
  }
  if (bytes <= 0) return { ok: false, why: 'not positive' };
  if (bytes % SECTOR_BYTES !== 0) return { ok: false, why: 'not a multiple of 512 bytes (one sector)' };
  if (bytes > REQUEST_MAX_BYTES) return { ok: false, why: 'larger than 32 MiB' };
  return { ok: true, value: bytes };
}

/** Why a size string does not match the pattern, with a hint for decimal or miscased units. */
export function sizeTextProblem(text: string): string {
  const { unit } = splitUnit(text.trim());
  const lower = unit.toLowerCase();
  if (lower === 'kb' || lower === 'k') return `'${unit}' is ambiguous (1000 or 1024 bytes?): write KiB (1 KiB = 1024 bytes)`;
  if (lower === 'mb' || lower === 'm') return `'${unit}' is ambiguous (1000000 or 1048576 bytes?): write MiB (1 MiB = 1048576 bytes)`;
  if (lower === 'kib' || lower === 'mib' || lower === 'b') return `write the unit as B, KiB or MiB exactly, not '${unit}'`;
  if (lower === 'gb' || lower === 'gib' || lower === 'g') return 'a request is at most 32 MiB: write it in MiB';
  return 'not a number followed by B, KiB or MiB';
}
