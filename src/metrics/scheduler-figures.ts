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
 *    CPU loads' runs, over the run);
 *  - `scheduler.vms.<vm>` (and `root`): `requests` completed, `vpWaitNs`
 *    (time its requests waited for a VP, guest or root: the breakdown's
 *    "waiting for a VP"), `vpWaitPerIoNs`, `hltExits`, `wakes`, and per VP
 *    `vp<j>`: `lp`, `readyNs` (runnable but not running, VMware's %RDY),
 *    `runNs` (its CPU load's runs), `hltExits`, `wakes`.
 */
import type { HvRecord } from '../model/trace-events.js';
import type { FigureFolder, FigureTree } from './run-figures.js';

interface VpAcc {
  lp: number;
  readyNs: number;
  runNs: number;
  hltExits: number;
  wakes: number;
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
  /** CPU time charged per LP, indexed by LP (an array, not a map: every charged record of a run adds to it). */
  private readonly lpBusyNs: number[] = [];
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
      acc = { lp, readyNs: 0, runNs: 0, hltExits: 0, wakes: 0 };
      vmAcc.vps.set(vp, acc);
    }
    return acc;
  }

  private busy(lp: number, ns: number): void {
    if (lp >= 0 && ns > 0) this.lpBusyNs[lp] = (this.lpBusyNs[lp] ?? 0) + ns;
  }

  write(r: HvRecord): void {
    const end = r.t + (r.waitNs ?? 0) + r.costNs;
    if (end > this.endNs) this.endNs = end;
    if (r.charge === 'guest' || r.charge === 'root' || r.charge === 'hypervisor') this.busy(r.lp, r.costNs);
    switch (r.kind) {
      case 'vp.placed':
        this.placed = true;
        this.vp(r.vm, r.vp, r.lp);
        if (r.vm !== 'root') this.lpVps.set(r.lp, (this.lpVps.get(r.lp) ?? 0) + 1);
        else if (!this.lpVps.has(r.lp)) this.lpVps.set(r.lp, 0);
        break;
      case 'vp.dispatched':
        this.vp(r.vm, r.vp, r.lp).readyNs += r.readyNs;
        break;
      case 'vp.descheduled':
        this.vp(r.vm, r.vp, r.lp).runNs += r.ranNs;
        this.busy(r.lp, r.ranNs);
        break;
      case 'vp.halted': {
        const acc = this.vp(r.vm, r.vp, r.lp);
        acc.hltExits++;
        if (r.ranNs !== undefined) {
          acc.runNs += r.ranNs;
          this.busy(r.lp, r.ranNs);
        }
        break;
      }
      case 'vp.woken':
        this.vp(r.vm, r.vp, r.lp).wakes++;
        break;
      case 'vp.waited': {
        const wait = r.waitNs ?? 0;
        this.vp(r.vm, r.vp, r.lp).readyNs += wait;
        if (r.stream !== '') this.vm(vmOfStream(r.stream)).vpWaitNs += wait;
        break;
      }
      case 'io.request.completed':
        this.vm(vmOfStream(r.stream)).requests++;
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
      lps[`lp${lp}`] = { vps: this.lpVps.get(lp)!, busyNs, busyPercent: this.endNs > 0 ? Math.min(100, (100 * busyNs) / this.endNs) : 0 };
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
        tree[`vp${j}`] = { lp: vp.lp, readyNs: vp.readyNs, runNs: vp.runNs, hltExits: vp.hltExits, wakes: vp.wakes };
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

function vmOfStream(stream: string): string {
  const slash = stream.indexOf('/');
  return slash < 0 ? stream : stream.slice(0, slash);
}
