/**
 * The steps of one VM's life cycle in its worker process (vmwp.exe) and the
 * hypervisor: the partition created and destroyed, the virtual processors
 * stopped and started, the memory saved to and restored from its state
 * file. Bare steps, as generators other processes can run, each returning
 * its duration: no state change and no control plane (`vm-lifecycle.ts`
 * runs them as actions). Source: vm-lifecycle-and-availability.md row h.
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
 * constants.
 */
import { startProcess, type ProcessBody } from '../../engine/index.js';
import type { Strand } from '../tracer.js';
import type { HostFile } from './host-file.js';
import type { IoGates } from './io-gates.js';
import type { LifecycleDeps, LifecycleVm } from './lifecycle-deps.js';
import type { SnapshotMerges } from './snapshot-merges.js';
import type { Waiters } from './waiters.js';

export class VmWorker {
  /** The saved state the VM restores from when Saved. */
  private saved: HostFile | null = null;
  private stateFile: HostFile | null = null;
  /** The processors were stopped (a pause) and not started since. */
  private processorsStopped = false;
  /** Times the VM's host failed under it (`VmLifecycle.hostState` Off): an action under way then is cut short where it stands. */
  private losses = 0;

  constructor(
    private readonly vm: LifecycleVm,
    private readonly deps: LifecycleDeps,
    /** The gates every request of the VM passes: shut while the guest does not run, drained before a save. */
    private readonly gates: IoGates,
    /** Woken when whether the guest runs changes (`VmLifecycle.nextChange`). */
    private readonly change: Waiters,
    /** Starting or restoring the VM cancels a merge under way. */
    private readonly merges: SnapshotMerges,
  ) {}

  /** Times the VM's host failed under it: a step compares it before and after to know it was cut short. */
  get hostLosses(): number {
    return this.losses;
  }

  /** The host failed: the worker process and partition are gone with it, so a step under way goes no further. */
  hostLost(): void {
    this.losses++;
  }

  /** The saved state the VM restores from when Saved, or null. */
  get savedState(): HostFile | null {
    return this.saved;
  }

  /** The VM is left saved with `file` as its saved state (a revert to a snapshot of a running VM: its memory). */
  setSavedState(file: HostFile | null): void {
    this.saved = file;
  }

  /** The guest runs (its held requests go on) or stops; the VM's next change fires. */
  setGuestRunning(running: boolean): void {
    if (running) this.processorsStopped = false;
    this.gates.setRunning(running);
    this.change.wake();
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

  // --- The steps, as generators other processes can run (each returns its duration) ---

  /** Off → Running: the worker process, the partition, the virtual processors, the guest's boot. */
  *start(s: Strand): ProcessBody<number> {
    const t0 = this.deps.sim.now;
    yield* this.merges.cancel(s);
    yield* this.createPartition(s);
    yield this.deps.tracer.emit(s, 'vm.processors.started', this.deps.places.hv, 0, 'none', { vm: this.vm.id });
    const losses = this.losses;
    yield this.deps.tracer.emit(s, 'vm.guest.booted', this.deps.places.app, this.deps.costs.vm_guest_boot, 'none', { vm: this.vm.id });
    if (this.losses === losses) this.setGuestRunning(true);
    return this.deps.sim.now - t0;
  }

  /** Saved → Running: the worker and partition again, the memory read back from the state file, the processors started. */
  *restore(s: Strand): ProcessBody<number> {
    const t0 = this.deps.sim.now;
    const file = this.saved;
    if (file === null) throw new Error(`VM ${this.vm.id}: restore with no saved state`);
    yield* this.merges.cancel(s);
    const losses = this.losses;
    yield* this.createPartition(s);
    yield* this.copyMemory(s, file, 'read');
    if (this.losses !== losses) return this.deps.sim.now - t0; // its host failed: the VM is not running, its saved state stays
    yield this.deps.tracer.emit(s, 'vm.processors.started', this.deps.places.hv, 0, 'none', { vm: this.vm.id });
    this.saved = null;
    this.setGuestRunning(true);
    return this.deps.sim.now - t0;
  }

  /** Running or Paused → Saved: processors stopped (I/O drained), memory written to the state file, partition torn down. */
  *save(s: Strand): ProcessBody<number> {
    const t0 = this.deps.sim.now;
    const losses = this.losses;
    yield* this.stopProcessors(s);
    this.stateFile ??= this.deps.createFile(`${this.vm.id}.bin`, this.vm.memoryBytes);
    yield* this.copyMemory(s, this.stateFile, 'write');
    if (this.losses !== losses) return this.deps.sim.now - t0; // its host failed mid-save: no saved state to restore from
    this.saved = this.stateFile;
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
  *stop(s: Strand, graceful: boolean): ProcessBody<void> {
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

  // --- Shared steps (a snapshot and a revert take them too) ---

  private *createPartition(s: Strand): ProcessBody<void> {
    const { tracer, places, costs } = this.deps;
    yield tracer.emit(s, 'vmwp.process.created', places.worker, costs.vmwp_start, 'none', { vm: this.vm.id });
    yield tracer.emit(s, 'hv.partition.created', places.hv, costs.partition_create, 'none', { vm: this.vm.id, memoryBytes: this.vm.memoryBytes, vcpus: this.vm.vcpus });
  }

  *destroyPartition(s: Strand): ProcessBody<void> {
    const { tracer, places, costs } = this.deps;
    yield tracer.emit(s, 'hv.partition.destroyed', places.hv, costs.partition_teardown, 'none', { vm: this.vm.id });
    yield tracer.emit(s, 'vmwp.process.exited', places.worker, 0, 'none', { vm: this.vm.id });
  }

  /** Stops the guest: its processors stop and no request passes the gates; the ones in flight drain. */
  *stopProcessors(s: Strand): ProcessBody<void> {
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
  *copyMemory(s: Strand, file: HostFile, op: 'read' | 'write'): ProcessBody<void> {
    const { tracer, places, costs, sim } = this.deps;
    const chunk = costs.vm_state_chunk_bytes;
    const total = this.vm.memoryBytes;
    let next = 0;
    const vm = this.vm.id;
    const kind = op === 'write' ? 'vm.memory.saved' : 'vm.memory.restored';
    const losses = this.losses;
    const hostUp = (): boolean => this.losses === losses;
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
