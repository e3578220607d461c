/**
 * Following a VM or request across compare mode's joint timeline: the
 * positions stepping visits are the first run's followed records, then,
 * past the first run's end, the compared run's followed records there
 * (the same VM, or its request of the same number). Pure arithmetic over
 * the two runs' followed indices (`Follow.indices`); it does not move
 * anything (`JointTimeline` does).
 */
import { lowerBound } from '../engine/index.js';

/** What the joint follow reads: each run's followed records and where the joint timeline puts the compared run's. */
export interface JointFollowParts {
  /** The first run's followed record indices, ascending. */
  first: Int32Array;
  /** The first run's records: joint positions 0 … `firstTotal` are its cursors. */
  firstTotal: number;
  /** The compared run's followed record indices, ascending (empty outside compare mode, or when it holds none). */
  compared: Int32Array;
  /** The compared run's cursor while the first run stands at its end: joint position `firstTotal` stands there. */
  comparedBase: number;
  /** The compared run's records past that cursor: joint positions `firstTotal` + 1 … `firstTotal` + `past`. */
  past: number;
}

/**
 * The joint positions that stand just after a followed record, in order:
 * the first run's (record i at position i + 1), then the compared run's
 * past the first run's end (record j at `firstTotal` + j − `comparedBase`
 * + 1). The compared run's followed records before `comparedBase` are
 * shown as the first run's time passes them, not stepped to.
 * @example new JointFollowed({ first: Int32Array.of(3), firstTotal: 10, compared: Int32Array.of(2, 12), comparedBase: 8, past: 6 }).forward(4) // 15
 */
export class JointFollowed {
  private readonly start: number;
  private readonly count: number;

  constructor(private readonly parts: JointFollowParts) {
    const { compared, comparedBase, past } = parts;
    this.start = lowerBound(compared, comparedBase);
    this.count = lowerBound(compared, comparedBase + Math.max(0, past)) - this.start;
  }

  /** How many followed positions there are. */
  get length(): number {
    return this.parts.first.length + this.count;
  }

  /** The `k`th followed position (0-based). */
  at(k: number): number {
    const { first, firstTotal, compared, comparedBase } = this.parts;
    return k < first.length ? first[k]! + 1 : firstTotal + compared[this.start + k - first.length]! - comparedBase + 1;
  }

  /** The index (in `at`'s order) of the first followed position after `position`. */
  private firstAfter(position: number): number {
    const { first, firstTotal, comparedBase } = this.parts;
    if (position < firstTotal) return lowerBound(first, position);
    const k = lowerBound(this.parts.compared, comparedBase + position - firstTotal) - this.start;
    return first.length + Math.max(0, Math.min(this.count, k));
  }

  /** The position of the `n`th followed record after `position` (the last if there are fewer); -1 if there is none. */
  forward(position: number, n = 1): number {
    const k = this.firstAfter(position);
    if (k >= this.length) return -1;
    return this.at(Math.min(k + Math.max(1, n) - 1, this.length - 1));
  }

  /** The position of the `n`th followed record before `position`'s own; 0 (the start) if there is none. */
  backward(position: number, n = 1): number {
    const k = this.firstAfter(position - 1) - Math.max(1, n);
    return k < 0 ? 0 : this.at(k);
  }
}
