/**
 * The two clocks (DESIGN §6, STYLE §4.6): how long, in animation
 * milliseconds, the screen holds one step that took `durationNs` of
 * simulated time.
 *
 * Simulated durations in one trace span about seven decades: a hypercall
 * or a VM exit takes hundreds of nanoseconds, a disk seek milliseconds, and
 * many records take no time at all. A linear map makes either the exits
 * invisible or the seeks endless, so the hold grows with the logarithm of
 * the duration and never falls below a minimum:
 *
 *     holdMs(ns, speed) = (MIN_HOLD_MS + MS_PER_DECADE · log10(1 + ns / NS0)) / speed
 *
 * with MIN_HOLD_MS = 120, MS_PER_DECADE = 150 and NS0 = 100 ns. At speed 1:
 *
 * | step                         | simulated | hold    |
 * |------------------------------|-----------|---------|
 * | a record that takes no time  | 0         | 120 ms  |
 * | a hypercall                  | 200 ns    | ≈ 192 ms |
 * | a VM exit                    | 500 ns    | ≈ 237 ms |
 * | an emulated register access  | 10 µs     | ≈ 421 ms |
 * | a 5 ms seek                  | 5 ms      | ≈ 825 ms |
 * | a 40 ms transfer             | 40 ms     | ≈ 960 ms |
 *
 * so the longest steps are watchable and still only a few times the
 * shortest. `speed` divides every hold (2 = twice as fast); the app's
 * slider covers 0.1× to 1000×, where steps shorter than a frame are
 * applied several per frame.
 */

/** The hold of a step that takes no simulated time (ms, at speed 1). */
export const MIN_HOLD_MS = 120;
/** Extra hold per decade of simulated duration (ms, at speed 1). */
export const MS_PER_DECADE = 150;
/** The duration where the logarithmic part starts to count (ns). */
export const NS0 = 100;

/** Slowest and fastest speeds the clock accepts; others are clamped. */
export const MIN_SPEED = 0.01;
export const MAX_SPEED = 10_000;

/**
 * Animation milliseconds to hold a step of `durationNs` simulated
 * nanoseconds at `speed`. Negative, NaN or infinite durations count as 0;
 * the speed is clamped to [MIN_SPEED, MAX_SPEED].
 */
export function holdMs(durationNs: number, speed = 1): number {
  const ns = Number.isFinite(durationNs) && durationNs > 0 ? durationNs : 0;
  const s = clampSpeed(speed);
  return (MIN_HOLD_MS + MS_PER_DECADE * Math.log10(1 + ns / NS0)) / s;
}

/** `speed` within [MIN_SPEED, MAX_SPEED] (1 for NaN). */
export function clampSpeed(speed: number): number {
  if (Number.isNaN(speed)) return 1;
  return Math.min(MAX_SPEED, Math.max(MIN_SPEED, speed));
}

/** A named speed for buttons and keyboard shortcuts. */
export interface SpeedPreset {
  readonly label: string;
  readonly speed: number;
}

/** Speed presets, slowest first: a log scale (each about 3× the last). */
export const SPEED_PRESETS: readonly SpeedPreset[] = [
  { label: '0.1×', speed: 0.1 },
  { label: '0.3×', speed: 0.3 },
  { label: '1×', speed: 1 },
  { label: '3×', speed: 3 },
  { label: '10×', speed: 10 },
  { label: '30×', speed: 30 },
  { label: '100×', speed: 100 },
  { label: '300×', speed: 300 },
  { label: '1000×', speed: 1000 },
];

/** The default speed. */
export const DEFAULT_SPEED = 1;

/** The preset `steps` places faster (positive) or slower (negative) than the one nearest `speed`. */
export function stepSpeed(speed: number, steps: number): number {
  const log = Math.log10(clampSpeed(speed));
  let nearest = 0;
  SPEED_PRESETS.forEach((p, i) => {
    if (Math.abs(Math.log10(p.speed) - log) < Math.abs(Math.log10(SPEED_PRESETS[nearest]!.speed) - log)) nearest = i;
  });
  const i = Math.min(SPEED_PRESETS.length - 1, Math.max(0, nearest + Math.trunc(steps)));
  return SPEED_PRESETS[i]!.speed;
}

/**
 * Progress ∈ [0, 1] of a step held for `hold` ms after `elapsedMs`, eased
 * (smoothstep) so a packet starts and stops gently. A zero hold is done.
 */
export function stepProgress(elapsedMs: number, hold: number): number {
  if (!(hold > 0)) return 1;
  const t = Math.min(1, Math.max(0, elapsedMs / hold));
  return t * t * (3 - 2 * t);
}
