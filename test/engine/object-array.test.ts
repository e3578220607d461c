import { describe, expect, it } from 'vitest';
import { objectArray } from '../../src/engine/object-array.js';

describe('objectArray', () => {
  it('is a fresh empty array each time, which takes any value', () => {
    const a = objectArray<{ n: number }>();
    const b = objectArray<{ n: number }>();
    expect(a).toEqual([]);
    expect(a).not.toBe(b);
    a.push({ n: 1 });
    expect(a).toEqual([{ n: 1 }]);
    expect(b).toEqual([]);
  });
});
