/**
 * Deleted snapshots' differencing images merging into their parents (row
 * b.2): on WS2008/R2 a merge runs only while the VM is off, so deleting a
 * snapshot of a VM that is not leaves its merge pending until it next is,
 * and starting the VM cancels a merge under way (it stops after its
 * current I/O). The merge's I/O is the VHD back end's (`Backend.mergeLeaf`).
 */
import { SimEvent, type ProcessBody } from '../../engine/index.js';
import type { Strand } from '../tracer.js';
import type { LifecycleDeps } from './lifecycle-deps.js';

export class SnapshotMerges {
  /** Deleted snapshots whose differencing images wait to merge (the VM was not off). */
  private pendingMerges = 0;
  /** The merge under way, if any; `cancel` stops it at its next run. */
  private merge: { cancel: boolean; done: SimEvent<void> } | null = null;

  constructor(
    private readonly vmId: string,
    private readonly deps: LifecycleDeps,
  ) {}

  /** A merge waits or runs: no new snapshot or revert is taken meanwhile (`VmLifecycle`'s simplification, E). */
  get busy(): boolean {
    return this.pendingMerges > 0 || this.merge !== null;
  }

  /** Merges wait and none runs: the VM, now off, can start them (`run`). */
  get waiting(): boolean {
    return this.pendingMerges > 0 && this.merge === null;
  }

  /** A snapshot was deleted: its images wait to merge. */
  add(): void {
    this.pendingMerges++;
  }

  /** Runs the merges waiting, newest first, while the VM stays off. */
  *run(s: Strand): ProcessBody<void> {
    const { tracer, sim, places } = this.deps;
    const merge = { cancel: false, done: new SimEvent<void>() };
    this.merge = merge;
    while (this.pendingMerges > 0 && !merge.cancel) {
      for (const [diskId, backend] of this.deps.vhds) {
        const t0 = sim.now;
        const leaf = backend.leaf!;
        yield tracer.emit(s, 'vhd.merge.started', places.worker, 0, 'none', { vm: this.vmId, disk: diskId, image: leaf.name, into: leaf.parent?.name ?? '' });
        const result = yield* backend.mergeLeaf(s, () => merge.cancel);
        if (!result.done) {
          yield tracer.emit(s, 'vhd.merge.cancelled', places.worker, 0, 'none', { vm: this.vmId, disk: diskId, image: result.image, bytes: result.bytes });
          break;
        }
        yield tracer.emit(s, 'vhd.merge.completed', places.worker, 0, 'none', { vm: this.vmId, disk: diskId, image: result.image, into: result.into, bytes: result.bytes, durationNs: sim.now - t0 });
      }
      if (!merge.cancel) this.pendingMerges--;
    }
    this.merge = null;
    merge.done.trigger();
  }

  /** Starting the VM cancels a merge under way (WS2008/R2); it waits for the merge's current I/O. */
  *cancel(_s: Strand): ProcessBody<void> {
    if (this.merge === null) return;
    this.merge.cancel = true;
    yield this.merge.done;
  }
}
