/**
 * The hypervisor's scheduler of virtual processors on logical processors,
 * used when a scenario picks `host.scheduler.kind: credit` (issue 14 item
 * 3; issue 10 item 5's HLT exits and wakes). Hyper-V's own quantum and
 * policy are not published (vm-lifecycle-and-availability.md row a.2, a
 * gap), so the stand-in is Xen's credit scheduler with equal weights:
 * 30 ms time slices (xen common/sched/credit.c `CSCHED_DEFAULT_TSLICE_MS
 * 30`; 3 ticks of 10 ms, `CSCHED_TICKS_PER_TSLICE 3`), round robin among
 * runnable VPs on an LP, and BOOST (`CSCHED_PRI_TS_BOOST`, "time-share
 * waking up") for a VP woken from HLT by an interrupt, which preempts a
 * VP that is merely UNDER. Hyper-V's per-VM reserve, limit and weight (a
 * VM's `cpu`, row a.2) act through the credits and a cap (`LpCalendar`); a
 * limited VP's own steps count against its limit, and one that has run its
 * limit waits for the next accounting period (`vp.waited` why `capped`).
 * It is not a model of VMware's relaxed co-scheduling, nor of load
 * balancing: each VP stays on the LP `vpPlacement` gives it.
 *
 * Two kinds of demand meet on an LP:
 *  - CPU loads (`cpu` entries): bursts of work with a duty cycle, run by
 *    `LpCalendar` on engine events (dispatch, preemption at a slice end,
 *    HLT at a burst's end, the timer wake);
 *  - the trace's steps: each guest step runs on its VM's VP 0, each root
 *    step on the root's VP of its LP (the tracer asks `before`).
 *    A guest VP without a CPU load (a VM doing I/O) has a place in its
 *    LP's run queue all the same (`CpuVp.io`, `ioStep`): a step wakes it
 *    (`vp.woken`, cost `vp_wake`) and queues it by its credit, BOOSTed if
 *    UNDER, so it preempts a CPU load only while it spends less than its
 *    share; its steps' time is its credit's; once its steps are done it
 *    executes HLT and leaves the LP; and a step finding it queued or
 *    preempted waits for its dispatch. So a reserve or a weight holds
 *    against a VM doing I/O as against a CPU load (before, such a VP spent
 *    no credit, kept its boost, and took its LP from a neighbour with a
 *    50 % reserve: README, "What the model does not do (yet)").
 *    A root VP or a guest VP with a CPU load runs a step at once when it
 *    holds the LP or ran the step just before. A halted one is woken and,
 *    boosted, runs at once; without the boost it joins the tail of the
 *    queue. A VP that is runnable with CPU work of its own waits for its
 *    turn (no boost: it was not woken). Every wait is a `vp.waited`
 *    record: the breakdown's "waiting for a VP". Hypervisor steps run in
 *    the context of the VP that trapped and never wait. A root VP without
 *    a CPU load spends no credit: its work on a VM's behalf is taken from
 *    whoever holds the LP (the stand-in has no published policy for the
 *    root's VPs; row a.2). One with a CPU load (`cpu` on `root`) is a VP
 *    like a guest's: its steps wait for its turn and are paid from that
 *    load's credit, so a VM's storvsp work on that LP waits behind the
 *    root's own work (an audit measured a VM's reads waiting 0.2 ms each).
 *  - a VP whose work is done executes HLT: `vp.halted` (cost `hlt_exit`),
 *    decided at the end of its last step, after everything else due then.
 * A step's time on an LP is taken from the VP holding the LP while the
 * step runs (`LpCalendar.steal`; a step that outlasts one VP's turn is
 * taken from the next's): that VP's burst ends that much later and its run
 * time leaves it out, so an LP is never busy more than all the time; the
 * step's own VP pays for it, once.
 * E simplification: a VP waiting for its turn is told its dispatch time
 * from a look-ahead that assumes no new demand arrives meanwhile.
 */
