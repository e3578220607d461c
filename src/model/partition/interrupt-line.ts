/**
 * A level of hand-off between an interrupt source and the code that waits
 * for it: `raise` wakes the waiter, or is remembered until someone waits,
 * so an interrupt that fires before its handler is ready is not lost. The
 * value carried is the seq of the record that raised it (the cause).
 */
import type { Process, Waitable } from '../../engine/index.js';

export class InterruptLine implements Waitable {
  private waiter: Process | null = null;
  private readonly pending: number[] = [];

  /** Raises the line with the causing record's seq. */
  raise(cause: number): void {
    const waiter = this.waiter;
    if (waiter !== null) {
      this.waiter = null;
      waiter.wake(cause);
    } else {
      this.pending.push(cause);
    }
  }

  /** Interrupts raised and not yet taken. */
  get pendingCount(): number {
    return this.pending.length;
  }

  waitBy(process: Process): boolean {
    if (this.pending.length > 0) {
      process.resumeValue = this.pending.shift();
      return true;
    }
    if (this.waiter !== null) throw new Error('InterruptLine supports one waiter at a time');
    this.waiter = process;
    return false;
  }
}
