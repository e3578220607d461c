/** `RowGroups` (`engine/row-groups.ts`): a grouping by key equals a plain filter of the rows, is kept until rows come, and leaves keys outside its range out. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMPTY_ROWS, lowerBound, RowGroups } from '../../src/engine/index.js';

describe('RowGroups', () => {
  it('gives, for every key, the rows holding it, ascending, as a filter would', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 12 }), { maxLength: 200 }), fc.integer({ min: -2, max: 3 }), (keys, base) => {
        const groups = new RowGroups();
        const size = 8;
        const g = groups.group('k', keys.length, base, size, (out) => out.set(keys));
        for (let v = base - 2; v < base + size + 2; v++) {
          const want = keys.flatMap((k, i) => (k === v && v >= base && v < base + size ? [i] : []));
          expect([...RowGroups.rowsOf(g, v)]).toEqual(want);
        }
        expect(RowGroups.rowsOf(g, base + 0.5)).toBe(EMPTY_ROWS);
      }),
    );
  });

  it('keeps a grouping until the rows or the keys change, and counts its bytes', () => {
    const groups = new RowGroups();
    let builds = 0;
    const fill = (out: Int32Array): void => {
      builds++;
      out.fill(1);
    };
    const a = groups.group('x', 10, 0, 4, fill);
    expect(groups.group('x', 10, 0, 4, fill)).toBe(a);
    expect(builds).toBe(1);
    expect(groups.cached('x', 10)).toBe(a);
    expect(groups.cached('x', 11)).toBeUndefined();
    groups.group('x', 11, 0, 4, fill);
    groups.group('x', 11, 0, 5, fill);
    expect(builds).toBe(3);
    expect(groups.bytes).toBe(6 * 4 + 11 * 4);
  });

  it('lowerBound finds the first position at or past a value', () => {
    const rows = Int32Array.from([1, 3, 3, 7]);
    expect([0, 1, 2, 3, 4, 7, 8].map((x) => lowerBound(rows, x))).toEqual([0, 0, 1, 1, 3, 3, 4]);
  });
});