import type { EventId, Simulation } from '../../engine/index.js';
import { PRIORITY_MAX } from '../../engine/event-queue.js';
import type { CostTable } from '../costs.js';
import type { Place } from '../topology.js';
import type { Charge, RecordKind } from '../trace-events.js';
import { strand, type StepScheduler, type Strand, type Tracer } from '../tracer.js';
import type { CalendarEvent, CpuVp } from './cpu-vp.js';
import { LpCalendar } from './lp-calendar.js';

/** How the scheduler behaves (scenario `host.scheduler`). */
export interface SchedulerConfig {
  /** Time slice, ns (Xen credit: 30 ms). */
  sliceNs: number;
  /** Whether a VP woken from HLT by an interrupt preempts the running VP (Xen's BOOST). */
  wakeBoost: boolean;
}

/** A CPU load on one VP: bursts of `burstNs` with a duty cycle. */
export interface CpuLoadSpec {
  vm: string;
  vp: number;
  dutyPercent: number;
  burstNs: number;
  startNs: number;
  /** When it stops, or Infinity (until the run's I/O is done: `stop`). */
  stopNs: number;
}

/**
 * Hyper-V's per-VM processor controls (Msvm_ProcessorSettingData: Reservation
 * and Limit in thousandths of a percent of an LP per VP, default 0 and 100 %;
 * Weight 1..10,000, default 100; vm-lifecycle-and-availability.md row a.2).
 */
export interface VpControls {
  reservePct: number;
  limitPct: number;
  weight: number;
}

type WakeVia = 'synic' | 'ioapic' | 'device' | 'timer';

/** One virtual processor. */
interface Vp {
  readonly id: number;
  /** A VM id or `root`. */
  readonly partition: string;
  readonly index: number;
  readonly lp: number;
  cpu: CpuVp | null;
  /** A guest VP with no CPU load: its place in its LP's run queue, which its steps take (`CpuVp.io`). */
  io: CpuVp | null;
  halted: boolean;
  haltedAtNs: number;
  /** The end of the last step it ran (its I/O work), and a dispatch it is waiting for. */
  ioUntilNs: number;
  dispatchAtNs: number;
  /** Suspended in an intercept while the root emulates (not halted). */
  inIntercept: boolean;
  /** Time of the pending halt check, or -1. */
  checkAtNs: number;
  lastStream: string;
  /** Its limit: ns of each accounting period it may run (Infinity: none). */
  readonly capNs: number;
  /** The dispatch it waits for is its limit's (`dispatchAtNs`), or -1. */
  capWaitNs: number;
}

export class VpScheduler implements StepScheduler {
  private readonly vps: Vp[] = [];
  private readonly guestVp = new Map<string, Vp>();
  private readonly rootVps: Vp[] = [];
  private readonly calendars: LpCalendar[] = [];
  private readonly armed: (EventId | null)[] = [];
  private readonly cpuVps = new Map<number, Vp>();
  /** The last interrupt sent to each partition, and when. */
  private readonly lastInterrupt = new Map<string, { via: WakeVia; atNs: number }>();
  private readonly events: CalendarEvent[] = [];
  /**
   * A request's issue that waits for its VP: the wait is the request's (its
   * latency counts from the issue), recorded just after the issue's record
   * (`after`) so that no record of a request comes before its issue.
   */
  private issuing = false;
  private issueWait: { vp: Vp; s: Strand; waitNs: number; why: 'turn' | 'queued' | 'capped' } | null = null;

