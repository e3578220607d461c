/**
 * One VM's life cycle at run time: the management actions a scenario times
 * (start, save, restore, pause, resume, shutdown, turn-off, snapshot,
 * revert, delete-snapshot), each a request that goes WMI provider → VMMS →
 * the VM's worker process (vmwp.exe) → the hypervisor, through Hyper-V's
 * states (`vm-states.ts`), with the time each step takes. Sources:
 * vm-lifecycle-and-availability.md rows h (control plane, states) and b
 * (snapshots).
 *
 * This file is the control plane and the VM's state: an action requested,
 * accepted or refused (`transition`, the cluster's vetoes), its job's steps
 * run, its state settled. The steps are the parts': the worker process's
 * and the hypervisor's (`vm-worker.ts`: partition, processors, the memory
 * saved and restored, in OpenVMM's state-unit order), the snapshots'
 * (`vm-snapshots.ts`; the merges of deleted ones, `snapshot-merges.ts`),
 * and the gates every request passes (`io-gates.ts`: held while the VM is
 * not running, never lost). What the virtual switch sees of the VM
 * (`PortVm`: its state, whether its guest runs, its memory's epoch, the
 * event at its next change) is read here.
 *
 * A clean API for other parts (the cluster's quick migration saves and
 * restores through `perform`; its blackouts `freeze` and `thaw`): `request`
 * runs an action as a scenario would; `perform` runs one through the
 * control plane from another process and returns whether it was accepted
 * and how long it took (the bare steps it runs, with no state change and
 * no control plane, are `VmWorker`'s); `stateListeners` hear every state
 * change; `gates.admit`/`gates.finish` gate a request of the VM.
 */
import { startProcess, type ProcessBody, type SimEvent } from '../../engine/index.js';
import type { Strand } from '../tracer.js';
import { IoGates } from './io-gates.js';
import type { LifecycleDeps, LifecycleVm } from './lifecycle-deps.js';
import { SnapshotMerges } from './snapshot-merges.js';
import { transition, WMI_ENABLED_STATE, WMI_INVALID_STATE_TRANSITION, type LifecycleFacts, type SettledState, type VmAction, type VmState } from './vm-states.js';
import { VmSnapshots } from './vm-snapshots.js';
import { VmWorker } from './vm-worker.js';
import { Waiters } from './waiters.js';

export type { LifecycleDeps, LifecyclePlaces, LifecycleVm } from './lifecycle-deps.js';

export class VmLifecycle {
  /** Hyper-V's state of the VM now. */
  state: VmState;
  /** The gates every request of the VM passes (`io-gates.ts`): the workloads call `admit` and `finish`, a backup's quiesce `freezeWriters`. */
  readonly gates: IoGates;
  /** Fired at the VM's next change of state or of whether its guest runs (the virtual switch's port follows both). */
  private readonly change = new Waiters();
  /** The worker process's and the hypervisor's steps (`vm-worker.ts`). */
  private readonly worker: VmWorker;
  private readonly snapshots: VmSnapshots;
  private readonly merges: SnapshotMerges;
  private readonly cpuKey: string;

