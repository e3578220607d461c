/**
 * Compare mode's joint timeline: the positions the controls step and scrub
 * through. The first run's records come first (the compared run follows
 * them on simulated time); when the compared run goes on past the first
 * run's end, its later records come after, the first run holding at its
 * end. Pure arithmetic over the two counts; the panes move themselves.
 */

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