  constructor(
    private readonly sim: Simulation,
    private readonly tracer: Tracer,
    private readonly place: Place,
    /** Where a step's wait for its VP is recorded: the breakdown's "waiting for a VP". */
    private readonly waitPlace: Place,
    private readonly costs: CostTable,
    private readonly config: SchedulerConfig,
    lpCount: number,
    vpLps: ReadonlyMap<string, readonly number[]>,
    loads: readonly CpuLoadSpec[],
    /** Per VM, its reserve, limit and weight (absent: Hyper-V's defaults, 0 %, 100 %, 100). */
    private readonly controls: ReadonlyMap<string, VpControls> = new Map(),
  ) {
    for (const [vm, c] of controls) {
      if (!(c.reservePct >= 0 && c.reservePct <= c.limitPct && c.limitPct > 0 && c.limitPct <= 100 && c.weight >= 1)) {
        throw new RangeError(`VM '${vm}': reserve ${c.reservePct} %, limit ${c.limitPct} %, weight ${c.weight}: need 0 <= reserve <= limit <= 100 and weight >= 1`);
      }
    }
    for (let lp = 0; lp < lpCount; lp++) {
      this.rootVps.push(this.addVp('root', lp, lp));
      this.calendars.push(new LpCalendar(lp, config.sliceNs, config.wakeBoost, costs.vp_switch));
      this.armed.push(null);
    }
    // The root's VPs (one per LP) can carry CPU loads too: work the parent partition runs besides its I/O (seed 004).
    const vmVps = new Map<string, Vp[]>([['root', this.rootVps]]);
    for (const [vm, lps] of vpLps) {
      const list = lps.map((lp, j) => this.addVp(vm, j, lp));
      vmVps.set(vm, list);
      this.guestVp.set(vm, list[0]!);
    }
    for (const load of loads) {
      const vp = vmVps.get(load.vm)?.[load.vp];
      if (vp === undefined) throw new RangeError(`cpu load on VM '${load.vm}' VP ${load.vp}: no such VP`);
      if (vp.cpu !== null) throw new RangeError(`cpu load on VM '${load.vm}' VP ${load.vp}: the VP already has one`);
      const sleepNs = Math.round((load.burstNs * (100 - load.dutyPercent)) / load.dutyPercent);
      vp.cpu = this.enrol(vp, { id: vp.id, burstNs: load.burstNs, sleepNs, startNs: load.startNs, stopNs: load.stopNs, remainingNs: load.burstNs, state: 'waiting-start', sinceNs: 0, wakeAtNs: 0 });
    }
    // A guest VP with no CPU load runs only steps; it is queued, sliced and charged on its LP all the same.
    for (const vp of this.vps) {
      if (vp.partition === 'root' || vp.cpu !== null) continue;
      vp.io = this.enrol(vp, { id: vp.id, burstNs: Infinity, sleepNs: 0, startNs: Infinity, stopNs: Infinity, remainingNs: Infinity, state: 'waiting-start', sinceNs: 0, wakeAtNs: Infinity, io: true });
    }
    for (const vp of this.vps) {
      const c = controls.get(vp.partition);
      const at = { vm: vp.partition, vp: vp.index };
      this.tracer.onLp(strand('', -1), 'vp.placed', this.place, 0, 'hypervisor', vp.lp, false, c === undefined ? at : { ...at, reservePct: c.reservePct, limitPct: c.limitPct, weight: c.weight });
    }
    for (const cal of this.calendars) this.arm(cal);
  }

  /** Puts `cpu`, `vp`'s place in its LP's run queue, on that LP's calendar with its VM's controls; returns it. */
  private enrol(vp: Vp, cpu: CpuVp): CpuVp {
    const c = this.controls.get(vp.partition);
    if (c !== undefined) {
      cpu.weight = c.weight;
      cpu.reserveNs = Math.round((this.config.sliceNs * c.reservePct) / 100);
      if (vp.capNs !== Infinity) cpu.capNs = vp.capNs;
    }
    this.cpuVps.set(vp.id, vp);
    this.calendars[vp.lp]!.add(cpu);
    return cpu;
  }

  /** `vp`'s place in its LP's calendar (its CPU load, or the I/O VP its steps take), or null (a root VP without a load). */
  private static queued(vp: Vp): CpuVp | null {
    return vp.cpu ?? vp.io;
  }

