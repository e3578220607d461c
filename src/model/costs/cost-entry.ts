/**
 * What one entry of the cost table is (nanoseconds per profile, a range, a
 * source), the profiles, and the builders the cost files use: `c` for a
 * figure given in both profiles, `sw` for software on the CPU (the modern
 * figure derived by the speed-up), `n` for a figure that is not a time (with the
 * values an override may take).
 */

/** One cost: its figure per profile (nanoseconds unless `unit` says otherwise), a plausible range, and where it comes from. */
export interface CostEntry {
  /** What the charge covers. */
  readonly what: string;
  /** The figure in each profile: nanoseconds, or bytes or a count when `unit` says so (the field keeps its name: scenarios and tests read it). */
  readonly ns: { readonly '2008': number; readonly modern: number };
  /** Plausible range [low, high], in the figure's unit. */
  readonly range: readonly [number, number];
  /** Reference section and the nature of the figure. */
  readonly source: string;
  /** What the figures count when they are not nanoseconds (a buffer's bytes, a number of heads, an on/off switch); absent for ns. */
  readonly unit?: CostUnit;
  /**
   * The values a scenario may override a non-ns figure with (absent for ns:
   * 0..NS_OVERRIDE_MAX). Wider than `range`, which is what is plausible, but
   * held to what the model can run: a count is at least 1 where the model
   * needs one of the thing and small enough not to exhaust memory or time
   * (each read segment or save lane is an object), and a size is in whole
   * sectors where it becomes a disk I/O.
   */
  readonly accepts?: CostAccepts;
}

/** What a non-ns figure counts. */
export type CostUnit = 'bytes' | 'count' | 'switch';

/** The override values of a non-ns figure: an integer in min..max, a multiple of `multipleOf` when given. */
export interface CostAccepts {
  readonly min: number;
  readonly max: number;
  readonly multipleOf?: number;
}

/** The largest override of a time (10 s): the longest cost in the table (`vm_guest_boot`, 2008) and far beyond any plausible one. */
export const NS_OVERRIDE_MAX = 10_000_000_000;

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

const UNIT_WORDS: Record<CostUnit, string> = { bytes: 'in bytes', count: 'a count', switch: '0 = off, 1 = on' };

/** A figure of the table that is not a time: `unit` says what it counts, `accepts` what an override may be. */
export const n = (what: string, y2008: number, modern: number, range: [number, number], source: string, unit: CostUnit, accepts: CostAccepts): CostEntry => ({
  ...c(`${what} (${UNIT_WORDS[unit]}, not ns)`, y2008, modern, range, source),
  unit,
  accepts,
});
