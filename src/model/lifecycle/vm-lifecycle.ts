/**
 * One VM's life cycle at run time: the management actions a scenario times
 * (start, save, restore, pause, resume, shutdown, turn-off, snapshot,
 * revert, delete-snapshot), each a request that goes WMI provider → VMMS →
 * the VM's worker process (vmwp.exe) → the hypervisor, through Hyper-V's
 * states (`vm-states.ts`), with the time each step takes. Sources:
 * vm-lifecycle-and-availability.md rows h (control plane, states) and b
 * (snapshots).
 *
 * Ordering follows OpenVMM's state units (row h.2, V: microsoft/openvmm
 * `vmm_core/state_unit/src/lib.rs` at 1488a37: `StateUnits::save` asserts
 * `!self.running`, so a save happens only once every unit is stopped, and
 * `stop` goes "in reverse dependency order so that a dependency is not
 * stopped before its dependant"): a save or a snapshot first stops the
 * virtual processors, then the devices, then writes the memory. Here the
 * device stop waits until every request of the VM that passed its issue
 * gate has done its device I/O (E: the devices quiesce; OpenVMM's storvsp
 * stops its workers with their I/O suspended instead); a request issued while the VM is
 * not running waits at its issue, and one that finishes its device I/O
 * while the VM is stopped waits before its completion reaches the guest:
 * held, never lost (the gates: `io-gates.ts`). One the run ends with still held is named by the
 * request ledger (`src/scenario/unfinished.ts`).
 *
 * Saving writes the VM's memory in chunks (`vm_state_chunk_bytes`, E) to a
 * state file on the host disk that holds the VM's VHDs, as the worker's
 * Win32 file I/O down the root's storage stack; restoring reads it back. The
 * disk model times every chunk, so save and restore times are measured, not
 * constants. A snapshot (row b.2, V: pause → a differencing disk per VHD →
 * the configuration copied → resume → the memory written while the VM
 * runs); revert discards every write since the snapshot and leaves the VM
 * as the snapshot was (saved, if it was running); deleting a snapshot
 * merges its differencing disks into their parents only when the VM is off
 * (WS2008/R2), and starting the VM cancels a merge under way.
 *
 * A clean API for other parts (the cluster's quick migration saves and
 * restores through `perform`; its blackouts `freeze` and `thaw`): `request`
 * runs an action as a scenario would; `perform` runs one through the
 * control plane from another process and returns whether it was accepted
 * and how long it took; `save`, `restore`, `pause`, `resume` are the bare
 * steps (no state change, no control plane; each returns its duration in
 * ns); `stateListeners` hear every state change; `admit`/`finish` gate a
 * request of the VM.
 */
import { SimEvent, startProcess, type ProcessBody, type Simulation } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Backend } from '../storage/backend.js';
import type { VhdImage } from '../storage/vhd.js';
import type { Place } from '../topology.js';
import type { Strand, Tracer } from '../tracer.js';
import type { HostFile } from './host-file.js';
import { IoGates } from './io-gates.js';
import { transition, WMI_ENABLED_STATE, WMI_INVALID_STATE_TRANSITION, type LifecycleFacts, type SettledState, type VmAction, type VmState } from './vm-states.js';

/** What the life cycle needs to know of its VM. */
export interface LifecycleVm {
  id: string;
  memoryBytes: number;
  vcpus: number;
  initialState: 'Running' | 'Off';
  /** Whether the guest's integration services (and so its shutdown service) are loaded now. */
  shutdownService: () => boolean;
}

/** The places an action passes. */
export interface LifecyclePlaces {
  wmi: Place;
  vmms: Place;
  worker: Place;
  hv: Place;
  /** The guest's application (where held requests wait). */
  app: Place;
}

/** What the world gives the life cycle. */
export interface LifecycleDeps {
  sim: Simulation;
  tracer: Tracer;
  costs: CostTable;
  places: LifecyclePlaces;
  /** The VM's VHD-backed disks, by disk id (a snapshot takes a differencing image of each). */
  vhds: ReadonlyMap<string, Backend>;
  /** A disk Hyper-V cannot snapshot (pass-through, or a LUN the root passes through), or null. */
  passthroughDisk: string | null;
  /** A new file of `bytes` for this VM on the host disk that holds its VHDs. */
  createFile(name: string, bytes: number): HostFile;
  /** A fresh flow id for an action's records. */
  nextFlow(): number;
}

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

