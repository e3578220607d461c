/**
 * Compare mode's joint timeline: the positions the controls step and scrub
 * through. The first run's records come first (the compared run follows
 * them on simulated time); when the compared run goes on past the first
 * run's end, its later records come after, the first run holding at its
 * end. `jointAt` is the arithmetic over the two counts; `JointTimeline`
 * keeps where the controls stand and moves the first run's cursor (the
 * compared pane moves itself as it follows). Stepping that follows a VM
 * or request goes the same way: its records in the first run, then the
 * compared run's past the first's end (`joint-follow.ts`).
 */
import type { RecordStore } from '../scenario/index.js';
import type { ComparePane, FirstStand } from './compare-pane.js';
import { JointFollowed } from './joint-follow.js';
import type { Follow } from './lesson/follow.js';
import type { Timeline } from './timeline.js';

/** Where the joint timeline stands: the first run's cursor, and the compared run's records shown past the first run's end. */
export interface JointPosition {
  cursor: number;
  beyond: number;
}

/**
 * The stand at joint position `position` (clamped to the timeline) when
 * the first run holds `firstTotal` records and the compared run `past`
 * more after the first's end.
 * @example jointAt(2405, 2400, 334) // { cursor: 2400, beyond: 5 }
 */
export function jointAt(position: number, firstTotal: number, past: number): JointPosition {
  const p = Math.max(0, Math.min(firstTotal + Math.max(0, past), Math.floor(position)));
  return p <= firstTotal ? { cursor: p, beyond: 0 } : { cursor: firstTotal, beyond: p - firstTotal };
}

/** What the joint timeline reads: the first run (null before one is loaded), the compared pane, and what stepping follows in the first run. */
export interface JointParts {
  first(): { timeline: Timeline; store: RecordStore } | null;
  readonly compared: ComparePane;
  /** What stepping follows in the first run (null: every record); the compared pane follows the same in its run. */
  followed(): Follow | null;
}

/** The controls' place on the joint timeline: the first run's cursor, plus the compared run's records shown past its end (`beyond`). */
export class JointTimeline {
  /** The compared run's records shown past the first run's end: 0 outside compare mode. */
  beyond = 0;

  constructor(private readonly parts: JointParts) {}

  /** Back within the first run (a new run, compare mode switched). */
  reset(): void {
    this.beyond = 0;
  }

  /** Where the first run stands at its end (null outside compare mode). */
  endStand(): FirstStand | null {
    const first = this.parts.first();
    if (first === null || !this.parts.compared.open) return null;
    const total = first.timeline.total;
    const timeNs = total === 0 ? 0 : first.store.tAt(total - 1);
    return { cursor: total, timeNs, atSameTime: total - first.store.cursorAtTime(timeNs - 1) };
  }

  /** The compared run's records past the first run's end: 0 outside compare mode. */
  pastEnd(): number {
    const end = this.endStand();
    return end === null ? 0 : this.parts.compared.recordsPast(end);
  }

  /** Where the controls stand. */
  get position(): number {
    return (this.parts.first()?.timeline.cursor ?? 0) + this.beyond;
  }

  /** The positions the controls go through. */
  get positions(): number {
    return (this.parts.first()?.timeline.total ?? 0) + this.pastEnd();
  }

  /** Moves to joint position `position` (clamped): the first run's cursor, and the records past its end. */
  moveTo(position: number): void {
    const first = this.parts.first();
    if (first === null) return;
    const at = jointAt(position, first.timeline.total, this.pastEnd());
    first.timeline.seek(at.cursor);
    this.beyond = at.beyond;
  }

  /**
   * Steps `n` positions forward, or while following, to the `n`th followed
   * record on (past the first run's end, the compared run's); false when
   * following finds none.
   */
  forward(n: number): boolean {
    const followed = this.followedPositions();
    const to = followed === null ? this.position + Math.max(0, Math.floor(n)) : followed.forward(this.position, n);
    if (to < 0) return false;
    this.moveTo(to);
    return true;
  }

  /** Steps `n` positions back, or while following, to the `n`th followed record back (the start when there is none). */
  backward(n: number): void {
    const followed = this.followedPositions();
    this.moveTo(followed === null ? this.position - Math.max(0, Math.floor(n)) : followed.backward(this.position, n));
  }

  /** The positions that stand after a followed record, across both runs; null when stepping follows nothing. */
  private followedPositions(): JointFollowed | null {
    const first = this.parts.first();
    const followed = this.parts.followed();
    if (first === null || followed === null) return null;
    const compared = this.parts.compared;
    const past = this.pastEnd();
    return new JointFollowed({ first: followed.indices, firstTotal: first.timeline.total, compared: compared.followed?.indices ?? NO_RECORDS, comparedBase: compared.stand.total - past, past });
  }
}

const NO_RECORDS = new Int32Array(0);
