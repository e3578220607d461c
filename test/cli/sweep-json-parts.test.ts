/**
 * `hvsim sweep --json` writes its document point by point (sweepJsonParts):
 * whole, it is formatJson's text; cut short by a run that throws, it is
 * still one JSON document, the points written so far and why it stops.
 */
import { describe, expect, it } from 'vitest';
import { sweepJsonParts } from '../../src/cli/sweep-report.js';

const head = { scenario: 's', vary: [{ field: 'seed', values: [1, 2, 3] }] } as unknown as Parameters<typeof sweepJsonParts.head>[0];
const point = (n: number) => ({ values: { seed: n }, fingerprint: `f${n}` }) as unknown as Parameters<typeof sweepJsonParts.point>[0];

describe('sweep --json, written point by point', () => {
  it('whole: the same text as one JSON.stringify of the sweep', () => {
    const text = sweepJsonParts.head(head) + sweepJsonParts.point(point(1), true) + sweepJsonParts.point(point(2), false) + sweepJsonParts.end(2);
    expect(text).toBe(`${JSON.stringify({ ...head, points: [point(1), point(2)] }, null, 2)}\n`);
  });

  it('cut short: still JSON, with the points written and why it stops', () => {
    const text = sweepJsonParts.head(head) + sweepJsonParts.point(point(1), true) + sweepJsonParts.cut(1, 'the run of point seed=2 seed 2 failed: boom');
    expect(JSON.parse(text)).toEqual({ ...head, points: [point(1)], incomplete: 'the run of point seed=2 seed 2 failed: boom' });
  });
});