  private addVp(partition: string, index: number, lp: number): Vp {
    const limit = this.controls.get(partition)?.limitPct ?? 100;
    const capNs = limit >= 100 ? Infinity : Math.round((this.config.sliceNs * limit) / 100);
    const vp: Vp = { id: this.vps.length, partition, index, lp, cpu: null, io: null, halted: true, haltedAtNs: 0, ioUntilNs: -1, dispatchAtNs: -1, inIntercept: false, checkAtNs: -1, lastStream: '', capNs, capWaitNs: -1 };
    this.vps.push(vp);
    return vp;
  }

  /** Stops every CPU load now (the run's I/O is done), so the run can end. */
  stop(): void {
    const now = this.sim.now;
    for (const cal of this.calendars) {
      for (const cpu of cal.vps) if (cpu.io !== true && cpu.stopNs > now) cpu.stopNs = now;
      this.fire(cal);
    }
  }

  /** The run has ended (at `sim.now`): each LP's holder and queued VPs report their time so far (`LpCalendar.end`). */
  finish(): void {
    for (const cal of this.calendars) {
      const id = this.armed[cal.lp];
      if (id !== null && id !== undefined) this.sim.cancel(id);
      this.armed[cal.lp] = null;
      this.events.length = 0;
      cal.end(this.sim.now, this.events);
      for (const e of this.events) this.recordCalendar(cal.lp, e);
    }
  }

  // --- The CPU loads' calendars, driven by engine events. ---

  private arm(cal: LpCalendar): void {
    const id = this.armed[cal.lp];
    if (id !== null && id !== undefined) this.sim.cancel(id);
    const next = cal.nextEventNs();
    this.armed[cal.lp] = next === Infinity ? null : this.sim.scheduleAt(Math.max(next, this.sim.now), (c: LpCalendar) => this.onArmed(c), cal);
  }

  /** The armed event of `cal` came: it is armed no more. */
  private onArmed(cal: LpCalendar): void {
    this.armed[cal.lp] = null;
    this.fire(cal);
  }

  /**
   * Processes what is due on `cal` now and arms its next event. Called
   * directly too (`stop`, `fireDue`), when the armed event is still
   * pending: `arm` cancels it, so that no stale event runs the clock on
   * (one slice past the run's last I/O, before).
   */
  private fire(cal: LpCalendar): void {
    const now = this.sim.now;
    this.events.length = 0;
    if (cal.nextEventNs() <= now) cal.step(now, this.events);
    this.settle(cal);
  }

  /** Processes what is due on `cal` now, if anything: the run queue as it stands before a step asks about it. */
  private fireDue(cal: LpCalendar): void {
    if (cal.nextEventNs() <= this.sim.now) this.fire(cal);
  }

  /** Records the events a change of `cal` left in `events`, then arms its next. */
  private settle(cal: LpCalendar): void {
    for (const e of this.events) this.recordCalendar(cal.lp, e);
    this.arm(cal);
  }

  private recordCalendar(lp: number, e: CalendarEvent): void {
    const vp = this.cpuVps.get(e.vp.id)!;
    const s = strand('', -1);
    const at = { vm: vp.partition, vp: vp.index };
    switch (e.what) {
      case 'dispatched':
        vp.halted = false;
        // The switch takes the LP before the VP's first instruction (its steps wait for it), paid by the VP it puts there.
        this.calendars[lp]!.steal(this.sim.now + this.tracer.onLp(s, 'vp.dispatched', this.place, this.costs.vp_switch, 'hypervisor', lp, true, { ...at, readyNs: e.readyNs }) - this.costs.vp_switch, this.costs.vp_switch, e.vp);
        // An I/O VP with no step left to run halts (HLT) instead of holding the LP idle.
        if (vp.io !== null) this.ensureCheck(vp, Math.max(vp.ioUntilNs, this.sim.now));
        break;
      case 'preempted':
        this.tracer.onLp(s, 'vp.descheduled', this.place, 0, 'hypervisor', lp, false, { ...at, why: 'preempted', ranNs: e.ranNs });
        break;
      case 'stopped':
        this.tracer.onLp(s, 'vp.descheduled', this.place, 0, 'hypervisor', lp, false, { ...at, why: 'stopped', ranNs: e.ranNs });
        this.ensureCheck(vp, this.sim.now);
        break;
      case 'halted':
        // A burst ended; if the VP is also mid-way through I/O work, its halt waits for that (the check).
        if (vp.ioUntilNs > this.sim.now || vp.inIntercept) this.ensureCheck(vp, vp.ioUntilNs);
        else this.halt(vp, s, e.ranNs);
        break;
      case 'woken':
        // The wake takes the LP as a step does (`wake`): a timer's wake is CPU time too.
        if (vp.halted) this.wake(vp, s, 'timer', true);
        break;
      case 'capped':
        this.tracer.onLp(s, 'vp.descheduled', this.place, 0, 'hypervisor', lp, false, { ...at, why: 'capped', ranNs: e.ranNs, untilNs: e.untilNs });
        break;
      case 'withdrawn':
        this.tracer.onLp(s, 'vp.withdrawn', this.place, 0, 'hypervisor', lp, false, { ...at, readyNs: e.readyNs });
        break;
    }
  }

