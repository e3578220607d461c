/**
 * SimPy-style processes: a generator that `yield`s what it waits for.
 *
 *   - `yield 1500`            wait 1,500 ns of simulated time;
 *   - `yield resource`        wait for one unit of a Resource (FIFO), then hold it until `release()`;
 *   - `yield event`           wait for a SimEvent to be triggered; the `yield` evaluates to its value;
 *   - `yield otherProcess`    wait for another process to finish; evaluates to its return value.
 *
 * A process allocates once, when created; waiting and resuming schedule
 * engine events with one shared handler and the process as payload, so the
 * kernel adds no per-event objects (the generator's own `{value, done}`
 * result is V8's to elide).
 */
import type { EventId } from './event-queue.js';
import type { Simulation } from './simulation.js';

/** Something a process can wait on besides a delay. */
export interface Waitable {
  /**
   * Registers `process` to be resumed when this is ready. Returns true if it
   * is ready now, in which case the process continues at once with
   * `process.resumeValue` set by this call.
   */
  waitBy(process: Process): boolean;
}

/** What a process body may yield. */
export type Yieldable = number | Waitable;

/** The generator a process runs. */
export type ProcessBody<R = unknown> = Generator<Yieldable, R, any>;

/** Lifecycle of a process. */
export type ProcessState =
  /** Created; its first step is scheduled for the current time. */
  | 'scheduled'
  /** Suspended on a delay or a Waitable. */
  | 'waiting'
  /** Its generator returned; `result` holds the value. */
  | 'finished'
  /** Killed before it finished. */
  | 'killed';

function resumeProcess(process: Process): void {
  process.advance();
}

/** Where a generator's Process is kept, so the delay fast path can find it. */
const OWNER = Symbol('hvsim.process');
type OwnedBody = ProcessBody & { [OWNER]: Process };

/**
 * The fast path for a process resuming after a delay. The event's payload
 * is the generator itself, not the Process, and another delay re-arms the
 * same event (`Simulation.reschedule`), whose EventId the Process already
 * holds: a resume touches the generator and nothing else of the process.
 * With many processes pending (the hold benchmark at n = 100,000) each
 * object touched is a cache miss, and the Process and the generator's
 * property store were two of the three. Anything but another delay hands
 * over to the Process. A killed process's generator has returned, so a
 * stale resume finds it done and does nothing.
 */
function resumeBody(body: OwnedBody, sim: Simulation): void {
  const step = body.next(undefined);
  if (step.done === true) {
    body[OWNER].finishedFromFastPath(step.value);
    return;
  }
  const what = step.value;
  if (typeof what === 'number') {
    // The body scheduled something before yielding: a new event, a new id.
    if (!sim.reschedule(what)) body[OWNER].pendingEvent = sim.schedule(what, resumeBody, body);
    return;
  }
  body[OWNER].handle(what);
}

/** A running generator, resumed by the engine. Waitable: yielding a process joins it. */
export class Process<R = unknown> implements Waitable {
  state: ProcessState = 'scheduled';
  /** The generator's return value once finished. */
  result: R | undefined = undefined;
  /** Value passed into the generator at its next resume. Set by whatever wakes it. */
  resumeValue: unknown = undefined;
  /** A resource that handed this process a unit it has not yet resumed to take. */
  grantedBy: Resource | null = null;
  private readonly joiners: Process[] = [];
  /**
   * The scheduled resume, for `kill`; -1 when none. Declared, not
   * initialized: its first value is the constructor's EventId, a double
   * (ids are at least 2^31), so V8 makes it a double field from the start;
   * a -1 first would make it a small-integer field that the id changes
   * (sim-time.ts). @internal
   */
  declare pendingEvent: EventId | -1;

  constructor(
    readonly sim: Simulation,
    private readonly body: ProcessBody<R>,
    readonly name = 'process',
  ) {
    (body as unknown as OwnedBody)[OWNER] = this as Process;
    this.pendingEvent = sim.schedule(0, resumeProcess, this);
  }

  /** Resumes the generator and interprets what it yields next. Called by the engine. */
  advance(): void {
    // The fewest writes on the hot path (one cache line, no write barriers
    // for unchanged fields): `pendingEvent` is overwritten below or reset on
    // the rarer paths, and fields already right are not rewritten.
    if (this.grantedBy !== null) this.grantedBy = null;
    for (;;) {
      const value = this.resumeValue;
      if (value !== undefined) this.resumeValue = undefined;
      const step = this.body.next(value);
      if (step.done === true) {
        this.pendingEvent = -1;
        this.finish(step.value);
        return;
      }
      const what = step.value;
      if (typeof what === 'number') {
        if (this.state !== 'waiting') this.state = 'waiting';
        this.pendingEvent = this.sim.schedule(what, resumeBody, this.body as unknown as OwnedBody);
        return;
      }
      if (!this.waitOn(what)) return;
      // Ready at once: continue in the same event, deterministic either way.
    }
  }