export class VmLifecycle {
  /** Hyper-V's state of the VM now. */
  state: VmState;
  /** The gates every request of the VM passes (`io-gates.ts`): the workloads call `admit` and `finish`, a backup's quiesce `freezeWriters`. */
  readonly gates: IoGates;
  /** The saved state the VM restores from when Saved. */
  private savedState: HostFile | null = null;
  private stateFile: HostFile | null = null;
  private configFile: HostFile | null = null;
  private readonly snapshots: Snapshot[] = [];
  private snapshotsTaken = 0;
  /** Deleted snapshots whose differencing images wait to merge (the VM was not off). */
  private pendingMerges = 0;
  /** The merge under way, if any; `cancel` stops it at its next run. */
  private merge: { cancel: boolean; done: SimEvent<void> } | null = null;
  private readonly cpuKey: string;
  /** The processors were stopped (a pause) and not started since. */
  private processorsStopped = false;
  /** Times the VM's host failed under it (`hostState` Off): an action under way then is cut short where it stands. */
  private hostLosses = 0;

  constructor(
    readonly vm: LifecycleVm,
    private readonly deps: LifecycleDeps,
  ) {
    this.state = vm.initialState;
    this.gates = new IoGates(vm.id, vm.initialState === 'Running', deps.sim, deps.tracer, deps.places.app, () => this.state);
    this.cpuKey = `${vm.id}//life`;
  }

  /** Emits the VM's first state, for a VM that starts off (the canvas shows its badge from the start). */
  announce(): void {
    const s = this.strand(-1);
    this.deps.tracer.emit(s, 'vm.state.changed', this.deps.places.vmms, 0, 'none', { vm: this.vm.id, from: this.state, to: this.state, code: WMI_ENABLED_STATE[this.state] });
  }

  /** Runs `action` as a management request from now on (`index`: its place in the scenario's list). */
  request(action: VmAction, index: number): void {
    startProcess(this.deps.sim, this.perform(action, index), `${this.vm.id} ${action}`);
  }

  /**
   * Runs `action` through the control plane and returns when it is done:
   * whether VMMS accepted it and how long it took from the request. Another
   * part of the model (a quick migration: save here, restore elsewhere)
   * `yield*`s it from its own process; `index` -1 marks a request no
   * scenario action made.
   */
  *perform(action: VmAction, index = -1): ProcessBody<{ accepted: boolean; durationNs: number; state: VmState }> {
    const t0 = this.deps.sim.now;
    const accepted = yield* this.run(action, index);
    return { accepted, durationNs: this.deps.sim.now - t0, state: this.state };
  }

  /** Called after every state change (other parts follow the VM without reading the trace). */
  readonly stateListeners: ((from: VmState, to: VmState) => void)[] = [];

  /**
   * Asked before a scenario's action (not one another part of the model runs
   * through `perform`) is accepted: a reason to refuse it, or null. The
   * cluster refuses a state change while a migration or backup holds the VM
   * or while its host is down.
   */
  readonly vetoes: ((action: VmAction) => string | null)[] = [];

  private setGuestRunning(running: boolean): void {
    if (running) this.processorsStopped = false;
    this.gates.setRunning(running);
    this.changed();
  }

  /** Fired at the VM's next change of state or of whether its guest runs (the virtual switch's port follows both). */
  private change: SimEvent<void> | null = null;

  /** Counts the times the guest's memory was replaced by a snapshot's (a revert): what its buffers held is gone. */
  memoryEpoch = 0;

  /** The guest's virtual processors run (not while it is paused, saving, or frozen by the cluster). */
  get guestRunning(): boolean {
    return this.gates.guestRunning;
  }

  /** An event fired at the VM's next change of state or of whether its guest runs. */
  nextChange(): SimEvent<void> {
    return (this.change ??= new SimEvent<void>());
  }

  private changed(): void {
    const event = this.change;
    this.change = null;
    event?.trigger();
  }