  // --- Steps of the trace (the tracer's questions). ---

  /** The VP a step runs on: guest steps on the VM's VP 0, root steps on the root's VP of the LP, hypervisor steps in the strand's VP. */
  private vpOf(s: Strand, key: string, charge: Charge, lp: number, kind?: RecordKind): Vp | undefined {
    if (charge === 'root') return this.rootVps[lp];
    if (charge === 'hypervisor' && s.vp !== undefined && kind !== 'hv.intercept.exited' && kind !== 'hv.intercept.resumed') return this.vps[s.vp];
    const slash = key.indexOf('/');
    return this.guestVp.get(slash < 0 ? key : key.slice(0, slash));
  }

  before(s: Strand, key: string, charge: Charge, lp: number, kind: RecordKind, fields: object): number {
    this.issuing = kind === 'io.request.issued';
    this.observe(key, kind, fields);
    const vp = this.vpOf(s, key, charge, lp, kind);
    if (vp === undefined) return 0; // a native host's own CPU: no hypervisor, no VPs
    if (charge === 'hypervisor') {
      // An intercept's exit and resume are the guest VP's, whoever ran in between (the root's VP emulating).
      if (kind === 'hv.intercept.exited' || kind === 'hv.intercept.resumed') s.vp = vp.id;
      return 0; // runs in the context of the VP that trapped
    }
    s.vp = vp.id;
    const now = this.sim.now;
    if (now < vp.dispatchAtNs) return this.waited(vp, s, vp.dispatchAtNs - now, vp.capWaitNs > now ? 'capped' : 'turn');
    const cal = this.calendars[vp.lp]!;
    if (vp.io !== null) return this.ioStep(vp, vp.io, cal, s, now);
    // A root VP, or a VM's VP with a CPU load; one that has run its limit in this period (parked) runs again in the next.
    const capUntil = vp.cpu !== null ? cal.capReleaseNs(vp.cpu, now) : now;
    if (capUntil <= now) {
      if (now <= vp.ioUntilNs) return 0; // it ran the step just before: still on its LP
      if (vp.cpu !== null && cal.holds(vp.cpu, now)) return 0;
    }
    const wakeNs = vp.halted ? this.wake(vp, s, this.viaOf(vp), true) : 0;
    let dispatch: number;
    let why: 'turn' | 'queued' | 'capped' = capUntil > now ? 'capped' : 'turn';
    if (vp.cpu !== null && (vp.cpu.state === 'runnable' || vp.cpu.state === 'parked')) {
      dispatch = cal.nextHoldNs(vp.cpu, now); // runnable already (or parked): no boost, it waits its turn
    } else if (capUntil > now) {
      dispatch = capUntil; // woken, it runs at the next period's start (as a boosted wake would)
    } else if (this.config.wakeBoost) {
      dispatch = now; // BOOST: a woken VP preempts the running one
    } else {
      dispatch = cal.tailDispatchNs(now);
      why = 'queued';
    }
    return Math.max(this.waitForDispatch(vp, s, dispatch, why, now), wakeNs);
  }

