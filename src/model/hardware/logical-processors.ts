/**
 * Logical processors: where CPU-charged steps run, and the queueing when
 * two want the same one. Each LP keeps the time it is reserved until;
 * a step starts when its LP is free (first come, first served, no
 * preemption: an E simplification). Placement (reference §2.3, §1.6):
 *  - a child's virtual processor runs on its own LP (VM i on LP 1 + i,
 *    wrapping over the LPs there are);
 *  - hypervisor work runs where the trapping VP ran, so on that VM's LP;
 *  - root work for an emulated intercept (VID, the worker, its file or network I/O)
 *    runs on the root VP of the LP the guest trapped on, since the guest VP
 *    is blocked meanwhile;
 *  - root work of the synthetic paths (VMBus interrupts, storvsp, its I/O)
 *    runs on the channel's target VP, LP 0: before Windows 8 VMBus
 *    interrupts always went to CPU 0.
 */
import type { Charge, PathKind } from '../trace-events.js';

/** LP indices of one workload stream. */
interface StreamLps {
  guest: number;
  root: number;
}

export class LogicalProcessors {
  private readonly busyUntil: Float64Array;
  private readonly vmLp = new Map<string, number>();
  private readonly streams = new Map<string, StreamLps>();

  constructor(
    readonly count: number,
    vmIds: readonly string[],
  ) {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`logical processors must be an integer >= 1, got ${count}`);
    this.busyUntil = new Float64Array(count);
    vmIds.forEach((vm, i) => this.vmLp.set(vm, count === 1 ? 0 : 1 + (i % (count - 1))));
  }

  /** The LP a step of `stream` charged to `charge` runs on, or -1 if it uses no CPU. */
  lpOf(stream: string, charge: Charge): number {
    if (charge === 'device' || charge === 'none') return -1;
    let lps = this.streams.get(stream);
    if (lps === undefined) {
      const [vm = '', , path = ''] = stream.split('/');
      const guest = this.vmLp.get(vm) ?? 0;
      // Emulated paths keep root work on the guest's LP; everything VMBus (the synthetic
      // paths and the control plane, stream `vm//control`) runs root work on LP 0.
      const emulated = (path as PathKind) === 'ide-pio' || (path as PathKind) === 'ide-dma' || (path as PathKind) === 'nic-legacy';
      lps = { guest, root: emulated ? guest : 0 };
      this.streams.set(stream, lps);
    }
    return charge === 'root' ? lps.root : lps.guest;
  }

  /** Reserves `lp` for `costNs` from `now` on; returns how long the step waits first. */
  reserve(lp: number, now: number, costNs: number): number {
    const start = this.busyUntil[lp]! > now ? this.busyUntil[lp]! : now;
    this.busyUntil[lp] = start + costNs;
    return start - now;
  }
}