  /**
   * Stops the guest where it is, without waiting for its I/O: nothing more
   * passes the issue gate, and a request whose device I/O completes
   * meanwhile waits at the completion gate (held, never lost) until `thaw`.
   * For the cluster's blackouts: a live migration's stop-and-copy (the
   * device I/O in flight completes on the source and is delivered to the
   * guest once it resumes on the target), or a host failure until the VM is
   * restarted elsewhere (its application retries: E). A bare step: no state
   * change, no control plane; a VM already stopped stays as it is.
   * Returns whether it froze the VM (false: it was not running).
   */
  freeze(s: Strand): boolean {
    if (!this.gates.guestRunning || this.processorsStopped) return false;
    this.processorsStopped = true;
    this.setGuestRunning(false);
    this.deps.tracer.emit(s, 'vm.processors.stopped', this.deps.places.hv, 0, 'none', { vm: this.vm.id, inFlight: this.gates.inFlight });
    return true;
  }

  /**
   * What the VM's host did to it, as Hyper-V's management then shows it: a
   * host that failed took the VM down with it (`Off`: its partition is gone,
   * with no save and no shutdown), a failover cluster booting it on another
   * node shows it `Starting`, and `Running` once it runs there. A bare state
   * change for the cluster's host failures (its I/O is held by `freeze`);
   * no control-plane action, nothing refused.
   */
  hostState(s: Strand, to: 'Off' | 'Starting' | 'Running'): void {
    // The host failed: the worker process and partition are gone with it, so a save, restore, start or snapshot
    // under way there goes no further (its memory copy stops at the chunk in hand; `run` ends it, unsettled).
    if (to === 'Off') this.hostLosses++;
    this.setState(s, to);
  }

  /** Ends a `freeze`: the guest runs again and its held requests go on. */
  thaw(s: Strand): void {
    if (this.gates.guestRunning) return;
    this.deps.tracer.emit(s, 'vm.processors.started', this.deps.places.hv, 0, 'none', { vm: this.vm.id });
    this.setGuestRunning(true);
  }

  /**
   * Whether the VM can save its state (a host disk to keep the state file
   * on): the state file is created now if it is not yet, where a save would
   * create it. Quick migration asks before it saves through the life cycle.
   */
  canSaveState(): boolean {
    if (this.stateFile !== null) return true;
    try {
      this.stateFile = this.deps.createFile(`${this.vm.id}.bin`, this.vm.memoryBytes);
      return true;
    } catch {
      return false;
    }
  }

  /** The rated sequential rate of the disk its state file is on (bytes/s), or null when it has none yet (`canSaveState` makes it). */
  get stateDiskBytesPerS(): number | null {
    return this.stateFile?.diskRatedBytesPerS ?? null;
  }

  // --- One action, from the request to its end ---

  private facts(): LifecycleFacts {
    return {
      snapshots: this.snapshots.length,
      snapshotStates: this.snapshots.map((snap) => snap.state),
      shutdownService: this.vm.shutdownService(),
      passthroughDisk: this.deps.passthroughDisk,
    };
  }

  private strand(flow: number): Strand {
    return { stream: '', flow, cause: -1, cpuKey: this.cpuKey };
  }

