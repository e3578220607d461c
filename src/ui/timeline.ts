/**
 * The timeline store: the view state at a cursor over an immutable trace.
 * Stepping forward applies one record with immer's `produceWithPatches` and
 * keeps the inverse patches, so stepping back applies them (newest first).
 * Checkpoints every `CHECKPOINT_EVERY` records, built once at load with
 * structural sharing, make a seek anywhere cost at most that many record
 * applications in one `produce` (ux-ecosystem §3.4). The trace is never
 * re-simulated. Inverse patches are kept for the last `PATCH_WINDOW` steps;
 * older backs refold from a checkpoint, which gives the same state.
 */
import { applyPatches, enablePatches, produce, produceWithPatches, setAutoFreeze, type Patch } from 'immer';
import type { HvRecord } from '../model/trace-events.js';
import { applyRecord, initialViewState, type ViewState } from '../render/view-state.js';

enablePatches();
// Freezing catches accidental mutation in development and tests; it costs ~25x per produce (ux-ecosystem §3.3).
setAutoFreeze((globalThis as { HVSIM_DEV?: boolean }).HVSIM_DEV !== false);

/** Records between checkpoints. */
export const CHECKPOINT_EVERY = 512;
/** Steps whose inverse patches are kept. */
export const PATCH_WINDOW = 4096;

export class Timeline {
  private state: ViewState;
  private readonly checkpoints: ViewState[] = [];
  /** inverse[k % PATCH_WINDOW] undoes the step from cursor k to k + 1, if `inverseAt` says so. */
  private readonly inverse: (Patch[] | undefined)[] = new Array(PATCH_WINDOW);
  private readonly inverseAt = new Int32Array(PATCH_WINDOW).fill(-1);

  constructor(readonly records: readonly HvRecord[]) {
    let s = produce(initialViewState(), () => {});
    this.checkpoints.push(s);
    for (let start = 0; start < records.length; start += CHECKPOINT_EVERY) {
      const end = Math.min(start + CHECKPOINT_EVERY, records.length);
      s = produce(s, (d) => {
        for (let i = start; i < end; i++) applyRecord(d, records[i]!);
      });
      if (end % CHECKPOINT_EVERY === 0) this.checkpoints.push(s);
    }
    this.state = this.checkpoints[0]!;
  }

  /** The view state at the cursor (immutable). */
  get view(): ViewState {
    return this.state;
  }

  /** Records applied so far. */
  get cursor(): number {
    return this.state.cursor;
  }

  get total(): number {
    return this.records.length;
  }

  /** Applies the next `n` records. Returns the new cursor. */
  step(n = 1): number {
    const target = Math.min(this.total, this.cursor + Math.max(0, Math.floor(n)));
    if (target - this.cursor > 64) return this.seek(target);
    while (this.cursor < target) {
      const k = this.cursor;
      const [next, , inverse] = produceWithPatches(this.state, (d) => applyRecord(d, this.records[k]!));
      this.inverse[k % PATCH_WINDOW] = inverse;
      this.inverseAt[k % PATCH_WINDOW] = k;
      this.state = next;
    }
    return this.cursor;
  }

  /** Un-applies the last `n` records. Returns the new cursor. */
  back(n = 1): number {
    const target = Math.max(0, this.cursor - Math.max(0, Math.floor(n)));
    while (this.cursor > target) {
      const k = this.cursor - 1;
      const slot = k % PATCH_WINDOW;
      if (this.inverseAt[slot] !== k || this.cursor - target > 64) return this.seek(target);
      this.state = applyPatches(this.state, this.inverse[slot]!);
    }
    return this.cursor;
  }

  /** Moves the cursor to `index` (0 = before the first record), from the nearest checkpoint. */
  seek(index: number): number {
    const target = Math.max(0, Math.min(this.total, Math.floor(index)));
    if (target === this.cursor) return target;
    const c = Math.floor(target / CHECKPOINT_EVERY);
    const base = this.checkpoints[c] ?? this.checkpoints[this.checkpoints.length - 1]!;
    // Stepping forward from where we are is cheaper when the target is just ahead.
    const from = target > this.cursor && target - this.cursor < target - base.cursor ? this.state : base;
    this.state = from.cursor === target ? from : produce(from, (d) => {
      for (let i = from.cursor; i < target; i++) applyRecord(d, this.records[i]!);
    });
    return this.cursor;
  }

  /** Index of the first record at or after `from` that satisfies `test`, or -1. */
  findNext(from: number, test: (r: HvRecord) => boolean): number {
    for (let i = Math.max(0, from); i < this.records.length; i++) if (test(this.records[i]!)) return i;
    return -1;
  }

  /** The cursor at which simulated time first reaches `timeNs` (all records with t <= timeNs applied). */
  cursorAtTime(timeNs: number): number {
    let lo = 0;
    let hi = this.records.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.records[mid]!.t <= timeNs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
