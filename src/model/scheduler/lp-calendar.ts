/**
 * One logical processor's run queue of CPU-bound virtual processors: who
 * holds the LP, who waits, who sleeps, as a pure state machine that the
 * scheduler drives with engine events and can copy to look ahead ("when
 * does this VP next run?"). It knows the CPU loads (`cpu` entries) and
 * the guest VPs that only run the trace's steps (`CpuVp.io`); the steps
 * that run on the LP are taken from the holder's time and charged to
 * their own VP's credit (`steal`; who owes whom: `step-ledger.ts`). What
 * each VP earns and spends, and the priority its credit gives it, is
 * `credit-accounting.ts`.
 *
 * Xen's credit scheduler (xen common/sched/credit.c), per LP since a VP
 * stays on its LP, with Hyper-V's three per-VM controls on top (a VM's
 * `cpu`: reserve, limit, relative weight; Msvm_ProcessorSettingData,
 * vm-lifecycle-and-availability.md row a.2; the hypervisor's own
 * HvPartitionPropertyCpuReserve, CpuCap and CpuWeight, "guaranteed only
 * over a sufficiently long period of time ... typically on the order of
 * hundredths of a second": the WDK's Hypervisor Scheduler page, 2013,
 * which a 30 ms accounting period matches):
 *  - credits: the VP holding the LP spends its run as it runs; at the end
 *    of each 30 ms accounting period every VP placed here and started
 *    earns its share of the period: its reserve first, then the rest of
 *    the period split by weight among the VPs started here (equal weights:
 *    1/n of the LP each; Xen's `csched_acct` splits by weight the same
 *    way, and has no reserve: Hyper-V's is served first, as a guarantee
 *    is). Credit is kept within one period either way (Xen clips it). A VP
 *    with credit left is UNDER, one in debt OVER (`CSCHED_PRI_TS_UNDER`,
 *    `CSCHED_PRI_TS_OVER`);
 *  - a limit: a VP that has run its limit's part of an accounting period
 *    leaves the LP (`capped`) and is parked until the next period starts,
 *    even when nothing else wants the LP (Xen's cap parks a VCPU the same
 *    way, `CSCHED_FLAG_VCPU_PARKED`, until its credit is paid);
 *  - the run queue is served by priority, first come first served within
 *    one (`__runq_insert`; priorities as the credits stand now, as Xen
 *    re-sorts its queue after accounting, `csched_runq_sort`); a VP that
 *    becomes runnable and outranks the holder preempts it (`__runq_tickle`:
 *    "if the new VCPU has higher priority than the current one, tickle");
 *  - a VP runs until its burst ends or its 30 ms slice does
 *    (`CSCHED_DEFAULT_TSLICE_MS 30`); at a slice end it keeps the LP unless
 *    a VP of its priority or above waits (then it goes behind them); a VP
 *    whose burst ends halts (HLT), sleeps for its duty cycle's gap, and wakes
 *    on its timer;
 *  - with `wakeBoost` (Xen's BOOST, `CSCHED_PRI_TS_BOOST`, "time-share
 *    waking up"), a VP woken UNDER is boosted: it outranks every VP that is
 *    not, so it preempts even an UNDER holder; without it, a woken UNDER VP
 *    still preempts an OVER holder.
 *  - a VP is UNDER until the first accounting after it starts, whatever
 *    it has spent (Xen starts a unit `CSCHED_PRI_TS_UNDER` and sets its
 *    priority by its credit in `csched_acct`; here the credit's sign
 *    counts from then on, as it stands).
 * So a VP that asks for less than its fair share gets what it asks for,
 * and one that asks for more gets its fair share: a 10 % load beside a hog
 * gets 10 %, an 80 % load 50 %; two hogs weighted 300 and 100 get 75 % and
 * 25 %; a hog limited to 25 % gets 25 % even alone on its LP.
 */

import { Pri, type CalendarEvent, type CpuVp } from './cpu-vp.js';
import { accrueCredits, capEndNs, creditPri, nextPeriodNs, queuedPri } from './credit-accounting.js';
import { StepLedger, type HolderRun } from './step-ledger.js';