  private *run(action: VmAction, index: number): ProcessBody<boolean> {
    const { tracer, sim, places, costs } = this.deps;
    const vm = this.vm.id;
    const s = this.strand(this.deps.nextFlow());
    const requestedAt = sim.now;
    const from = this.state;
    yield tracer.emit(s, 'vm.action.requested', places.wmi, 0, 'none', { vm, action, index, state: from });
    let verdict = transition(this.state, action, this.facts());
    // Simplification (E): no new snapshot or revert while a deleted snapshot waits to merge.
    if (verdict.ok && (action === 'snapshot' || action === 'revert') && (this.pendingMerges > 0 || this.merge !== null)) {
      verdict = { ok: false, code: 4097, why: 'a deleted snapshot is waiting to merge (it merges when the VM is off): turn the VM off first' };
    }
    if (verdict.ok && index >= 0) {
      for (const veto of this.vetoes) {
        const why = veto(action);
        if (why !== null) {
          verdict = { ok: false, code: WMI_INVALID_STATE_TRANSITION, why };
          break;
        }
      }
    }
    if (!verdict.ok) {
      yield tracer.emit(s, 'vm.action.refused', places.vmms, costs.vmms_request, 'none', { vm, action, index, state: this.state, code: verdict.code, why: verdict.why });
      return false;
    }
    const settledFrom = this.state as SettledState;
    const losses = this.hostLosses;
    this.setState(s, verdict.during);
    yield tracer.emit(s, 'vmms.job.started', places.vmms, costs.vmms_request, 'none', { vm, action, index });
    switch (action) {
      case 'start':
        if (settledFrom === 'Saved') yield* this.restore(s);
        else yield* this.start(s);
        break;
      case 'restore':
        yield* this.restore(s);
        break;
      case 'save':
        yield* this.save(s);
        break;
      case 'pause':
        yield* this.pause(s);
        break;
      case 'resume':
        yield* this.resume(s);
        break;
      case 'shutdown':
        yield* this.stop(s, true);
        break;
      case 'turn-off':
        yield* this.stop(s, false);
        break;
      case 'snapshot':
        yield* this.snapshot(s, settledFrom);
        break;
      case 'revert':
        yield* this.revert(s, settledFrom);
        break;
      case 'delete-snapshot':
        yield* this.deleteSnapshot(s);
        break;
    }
    if (this.hostLosses !== losses) {
      // Cut short by its host's failure: the VM stays as the failure (and the cluster's restart) left it.
      const cut = `its host failed while it was ${verdict.during}`;
      yield tracer.emit(s, 'vm.action.completed', places.vmms, 0, 'none', { vm, action, index, durationNs: sim.now - requestedAt, state: this.state, cutShort: cut });
      return false;
    }
    this.setState(s, verdict.settles);
    yield tracer.emit(s, 'vm.action.completed', places.vmms, 0, 'none', { vm, action, index, durationNs: sim.now - requestedAt, state: this.state });
    if (this.state === 'Off' && this.pendingMerges > 0 && this.merge === null) startProcess(sim, this.mergePending(this.strand(this.deps.nextFlow())), `${vm} merge`);
    return true;
  }

  private setState(s: Strand, to: VmState): void {
    if (to === this.state) return;
    const from = this.state;
    this.state = to;
    this.deps.tracer.emit(s, 'vm.state.changed', this.deps.places.worker, 0, 'none', { vm: this.vm.id, from, to, code: WMI_ENABLED_STATE[to] });
    for (const listener of this.stateListeners) listener(from, to);
    this.changed();
  }

  // --- The steps, as generators other processes can run (each returns its duration) ---

  /** Off → Running: the worker process, the partition, the virtual processors, the guest's boot. */
  *start(s: Strand): ProcessBody<number> {
    const t0 = this.deps.sim.now;
    yield* this.cancelMerge(s);
    yield* this.createPartition(s);
    yield this.deps.tracer.emit(s, 'vm.processors.started', this.deps.places.hv, 0, 'none', { vm: this.vm.id });
    const losses = this.hostLosses;
    yield this.deps.tracer.emit(s, 'vm.guest.booted', this.deps.places.app, this.deps.costs.vm_guest_boot, 'none', { vm: this.vm.id });
    if (this.hostLosses === losses) this.setGuestRunning(true);
    return this.deps.sim.now - t0;
  }

  /** Saved → Running: the worker and partition again, the memory read back from the state file, the processors started. */
  *restore(s: Strand): ProcessBody<number> {
    const t0 = this.deps.sim.now;
    const file = this.savedState;
    if (file === null) throw new Error(`VM ${this.vm.id}: restore with no saved state`);
    yield* this.cancelMerge(s);
    const losses = this.hostLosses;
    yield* this.createPartition(s);
    yield* this.copyMemory(s, file, 'read');
    if (this.hostLosses !== losses) return this.deps.sim.now - t0; // its host failed: the VM is not running, its saved state stays
    yield this.deps.tracer.emit(s, 'vm.processors.started', this.deps.places.hv, 0, 'none', { vm: this.vm.id });
    this.savedState = null;
    this.setGuestRunning(true);
    return this.deps.sim.now - t0;
  }

  /** Running or Paused → Saved: processors stopped (I/O drained), memory written to the state file, partition torn down. */
  *save(s: Strand): ProcessBody<number> {
    const t0 = this.deps.sim.now;
    const losses = this.hostLosses;
    yield* this.stopProcessors(s);
    this.stateFile ??= this.deps.createFile(`${this.vm.id}.bin`, this.vm.memoryBytes);
    yield* this.copyMemory(s, this.stateFile, 'write');
    if (this.hostLosses !== losses) return this.deps.sim.now - t0; // its host failed mid-save: no saved state to restore from
    this.savedState = this.stateFile;
    yield* this.destroyPartition(s);
    return this.deps.sim.now - t0;
  }