  constructor(
    readonly vm: LifecycleVm,
    private readonly deps: LifecycleDeps,
  ) {
    this.state = vm.initialState;
    this.gates = new IoGates(vm.id, vm.initialState === 'Running', deps.sim, deps.tracer, deps.places.app, () => this.state);
    this.merges = new SnapshotMerges(vm.id, deps);
    this.worker = new VmWorker(vm, deps, this.gates, this.change, this.merges);
    this.snapshots = new VmSnapshots(vm, deps, this.worker, this.change, this.merges);
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

  // --- What the virtual switch sees (`PortVm`) ---

  /** Counts the times the guest's memory was replaced by a snapshot's (a revert): what its buffers held is gone. */
  get memoryEpoch(): number {
    return this.snapshots.memoryEpoch;
  }

  /** The guest's virtual processors run (not while it is paused, saving, or frozen by the cluster). */
  get guestRunning(): boolean {
    return this.gates.guestRunning;
  }

  /** An event fired at the VM's next change of state or of whether its guest runs. */
  nextChange(): SimEvent<void> {
    return this.change.next;
  }

  // --- What the cluster does to the VM, without the control plane ---

  /** Stops the guest where it is, its I/O held at the gates (`VmWorker.freeze`); whether it froze it. */
  freeze(s: Strand): boolean {
    return this.worker.freeze(s);
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
    if (to === 'Off') this.worker.hostLost();
    this.setState(s, to);
  }

  /** Ends a `freeze`: the guest runs again and its held requests go on. */
  thaw(s: Strand): void {
    this.worker.thaw(s);
  }

  /**
   * Whether the VM can save its state (a host disk to keep the state file
   * on): the state file is created now if it is not yet, where a save would
   * create it. Quick migration asks before it saves through the life cycle.
   */
  canSaveState(): boolean {
    return this.worker.canSaveState();
  }

  /** The rated sequential rate of the disk its state file is on (bytes/s), or null when it has none yet (`canSaveState` makes it). */
  get stateDiskBytesPerS(): number | null {
    return this.worker.stateDiskBytesPerS;
  }

  // --- One action, from the request to its end ---

  private facts(): LifecycleFacts {
    return {
      snapshots: this.snapshots.count,
      snapshotStates: this.snapshots.states(),
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
    if (verdict.ok && (action === 'snapshot' || action === 'revert') && this.merges.busy) {
      verdict = { ok: false, code: WMI_INVALID_STATE_TRANSITION, why: 'a deleted snapshot is waiting to merge (it merges when the VM is off): turn the VM off first' };
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
    const losses = this.worker.hostLosses;
    this.setState(s, verdict.during);
    yield tracer.emit(s, 'vmms.job.started', places.vmms, costs.vmms_request, 'none', { vm, action, index });
    switch (action) {
      case 'start':
        if (settledFrom === 'Saved') yield* this.worker.restore(s);
        else yield* this.worker.start(s);
        break;
      case 'restore':
        yield* this.worker.restore(s);
        break;
      case 'save':
        yield* this.worker.save(s);
        break;
      case 'pause':
        yield* this.worker.pause(s);
        break;
      case 'resume':
        yield* this.worker.resume(s);
        break;
      case 'shutdown':
        yield* this.worker.stop(s, true);
        break;
      case 'turn-off':
        yield* this.worker.stop(s, false);
        break;
      case 'snapshot':
        yield* this.snapshots.take(s, settledFrom);
        break;
      case 'revert':
        yield* this.snapshots.revert(s, settledFrom);
        break;
      case 'delete-snapshot':
        yield* this.snapshots.delete(s, this.state);
        break;
    }
    if (this.worker.hostLosses !== losses) {
      // Cut short by its host's failure: the VM stays as the failure (and the cluster's restart) left it.
      const cut = `its host failed while it was ${verdict.during}`;
      yield tracer.emit(s, 'vm.action.completed', places.vmms, 0, 'none', { vm, action, index, durationNs: sim.now - requestedAt, state: this.state, cutShort: cut });
      return false;
    }
    this.setState(s, verdict.settles);
    yield tracer.emit(s, 'vm.action.completed', places.vmms, 0, 'none', { vm, action, index, durationNs: sim.now - requestedAt, state: this.state });
    if (this.state === 'Off' && this.merges.waiting) startProcess(sim, this.merges.run(this.strand(this.deps.nextFlow())), `${vm} merge`);
    return true;
  }

  private setState(s: Strand, to: VmState): void {
    if (to === this.state) return;
    const from = this.state;
    this.state = to;
    this.deps.tracer.emit(s, 'vm.state.changed', this.deps.places.worker, 0, 'none', { vm: this.vm.id, from, to, code: WMI_ENABLED_STATE[to] });
    for (const listener of this.stateListeners) listener(from, to);
    this.change.wake();
  }
}