  /** Registers with a Waitable; true if it is ready now. */
  private waitOn(what: Yieldable): boolean {
    this.pendingEvent = -1;
    if (what === undefined || what === null || typeof (what as Waitable).waitBy !== 'function') {
      throw new TypeError(`process '${this.name}' yielded ${String(what)}; yield a delay in ns, a Resource, a SimEvent or a Process`);
    }
    if (!(what as Waitable).waitBy(this)) {
      this.state = 'waiting';
      return false;
    }
    return true;
  }

  /** The fast path met something other than a delay. @internal */
  handle(what: Yieldable): void {
    if (this.waitOn(what)) this.advance();
  }

  /** The generator returned on the fast path. @internal */
  finishedFromFastPath(result: unknown): void {
    if (this.state === 'killed') return; // the resume of a killed process: nothing to do
    this.pendingEvent = -1;
    this.finish(result as R);
  }

  /** Schedules this process to resume now with `value` (used by Waitables). */
  wake(value: unknown): void {
    if (this.state === 'killed' || this.state === 'finished') return;
    this.resumeValue = value;
    this.pendingEvent = this.sim.schedule(0, resumeProcess, this);
  }

  /** Stops the process: cancels its pending resume and finalises its generator. Joiners get `undefined`. */
  kill(): void {
    if (this.state === 'finished' || this.state === 'killed') return;
    if (this.pendingEvent !== -1) this.sim.cancel(this.pendingEvent);
    this.pendingEvent = -1;
    this.state = 'killed';
    const granted = this.grantedBy;
    this.grantedBy = null;
    granted?.release(); // a unit handed over but never taken goes back
    this.body.return(undefined as R);
    this.releaseJoiners();
  }

  waitBy(process: Process): boolean {
    if (this.state === 'finished' || this.state === 'killed') {
      process.resumeValue = this.result;
      return true;
    }
    this.joiners.push(process);
    return false;
  }

  private finish(result: R): void {
    this.state = 'finished';
    this.result = result;
    this.releaseJoiners();
  }

  private releaseJoiners(): void {
    for (const joiner of this.joiners) joiner.wake(this.result);
    this.joiners.length = 0;
  }
}

/** Starts `body` as a process on `sim`; its first step runs at the current time, after events already scheduled for it. */
export function startProcess<R>(sim: Simulation, body: ProcessBody<R>, name?: string): Process<R> {
  return new Process(sim, body, name);
}

/**
 * A one-shot event (SimPy's Event): processes wait on it until `trigger`
 * wakes them all with a value. Waiting on a triggered event continues at once.
 */
export class SimEvent<V = unknown> implements Waitable {
  private waiters: Process[] = [];
  triggered = false;
  value: V | undefined = undefined;

  /** Wakes every waiting process with `value`. Triggering twice throws. */
  trigger(value?: V): void {
    if (this.triggered) throw new Error('SimEvent already triggered');
    this.triggered = true;
    this.value = value;
    const waiters = this.waiters;
    this.waiters = [];
    for (const p of waiters) p.wake(value);
  }

  waitBy(process: Process): boolean {
    if (this.triggered) {
      process.resumeValue = this.value;
      return true;
    }
    this.waiters.push(process);
    return false;
  }
}

/**
 * A resource with `capacity` units and a FIFO wait queue (SimPy's
 * Resource). A process yields the resource to take one unit and calls
 * `release()` when done; the longest waiter gets the freed unit.
 */
export class Resource implements Waitable {
  private inUse = 0;
  // FIFO ring of waiting processes; grows by doubling, never shrinks.
  private queue: (Process | undefined)[] = new Array(16).fill(undefined);
  private head = 0;
  private length = 0;

  constructor(readonly capacity = 1, readonly name = 'resource') {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be an integer >= 1, got ${capacity}`);
  }

  /** Units held. */
  get busy(): number {
    return this.inUse;
  }

  /** Processes waiting. */
  get waiting(): number {
    return this.length;
  }

  /** Takes a unit without waiting if one is free; returns whether it did. */
  tryAcquire(): boolean {
    if (this.inUse < this.capacity && this.length === 0) {
      this.inUse++;
      return true;
    }
    return false;
  }

  waitBy(process: Process): boolean {
    if (this.tryAcquire()) return true;
    if (this.length === this.queue.length) this.growQueue();
    this.queue[(this.head + this.length) % this.queue.length] = process;
    this.length++;
    return false;
  }

  /** Returns one unit; the first waiter (if any) takes it and resumes now. */
  release(): void {
    if (this.inUse === 0) throw new Error(`release of '${this.name}' with no unit held`);
    while (this.length > 0) {
      const next = this.queue[this.head]!;
      this.queue[this.head] = undefined;
      this.head = (this.head + 1) % this.queue.length;
      this.length--;
      if (next.state === 'killed') continue; // a killed waiter gives up its place
      next.grantedBy = this;
      next.wake(undefined); // the unit passes straight to the waiter
      return;
    }
    this.inUse--;
  }

  private growQueue(): void {
    const old = this.queue;
    const next: (Process | undefined)[] = new Array(old.length * 2).fill(undefined);
    for (let i = 0; i < this.length; i++) next[i] = old[(this.head + i) % old.length];
    this.queue = next;
    this.head = 0;
  }
}
