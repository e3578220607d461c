/**
 * One logical processor's run queue of CPU-bound virtual processors: who
 * holds the LP, who waits, who sleeps, as a pure state machine that the
 * scheduler drives with engine events and can copy to look ahead ("when
 * does this VP next run?"). It knows only the CPU loads (`cpu` entries);
 * the trace's steps that run on the LP meanwhile are taken from the
 * holder's time (`steal`). It is not a model of credits: every VP has the same
 * weight, so the credit scheduler's fair share is plain round robin.
 *
 * Round robin with a time slice, as Xen's credit scheduler with equal
 * weights: a VP runs until its burst ends or its slice does; at a slice end
 * with others waiting it goes to the tail of the queue (xen
 * common/sched/credit.c: `CSCHED_DEFAULT_TSLICE_MS 30`, `__runq_insert`
 * after VPs of the same priority). A VP whose burst ends halts (HLT) and
 * sleeps for its duty cycle's gap, then wakes on its timer. With
 * `wakeBoost` (Xen's BOOST, `CSCHED_PRI_TS_BOOST`: a VP waking UNDER its
 * credit preempts one that is not boosted), a woken VP whose duty is below
 * its fair share of the LP (100 % over the loads placed there: the VP that
 * stays UNDER, E, as credits are not modelled) goes to the head of the queue
 * and preempts a holder that was not boosted, which goes to the tail;
 * otherwise, and without `wakeBoost`, it joins the tail.
 */

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
  state: 'waiting-start' | 'runnable' | 'running' | 'sleeping' | 'off';
  /** Sleeping: when its timer wakes it; runnable: since when it waits. */
  sinceNs: number;
  wakeAtNs: number;
  /** Queued by a boosted wake (set until it is dispatched). */
  boosted?: boolean;
}

/** Something that happened on the LP, for the scheduler to record. */
export type CalendarEvent =
  | { what: 'dispatched'; vp: CpuVp; readyNs: number }
  | { what: 'preempted'; vp: CpuVp; ranNs: number }
  | { what: 'halted'; vp: CpuVp; ranNs: number }
  | { what: 'woken'; vp: CpuVp; sleptNs: number }
  | { what: 'stopped'; vp: CpuVp; ranNs: number };

/** The run queue of one LP. */
export class LpCalendar {
  holder: CpuVp | null = null;
  /** When the holder's current slice began, and when it ends. */
  holderSinceNs = 0;
  sliceEndNs = 0;
  /** When the holder was dispatched: its run goes on across slices while nobody waits (the `ranNs` of its records). */
  runSinceNs = 0;
  /** Whether the holder was dispatched boosted (a boosted wake does not preempt it). */
  holderBoosted = false;
  readonly queue: CpuVp[] = [];
  /** Every VP placed here, in placement order. */
  readonly vps: CpuVp[] = [];
  /** Time of the last processed event. */
  nowNs = 0;

  constructor(
    readonly lp: number,
    readonly sliceNs: number,
    /** Xen's BOOST for a VP woken by its timer (see above). */
    readonly wakeBoost = false,
  ) {
    if (!(Number.isSafeInteger(sliceNs) && sliceNs > 0)) throw new RangeError(`time slice must be a positive integer ns, got ${sliceNs}`);
  }

  /** Adds a CPU load's VP; it starts at its `startNs`. */
  add(vp: CpuVp): void {
    this.vps.push(vp);
  }

  /** When the holder's current run ends (burst done or slice over), or Infinity. */
  private holderEndNs(): number {
    if (this.holder === null) return Infinity;
    return Math.min(this.sliceEndNs, this.holderSinceNs + this.holder.remainingNs, this.holder.stopNs);
  }

