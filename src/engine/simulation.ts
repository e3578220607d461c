/**
 * The simulation kernel: a clock, the future-event set and dispatch.
 * `now · schedule · cancel · peek · step · run` — the size of SimPy's
 * Environment (simpy core.py). It knows nothing of what it simulates and
 * never reads a wall clock: pacing against real time is the caller's job
 * (SimPy's rt.py is a wrapper, not the kernel).
 */
import { EventQueue, PRIORITY_MAX, PRIORITY_MIN, PRIORITY_NORMAL, type EventId } from './event-queue.js';
import { assertSimTime, type SimTimeNs } from './sim-time.js';

/**
 * Called when an event fires, with the payload given to `schedule` and the
 * simulation. Handlers schedule further events and emit trace records
 * (STYLE §4.4); they must not block.
 */
export type EventHandler<P = any> = (payload: P, sim: Simulation) => void;

/** Why `run` returned. */
export type StopReason =
  /** No event is pending. */
  | 'empty'
  /** Events remain, but at or past `until`; the clock was advanced to `until`. */
  | 'until'
  /** `maxEvents` events were processed. */
  | 'maxEvents'
  /** A handler called `stop()`. */
  | 'stopped';

/** Limits for one `run` call. Both are optional; with neither, `run` goes until the queue is empty. */
export interface RunOptions {
  /**
   * Process only events strictly before this time; if events remain at or
   * after it, set the clock to it (SimPy's `run(until)`). If the queue
   * empties first, the clock stays at the last event and the reason is
   * `empty`.
   */
  until?: number;
  /** Process at most this many events. */
  maxEvents?: number;
}

/** What one `run` call did. */
export interface RunResult {
  reason: StopReason;
  /** Events processed by this call. */
  events: number;
}

/** Construction options. */
export interface SimulationOptions {
  /** Starting capacity of the event queue (it grows by doubling). */
  initialCapacity?: number;
  /** Hard bound on pending events; scheduling past it throws. */
  capacityLimit?: number;
}

/** A discrete-event simulation with integer-nanosecond time. */
export class Simulation {
  private readonly queue: EventQueue<EventHandler>;
  /** The current time: NaN until the constructor sets 0, so that V8 makes it a double field (sim-time.ts). */
  private clock = Number.NaN;
  private processed = 0;
  private stopRequested = false;

  constructor(options: SimulationOptions = {}) {
    this.queue = new EventQueue<EventHandler>(options);
    this.clock = 0;
  }

  /** Current simulated time in nanoseconds. */
  get now(): SimTimeNs {
    return this.clock as SimTimeNs;
  }

  /** Total events processed since construction. */
  get eventsProcessed(): number {
    return this.processed;
  }

  /** Number of events pending. */
  get pending(): number {
    return this.queue.size;
  }

  /**
   * Schedules `handler(payload)` to run `delayNs` from now. Delays are
   * non-negative integers; ties at one time fire in priority order, then in
   * the order they were scheduled.
   * @example sim.schedule(us(5), onTimeout, request)
   */
  schedule<P>(delayNs: number, handler: EventHandler<P>, payload?: P, priority: number = PRIORITY_NORMAL): EventId {
    const time = this.timeAfter(delayNs);
    if (priority !== PRIORITY_NORMAL && !(Number.isInteger(priority) && priority >= PRIORITY_MIN && priority <= PRIORITY_MAX)) {
      throw new RangeError(`priority must be an integer in ${PRIORITY_MIN}..${PRIORITY_MAX}, got ${priority}`);
    }
    return this.queue.push(time, priority, handler, payload);
  }

  /**
   * Re-arms the event now being dispatched to fire again `delayNs` from now,
   * keeping its handler, payload, priority and EventId (as OMNeT++ reuses a
   * self-message), and ties FIFO like a fresh `schedule`. Call it from that
   * event's handler before the handler schedules anything; then it returns
   * true. Once something has been scheduled since the event fired, or
   * outside a handler, it returns false, changing nothing, and the caller
   * schedules a new event instead.
   * A process resuming after a delay re-arms its event this way, so a chain
   * of delays writes no new id anywhere.
   */
  reschedule(delayNs: number): boolean {
    return this.queue.repush(this.timeAfter(delayNs));
  }

  /** The time `delayNs` from now; a delay must be a non-negative integer keeping the time a safe integer. */
  private timeAfter(delayNs: number): number {
    const time = this.clock + delayNs;
    if (!(delayNs >= 0) || !Number.isSafeInteger(delayNs) || !Number.isSafeInteger(time)) {
      throw new RangeError(`delay must be a non-negative integer number of nanoseconds, got ${delayNs}`);
    }
    return time;
  }

  /** Schedules at an absolute time, which must not be in the past. */
  scheduleAt<P>(timeNs: number, handler: EventHandler<P>, payload?: P, priority: number = PRIORITY_NORMAL): EventId {
    assertSimTime(timeNs, 'event time');
    if (timeNs < this.clock) throw new RangeError(`cannot schedule in the past: ${timeNs} < now ${this.clock}`);
    return this.schedule(timeNs - this.clock, handler, payload, priority);
  }

  /** Cancels a pending event. Returns false if it already fired or was cancelled. */
  cancel(id: EventId): boolean {
    return this.queue.cancel(id);
  }

  /** Time of the next event, or `Infinity` if none is pending. */
  peek(): number {
    return this.queue.peekTime();
  }

  /** Processes exactly one event. Returns false (and does nothing) if none is pending. */
  step(): boolean {
    const queue = this.queue;
    const slot = queue.pop();
    if (slot < 0) return false;
    this.clock = queue.poppedTime;
    this.processed++;
    try {
      (queue.slots[3 * slot] as EventHandler)(queue.slots[3 * slot + 1], this);
    } finally {
      queue.forgetPopped(); // `reschedule` works from the handler only
    }
    return true;
  }

  /** Asks the running `run` call to return after the current event. */
  stop(): void {
    this.stopRequested = true;
  }

  /**
   * Processes events until the queue is empty, the next event is at or past
   * `until`, `maxEvents` have been processed, or a handler calls `stop()`.
   * May be called again to resume.
   */
  run(options: RunOptions = {}): RunResult {
    const until = options.until ?? Infinity;
    const maxEvents = options.maxEvents ?? Infinity;
    if (until !== Infinity) assertSimTime(until, 'until');
    if (!(maxEvents >= 0)) throw new RangeError(`maxEvents must be >= 0, got ${maxEvents}`);
    const queue = this.queue;
    const start = this.processed;
    this.stopRequested = false;
    let reason: StopReason;
    let remaining = Math.floor(maxEvents); // a fractional limit never lets one more through
    try {
      for (;;) {
        if (remaining === 0) {
          reason = 'maxEvents';
          break;
        }
        const slot = queue.pop(until);
        if (slot < 0) {
          if (queue.size === 0) {
            reason = 'empty'; // the clock stays at the last event
          } else {
            if (until > this.clock) this.clock = until;
            reason = 'until';
          }
          break;
        }
        remaining--;
        this.clock = queue.poppedTime;
        this.processed++;
        (queue.slots[3 * slot] as EventHandler)(queue.slots[3 * slot + 1], this);
        if (this.stopRequested) {
          reason = 'stopped';
          break;
        }
      }
    } finally {
      queue.forgetPopped(); // `reschedule` works from a handler only, even if one threw
    }
    return { reason, events: this.processed - start };
  }
}
