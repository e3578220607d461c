/** IdPairs: two ids per small number, -1 where none is noted, growing as numbers come. */
import { describe, expect, it } from 'vitest';
import { IdPairs } from '../../src/engine/index.js';

describe('IdPairs', () => {
  it('keeps what was noted and -1 elsewhere, across growth', () => {
    const t = new IdPairs();
    expect(t.first.length).toBe(0);
    t.note(3, 10, 20);
    t.note(200, 7, 8);
    t.note(3, 11, 21);
    expect([t.first[3], t.second[3]]).toEqual([11, 21]);
    expect([t.first[200], t.second[200]]).toEqual([7, 8]);
    expect([t.first[0], t.second[0], t.first[199], t.second[150]]).toEqual([-1, -1, -1, -1]);
    expect(t.first.length).toBeGreaterThan(200);
    expect(t.second.length).toBe(t.first.length);
  });
});