  /** The time of the next state change, or Infinity when nothing will change. */
  nextEventNs(): number {
    let next = this.holderEndNs();
    for (const vp of this.vps) {
      if (vp.state === 'waiting-start' && vp.startNs < next) next = vp.startNs;
      else if (vp.state === 'sleeping' && Math.min(vp.wakeAtNs, vp.stopNs) < next) next = Math.min(vp.wakeAtNs, vp.stopNs);
      else if (vp.state === 'runnable' && vp.stopNs < next) next = vp.stopNs;
    }
    return next;
  }

  /** Processes every change due at `t` (the next event's time), reporting each to `out`. */
  step(t: number, out: CalendarEvent[] | null): void {
    this.nowNs = t;
    const h = this.holder;
    if (h !== null && this.holderEndNs() <= t) {
      // A step taken from its time may end after its slice does (`steal`): no negative progress.
      h.remainingNs -= Math.max(0, t - this.holderSinceNs);
      const ran = Math.max(0, t - this.runSinceNs);
      this.holder = null;
      if (t >= h.stopNs) {
        h.state = 'off';
        out?.push({ what: 'stopped', vp: h, ranNs: ran });
      } else if (h.remainingNs <= 0) {
        if (h.sleepNs > 0) {
          h.state = 'sleeping';
          h.wakeAtNs = t + h.sleepNs;
          out?.push({ what: 'halted', vp: h, ranNs: ran });
        } else {
          // A load at 100 % never sleeps: its next burst follows at once.
          h.remainingNs = h.burstNs;
          this.requeue(h, t, ran, out);
        }
      } else {
        this.requeue(h, t, ran, out);
      }
    }
    for (const vp of this.vps) {
      if (vp.state === 'waiting-start' && vp.startNs <= t) this.makeRunnable(vp, t);
      else if (vp.state === 'sleeping' && vp.stopNs <= t) vp.state = 'off';
      else if (vp.state === 'sleeping' && vp.wakeAtNs <= t) {
        out?.push({ what: 'woken', vp, sleptNs: vp.sleepNs });
        this.makeRunnable(vp, t);
        if (this.boosted(vp)) this.boost(vp, t, out);
      } else if (vp.state === 'runnable' && vp.stopNs <= t) {
        vp.state = 'off';
        this.queue.splice(this.queue.indexOf(vp), 1);
      }
    }
    if (this.holder === null) this.dispatchNext(t, out);
  }

  /** A holder whose run ended with work left: to the tail if others wait, else a fresh slice. */
  private requeue(h: CpuVp, t: number, ran: number, out: CalendarEvent[] | null): void {
    if (this.queue.length === 0) {
      this.holder = h;
      this.holderSinceNs = t;
      this.sliceEndNs = t + this.sliceNs;
      h.remainingNs = h.remainingNs <= 0 ? h.burstNs : h.remainingNs;
      // Still running (no record: nothing changed on the LP); its run goes on from `runSinceNs`.
      h.state = 'running';
      return;
    }
    h.state = 'runnable';
    h.sinceNs = t;
    this.queue.push(h);
    out?.push({ what: 'preempted', vp: h, ranNs: ran });
  }

  /** Whether `vp`, woken, is boosted: BOOST is on and its duty is below its fair share of the LP (it stays UNDER; at its share or above it goes OVER within an accounting period, E). */
  private boosted(vp: CpuVp): boolean {
    return this.wakeBoost && vp.burstNs * this.vps.length < vp.burstNs + vp.sleepNs;
  }

  /** A boosted wake: `vp` (just queued) moves to the head of the queue, and a holder not boosted is preempted to the tail. */
  private boost(vp: CpuVp, t: number, out: CalendarEvent[] | null): void {
    this.queue.splice(this.queue.indexOf(vp), 1);
    this.queue.unshift(vp);
    vp.boosted = true;
    const h = this.holder;
    if (h === null || this.holderBoosted || t >= this.holderEndNs()) return;
    h.remainingNs -= Math.max(0, t - this.holderSinceNs);
    this.holder = null;
    h.state = 'runnable';
    h.sinceNs = t;
    this.queue.push(h);
    out?.push({ what: 'preempted', vp: h, ranNs: Math.max(0, t - this.runSinceNs) });
  }