  /** A step of `vp` waits until `dispatch` (none when it is now, or not known) for `why`: recorded, and returned. */
  private waitForDispatch(vp: Vp, s: Strand, dispatch: number, why: 'turn' | 'queued' | 'capped', now: number): number {
    if (!(dispatch > now && Number.isFinite(dispatch))) return 0;
    vp.dispatchAtNs = dispatch;
    vp.capWaitNs = why === 'capped' ? dispatch : -1;
    return this.waited(vp, s, dispatch - now, why);
  }

  /**
   * A step of a VP with no CPU load (`io`): it runs now if the VP holds its
   * LP; a halted VP is woken (`vp.woken`) and queued by its credit, BOOSTed
   * if UNDER, so it preempts the holder only when its credit allows; a VP
   * queued, preempted or parked by its limit waits for its dispatch as the
   * run queue stands (`vp.waited`, its ready time counted by the
   * `vp.dispatched` that ends it).
   */
  private ioStep(vp: Vp, io: CpuVp, cal: LpCalendar, s: Strand, now: number): number {
    this.fireDue(cal);
    if (cal.holds(io, now)) return 0;
    let wakeNs = 0;
    if (io.state === 'sleeping' || io.state === 'waiting-start') {
      // The wake's cost is charged once the VP is queued: its boost goes by its credit before the wake (Xen's `csched_vcpu_wake`).
      if (vp.halted) wakeNs = this.wake(vp, s, this.viaOf(vp), true, false);
      this.events.length = 0;
      cal.wakeIo(io, now, this.config.wakeBoost, this.events);
      if (wakeNs > 0) cal.steal(now + wakeNs - this.costs.vp_wake, this.costs.vp_wake, io);
      this.settle(cal);
      if (cal.holds(io, now)) return wakeNs;
    }
    return Math.max(this.waitForDispatch(vp, s, cal.nextHoldNs(io, now), io.state === 'parked' ? 'capped' : 'turn', now), wakeNs);
  }

  after(s: Strand, key: string, charge: Charge, lp: number, costNs: number, endNs: number): void {
    this.issuing = false;
    const wait = this.issueWait;
    if (wait !== null) {
      this.issueWait = null;
      this.waited(wait.vp, wait.s, wait.waitNs, wait.why);
    }
    // The step had the LP to itself: the VP holding it then made no progress meanwhile (its burst,
    // its run time and so the LP's busy time are not counted twice); the step's own VP pays for it,
    // against its credit and its limit (`LpCalendar.steal`).
    const owner = s.vp === undefined ? null : this.vps[s.vp]!;
    if (costNs > 0 && lp >= 0 && lp < this.calendars.length) this.calendars[lp]!.steal(endNs - costNs, costNs, owner !== null && owner.lp === lp ? VpScheduler.queued(owner) : null);
    // A hypervisor step extends the VP that trapped into it; one on a strand that ran on no VP yet (an
    // injection on behalf of the root's signal, say) runs in whatever context holds the LP: no VP's.
    if (s.vp === undefined) return;
    const vp = this.vps[s.vp]!;
    if (endNs > vp.ioUntilNs) vp.ioUntilNs = endNs;
    if (s.stream !== '') vp.lastStream = s.stream;
    this.ensureCheck(vp, vp.ioUntilNs);
  }

  /** Interrupts (which wake a halted VP) and intercepts (during which a VP is suspended, not halted). */
  private observe(key: string, kind: RecordKind, fields: object): void {
    if (kind === 'hv.interrupt.injected') {
      const f = fields as { target: string; via: 'ioapic' | 'synic' };
      this.lastInterrupt.set(f.target, { via: f.via, atNs: this.sim.now });
    } else if (kind === 'synic.interrupt.delivered') {
      this.lastInterrupt.set('root', { via: 'synic', atNs: this.sim.now });
    } else if (kind === 'hv.intercept.exited' || kind === 'hv.intercept.resumed') {
      const slash = key.indexOf('/');
      const vp = this.guestVp.get(slash < 0 ? key : key.slice(0, slash));
      if (vp !== undefined) vp.inIntercept = kind === 'hv.intercept.exited';
    }
  }

