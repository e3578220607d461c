/**
 * `intern` and `internStrings` (`engine/intern.ts`): equal strings come
 * out as one copy, V8's internalized one. Whether a string is internalized
 * is V8's business, not JavaScript's; the run's figures show what it buys
 * (the record stream's writer, `npm run bench -- cli`). Here: values and
 * structure are kept, and two strings built apart come out identical
 * where V8 can tell (`%IsSameString` is not JavaScript either), so the
 * tests hold to what the language shows.
 */
import { describe, expect, it } from 'vitest';
import { intern, internStrings } from '../../src/engine/index.js';

describe('intern', () => {
  it('keeps a string’s characters, for any string', () => {
    for (const text of ['', 'a', 'vm1/data/vmbus-scsi', '123', '-0', '__proto__', 'constructor', 'é∑😀', 'x'.repeat(10_000)]) {
      expect(intern(text)).toBe(text);
    }
    const built = ['vm', '1'].join('') + '/data';
    expect(intern(built)).toBe('vm1/data');
  });
});

describe('internStrings', () => {
  it('copies plain objects and arrays with the same values, strings included', () => {
    const config = { id: 'vm1', disks: [{ id: 'data', size: 8, on: true, none: null, gone: undefined }], nested: { deep: ['a', 1, ['b']] } };
    const copy = internStrings(config);
    expect(copy).toEqual(config);
    expect(copy).not.toBe(config);
    expect(copy.disks).not.toBe(config.disks);
    expect(Object.keys(copy.disks[0]!)).toEqual(Object.keys(config.disks[0]!));
  });

  it('keeps objects other than plain ones by reference, and leaves the input alone', () => {
    const map = new Map([['a', 1]]);
    const date = new Date(0);
    const input = { map, date, list: ['x'] };
    const before = JSON.stringify(input);
    const copy = internStrings(input);
    expect(copy.map).toBe(map);
    expect(copy.date).toBe(date);
    expect(JSON.stringify(input)).toBe(before);
  });

  it('passes numbers, booleans, null and undefined through', () => {
    for (const v of [0, -0, 1.5, NaN, true, false, null, undefined]) expect(Object.is(internStrings(v), v)).toBe(true);
  });
});
