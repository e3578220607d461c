/**
 * What one entry of the cost table is (nanoseconds per profile, a range, a
 * source), the profiles, and the builders the cost files use: `c` for a
 * figure given in both profiles, `sw` for software on the CPU (the modern
 * figure derived by the speed-up), `n` for a figure that is not a time.
 */

/** One cost: nanoseconds per profile, a plausible range, and where it comes from. */
export interface CostEntry {
  /** What the charge covers. */
  readonly what: string;
  /** Nanoseconds in each profile. */
  readonly ns: { readonly '2008': number; readonly modern: number };
  /** Plausible range in ns [low, high]. */
  readonly range: readonly [number, number];
  /** Reference section and the nature of the figure. */
  readonly source: string;
  /** What the figures count when they are not nanoseconds (a buffer's bytes, a number of heads); absent for ns. */
  readonly unit?: 'bytes' | 'count';
}

/** The profiles a scenario can pick. */
export const PROFILES = ['2008', 'modern'] as const;
export type ProfileName = (typeof PROFILES)[number];

export const c = (what: string, y2008: number, modern: number, range: [number, number], source: string): CostEntry => ({
  what,
  ns: { '2008': y2008, modern },
  range,
  source,
});

/**
 * The modern profile's CPU speed-up for software paths (E). Single-thread
 * integer speed of a server core rose about 2.5-3x from a 2008 Penryn Xeon
 * at ~3 GHz to a 2019-2021 core (SPEC CPU2006 integer per-core results, R);
 * kernel I/O paths are branchy and miss the caches more than SPEC does, so
 * 2 is taken. Yang, Minturn & Hady ("When Poll Is Better than Interrupt",
 * FAST 2012, R) measured a whole kernel block I/O path at a few µs per 4 KiB
 * I/O on a 2012 core, the same order as this table's modern stack.
 */
export const CPU_SPEEDUP_2008_TO_MODERN = 2;

/** Software on the CPU: the modern figure is the 2008 one divided by the speed-up (E, see above). */
export const sw = (what: string, y2008: number, range: [number, number], source: string): CostEntry =>
  c(what, y2008, Math.round(y2008 / CPU_SPEEDUP_2008_TO_MODERN), range, `${source}; modern = 2008 ÷ ${CPU_SPEEDUP_2008_TO_MODERN} (E: CPU_SPEEDUP_2008_TO_MODERN)`);

/** A figure of the table that is not a time: `unit` says what it counts. */
export const n = (what: string, y2008: number, modern: number, range: [number, number], source: string, unit: 'bytes' | 'count'): CostEntry => ({
  ...c(`${what} (${unit === 'bytes' ? 'in bytes' : 'a count'}, not ns)`, y2008, modern, range, source),
  unit,
});
