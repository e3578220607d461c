/**
 * The `scheduler` part of a run's figures (issue 14 item 3): how virtual
 * processors shared the logical processors, folded from the `vp.*`
 * records a run with the credit scheduler emits. Pure: it reads records and
 * imports only the model's types. A run with the dedicated scheduler emits
 * none, and this part is absent.
 *
 * Figures (names are a contract for claims and lessons):
 *  - `scheduler.lpCount`, `scheduler.guestVps`, `scheduler.ratio` (guest
 *    VPs per LP, the vCPU:LP ratio of seed 001's 2:1 rule);
 *  - `scheduler.lps.lp<k>`: `vps` (guest VPs placed there: that LP's
 *    ratio), `busyNs` and `busyPercent` (CPU time charged there, plus the
 *    VPs' runs, a dispatch's switch counted in the run it starts, over
 *    the run);
 *  - `scheduler.vms.<vm>` (and `root`): `requests` completed, `vpWaitNs`
 *    (time its requests waited for a VP, guest or root: the breakdown's
 *    "waiting for a VP"), `vpWaitPerIoNs`, `hltExits`, `wakes`, and per VP
 *    `vp<j>`: `lp`, `readyNs` (runnable but not running, VMware's %RDY,
 *    the switch that dispatches it included),
 *    `runNs` (its time holding the LP besides the trace's steps: a CPU
 *    load's runs; for a VM doing only I/O, the gaps between its steps
 *    while it held the LP, its steps' own time being the breakdown's) and
 *    `runPercent` (of the run), `caps`
 *    and `cappedNs` (parked by its VM's limit, or its steps waiting for
 *    the next period: `vms[].cpu.limitPct`), `hltExits`, `wakes`.
 */
import type { HvRecord, KindFields, RecordEnvelope } from '../model/trace-events.js';
import { RecordHead } from './record-head.js';
import type { FigureFolder, FigureTree } from './run-figures.js';

interface VpAcc {
  lp: number;
  readyNs: number;
  runNs: number;
  hltExits: number;
  wakes: number;
  /** Time it could not run for its VM's limit, and the end of the last such interval counted (each counted once). */
  cappedNs: number;
  cappedUntilNs: number;
  caps: number;
}

interface VmAcc {
  vps: Map<number, VpAcc>;
  requests: number;
  vpWaitNs: number;
}

/** The part's folder: one per run. */
export class SchedulerFigureFolder implements FigureFolder {
  readonly part = 'scheduler';
  readonly enabled = true;
  private readonly vms = new Map<string, VmAcc>();
  /**
   * CPU time charged per LP, indexed by LP (an array, not a map: every
   * charged record of a run adds to it). Float64Array: one element kind
   * from the first record of the first run, where a plain array moved
   * from small integers to doubles mid-run and again in each run's folder.
   */
  private lpBusyNs = new Float64Array(8);
  private readonly lpVps = new Map<number, number>();
  private placed = false;
  private endNs = 0;

  private vm(id: string): VmAcc {
    let acc = this.vms.get(id);
    if (acc === undefined) {
      acc = { vps: new Map(), requests: 0, vpWaitNs: 0 };
      this.vms.set(id, acc);
    }
    return acc;
  }

  private vp(vm: string, vp: number, lp: number): VpAcc {
    const vmAcc = this.vm(vm);
    let acc = vmAcc.vps.get(vp);
    if (acc === undefined) {
      acc = { lp, readyNs: 0, runNs: 0, hltExits: 0, wakes: 0, cappedNs: 0, cappedUntilNs: 0, caps: 0 };
      vmAcc.vps.set(vp, acc);
    }
    return acc;
  }

  private busy(lp: number, ns: number): void {
    if (lp >= 0 && ns > 0) {
      if (lp >= this.lpBusyNs.length) {
        const grown = new Float64Array(Math.max(lp + 1, 2 * this.lpBusyNs.length));
        grown.set(this.lpBusyNs);
        this.lpBusyNs = grown;
      }
      this.lpBusyNs[lp]! += ns;
    }
  }

  private readonly head = new RecordHead();

  write(r: HvRecord): void {
    this.writeRead(r, this.head.read(r));
  }

