import { describe, expect, it } from 'vitest';
import { Fingerprint, FingerprintSink, canonicalJson, fingerprintOf } from '../../src/engine/fingerprint.js';
import type { TraceRecord } from '../../src/engine/trace.js';

type Rec = TraceRecord & Record<string, unknown>;

const records: Rec[] = [
  { seq: 0, t: 0, kind: 'guest.io.issued', place: 'vm1.ata', bytes: 4096 },
  { seq: 1, t: 1_500, kind: 'vmbus.ring.written', place: 'vm1.vsc', cause: 0 },
  { seq: 2, t: 9_000, kind: 'disk.io.completed', place: 'hw.disk.d1', costNs: 7_500, path: ['a', 'b'] },
];

const HEX16 = /^[0-9a-f]{16}$/;

describe('canonicalJson', () => {
  it('sorts object keys, so key order does not matter', () => {
    expect(canonicalJson({ b: 1, a: 2, c: { z: 1, y: [3, { q: 1, p: 2 }] } })).toBe(
      '{"a":2,"b":1,"c":{"y":[3,{"p":2,"q":1}],"z":1}}',
    );
    expect(canonicalJson({ kind: 'x', t: 5, seq: 1 })).toBe(canonicalJson({ seq: 1, t: 5, kind: 'x' }));
  });

  it('omits undefined fields', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
  });

  it('keeps array order and nesting, writing undefined elements as null like JSON', () => {
    expect(canonicalJson([[1, [2, [3]]], [], 'x'])).toBe('[[1,[2,[3]]],[],"x"]');
    expect(canonicalJson([1, undefined, 3])).toBe('[1,null,3]');
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });

  it('writes primitives as JSON does', () => {
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson('a"b')).toBe('"a\\"b"');
    expect(canonicalJson(1.5)).toBe('1.5');
    expect(canonicalJson(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(canonicalJson({})).toBe('{}');
  });

  it('writes non-finite numbers as strings rather than null', () => {
    expect(canonicalJson(Number.NaN)).toBe('"NaN"');
    expect(canonicalJson(Infinity)).toBe('"Infinity"');
    expect(canonicalJson({ x: -Infinity })).toBe('{"x":"-Infinity"}');
  });
});

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

  it('does not depend on key order', () => {
    const shuffled = records.map((r) => Object.fromEntries(Object.entries(r).reverse()));
    expect(fingerprintOf(shuffled)).toBe(fingerprintOf(records));
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

  it('add is addText of the canonical JSON, and counts records', () => {
    const fp = new Fingerprint();
    expect(fp.records).toBe(0);
    expect(fp.add(records[0])).toBe(fp); // chains
    fp.add(records[1]);
    expect(fp.records).toBe(2);
    const byText = new Fingerprint().addText(canonicalJson(records[0])).addText(canonicalJson(records[1]));
    expect(fp.digest()).toBe(byText.digest());
    expect(byText.records).toBe(0); // addText alone does not count records
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

// Regression pin for `records` above.
const GOLDEN = 'e4d9fc5d3d9dc5bd';