  private viaOf(vp: Vp): WakeVia {
    const last = this.lastInterrupt.get(vp.partition);
    if (last !== undefined && last.atNs >= vp.haltedAtNs) return last.via;
    // The root's other wakes are its physical devices' interrupts (a disk or NIC completion); a guest's, its timer.
    return vp.partition === 'root' ? 'device' : 'timer';
  }

  private waited(vp: Vp, s: Strand, waitNs: number, why: 'turn' | 'queued' | 'capped'): number {
    if (this.issuing) {
      this.issueWait = { vp, s, waitNs, why };
      return waitNs;
    }
    this.tracer.onLp(s, 'vp.waited', this.waitPlace, 0, 'hypervisor', vp.lp, false, { vm: vp.partition, vp: vp.index, why }, waitNs);
    return waitNs;
  }

  /** Wakes a halted VP; a wake for a step takes its LP (`reserve`) and returns the time it takes. */
  private wake(vp: Vp, s: Strand, via: WakeVia, reserve: boolean, steal = reserve): number {
    vp.halted = false;
    const cost = this.costs.vp_wake;
    // A timer's wake is the guest's own (its application issuing the next request, say), no request's doing.
    const on = via === 'timer' && s.flow >= 0 ? strand('', -1) : s;
    const took = this.tracer.onLp(on, 'vp.woken', this.place, cost, 'hypervisor', vp.lp, reserve, { vm: vp.partition, vp: vp.index, via, haltedNs: this.sim.now - vp.haltedAtNs });
    if (steal) this.calendars[vp.lp]!.steal(this.sim.now + took - cost, cost, VpScheduler.queued(vp));
    return took;
  }

  private halt(vp: Vp, s: Strand, ranNs?: number): void {
    vp.halted = true;
    vp.haltedAtNs = this.sim.now;
    const cost = this.costs.hlt_exit;
    const took = this.tracer.onLp(s, 'vp.halted', this.place, cost, 'hypervisor', vp.lp, true, ranNs === undefined ? { vm: vp.partition, vp: vp.index } : { vm: vp.partition, vp: vp.index, ranNs });
    // The HLT exit takes the LP as a step does: from the VP holding it then (a CPU load's own halt, from the VP dispatched after it), paid by the VP that halts.
    this.calendars[vp.lp]!.steal(this.sim.now + took - cost, cost, VpScheduler.queued(vp));
  }

  /** A halt check at `atNs`, after everything else due then: the VP halts if no new work came. */
  private ensureCheck(vp: Vp, atNs: number): void {
    if (vp.checkAtNs >= 0) return; // the pending one re-arms itself if needed
    const at = Math.max(atNs, this.sim.now);
    vp.checkAtNs = at;
    this.sim.scheduleAt(at, (v: Vp) => this.check(v), vp, PRIORITY_MAX);
  }

  private check(vp: Vp): void {
    vp.checkAtNs = -1;
    const now = this.sim.now;
    if (vp.ioUntilNs > now) return this.ensureCheck(vp, vp.ioUntilNs);
    if (vp.halted || vp.inIntercept) return;
    if (vp.cpu !== null && (vp.cpu.state === 'running' || vp.cpu.state === 'runnable')) return; // it has CPU work: no HLT
    const io = vp.io;
    if (io === null) return this.halt(vp, strand(vp.lastStream, -1));
    // Its steps are done: HLT, and it leaves the LP (or the queue) to the next VP.
    const cal = this.calendars[vp.lp]!;
    this.fireDue(cal);
    const ran = cal.runSoFarNs(io, now);
    this.halt(vp, strand(vp.lastStream, -1), ran >= 0 ? ran : undefined);
    this.events.length = 0;
    cal.haltIo(io, now, this.events);
    this.settle(cal);
  }
}