  /** Running → Paused: the processors stop once the I/O in flight has drained; memory stays where it is. */
  *pause(s: Strand): ProcessBody<number> {
    const t0 = this.deps.sim.now;
    yield* this.stopProcessors(s);
    return this.deps.sim.now - t0;
  }

  /** Paused → Running. */
  *resume(s: Strand): ProcessBody<number> {
    const t0 = this.deps.sim.now;
    yield this.deps.tracer.emit(s, 'vm.processors.started', this.deps.places.hv, this.deps.costs.vm_processors_stop, 'none', { vm: this.vm.id });
    this.setGuestRunning(true);
    return this.deps.sim.now - t0;
  }

  /** Running (or Paused) → Off: a shutdown through the integration service, or a turn-off (the partition simply destroyed). */
  private *stop(s: Strand, graceful: boolean): ProcessBody<void> {
    if (graceful) {
      // The guest's applications stop first; what they have in flight finishes.
      this.setGuestRunning(false);
      yield* this.gates.drain();
      yield this.deps.tracer.emit(s, 'vm.guest.shut-down', this.deps.places.app, this.deps.costs.vm_guest_shutdown, 'none', { vm: this.vm.id });
    } else {
      yield* this.stopProcessors(s);
    }
    yield* this.destroyPartition(s);
  }

