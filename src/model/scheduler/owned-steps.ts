/**
 * Steps on an LP as [start, end) intervals, each with the VP that owns it
 * (null: a VP without a place in the run queue): the calendar's steps not
 * yet taken from a holder, and those taken from the holder's current run
 * (`step-ledger.ts`, `LpCalendar.steal`).
 */
import type { CpuVp } from './cpu-vp.js';

export class OwnedSteps {
  /** Flat [start, end) pairs, in the order added. */
  private bounds: number[] = [];
  private owners: (CpuVp | null)[] = [];

  get size(): number {
    return this.owners.length;
  }

  /** Adds a step; an empty one (a zero-cost step) holds no time and is not kept. */
  add(startNs: number, endNs: number, owner: CpuVp | null): void {
    if (endNs <= startNs) return;
    this.bounds.push(startNs, endNs);
    this.owners.push(owner);
  }

  startNs(i: number): number {
    return this.bounds[2 * i]!;
  }

  endNs(i: number): number {
    return this.bounds[2 * i + 1]!;
  }

  owner(i: number): CpuVp | null {
    return this.owners[i]!;
  }

  /** Step `i` now ends at `endNs` (the part after it was taken). */
  cutAt(i: number, endNs: number): void {
    this.bounds[2 * i + 1] = endNs;
  }

  /**
   * Forgets the steps over by `t`, and those `cutAt` emptied, keeping the
   * others in order. An emptied step that starts after `t` (a step taken
   * whole before it began) is not over by `t`; kept, the calendar took it
   * again at each dispatch and handed it back at each release, twice over
   * each time, until a run's memory was gone (an audit's two I/O VMs on one
   * LP, one of them limited, once steps could run before a later one).
   */
  dropEndedBy(t: number): void {
    let k = 0;
    for (let i = 0; i < this.owners.length; i++) {
      const end = this.bounds[2 * i + 1]!;
      if (end <= t || end <= this.bounds[2 * i]!) continue;
      this.bounds[2 * k] = this.bounds[2 * i]!;
      this.bounds[2 * k + 1] = this.bounds[2 * i + 1]!;
      this.owners[k] = this.owners[i]!;
      k++;
    }
    this.bounds.length = 2 * k;
    this.owners.length = k;
  }

  clear(): void {
    this.bounds.length = 0;
    this.owners.length = 0;
  }

  /** A copy whose owners are `map`'s copies of these (the calendar's look-ahead). */
  copy(map: ReadonlyMap<CpuVp, CpuVp>): OwnedSteps {
    const c = new OwnedSteps();
    c.bounds = [...this.bounds];
    c.owners = this.owners.map((o) => (o === null ? null : map.get(o)!));
    return c;
  }
}
