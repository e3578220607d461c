/**
 * A virtual processor as an LP's run queue (`lp-calendar.ts`) holds it:
 * its load (bursts and sleeps, or only the trace's steps), its state, its
 * credit and Hyper-V's per-VM controls (reserve, limit, weight), and what
 * the calendar says happened to it (`CalendarEvent`).
 */
/** Hyper-V's default relative weight (Msvm_ProcessorSettingData `Weight = 100`; 1..10,000). */
export const DEFAULT_WEIGHT = 100;

/** Priorities, higher first (Xen: BOOST > UNDER > OVER). */
export const enum Pri {
  Over = 0,
  Under = 1,
  Boost = 2,
}

/** A CPU-bound virtual processor: bursts of work separated by sleeps. */
export interface CpuVp {
  /** Index of the VP in the scheduler's table. */
  readonly id: number;
  /** CPU work per burst, ns. */
  readonly burstNs: number;
  /** Sleep after a burst (the duty cycle's gap), ns; 0 for a VP that always has work. */
  readonly sleepNs: number;
  /** When the load starts and stops (ns; stop Infinity = until the scheduler stops it). */
  readonly startNs: number;
  stopNs: number;
  /** Work left in the current burst, ns. */
  remainingNs: number;
  state: 'waiting-start' | 'runnable' | 'running' | 'sleeping' | 'parked' | 'off';
  /** Sleeping: when its timer wakes it (parked: when the next period frees it); runnable: since when it waits. */
  sinceNs: number;
  wakeAtNs: number;
  /** Queued by a boosted wake (set until it is dispatched). */
  boosted?: boolean;
  /** Credit, ns of LP time: earned at its fair share, spent by running (0 until it starts). */
  creditNs?: number;
  /**
   * Whether an accounting period has ended since it started: until then it
   * is UNDER whatever it has spent (Xen: a new unit starts
   * `CSCHED_PRI_TS_UNDER`, and its priority follows its credit from the
   * next `csched_acct` on).
   */
  accounted?: boolean;
  /** Relative weight (Hyper-V: 1..10,000, default 100): its part of what the reserves leave. */
  weight?: number;
  /** Reserve: ns of each accounting period it earns before the rest is split by weight (default 0). */
  reserveNs?: number;
  /** Limit: ns of each accounting period it may run (default: the whole period, no limit). */
  capNs?: number;
  /** Its run in the current accounting period (its own steps included), for the limit. */
  periodRunNs?: number;
  /**
   * A VP with no CPU load, whose only work is the trace's steps (a VM doing
   * I/O): it has no bursts of its own. The scheduler makes it runnable when
   * a step needs it (`wakeIo`) and takes it off the LP when its steps are
   * done (`haltIo`); meanwhile it is queued, dispatched, preempted and
   * sliced like any VP, so it spends credit, loses its BOOST when OVER, and
   * yields at a slice's end (`burstNs`, `remainingNs`: Infinity). It takes
   * part in the accounting from its first wake.
   */
  io?: boolean;
}

/** Something that happened on the LP, for the scheduler to record. */
export type CalendarEvent =
  | { what: 'dispatched'; vp: CpuVp; readyNs: number }
  | { what: 'preempted'; vp: CpuVp; ranNs: number }
  | { what: 'halted'; vp: CpuVp; ranNs: number }
  | { what: 'woken'; vp: CpuVp; sleptNs: number }
  | { what: 'stopped'; vp: CpuVp; ranNs: number }
  | { what: 'withdrawn'; vp: CpuVp; readyNs: number }
  | { what: 'capped'; vp: CpuVp; ranNs: number; untilNs: number };