  /**
   * A snapshot (row b.2): pause; a differencing image per VHD (its header
   * written); the configuration copied; resume; then, if the VM was
   * running, its memory written while it runs (copy-on-write of pages the
   * guest touches meanwhile is not modelled, E). Of a saved VM, its saved
   * memory is copied; of a VM that is off, only disks and configuration.
   */
  private *snapshot(s: Strand, from: SettledState): ProcessBody<void> {
    const { tracer, sim, places } = this.deps;
    const vm = this.vm.id;
    const t0 = sim.now;
    const running = from === 'Running';
    if (running) yield* this.stopProcessors(s);
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
    if (running) {
      yield tracer.emit(s, 'vm.processors.started', places.hv, this.deps.costs.vm_processors_stop, 'none', { vm });
      this.setGuestRunning(true);
      pausedNs = sim.now - t0;
      memory = this.deps.createFile(`${vm}.snap${number}.bin`, this.vm.memoryBytes);
      yield* this.copyMemory(s, memory, 'write');
    } else if (from === 'Saved' && this.savedState !== null) {
      memory = this.deps.createFile(`${vm}.snap${number}.bin`, this.vm.memoryBytes);
      yield* this.copyMemory(s, this.savedState, 'read');
      yield* this.copyMemory(s, memory, 'write');
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
  private *revert(s: Strand, from: SettledState): ProcessBody<void> {
    const { tracer, places } = this.deps;
    const snap = this.snapshots[this.snapshots.length - 1]!;
    if (from === 'Running' || from === 'Paused') {
      yield* this.stopProcessors(s);
      yield* this.destroyPartition(s);
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
    this.savedState = snap.memory;
    // The guest's memory is the snapshot's now: what was in it (frames its switch port kept, say) is gone.
    this.memoryEpoch++;
    this.changed();
    yield tracer.emit(s, 'vm.snapshot.reverted', places.worker, 0, 'none', { vm: this.vm.id, snapshot: snap.number, disks: [...snap.images.keys()], bytesDiscarded, images: discarded });
  }

  /**
   * Deletes the last snapshot: its images merge into their parents in the
   * background, at once if the VM is off, else when it next is (the action
   * itself ends here, as Hyper-V's does).
   */
  private *deleteSnapshot(s: Strand): ProcessBody<void> {
    const snap = this.snapshots.pop()!;
    this.pendingMerges++;
    yield this.deps.tracer.emit(s, 'vm.snapshot.deleted', this.deps.places.worker, 0, 'none', { vm: this.vm.id, snapshot: snap.number, mergePending: this.state !== 'Off' });
  }

  /** Runs the merges waiting, newest first, while the VM stays off. */
  private *mergePending(s: Strand): ProcessBody<void> {
    const { tracer, sim, places } = this.deps;
    const merge = { cancel: false, done: new SimEvent<void>() };
    this.merge = merge;
    while (this.pendingMerges > 0 && !merge.cancel) {
      for (const [diskId, backend] of this.deps.vhds) {
        const t0 = sim.now;
        const leaf = backend.leaf!;
        yield tracer.emit(s, 'vhd.merge.started', places.worker, 0, 'none', { vm: this.vm.id, disk: diskId, image: leaf.name, into: leaf.parent?.name ?? '' });
        const result = yield* backend.mergeLeaf(s, () => merge.cancel);
        if (!result.done) {
          yield tracer.emit(s, 'vhd.merge.cancelled', places.worker, 0, 'none', { vm: this.vm.id, disk: diskId, image: result.image, bytes: result.bytes });
          break;
        }
        yield tracer.emit(s, 'vhd.merge.completed', places.worker, 0, 'none', { vm: this.vm.id, disk: diskId, image: result.image, into: result.into, bytes: result.bytes, durationNs: sim.now - t0 });
      }
      if (!merge.cancel) this.pendingMerges--;
    }
    this.merge = null;
    merge.done.trigger();
  }

  /** Starting the VM cancels a merge under way (WS2008/R2); it waits for the merge's current I/O. */
  private *cancelMerge(_s: Strand): ProcessBody<void> {
    if (this.merge === null) return;
    this.merge.cancel = true;
    yield this.merge.done;
  }

  // --- Shared steps ---

  private *createPartition(s: Strand): ProcessBody<void> {
    const { tracer, places, costs } = this.deps;
    yield tracer.emit(s, 'vmwp.process.created', places.worker, costs.vmwp_start, 'none', { vm: this.vm.id });
    yield tracer.emit(s, 'hv.partition.created', places.hv, costs.partition_create, 'none', { vm: this.vm.id, memoryBytes: this.vm.memoryBytes, vcpus: this.vm.vcpus });
  }

  private *destroyPartition(s: Strand): ProcessBody<void> {
    const { tracer, places, costs } = this.deps;
    yield tracer.emit(s, 'hv.partition.destroyed', places.hv, costs.partition_teardown, 'none', { vm: this.vm.id });
    yield tracer.emit(s, 'vmwp.process.exited', places.worker, 0, 'none', { vm: this.vm.id });
  }

  /** Stops the guest: its processors stop and no request passes the gates; the ones in flight drain. */
  private *stopProcessors(s: Strand): ProcessBody<void> {
    if (this.processorsStopped) return; // paused already
    this.processorsStopped = true;
    // The processors stop at once (nothing more passes the gates); the I/O already in flight then drains.
    this.setGuestRunning(false);
    yield this.deps.tracer.emit(s, 'vm.processors.stopped', this.deps.places.hv, this.deps.costs.vm_processors_stop, 'none', { vm: this.vm.id, inFlight: this.gates.inFlight });
    yield* this.gates.drain();
  }

  /**
   * The VM's memory to (write) or from (read) `file`, in chunks of
   * `vm_state_chunk_bytes`, with `vm_state_io_depth` chunks in flight (each
   * lane takes the next chunk when its last is done), as a sequential file
   * copy keeps a disk streaming.
   */
  private *copyMemory(s: Strand, file: HostFile, op: 'read' | 'write'): ProcessBody<void> {
    const { tracer, places, costs, sim } = this.deps;
    const chunk = costs.vm_state_chunk_bytes;
    const total = this.vm.memoryBytes;
    let next = 0;
    const vm = this.vm.id;
    const kind = op === 'write' ? 'vm.memory.saved' : 'vm.memory.restored';
    const losses = this.hostLosses;
    const hostUp = (): boolean => this.hostLosses === losses;
    function* lane(ls: Strand): ProcessBody<void> {
      while (next < total && hostUp()) {
        const offset = next;
        const bytes = Math.min(chunk, total - offset);
        next += bytes;
        yield* file.io(ls, op, offset, bytes);
        yield tracer.emit(ls, kind, places.worker, 0, 'none', { vm, file: file.name, offsetBytes: offset, bytes });
      }
    }
    const lanes = Array.from({ length: Math.max(1, costs.vm_state_io_depth) }, () => startProcess(sim, lane({ ...s }), `${vm} ${kind}`));
    for (const l of lanes) yield l;
  }
}
