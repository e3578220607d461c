/** Trace record kinds: virtual processors on logical processors (the credit scheduler). Part of the catalog, `../trace-events.ts`. */
export interface SchedulerKindFields {
  // --- Virtual processors on logical processors (model/scheduler/; issue 14 item 3, issue 10 item 5).
  //     Emitted only when the scenario picks the credit scheduler. `vm` is the partition (a VM id or
  //     `root`), `vp` the VP's number in it; the envelope's `lp` is the LP it runs on. ---
  /** At the start: a VP exists and runs on the envelope's `lp` (every guest VP and the root's VP of every LP), with its VM's reserve, limit and weight when the scenario set them (`vms[].cpu`). */
  'vp.placed': { vm: string; vp: number; reservePct?: number; limitPct?: number; weight?: number };
  /** The scheduler gave the LP to a VP of a CPU load, after `readyNs` runnable in the queue (costNs: the VP switch). */
  'vp.dispatched': { vm: string; vp: number; readyNs: number };
  /**
   * A running VP left its LP with work left: its time slice ended with others waiting (`preempted`), its CPU load
   * stopped (`stopped`), or it ran its VM's limit's part of the accounting period (`capped`: parked until `untilNs`,
   * the next period's start), after running `ranNs`.
   */
  'vp.descheduled': { vm: string; vp: number; why: 'preempted' | 'stopped' | 'capped'; ranNs: number; untilNs?: number };
  /** A VP of a CPU load that waited in its LP's queue left it without running: its load stopped (the run's requests done, its duration over, or the run's end); `readyNs` runnable since it was queued. */
  'vp.withdrawn': { vm: string; vp: number; readyNs: number };
  /** A VP with nothing to run executed HLT: an HLT exit to the hypervisor (costNs), which idles it. `ranNs`: its CPU load's run just ended. */
  'vp.halted': { vm: string; vp: number; ranNs?: number };
  /** A halted VP was woken: by an interrupt for it (a SynIC interrupt, an emulated device's IOAPIC interrupt, a physical device's for the root) or its own timer; `haltedNs` since its HLT. */
  'vp.woken': { vm: string; vp: number; via: 'synic' | 'ioapic' | 'device' | 'timer'; haltedNs: number };
  /**
   * The step that follows on this strand had to wait `waitNs` (after `t`) for its VP to be dispatched:
   * `turn`, the VP was runnable and waited for its turn in the LP's run queue; `queued`, it was woken
   * without a boost and joined the tail; `capped`, it had run its VM's limit's part of the accounting period and
   * waited for the next. The "waiting for a VP" of the breakdown: its place is `hv.vp-wait`.
   */
  'vp.waited': { vm: string; vp: number; why: 'turn' | 'queued' | 'capped' };
}

/** These kinds at run time, in catalog order. */
export const SCHEDULER_KINDS = {
  'vp.placed': true,
  'vp.dispatched': true,
  'vp.withdrawn': true,
  'vp.descheduled': true,
  'vp.halted': true,
  'vp.woken': true,
  'vp.waited': true,
} as const satisfies Record<keyof SchedulerKindFields, true>;
