/**
 * A level of hand-off between an interrupt source and the code that waits
 * for it: `raise` wakes the oldest waiter, or is remembered until someone
 * waits, so an interrupt that fires before its handler is ready is not
 * lost. Several processes may wait at once; each raise wakes one of them,
 * in the order they began to wait. The value carried is the seq of the
 * record that raised it (the cause), or whatever the source passes (a
 * VMBus channel passes who signalled: cause, stream and flow).
 */
import { objectArray, type Process, type Waitable } from '../../engine/index.js';

export class InterruptLine<T = number> implements Waitable {
  // Made for objects (V8: engine/object-array.ts).
  private readonly waiters = objectArray<Process>();
  private waiterHead = 0;
  private readonly pending = objectArray<T>();
  private pendingHead = 0;

  /**
   * Told when a raise finds no waiter and is kept pending: a handler that
   * waits for this line or something else (storvsp with I/O in flight and
   * its interrupt armed) wakes by it. Null: nobody.
   */
  onPending: ((cause: T) => void) | null = null;

  /** Raises the line with the causing record's seq (or the source's value). */
  raise(cause: T): void {
    if (this.waiterHead < this.waiters.length) {
      const waiter = this.waiters[this.waiterHead++]!;
      if (this.waiterHead === this.waiters.length) this.waiters.length = this.waiterHead = 0;
      waiter.wake(cause);
    } else {
      this.pending.push(cause);
      this.onPending?.(cause);
    }
  }

  /** Interrupts raised and not yet taken. */
  get pendingCount(): number {
    return this.pending.length - this.pendingHead;
  }

  /** Processes waiting for the line. */
  get waiting(): number {
    return this.waiters.length - this.waiterHead;
  }

  waitBy(process: Process): boolean {
    if (this.pendingHead < this.pending.length) {
      process.resumeValue = this.pending[this.pendingHead++];
      if (this.pendingHead === this.pending.length) this.pending.length = this.pendingHead = 0;
      return true;
    }
    this.waiters.push(process);
    return false;
  }
}
