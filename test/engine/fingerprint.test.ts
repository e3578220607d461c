import { describe, expect, it } from 'vitest';
import { Fingerprint, FingerprintSink, fingerprintOf } from '../../src/engine/fingerprint.js';
import type { TraceRecord } from '../../src/engine/trace.js';

type Rec = TraceRecord & Record<string, unknown>;

const records: Rec[] = [
  { seq: 0, t: 0, kind: 'guest.io.issued', place: 'vm1.ata', bytes: 4096 },
  { seq: 1, t: 1_500, kind: 'vmbus.ring.written', place: 'vm1.vsc', cause: 0 },
  { seq: 2, t: 9_000, kind: 'disk.io.completed', place: 'hw.disk.d1', costNs: 7_500, path: ['a', 'b'] },
];

const HEX16 = /^[0-9a-f]{16}$/;

describe('Fingerprint', () => {
  it('digest is 16 lowercase hex digits', () => {
    expect(new Fingerprint().digest()).toMatch(HEX16);
    expect(fingerprintOf(records)).toMatch(HEX16);
    expect(fingerprintOf([])).toMatch(HEX16);
  });

  it('is stable across calls and instances', () => {
    const a = fingerprintOf(records);
    expect(fingerprintOf(records)).toBe(a);
    const fp = new Fingerprint();
    for (const r of records) fp.add(r);
    expect(fp.digest()).toBe(a);
    expect(fp.digest()).toBe(a); // digest does not reset or change the state
  });

  it('keeps its value for a fixed input (changing it changes every stored fingerprint)', () => {
    expect(fingerprintOf(records)).toBe(GOLDEN);
  });

  it("takes a record's fields in the record's own order (the model's code fixes it), nested objects' keys sorted", () => {
    const shuffled = records.map((r) => Object.fromEntries(Object.entries(r).reverse()));
    expect(fingerprintOf(shuffled)).not.toBe(fingerprintOf(records));
    expect(fingerprintOf([{ a: { y: 1, x: 2 } }])).toBe(fingerprintOf([{ a: { x: 2, y: 1 } }]));
  });

  it('changes when one field changes', () => {
    const base = fingerprintOf(records);
    const variants: Rec[][] = [
      records.map((r, i) => (i === 1 ? { ...r, t: 1_501 } : r)),
      records.map((r, i) => (i === 2 ? { ...r, kind: 'disk.io.failed' } : r)),
      records.map((r, i) => (i === 0 ? { ...r, bytes: '4096' } : r)),
      records.map((r, i) => (i === 2 ? { ...r, path: ['b', 'a'] } : r)),
      records.map((r, i) => (i === 1 ? { ...r, extra: null } : r)),
      records.slice(0, 2),
      [...records, records[2]!],
    ];
    const prints = variants.map(fingerprintOf);
    for (const p of prints) expect(p).not.toBe(base);
    expect(new Set(prints).size).toBe(prints.length);
  });

  it('changes when records are reordered', () => {
    expect(fingerprintOf([records[1], records[0], records[2]])).not.toBe(fingerprintOf(records));
  });

  it('separates texts, so ["ab","c"] and ["a","bc"] differ', () => {
    const ab = new Fingerprint().addText('ab').addText('c').digest();
    const a = new Fingerprint().addText('a').addText('bc').digest();
    expect(ab).not.toBe(a);
    expect(new Fingerprint().addText('').digest()).not.toBe(new Fingerprint().digest());
  });

  it("keeps a field's key, type and value apart", () => {
    const prints = [
      [{ a: 'b' }],
      [{ b: 'a' }],
      [{ a: 1 }],
      [{ a: '1' }],
      [{ a: true }],
      [{ a: null }],
      [{ a: [1] }],
      [{ a: { b: 1 } }],
      [{ a: 1.5 }],
      [{ a: Number.NaN }],
      [{ a: 'b', c: 'd' }],
      [{ a: 'b' }, { c: 'd' }],
      [1],
      ['a'],
    ].map(fingerprintOf);
    expect(new Set(prints).size).toBe(prints.length);
  });

  it('stays deterministic and sensitive once its string table is full (65,536 strings)', () => {
    // Past the table's room, new keys and strings are fed by their characters every time.
    const many = Array.from({ length: 70_000 }, (_, i) => ({ kind: 'k', [`key${i}`]: `v${i}`, n: i }));
    const base = fingerprintOf(many);
    expect(fingerprintOf(many)).toBe(base);
    const late = many.map((r, i) => (i === 69_999 ? { ...r, key69999: 'other' } : r));
    expect(fingerprintOf(late)).not.toBe(base);
    const renamed = many.map((r, i) => (i === 69_998 ? { kind: 'k', renamed: 'v69998', n: i } : r));
    expect(fingerprintOf(renamed)).not.toBe(base);
  });

  it('counts records, not texts', () => {
    const fp = new Fingerprint();
    expect(fp.records).toBe(0);
    expect(fp.add(records[0])).toBe(fp); // chains
    fp.add(records[1]).addText('note');
    expect(fp.records).toBe(2);
  });
});

describe('FingerprintSink', () => {
  it('is enabled and equals fingerprintOf the same records', () => {
    const sink = new FingerprintSink<Rec>();
    expect(sink.enabled).toBe(true);
    for (const r of records) sink.write(r);
    expect(sink.fingerprint.digest()).toBe(fingerprintOf(records));
    expect(sink.fingerprint.records).toBe(records.length);
  });

  it('starts at the empty fingerprint', () => {
    expect(new FingerprintSink().fingerprint.digest()).toBe(fingerprintOf([]));
  });
});

// Regression pin for `records` above. It changed once, on purpose, when a
// field's key and its value's type came to share one word (a quarter of
// `hvsim run` was the fingerprint).
const GOLDEN = 'dfc26e02f0147152';