/** The run queue of one LP. */
export class LpCalendar implements HolderRun {
  holder: CpuVp | null = null;
  /** When the holder's current slice began, and when it ends. */
  holderSinceNs = 0;
  sliceEndNs = 0;
  /** When the holder was dispatched: its run goes on across slices while nobody waits (the `ranNs` of its records). */
  runSinceNs = 0;
  /** Whether the holder was dispatched boosted (a boosted wake does not preempt it). */
  holderBoosted = false;
  /** When the holder reaches its limit in this accounting period (Infinity: it has none, or not before the period ends). */
  holderCapEndNs = Infinity;
  /** Whether any VP here has a limit: the calendar then also steps at each accounting period's start. */
  private capped = false;
  /** The trace's steps on this LP and whose time each is taken from (`steal`). */
  private ledger = new StepLedger();
  readonly queue: CpuVp[] = [];
  /** Every VP placed here, in placement order. */
  readonly vps: CpuVp[] = [];
  /** Time of the last processed event. */
  nowNs = 0;
  /** Up to when credits are accounted (`accrue`). */
  private accruedNs = 0;

  constructor(
    readonly lp: number,
    readonly sliceNs: number,
    /** Xen's BOOST for a VP woken by its timer (see above). */
    readonly wakeBoost = false,
    /**
     * The switch a dispatch costs (`vp_switch`), which the scheduler takes
     * from the VP it dispatches (`VpScheduler.recordCalendar`): the
     * look-ahead takes it too, so a VP told when it runs is not told a
     * switch too early for each VP dispatched before it (a step run at the
     * time foretold then ran inside another VP's turn).
     */
    readonly switchNs = 0,
  ) {
    if (!(Number.isSafeInteger(sliceNs) && sliceNs > 0)) throw new RangeError(`time slice must be a positive integer ns, got ${sliceNs}`);
  }

  /** Adds a CPU load's VP; it starts at its `startNs`. */
  add(vp: CpuVp): void {
    this.vps.push(vp);
    if (vp.capNs !== undefined && vp.capNs < this.sliceNs) this.capped = true;
  }

  /** When the holder's current run ends (burst done or slice over), or Infinity. */
  holderEndNs(): number {
    if (this.holder === null) return Infinity;
    return Math.min(this.sliceEndNs, this.holderSinceNs + this.holder.remainingNs, this.holder.stopNs, this.holderCapEndNs);
  }

  /** The time of the next state change, or Infinity when nothing will change. */
  nextEventNs(): number {
    let next = this.holderEndNs();
    for (const vp of this.vps) {
      if (vp.state === 'waiting-start' && vp.startNs < next) next = vp.startNs;
      else if (vp.state === 'sleeping' && Math.min(vp.wakeAtNs, vp.stopNs) < next) next = Math.min(vp.wakeAtNs, vp.stopNs);
      else if (vp.state === 'runnable' && vp.stopNs < next) next = vp.stopNs;
      else if (vp.state === 'parked' && Math.min(vp.wakeAtNs, vp.stopNs) < next) next = Math.min(vp.wakeAtNs, vp.stopNs);
    }
    // A limited holder's allowance starts afresh with each period: its cap's end is worked out again then.
    if (this.capped && this.holder !== null && this.holder.capNs !== undefined) next = Math.min(next, nextPeriodNs(this.nowNs, this.sliceNs));
    return next;
  }

  /**
   * The run is over at `t`: the holder's run so far and each queued VP's
   * wait so far are reported (`stopped`, `withdrawn`), as its load stopping
   * would report them, so no run or ready time is left uncounted; every VP
   * is off.
   */
  end(t: number, out: CalendarEvent[]): void {
    this.accrue(t);
    this.nowNs = t;
    const h = this.holder;
    if (h !== null) {
      this.ledger.release(this, t);
      out.push({ what: 'stopped', vp: h, ranNs: Math.max(0, t - this.runSinceNs) });
      this.holder = null;
    }
    for (const vp of this.queue) out.push({ what: 'withdrawn', vp, readyNs: t - vp.sinceNs });
    this.queue.length = 0;
    for (const vp of this.vps) vp.state = 'off';
  }

