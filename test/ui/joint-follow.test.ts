/** Following across compare mode's joint timeline: the first run's followed records, then the compared run's past its end. */
import { describe, expect, it } from 'vitest';
import { JointFollowed } from '../../src/ui/joint-follow.js';

// The first run: 10 records, records 1 and 6 followed (positions 2 and 7). The compared run stands at record 8 while the
// first is at its end and has 6 more (positions 11..16); its followed records 2 (shown as the first run's time passes), 9, 12 and 20 (past its end).
const parts = { first: Int32Array.of(1, 6), firstTotal: 10, compared: Int32Array.of(2, 9, 12, 20), comparedBase: 8, past: 6 };

describe('JointFollowed', () => {
  it("visits the first run's followed records, then the compared run's past the first's end", () => {
    const f = new JointFollowed(parts);
    expect(Array.from({ length: f.length }, (_, k) => f.at(k))).toEqual([2, 7, 12, 15]);
    const visited: number[] = [];
    for (let p = 0; (p = f.forward(p)) >= 0; ) visited.push(p);
    expect(visited).toEqual([2, 7, 12, 15]);
  });

  it('steps n at a time, stopping at the last; back to the start when there is nothing before', () => {
    const f = new JointFollowed(parts);
    expect(f.forward(0, 3)).toBe(12);
    expect(f.forward(0, 99)).toBe(15);
    expect(f.forward(15)).toBe(-1);
    expect(f.forward(16)).toBe(-1);
    // From the first run's end, and from between two of the compared run's records.
    expect(f.forward(10)).toBe(12);
    expect(f.forward(13)).toBe(15);
    expect(f.backward(15)).toBe(12);
    expect(f.backward(13)).toBe(12);
    expect(f.backward(12)).toBe(7);
    expect(f.backward(16, 2)).toBe(12);
    expect(f.backward(7)).toBe(2);
    expect(f.backward(2)).toBe(0);
  });

  it("is the first run's follow alone outside compare mode, or when the compared run holds none of it past the first's end", () => {
    const alone = new JointFollowed({ ...parts, compared: new Int32Array(0), comparedBase: 0, past: 0 });
    expect([alone.forward(0), alone.forward(2), alone.forward(7), alone.backward(10)]).toEqual([2, 7, -1, 7]);
    const shorter = new JointFollowed({ ...parts, past: 0 });
    expect([shorter.length, shorter.forward(7)]).toEqual([2, -1]);
  });
});
