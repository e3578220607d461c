/**
 * The gates every request of one VM passes (its life cycle's, row h): at
 * issue it waits while the guest is not running, and a write also while a
 * backup's quiesce has the guest's writers frozen; at completion it waits
 * while the guest is not running. A request waiting is held, never lost:
 * `vm.io.held` when it stops, `vm.io.released` when it goes on. The gates
 * also count the requests between them, so a save can wait for the I/O in
 * flight to drain.
 */
import type { ProcessBody, Simulation } from '../../engine/index.js';
import type { Place } from '../topology.js';
import type { Strand, Tracer } from '../tracer.js';
import type { VmState } from './vm-states.js';
import { Waiters } from './waiters.js';

export class IoGates {
  /** The guest's virtual processors run (its requests pass the gates). */
  private running: boolean;
  private readonly runningAgain = new Waiters();
  /** A backup's quiesce has the guest's writers frozen: new writes wait at issue. */
  private writesFrozen = false;
  private readonly writersThawed = new Waiters();
  /** Requests past the issue gate that have not reached the completion gate, and the writes among them. */
  private inFlightCount = 0;
  private writesInFlight = 0;
  private readonly drained = new Waiters();
  private readonly writesDrained = new Waiters();

  constructor(
    private readonly vmId: string,
    running: boolean,
    private readonly sim: Simulation,
    private readonly tracer: Tracer,
    /** Where the VM's held requests wait (its application). */
    private readonly app: Place,
    /** The VM's state now, for the records of a request held. */
    private readonly stateOf: () => VmState,
  ) {
    this.running = running;
  }

  get guestRunning(): boolean {
    return this.running;
  }

  get inFlight(): number {
    return this.inFlightCount;
  }

  /** The guest runs (its held requests go on) or stops (nothing more passes). */
  setRunning(running: boolean): void {
    this.running = running;
    if (running) this.runningAgain.wake();
  }

  /** At a request's issue: wait while the guest is not running, and a write while its writers are frozen; then count it in flight. */
  *admit(s: Strand, op: 'read' | 'write' | null = null): ProcessBody<void> {
    if (!this.running) yield* this.hold(s, 'issue', () => !this.running, this.runningAgain);
    if (op === 'write' && this.writesFrozen) yield* this.hold(s, 'issue', () => this.writesFrozen, this.writersThawed, true);
    this.inFlightCount++;
    if (op === 'write') this.writesInFlight++;
  }

  /** Before a request's completion reaches the guest (`op` as given to `admit`): no longer in flight; wait while the guest is not running. */
  *finish(s: Strand, op: 'read' | 'write' | null = null): ProcessBody<void> {
    this.inFlightCount--;
    if (this.inFlightCount === 0) this.drained.wake();
    if (op === 'write' && --this.writesInFlight === 0) this.writesDrained.wake();
    if (!this.running) yield* this.hold(s, 'completion', () => !this.running, this.runningAgain);
  }

  /** Until every request past the issue gate has reached the completion gate. */
  *drain(): ProcessBody<void> {
    while (this.inFlightCount > 0) yield this.drained.next;
  }

  /** Until every write past the issue gate has completed (a quiesce's flush: with the writers frozen, no new one passes). */
  *drainWrites(): ProcessBody<void> {
    while (this.writesInFlight > 0) yield this.writesDrained.next;
  }

  /**
   * A backup's quiesce in the guest (reference row e.2: VSS freezes its
   * writers, the Exchange writer flushes, NTFS flushes and holds writes
   * while the host snapshots the volume; VCB's sync driver likewise): the
   * guest keeps running and reading, and a new write waits at issue, held,
   * until `thawWriters`. A write already past the gate finishes.
   */
  freezeWriters(): void {
    this.writesFrozen = true;
  }

  /** Ends `freezeWriters`: the writes held go on. */
  thawWriters(): void {
    if (!this.writesFrozen) return;
    this.writesFrozen = false;
    this.writersThawed.wake();
  }

  private *hold(s: Strand, at: 'issue' | 'completion', blocked: () => boolean, until: Waiters, writersFrozen = false): ProcessBody<void> {
    const { tracer, sim } = this;
    const since = sim.now;
    yield tracer.emit(s, 'vm.io.held', this.app, 0, 'none', { vm: this.vmId, state: this.stateOf(), at, ...(writersFrozen ? { writersFrozen: true as const } : {}) });
    while (blocked()) yield until.next;
    yield tracer.emit(s, 'vm.io.released', this.app, 0, 'none', { vm: this.vmId, heldNs: sim.now - since });
  }
}