  private makeRunnable(vp: CpuVp, t: number): void {
    vp.state = 'runnable';
    vp.remainingNs = vp.burstNs;
    vp.sinceNs = t;
    this.queue.push(vp);
  }

  private dispatchNext(t: number, out: CalendarEvent[] | null): void {
    const next = this.queue.shift();
    if (next === undefined) return;
    this.holder = next;
    next.state = 'running';
    this.holderBoosted = next.boosted === true;
    next.boosted = false;
    this.holderSinceNs = t;
    this.runSinceNs = t;
    this.sliceEndNs = t + this.sliceNs;
    out?.push({ what: 'dispatched', vp: next, readyNs: t - next.sinceNs });
  }

  /**
   * A step of the trace had the LP from `startNs` for `ns`: the holder then
   * (a CPU load) did none of its own work meanwhile, so its burst ends `ns`
   * later and its run (`ranNs`) leaves the step out. Its slice keeps its end.
   */
  steal(startNs: number, ns: number): void {
    const h = this.holder;
    if (h === null || startNs < this.holderSinceNs || startNs >= this.holderEndNs()) return;
    this.holderSinceNs += ns;
    this.runSinceNs += ns;
  }

  /** Whether `vp` holds the LP at `t` (dispatched and its run not over). */
  holds(vp: CpuVp, t: number): boolean {
    return this.holder === vp && t < this.holderEndNs();
  }

  /** Anything runnable or running: the LP is contended for. */
  get busy(): boolean {
    return this.holder !== null || this.queue.length > 0;
  }

  /** The time `vp` (runnable now) is next dispatched, looking ahead on a copy; `t` is now. */
  nextHoldNs(vp: CpuVp, t: number): number {
    if (this.holds(vp, t)) return t;
    const copy = this.copy();
    const mine = copy.vps[this.vps.indexOf(vp)]!;
    return copy.runUntilHolder(mine, t);
  }

  /**
   * The time a VP outside the queue (an I/O-only VP, or a sleeping one)
   * that joins the tail at `t` is dispatched: after the holder's run and one
   * turn of each VP queued ahead of it (the E model's (k − 1)·q at worst).
   */
  tailDispatchNs(t: number): number {
    if (!this.busy) return t;
    const copy = this.copy();
    const phantom: CpuVp = { id: -1, burstNs: 0, sleepNs: 0, startNs: t, stopNs: Infinity, remainingNs: 0, state: 'runnable', sinceNs: t, wakeAtNs: 0 };
    copy.vps.push(phantom);
    copy.queue.push(phantom);
    return copy.runUntilHolder(phantom, t);
  }

  private runUntilHolder(vp: CpuVp, t: number): number {
    // The first event may be due now (not yet processed by the live calendar).
    for (let i = 0; i < 10_000; i++) {
      if (this.holder === vp) return this.holderSinceNs;
      const next = this.nextEventNs();
      if (next === Infinity) return Infinity;
      this.step(Math.max(next, t), null);
    }
    throw new Error(`LP ${this.lp}: no dispatch found in 10,000 scheduler events`);
  }

  /** A deep copy for looking ahead. */
  private copy(): LpCalendar {
    const c = new LpCalendar(this.lp, this.sliceNs, this.wakeBoost);
    const map = new Map<CpuVp, CpuVp>();
    for (const vp of this.vps) {
      const v = { ...vp };
      map.set(vp, v);
      c.vps.push(v);
    }
    c.holder = this.holder === null ? null : map.get(this.holder)!;
    c.holderSinceNs = this.holderSinceNs;
    c.sliceEndNs = this.sliceEndNs;
    c.runSinceNs = this.runSinceNs;
    c.holderBoosted = this.holderBoosted;
    for (const q of this.queue) c.queue.push(map.get(q)!);
    c.nowNs = this.nowNs;
    return c;
  }
}
