/**
 * The column store gives back every record exactly as written (keys in the
 * same order, values of the same type), whatever its fields: generated
 * records of random shapes, values that do not fit their column, and
 * records across chunk boundaries.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ColumnStore, type TraceRecord } from '../../src/engine/index.js';

const LAYOUT = { numbers: { t: 'f64', flow: 'i32' }, strings: ['kind', 'place'] } as const;

type Rec = TraceRecord & Record<string, unknown>;

const value = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  // Int32 payload slots take ints; the rest (fractions, -0, past 2^31, the infinities, NaN) take a float64 in two.
  fc.constantFrom(-0, 2 ** 31, -(2 ** 31), 2 ** 31 - 1, 2 ** 53, Infinity, -Infinity, Number.NaN, 0.1),
  fc.double(),
  fc.constantFrom('a', 'b', 'vm.x', ''),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constantFrom([1, 2], { a: 1 }),
);

/** A record: the envelope's fields (some of the wrong type or missing) and a few fields of its own. */
const record = fc.record(
  {
    kind: fc.constantFrom('x.a', 'x.b', 'y.c'),
    t: fc.oneof(fc.integer({ min: 0, max: 1e12 }), fc.double({ noNaN: true, noDefaultInfinity: true })),
    flow: fc.oneof(fc.integer({ min: -1, max: 40 }), fc.constant(2.5), fc.constant(2 ** 40)),
    place: fc.oneof(fc.constantFrom('hv', 'root.vsp', 'vm.a.app'), fc.constant(7)),
    extra: value,
    other: value,
  },
  { requiredKeys: ['kind', 't'] },
);

function written(records: Omit<Rec, 'seq'>[]): { store: ColumnStore<Rec>; expected: Rec[] } {
  const store = new ColumnStore<Rec>(LAYOUT);
  const expected = records.map((r, i) => ({ seq: i, ...r }) as Rec);
  for (const r of expected) store.write(r);
  return { store, expected };
}

describe('ColumnStore', () => {
  it('rebuilds every generated record equal to the one written, keys in order', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 60 }), (records) => {
        const { store, expected } = written(records);
        expect(store.length).toBe(expected.length);
        for (let i = 0; i < expected.length; i++) {
          const back = store.at(i)!;
          expect(Object.keys(back)).toEqual(Object.keys(expected[i]!));
          expect(back).toStrictEqual(expected[i]);
        }
        expect(store.at(expected.length)).toBeUndefined();
        expect(store.at(-1)).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it('reads a column whose value went to the payload, and a field without building the record', () => {
    const { store } = written([
      { kind: 'x.a', t: 5, flow: 3, place: 'hv', extra: 'e' },
      { kind: 'x.a', t: 6, flow: 2.5, place: 7 },
      { kind: 'x.a', t: 7 },
    ]);
    const flow = store.numberColumnIndex('flow');
    const place = store.stringColumnIndex('place');
    expect([0, 1, 2].map((i) => store.number(flow, i))).toEqual([3, 2.5, NaN]);
    expect([0, 1, 2].map((i) => store.string(place, i))).toEqual(['hv', '', '']);
    expect(store.field(0, 'extra')).toBe('e');
    expect(store.field(1, 'place')).toBe(7);
    expect(store.field(2, 'extra')).toBeUndefined();
  });

  it('widens its string columns when more than 65,535 strings are interned, keeping every id', () => {
    const store = new ColumnStore<Rec>(LAYOUT);
    const n = 70_000;
    for (let i = 0; i < n; i++) store.write({ seq: i, t: i, kind: 'x.a', place: `p${i}`, note: `n${i % 3}` });
    const place = store.stringColumnIndex('place');
    for (const i of [0, 1, 65_530, 65_534, 65_535, 65_536, n - 1]) {
      expect(store.string(place, i)).toBe(`p${i}`);
      expect(store.at(i)).toStrictEqual({ seq: i, t: i, kind: 'x.a', place: `p${i}`, note: `n${i % 3}` });
    }
    expect(store.rowsWithString(place, 'p65535')).toEqual(Int32Array.of(65_535));
  });

  it('keeps a seq that is not the index', () => {
    const store = new ColumnStore<Rec>(LAYOUT);
    store.write({ seq: 10, t: 0, kind: 'x.a' });
    expect(store.at(0)).toStrictEqual({ seq: 10, t: 0, kind: 'x.a' });
  });

  it('spans chunks, trims, and indexes rows by a string or an i32 column', () => {
    const n = 150_000;
    const store = new ColumnStore<Rec>(LAYOUT, n);
    for (let i = 0; i < n; i++) store.write({ seq: i, t: i * 10, kind: i % 3 === 0 ? 'x.a' : 'x.b', flow: i % 7, place: 'hv', bytes: i });
    const before = store.bytes;
    store.trim();
    expect(store.bytes).toBeLessThan(before);
    expect(store.at(n - 1)).toStrictEqual({ seq: n - 1, t: (n - 1) * 10, kind: (n - 1) % 3 === 0 ? 'x.a' : 'x.b', flow: (n - 1) % 7, place: 'hv', bytes: n - 1 });
    const a = store.rowsWithString(store.stringColumnIndex('kind'), 'x.a');
    expect(a.length).toBe(n / 3);
    expect(Array.from(a.subarray(0, 3))).toEqual([0, 3, 6]);
    const f = store.rowsWithNumber(store.numberColumnIndex('flow'), 6);
    expect(f.length).toBe(Math.floor(n / 7));
    expect(f[1]).toBe(13);
    expect(store.rowsWithString(store.stringColumnIndex('kind'), 'nope').length).toBe(0);
    expect(() => store.write({ seq: n, t: 0, kind: 'x.a' })).toThrow(RangeError);
  });
});