  /** Processes every change due at `t` (the next event's time), reporting each to `out`. */
  step(t: number, out: CalendarEvent[] | null): void {
    const newPeriod = this.capped && Math.floor(t / this.sliceNs) > Math.floor(this.nowNs / this.sliceNs);
    this.accrue(t);
    this.nowNs = t;
    const h = this.holder;
    if (h !== null && newPeriod) this.holderCapEndNs = capEndNs(h, t, this.sliceNs);
    if (h !== null && this.holderEndNs() <= t) {
      this.ledger.release(this, t);
      h.remainingNs -= Math.max(0, t - this.holderSinceNs);
      const ran = Math.max(0, t - this.runSinceNs);
      this.holder = null;
      this.holderCapEndNs = Infinity;
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
      } else if (h.capNs !== undefined && (h.periodRunNs ?? 0) >= h.capNs) {
        // Its limit's part of this period is run: parked, its burst kept, until the next period.
        h.state = 'parked';
        h.wakeAtNs = nextPeriodNs(t, this.sliceNs);
        out?.push({ what: 'capped', vp: h, ranNs: ran, untilNs: h.wakeAtNs });
      } else {
        this.requeue(h, t, ran, out);
      }
    }
    for (const vp of this.vps) {
      if (vp.state === 'waiting-start' && vp.startNs <= t) this.makeRunnable(vp, t, false, out);
      else if (vp.state === 'sleeping' && vp.stopNs <= t) vp.state = 'off';
      else if (vp.state === 'sleeping' && vp.wakeAtNs <= t) {
        out?.push({ what: 'woken', vp, sleptNs: vp.sleepNs });
        this.makeRunnable(vp, t, this.wakeBoost, out);
      } else if (vp.state === 'runnable' && vp.stopNs <= t) {
        // Its load stopped while it waited: the wait is ready time all the same.
        vp.state = 'off';
        this.queue.splice(this.queue.indexOf(vp), 1);
        out?.push({ what: 'withdrawn', vp, readyNs: t - vp.sinceNs });
      } else if (vp.state === 'parked' && vp.stopNs <= t) vp.state = 'off';
      else if (vp.state === 'parked' && vp.wakeAtNs <= t) {
        // Freed by the new period, the rest of its burst still to run; queued by its credit (no boost: it was not woken).
        vp.state = 'runnable';
        vp.sinceNs = t;
        this.admit(vp, creditPri(vp), t, out);
      }
    }
    if (this.holder === null) this.dispatchNext(t, out);
  }

  /** Credits from the last event to `t` (`accrueCredits`); a period begun meanwhile carries the steps on this LP into it. */
  private accrue(t: number): void {
    const from = this.accruedNs;
    if (t <= from) return;
    this.accruedNs = t;
    const periods = accrueCredits(this.vps, this.holder, from, t, this.sliceNs);
    if (periods > 0 && this.capped) this.ledger.carryInto(this.holder, Math.floor(t / this.sliceNs) * this.sliceNs);
  }

  /**
   * The holder's priority at `t`: BOOST until the first tick of its boosted
   * run (Xen's 10 ms tick, a third of the slice: `csched_vcpu_acct` drops a
   * running VCPU's BOOST to UNDER), else by its credit.
   */
  private holderPri(t: number): Pri {
    return this.holderBoosted && t < this.runSinceNs + this.sliceNs / 3 ? Pri.Boost : creditPri(this.holder!);
  }

  /** The index of the VP to dispatch next: the first queued of the highest priority (first come first served within one), or -1. */
  private nextIndex(): number {
    let best = -1;
    let bestPri = -1;
    for (let i = 0; i < this.queue.length; i++) {
      const pri = queuedPri(this.queue[i]!);
      if (pri > bestPri) {
        best = i;
        bestPri = pri;
      }
    }
    return best;
  }

  /**
   * A holder whose run ended with work left (its slice, or a 100 % load's
   * burst): it keeps the LP, on a fresh slice, unless a VP of its priority
   * or above waits; then it goes behind them.
   */
  private requeue(h: CpuVp, t: number, ran: number, out: CalendarEvent[] | null): void {
    const next = this.nextIndex();
    if (next < 0 || queuedPri(this.queue[next]!) < creditPri(h)) {
      this.holder = h;
      this.holderSinceNs = t;
      this.sliceEndNs = t + this.sliceNs;
      this.holderBoosted = false;
      h.remainingNs = h.remainingNs <= 0 ? h.burstNs : h.remainingNs;
      // The pending steps first, with no limit in the way: the limit's end then counts from what they leave of it.
      this.holderCapEndNs = Infinity;
      this.ledger.takePending(this, t);
      this.holderCapEndNs = capEndNs(h, t, this.sliceNs);
      // Still running (no record: nothing changed on the LP); its run goes on from `runSinceNs`.
      h.state = 'running';
      return;
    }
    h.state = 'runnable';
    h.sinceNs = t;
    this.queue.push(h);
    out?.push({ what: 'preempted', vp: h, ranNs: ran });
  }

  /**
   * `vp` becomes runnable (its start, or its timer's wake): queued by its
   * priority (BOOST if `boost` and it is UNDER); if it outranks the holder,
   * the holder is preempted and goes back by its own priority.
   */
  private makeRunnable(vp: CpuVp, t: number, boost: boolean, out: CalendarEvent[] | null): void {
    vp.state = 'runnable';
    vp.remainingNs = vp.burstNs;
    vp.sinceNs = t;
    const under = creditPri(vp) === Pri.Under;
    this.admit(vp, boost && under ? Pri.Boost : creditPri(vp), t, out);
  }

  /** Queues runnable `vp` with priority `pri`, preempting the holder if it outranks it. */
  private admit(vp: CpuVp, pri: Pri, t: number, out: CalendarEvent[] | null): void {
    vp.boosted = pri === Pri.Boost;
    this.queue.push(vp);
    const h = this.holder;
    if (h === null || t >= this.holderEndNs() || pri <= this.holderPri(t)) return;
    this.ledger.release(this, t);
    h.remainingNs -= Math.max(0, t - this.holderSinceNs);
    this.holder = null;
    this.holderCapEndNs = Infinity;
    h.state = 'runnable';
    h.sinceNs = t;
    this.queue.push(h);
    out?.push({ what: 'preempted', vp: h, ranNs: Math.max(0, t - this.runSinceNs) });
  }

  private dispatchNext(t: number, out: CalendarEvent[] | null): void {
    const index = this.nextIndex();
    if (index < 0) return;
    const next = this.queue.splice(index, 1)[0]!;
    this.holder = next;
    next.state = 'running';
    this.holderBoosted = next.boosted === true;
    next.boosted = false;
    this.holderSinceNs = t;
    this.runSinceNs = t;
    this.sliceEndNs = t + this.sliceNs;
    this.holderCapEndNs = Infinity;
    this.ledger.takePending(this, t);
    this.holderCapEndNs = capEndNs(next, t, this.sliceNs);
    out?.push({ what: 'dispatched', vp: next, readyNs: t - next.sinceNs });
  }

  /**
   * A step of the trace had the LP from `startNs` for `ns`, run by the VP
   * whose CPU load is `owner` (null: a VP without one here). The holder then
   * did none of its burst meanwhile, so its burst ends `ns` later and its
   * run (`ranNs`) leaves the step out; its slice keeps its end. The step's
   * time is the owner's to pay, here, once; the VP it is taken from is paid
   * back (its time on the LP is charged as it holds it). A step that starts
   * after the holder's run ends, or with no holder, is taken from the VP
   * that holds the LP when it runs (`StepLedger`'s pending), so that no time of the LP
   * is both a step's and a VP's run.
   */
  steal(startNs: number, ns: number, owner: CpuVp | null = null): void {
    this.ledger.steal(this, startNs, ns, owner);
  }

  /**
   * I/O VP `vp` (`io`), sleeping, has work at `t`: if it has run its limit
   * in this period it is parked until the next; else it is runnable, queued
   * by its credit (BOOST if `boost` and it is UNDER: a wake from HLT by an
   * interrupt) and dispatched at once if the LP is free or it outranks the
   * holder (which is preempted). The caller has processed the events due
   * at `t` (`step`).
   */
  wakeIo(vp: CpuVp, t: number, boost: boolean, out: CalendarEvent[]): void {
    this.accrue(t);
    vp.remainingNs = Infinity;
    vp.sinceNs = t;
    const release = this.capReleaseNs(vp, t);
    if (release > t) {
      vp.state = 'parked';
      vp.wakeAtNs = release;
      return;
    }
    this.makeRunnable(vp, t, boost, out);
    if (this.holder === null) this.dispatchNext(t, out);
  }

  /**
   * I/O VP `vp` has no work left at `t` (it executes HLT): it leaves the LP
   * (the next VP is dispatched) or the run queue (its wait so far reported,
   * `withdrawn`), and sleeps until a step needs it again.
   */
  haltIo(vp: CpuVp, t: number, out: CalendarEvent[]): void {
    this.accrue(t);
    if (this.holder === vp) {
      this.ledger.release(this, t);
      this.holder = null;
      this.holderCapEndNs = Infinity;
    } else if (vp.state === 'runnable') {
      this.queue.splice(this.queue.indexOf(vp), 1);
      out.push({ what: 'withdrawn', vp, readyNs: t - vp.sinceNs });
    }
    vp.state = 'sleeping';
    vp.wakeAtNs = Infinity;
    vp.boosted = false;
    if (this.holder === null) this.dispatchNext(t, out);
  }

  /** The holder's run so far at `t` (its own steps left out: `steal`), or -1 when `vp` does not hold the LP. */
  runSoFarNs(vp: CpuVp, t: number): number {
    return this.holder === vp ? Math.max(0, t - this.runSinceNs) : -1;
  }

  /** When a VP parked by its limit, or one that has run its limit in this period, may run again (`t` itself when it may now). */
  capReleaseNs(vp: CpuVp, t: number): number {
    if (vp.state === 'parked') return vp.wakeAtNs;
    if (vp.capNs === undefined || vp.state === 'running') return t;
    // A sleeping VP's allowance as the credits stand at `t` (a period may have begun since the last event).
    const run = Math.floor(t / this.sliceNs) > Math.floor(this.nowNs / this.sliceNs) ? 0 : (vp.periodRunNs ?? 0);
    return run >= vp.capNs ? nextPeriodNs(t, this.sliceNs) : t;
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
   * The time a VP outside the queue (a root VP, or a sleeping one) that
   * becomes runnable at `t` without a boost is dispatched: it is
   * UNDER (it spends little of its share), so it goes behind the UNDER VPs
   * queued and preempts an OVER holder; with k VPs on the LP, at worst
   * (k − 1)·q, the E model's bound.
   */
  tailDispatchNs(t: number): number {
    if (!this.busy) return t;
    const copy = this.copy();
    copy.accrue(t);
    const phantom: CpuVp = { id: -1, burstNs: 0, sleepNs: 0, startNs: t, stopNs: Infinity, remainingNs: 0, state: 'runnable', sinceNs: t, wakeAtNs: 0 };
    copy.admit(phantom, Pri.Under, t, null);
    if (copy.holder === null) copy.dispatchNext(t, null);
    return copy.runUntilHolder(phantom, t);
  }

  private runUntilHolder(vp: CpuVp, t: number): number {
    // The first event may be due now (not yet processed by the live calendar).
    for (let i = 0; i < 10_000; i++) {
      if (this.holder === vp) return this.holderSinceNs;
      const next = this.nextEventNs();
      if (next === Infinity) return Infinity;
      const at = Math.max(next, t);
      if (this.switchNs === 0) {
        this.step(at, null);
        continue;
      }
      const events: CalendarEvent[] = [];
      this.step(at, events);
      // Each other VP dispatched on the way pays its switch, taken from its run, as the scheduler takes it.
      for (const e of events) if (e.what === 'dispatched' && e.vp !== vp && this.holder === e.vp) this.steal(at, this.switchNs, e.vp);
    }
    throw new Error(`LP ${this.lp}: no dispatch found in 10,000 scheduler events`);
  }

  /** A deep copy for looking ahead. */
  private copy(): LpCalendar {
    const c = new LpCalendar(this.lp, this.sliceNs, this.wakeBoost, this.switchNs);
    const map = new Map<CpuVp, CpuVp>();
    for (const vp of this.vps) {
      const v = { ...vp };
      // An I/O VP's time on the LP is its steps', already taken there (`LogicalProcessors.reserve`):
      // looking ahead, it leaves the LP as soon as it has it, and sleeps until a step wakes it.
      if (v.io === true) {
        v.burstNs = 0;
        v.remainingNs = 0;
        v.sleepNs = Infinity;
      }
      map.set(vp, v);
      c.vps.push(v);
    }
    c.holder = this.holder === null ? null : map.get(this.holder)!;
    c.holderSinceNs = this.holderSinceNs;
    c.sliceEndNs = this.sliceEndNs;
    c.runSinceNs = this.runSinceNs;
    c.holderBoosted = this.holderBoosted;
    c.holderCapEndNs = this.holderCapEndNs;
    c.capped = this.capped;
    c.accruedNs = this.accruedNs;
    for (const q of this.queue) c.queue.push(map.get(q)!);
    c.nowNs = this.nowNs;
    c.ledger = this.ledger.copy(map);
    return c;
  }
}
