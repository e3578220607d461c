/**
 * One VM's snapshots (row b.2, V): taking one (pause → a differencing disk
 * per VHD → the configuration copied → resume → the memory written while
 * the VM runs), reverting to the last (every write since discarded, the VM
 * left as the snapshot was: saved, if it was running), and deleting it
 * (its images merge into their parents only when the VM is off, WS2008/R2:
 * `snapshot-merges.ts`). The steps only: `vm-lifecycle.ts` runs them as
 * actions; the VHD side (differencing images, reverts, merges) is the back
 * end's (`storage/backend.ts`, `storage/vhd.ts`).
 */
import type { ProcessBody } from '../../engine/index.js';
import type { VhdImage } from '../storage/vhd.js';
import type { Strand } from '../tracer.js';
import type { HostFile } from './host-file.js';
import type { LifecycleDeps, LifecycleVm } from './lifecycle-deps.js';
import type { SnapshotMerges } from './snapshot-merges.js';
import type { SettledState, VmState } from './vm-states.js';
import type { VmWorker } from './vm-worker.js';
import type { Waiters } from './waiters.js';

/** One snapshot the VM has. */
interface Snapshot {
  /** Its number, from 1, in the order taken. */
  number: number;
  /** The image each VHD had when it was taken (now read-only, the parent of the next). */
  images: Map<string, VhdImage>;
  /** Its saved memory (.bin), or null for a snapshot of a VM that was off. */
  memory: HostFile | null;
  state: SettledState;
}

export class VmSnapshots {
  private readonly snapshots: Snapshot[] = [];
  private snapshotsTaken = 0;
  private configFile: HostFile | null = null;
  /** Counts the times the guest's memory was replaced by a snapshot's (a revert): what its buffers held is gone. */
  private memoryReplaced = 0;

  constructor(
    private readonly vm: LifecycleVm,
    private readonly deps: LifecycleDeps,
    /** The steps a snapshot and a revert take: the processors stopped and started, the partition destroyed, memory copied. */
    private readonly worker: VmWorker,
    /** Woken when a revert replaces the guest's memory (`VmLifecycle.nextChange`). */
    private readonly change: Waiters,
    private readonly merges: SnapshotMerges,
  ) {}

  /** How many snapshots the VM has. */
  get count(): number {
    return this.snapshots.length;
  }

  /** The state each snapshot keeps, oldest first (a revert leaves the VM so). */
  states(): SettledState[] {
    return this.snapshots.map((snap) => snap.state);
  }

  /** Counts the times the guest's memory was replaced by a snapshot's (a revert). */
  get memoryEpoch(): number {
    return this.memoryReplaced;
  }

  /**
   * A snapshot (row b.2): pause; a differencing image per VHD (its header
   * written); the configuration copied; resume; then, if the VM was
   * running, its memory written while it runs (copy-on-write of pages the
   * guest touches meanwhile is not modelled, E). Of a saved VM, its saved
   * memory is copied; of a VM that is off, only disks and configuration.
   */
  *take(s: Strand, from: SettledState): ProcessBody<void> {
    const { tracer, sim, places } = this.deps;
    const vm = this.vm.id;
    const t0 = sim.now;
    const running = from === 'Running';
    if (running) yield* this.worker.stopProcessors(s);
    const number = ++this.snapshotsTaken;
    const images = new Map<string, VhdImage>();
    for (const [diskId, backend] of this.deps.vhds) {
      images.set(diskId, backend.leaf!);
      backend.snapshot(s, diskId);
      yield* backend.writeNewImage(s);
    }
    this.configFile ??= this.deps.createFile(`${vm}.xml`, this.deps.costs.vm_config_bytes);
    const config = this.deps.createFile(`${vm}.snap${number}.xml`, this.deps.costs.vm_config_bytes);
    yield* this.configFile.io(s, 'read', 0, this.configFile.bytes);
    yield* config.io(s, 'write', 0, config.bytes);
    yield tracer.emit(s, 'vm.config.copied', places.worker, 0, 'none', { vm, file: config.name, bytes: config.bytes });
    let memory: HostFile | null = null;
    let pausedNs = 0;
    const savedState = this.worker.savedState;
    if (running) {
      yield tracer.emit(s, 'vm.processors.started', places.hv, this.deps.costs.vm_processors_stop, 'none', { vm });
      this.worker.setGuestRunning(true);
      pausedNs = sim.now - t0;
      memory = this.deps.createFile(`${vm}.snap${number}.bin`, this.vm.memoryBytes);
      yield* this.worker.copyMemory(s, memory, 'write');
    } else if (from === 'Saved' && savedState !== null) {
      memory = this.deps.createFile(`${vm}.snap${number}.bin`, this.vm.memoryBytes);
      yield* this.worker.copyMemory(s, savedState, 'read');
      yield* this.worker.copyMemory(s, memory, 'write');
    }
    this.snapshots.push({ number, images, memory, state: from === 'Paused' ? 'Running' : from });
    yield tracer.emit(s, 'vm.snapshot.taken', places.worker, 0, 'none', { vm, snapshot: number, disks: [...images.keys()], memoryBytes: memory === null ? 0 : this.vm.memoryBytes, pausedNs });
  }

  /**
   * Applies the last snapshot (row b.2: "stops the VM, discards the current
   * running state, loads .bin/.vsv, continues from a new child AVHD"): the VM
   * is turned off, every VHD goes back to the snapshot's image under a new
   * differencing image, and the VM is left as the snapshot was: saved, with
   * the snapshot's memory as its saved state, if it was running.
   */
  *revert(s: Strand, from: SettledState): ProcessBody<void> {
    const { tracer, places } = this.deps;
    const snap = this.snapshots[this.snapshots.length - 1]!;
    if (from === 'Running' || from === 'Paused') {
      yield* this.worker.stopProcessors(s);
      yield* this.worker.destroyPartition(s);
    }
    let bytesDiscarded = 0;
    const discarded: string[] = [];
    for (const [diskId, image] of snap.images) {
      const backend = this.deps.vhds.get(diskId)!;
      const result = backend.revertTo(s, diskId, image);
      bytesDiscarded += result.bytesDiscarded;
      discarded.push(...result.images);
      yield* backend.writeNewImage(s);
    }
    this.worker.setSavedState(snap.memory);
    // The guest's memory is the snapshot's now: what was in it (frames its switch port kept, say) is gone.
    this.memoryReplaced++;
    this.change.wake();
    yield tracer.emit(s, 'vm.snapshot.reverted', places.worker, 0, 'none', { vm: this.vm.id, snapshot: snap.number, disks: [...snap.images.keys()], bytesDiscarded, images: discarded });
  }

  /**
   * Deletes the last snapshot: its images merge into their parents in the
   * background, at once if the VM is off, else when it next is (the action
   * itself ends here, as Hyper-V's does). `state`: the VM's now.
   */
  *delete(s: Strand, state: VmState): ProcessBody<void> {
    const snap = this.snapshots.pop()!;
    this.merges.add();
    yield this.deps.tracer.emit(s, 'vm.snapshot.deleted', this.deps.places.worker, 0, 'none', { vm: this.vm.id, snapshot: snap.number, mergePending: state !== 'Off' });
  }
}
