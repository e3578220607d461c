/**
 * The trace's steps that run on one LP, and whose time each is taken from
 * (`LpCalendar.steal`): a step runs on the LP while a VP holds it, so the
 * holder does none of its own work meanwhile; the step's owner pays for
 * it, once, and the holder it is taken from is paid back. A step that
 * starts after the holder's run ends, or while nobody holds the LP, waits
 * here (`pending`) to be taken from whoever holds the LP when it runs; the
 * parts of the steps taken from a holder that outlast its run go back to
 * waiting when it leaves (`release`). So no time of the LP is both a
 * step's and a VP's run, and none is paid twice or by nobody. Not the
 * credits' accounting (`credit-accounting.ts`) nor the queue
 * (`lp-calendar.ts`): the holder's run it shifts is the calendar's, read
 * and moved through `HolderRun`.
 */
import type { CpuVp } from './cpu-vp.js';
import { OwnedSteps } from './owned-steps.js';

/** The holder's run on the LP, as the ledger moves it (`LpCalendar`'s own fields). */
export interface HolderRun {
  readonly holder: CpuVp | null;
  /** When the holder's current slice began (its burst's progress counts from here). */
  holderSinceNs: number;
  /** When the holder was dispatched (its run's `ranNs` counts from here). */
  runSinceNs: number;
  /** When the holder reaches its limit in this period, or Infinity. */
  holderCapEndNs: number;
  /** Time of the last processed event. */
  readonly nowNs: number;
  /** When the holder's current run ends (burst done, slice over, limit reached), or Infinity. */
  holderEndNs(): number;
}

export class StepLedger {
  constructor(
    /**
     * Steps on this LP not yet taken from a holder's time (`steal`), as
     * [start, end) pairs with their owners: a step taken while no VP held the
     * LP, or starting after the holder's run ends, is taken from whoever holds
     * the LP when it runs, from their dispatch on (`takePending`).
     */
    private readonly pending = new OwnedSteps(),
    /** The steps taken from the holder's time in its run, with their owners: what it hands on when it leaves (`release`). */
    private readonly taken = new OwnedSteps(),
  ) {}

  /** A step of `owner`'s (null: a VP without a place here) had the LP from `startNs` for `ns` (`LpCalendar.steal`). */
  steal(run: HolderRun, startNs: number, ns: number, owner: CpuVp | null): void {
    // The owner pays here, once, whoever the step is taken from and when (`take` pays that VP back).
    if (owner !== null) {
      owner.creditNs = (owner.creditNs ?? 0) - ns;
      if (owner.capNs !== undefined) owner.periodRunNs = (owner.periodRunNs ?? 0) + ns;
    }
    if (run.holder !== null && startNs < run.holderEndNs()) this.take(run, startNs, ns, owner);
    else {
      this.pending.dropEndedBy(run.nowNs);
      this.pending.add(startNs, startNs + ns, owner);
    }
  }

  /** The holder did none of its work for the step of `owner`'s from `startNs` for `ns`: its burst and its run move on that much later. */
  private take(run: HolderRun, startNs: number, ns: number, owner: CpuVp | null): void {
    const h = run.holder!;
    this.taken.add(startNs, startNs + ns, owner);
    run.holderSinceNs += ns;
    run.runSinceNs += ns;
    // Paid back: `accrueCredits` charges the holder for its time on the LP, the step's included (its owner paid in `steal`).
    h.creditNs = (h.creditNs ?? 0) + ns;
    if (h.capNs !== undefined) h.periodRunNs = (h.periodRunNs ?? 0) - ns;
    // Another's step is not the holder's run, so its limit ends that much later (its own step counts against it).
    if (owner !== h && run.holderCapEndNs !== Infinity) run.holderCapEndNs += ns;
  }

  /** The holder starts a run at `t`: the part after `t` of each step pending here is taken from it (`steal`), in time order. */
  takePending(run: HolderRun, t: number): void {
    const p = this.pending;
    p.dropEndedBy(t);
    for (let i = 0; i < p.size; i++) {
      const start = Math.max(p.startNs(i), t);
      if (start >= run.holderEndNs()) continue;
      this.take(run, start, p.endNs(i) - start, p.owner(i));
      p.cutAt(i, start); // taken: nothing of it is left after `t`
    }
    p.dropEndedBy(t);
  }

  /**
   * The holder's run ends at `t` (it leaves the LP, or starts a fresh
   * slice): the parts after `t` of the steps taken from its time go to
   * whoever holds the LP next (`pending`), and its run no longer leaves
   * them out; it pays for its own steps' parts (its credit and its limit),
   * and gives back what another's paid it. So a step that outlasts its
   * holder's run is neither lost between two VPs nor paid by nobody.
   */
  release(run: HolderRun, t: number): void {
    const h = run.holder!;
    const taken = this.taken;
    for (let i = 0; i < taken.size; i++) {
      const end = taken.endNs(i);
      if (end <= t) continue;
      const start = Math.max(taken.startNs(i), t);
      const part = end - start;
      run.holderSinceNs -= part;
      run.runSinceNs -= part;
      // `take` paid it back for the whole step, but its time on the LP (`accrueCredits`) covers only the part before `t`.
      h.creditNs = (h.creditNs ?? 0) - part;
      if (h.capNs !== undefined) h.periodRunNs = (h.periodRunNs ?? 0) + part;
      this.pending.add(start, end, taken.owner(i));
    }
    taken.clear();
  }

  /**
   * A period began at `start` (the limits' allowances were just worked out
   * afresh, `accrueCredits`): the part after it of each step on this LP counts in
   * the new period. Its owner paid for the whole step when it was issued
   * (`steal`), in the period it began, so it now pays that part again here;
   * a holder it is taken from counts the part as its own time on the LP
   * from `start` on, so it is paid back here, as `take` did in the old
   * period. The holder's own steps need neither: its time on the LP counts
   * them.
   */
  carryInto(h: CpuVp | null, start: number): void {
    const carry = (steps: OwnedSteps, takenFromHolder: boolean): void => {
      for (let i = 0; i < steps.size; i++) {
        const part = steps.endNs(i) - Math.max(steps.startNs(i), start);
        const owner = steps.owner(i);
        if (part <= 0 || (takenFromHolder && owner === h)) continue;
        if (owner?.capNs !== undefined) owner.periodRunNs = (owner.periodRunNs ?? 0) + part;
        if (takenFromHolder && h!.capNs !== undefined) h!.periodRunNs = (h!.periodRunNs ?? 0) - part;
      }
    };
    carry(this.taken, true);
    carry(this.pending, false);
  }

  /** A deep copy for looking ahead, its owners mapped to the copy's VPs. */
  copy(map: Map<CpuVp, CpuVp>): StepLedger {
    return new StepLedger(this.pending.copy(map), this.taken.copy(map));
  }
}