  /** `write`, with the record's envelope already read into `h` (`RecordHead`) and `own`, its kind's own fields (the whole record serves as well). */
  writeRead(own: object, h: RecordEnvelope): void {
    const end = h.t + h.waitNs + h.costNs;
    if (end > this.endNs) this.endNs = end;
    const charge = h.charge;
    // A dispatch's switch takes the LP as a step does, before the run of the VP it puts there (whose `ranNs` leaves it out).
    if (charge === 'guest' || charge === 'root' || charge === 'hypervisor') this.busy(h.lp, h.costNs);
    // By the head's kind (a field of one layout); each case reads its kind's own fields from `own`.
    switch (h.kind) {
      case 'vp.placed': {
        const v = own as KindFields['vp.placed'];
        this.placed = true;
        this.vp(v.vm, v.vp, h.lp);
        if (v.vm !== 'root') this.lpVps.set(h.lp, (this.lpVps.get(h.lp) ?? 0) + 1);
        else if (!this.lpVps.has(h.lp)) this.lpVps.set(h.lp, 0);
        break;
      }
      case 'vp.dispatched':
      case 'vp.withdrawn': {
        const v = own as KindFields['vp.dispatched'];
        // A dispatch's switch (its cost) is the VP's last moment of not running yet: ready time.
        this.vp(v.vm, v.vp, h.lp).readyNs += v.readyNs + (h.kind === 'vp.dispatched' ? h.costNs : 0);
        break;
      }
      case 'vp.descheduled': {
        const v = own as KindFields['vp.descheduled'];
        const acc = this.vp(v.vm, v.vp, h.lp);
        acc.runNs += v.ranNs;
        this.busy(h.lp, v.ranNs);
        if (v.why === 'capped' && v.untilNs !== undefined) {
          acc.caps++;
          capped(acc, h.t, v.untilNs);
        }
        break;
      }
      case 'vp.halted': {
        const v = own as KindFields['vp.halted'];
        const acc = this.vp(v.vm, v.vp, h.lp);
        acc.hltExits++;
        if (v.ranNs !== undefined) {
          acc.runNs += v.ranNs;
          this.busy(h.lp, v.ranNs);
        }
        break;
      }
      case 'vp.woken': {
        const v = own as KindFields['vp.woken'];
        this.vp(v.vm, v.vp, h.lp).wakes++;
        break;
      }
      case 'vp.waited': {
        const v = own as KindFields['vp.waited'];
        const wait = h.waitNs;
        // A VP's ready time counts each interval once. A step that waits its 'turn' waits inside an interval
        // already counted: its CPU load's queueing (the `vp.dispatched` that ends it gives `readyNs`) or an
        // earlier step's wait for the same dispatch. Only a 'queued' wait (the VP joined the tail) is new.
        if (v.why === 'queued') this.vp(v.vm, v.vp, h.lp).readyNs += wait;
        // A wait for the next period by a VP whose steps ran its limit: capped time, unless its parked load counted it already.
        else if (v.why === 'capped') capped(this.vp(v.vm, v.vp, h.lp), h.t, h.t + wait);
        if (h.stream !== '') this.vm(vmOfStream(h.stream)).vpWaitNs += wait;
        break;
      }
      case 'io.request.completed':
        if ((own as KindFields['io.request.completed']).dropped !== true) this.vm(vmOfStream(h.stream)).requests++;
        break;
      default:
        break;
    }
  }

  result(): FigureTree | undefined {
    if (!this.placed) return undefined;
    const lpIds = [...this.lpVps.keys()].sort((a, b) => a - b);
    const guestVps = lpIds.reduce((n, lp) => n + this.lpVps.get(lp)!, 0);
    const lps: Record<string, FigureTree> = {};
    for (const lp of lpIds) {
      const busyNs = this.lpBusyNs[lp] ?? 0;
      lps[`lp${lp}`] = { vps: this.lpVps.get(lp)!, busyNs, busyPercent: this.endNs > 0 ? (100 * busyNs) / this.endNs : 0 };
    }
    const vms: Record<string, FigureTree> = {};
    for (const [id, acc] of this.vms) {
      if (acc.vps.size === 0) continue; // a VM that is not scheduled (a native host)
      const tree: Record<string, FigureTree | number> = {
        vps: acc.vps.size,
        requests: acc.requests,
        vpWaitNs: acc.vpWaitNs,
        vpWaitPerIoNs: acc.requests === 0 ? 0 : acc.vpWaitNs / acc.requests,
        hltExits: 0,
        wakes: 0,
      };
      let hlt = 0;
      let wakes = 0;
      for (const [j, vp] of [...acc.vps].sort((a, b) => a[0] - b[0])) {
        tree[`vp${j}`] = {
          lp: vp.lp,
          readyNs: vp.readyNs,
          runNs: vp.runNs,
          runPercent: this.endNs > 0 ? Math.min(100, (100 * vp.runNs) / this.endNs) : 0,
          cappedNs: Math.min(vp.cappedNs, this.endNs),
          caps: vp.caps,
          hltExits: vp.hltExits,
          wakes: vp.wakes,
        };
        hlt += vp.hltExits;
        wakes += vp.wakes;
      }
      tree['hltExits'] = hlt;
      tree['wakes'] = wakes;
      vms[id] = tree;
    }
    return { lpCount: lpIds.length, guestVps, ratio: lpIds.length === 0 ? 0 : guestVps / lpIds.length, lps, vms };
  }
}

/** Adds [fromNs, untilNs) to a VP's capped time, leaving out what an earlier interval counted. */
function capped(acc: VpAcc, fromNs: number, untilNs: number): void {
  const from = Math.max(fromNs, acc.cappedUntilNs);
  if (untilNs > from) acc.cappedNs += untilNs - from;
  if (untilNs > acc.cappedUntilNs) acc.cappedUntilNs = untilNs;
}

function vmOfStream(stream: string): string {
  const slash = stream.indexOf('/');
  return slash < 0 ? stream : stream.slice(0, slash);
}
