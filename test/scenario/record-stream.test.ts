/**
 * The record stream (`scenario/record-stream.ts`) gives the folds what the
 * tracer gives them: on every bundled scenario, a run written into the
 * stream and read back into `RunFolds` folds to the same fingerprint,
 * figures and ledger as `runScenario` in one thread; any own-field values
 * come back equal, in key order, across slot ends; a failed reader stops
 * the writer instead of leaving it waiting.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EnvelopeSink, HvRecord, RecordEnvelope } from '../../src/model/trace-events.js';
import { runWorld } from '../../src/model/world.js';
import { BUNDLED_SCENARIOS, parseScenarioText, runScenario, toWorldConfig } from '../../src/scenario/index.js';
import { createRecordStream, type RecordStreamBuffers } from '../../src/scenario/record-stream.js';
import { RecordStreamReader } from '../../src/scenario/record-stream-reader.js';
import { RecordStreamWriter } from '../../src/scenario/record-stream-writer.js';
import { RunFolds } from '../../src/scenario/run-sinks.js';

/** Records as the reader hands them: the envelope's fields copied, and the own object as given. */
class Collect implements EnvelopeSink<HvRecord> {
  readonly enabled = true;
  readonly needsRecords = false;
  readonly got: { envelope: RecordEnvelope; own: object }[] = [];
  write(): void {
    throw new Error('not called');
  }
  writeWithEnvelope(_r: HvRecord | null, e: RecordEnvelope, own: object): void {
    // Both are refilled for the next record (the reader's contract): keep copies.
    this.got.push({ envelope: { ...e }, own: { ...own } });
  }
}

function envelope(seq: number, over: Partial<RecordEnvelope> = {}): RecordEnvelope {
  return { kind: 'io.request.issued', seq, t: seq * 1000, stream: 'vm1/disk0', flow: seq, cause: seq - 1, place: 'vm1.storvsc', band: 'vm1', placeNo: 3, costNs: 120, waitNs: 0, charge: 'guest', lp: 0, ...over };
}

/** Keys in order and leaves by `Object.is`: what `toEqual` does not check (-0, key order). */
function same(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The stream's records read back: as many as were written, each the same envelope and own fields. */
function expectReadBack(buffers: RecordStreamBuffers, sent: readonly { envelope: RecordEnvelope; own: object }[]): void {
  const got = new Collect();
  expect(new RecordStreamReader(buffers).drain(got)).toBe(sent.length);
  for (let i = 0; i < sent.length; i++) {
    expect(same(got.got[i]!.own, sent[i]!.own)).toBe(true);
    expect(same(got.got[i]!.envelope, sent[i]!.envelope)).toBe(true);
  }
}

/** A record to write: its envelope and own fields, and what it should read back as when that differs (`own` changed after the write). */
interface Sent {
  envelope: RecordEnvelope;
  own: object;
  expected?: object;
}

/** Writes `records` into a new stream of `slots` slots of `slotWords` words, closes it, and checks that each reads back exactly. */
function roundTrip(slots: number, slotWords: number, records: readonly Sent[] | ((write: (sent: Sent) => void) => void)): void {
  const buffers = createRecordStream(slots, slotWords);
  const writer = new RecordStreamWriter(buffers);
  const sent: { envelope: RecordEnvelope; own: object }[] = [];
  const write = (r: Sent): void => {
    writer.writeWithEnvelope(null, r.envelope, r.own);
    sent.push({ envelope: r.envelope, own: r.expected ?? r.own });
  };
  if (typeof records === 'function') records(write);
  else records.forEach(write);
  writer.close();
  expectReadBack(buffers, sent);
}

describe('the record stream', () => {
  it('folds every bundled scenario to what runScenario folds in one thread', () => {
    for (const bundled of BUNDLED_SCENARIOS) {
      const parsed = parseScenarioText(bundled.text, `${bundled.name}.json`);
      if (!parsed.ok) throw new Error(`${bundled.name} is invalid`);
      const here = runScenario(parsed.scenario, { keepRecords: false });
      const config = toWorldConfig(parsed.scenario);
      // A ring that holds the whole run: writer and reader take turns in this one thread.
      const buffers = createRecordStream(1024, 1 << 14);
      const writer = new RecordStreamWriter(buffers);
      const output = runWorld(config, writer);
      writer.close();
      const folds = new RunFolds(config.workloads, config.traffic ?? []);
      const records = new RecordStreamReader(buffers).drain(folds.sink());
      expect(records, bundled.name).toBe(output.records);
      const folded = folds.results(output);
      expect(folded.fingerprint, bundled.name).toBe(here.fingerprint);
      expect(folded.paths, bundled.name).toEqual(here.paths);
      expect(folded.figures, bundled.name).toEqual(here.figures);
      expect(folded.stuck, bundled.name).toEqual(here.stuck);
      expect(folded.notIssued, bundled.name).toEqual(here.notIssued);
    }
  }, 240_000);

  it('reads back any fields, in their order, across slot ends, and the envelope exactly', () => {
    const leaf = fc.oneof(
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      fc.double(),
      fc.constantFrom(-0, 2 ** 31, -(2 ** 53), Number.NaN, Infinity, -Infinity),
      fc.string({ maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 8 }),
      fc.constantFrom('write', 'read', ''),
      fc.boolean(),
      fc.constant(undefined),
      fc.constant(null),
    );
    const value = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 3 })),
    })).value;
    const own = fc.dictionary(fc.constantFrom('vm', 'disk', 'op', 'lba', 'bytes', 'trapped', 'list', 'x y', '0'), value, { maxKeys: 6 });
    const record = fc.record({
      own,
      kind: fc.constantFrom('a.b.c', 'io.request.issued', 'x'),
      t: fc.oneof(fc.nat(), fc.constant(2 ** 40 + 0.5)),
      placeNo: fc.integer({ min: -1, max: 200 }),
      stream: fc.constantFrom('', 'vm1/disk0', 'vm2/disk0'),
      waitNs: fc.oneof(fc.constant(0), fc.nat()),
    });
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 300 }), (records) => {
        // Small slots, so records run across their ends; one place per number (as the tracer numbers them).
        roundTrip(
          4096,
          2048,
          records.map((r, seq) => ({
            envelope: envelope(seq, { kind: r.kind, t: r.t, placeNo: r.placeNo, place: r.placeNo < 0 ? `free ${seq % 3}` : `place ${r.placeNo}`, band: r.placeNo < 0 ? 'b' : `band ${r.placeNo % 7}`, stream: r.stream, waitNs: r.waitNs }),
            own: r.own,
          })),
        );
      }),
      { numRuns: 60 },
    );
  });

  it('reads back records whose new strings and arrays are longer than a slot, with plain fields after them', () => {
    // Slots of 2,048 words, enough of them to hold every record (this one thread writes, then reads).
    roundTrip(2048, 2048, (write) => {
      for (let seq = 0; seq < 400; seq++) {
        // New strings and arrays of every length, so that some end just short of a slot's end, with plain fields after them.
        const long = `${seq}:${'x'.repeat((seq * 37) % 3000)}`;
        const own = { name: long, list: Array.from({ length: (seq * 11) % 700 }, (_, i) => i * 1.5), a: seq, b: -0, c: 'write', d: true, e: 2 ** 40 + seq, f: 1, g: 2, h: 3, i: 4.5, j: 5, k: 6, l: 7, m: 8 };
        write({ envelope: envelope(seq, { stream: `vm${seq}/${long.slice(0, (seq * 53) % 2100)}`, charge: `c${seq}` }), own });
      }
    });
  });

  it('reads back a kind whose records change their keys, to a layout of more fields than a slot holds and back', () => {
    // Slots of 2,048 words: a record of 1,000 float fields (3 words each) cannot be written without checking for the slot's end.
    const wide = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`f${i}`, i + 0.25]));
    const wider = { ...wide, extra: 'x' };
    const owns: object[] = [{ a: 1 }, { a: 2, b: 'y' }, wide, { a: 3 }, wider, {}, { b: 'z', a: 4 }, wide, { a: 5, b: 'y' }, { a: 6 }];
    roundTrip(
      64,
      2048,
      owns.map((own, seq) => ({ envelope: envelope(seq, { kind: 'one.kind' }), own })),
    );
  });

  it('reads back a field that keeps its value record after record exactly (0 and -0, NaN, strings, null, objects changed in place)', () => {
    const shared = { n: 1 };
    const values: unknown[] = [0, -0, -0, 0, NaN, NaN, 'a', 'a', 'b', null, null, undefined, undefined, true, true, false, shared, shared, 2 ** 40, 2 ** 40, -1];
    roundTrip(8, 2048, (write) =>
      values.forEach((v, seq) => {
        // The same object twice, changed in between: a field is one word only for plain values.
        if (seq === 17) shared.n = 2;
        const own = { v, w: 7 };
        write({ envelope: envelope(seq, { kind: 'same.kind', seq, flow: 3, cause: seq - 1 }), own, expected: structuredClone(own) });
      }),
    );
  });

  it('reads back numbers at the edges of a one-word small int, and times that step back, by a float, or to -0', () => {
    const edges = [2 ** 27 - 1, 2 ** 27, -(2 ** 27), -(2 ** 27) - 1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 0, -0, 1.5, NaN, -Infinity];
    // Steps of `t`: forward, back, none, past an int32, to a float, to -0 and out of it.
    const times = [0, 5, 3, 3, 2 ** 31 + 3, 2 ** 33, 2 ** 33 + 0.5, 7, -0, 0, -0, 2 ** 53, 1];
    roundTrip(
      8,
      2048,
      times.map((t, seq) => ({
        envelope: envelope(seq, { t, lp: edges[(seq + 3) % edges.length], flow: edges[(seq + 7) % edges.length] }),
        own: { a: edges[seq % edges.length], b: edges[(seq + 5) % edges.length], s: seq % 2 === 0 ? 'x' : 'y' },
      })),
    );
  });

  it('reads back records of layouts numbered past what a record word holds', () => {
    // Each kind is a layout: 2 ** 17 of them fill the record word's number (`MAX_WORD_LAYOUT`); the rest take a word of their own.
    const buffers = createRecordStream(4096, 4096);
    const writer = new RecordStreamWriter(buffers);
    const sent: { envelope: RecordEnvelope; own: object }[] = [];
    for (let seq = 0; seq < 2 ** 17 + 40; seq++) {
      const own = { n: seq };
      const e = envelope(seq, { kind: `k${seq}` });
      writer.writeWithEnvelope(null, e, own);
      // Only the last few are checked field by field; the count covers the rest.
      if (seq >= 2 ** 17 - 20) sent.push({ envelope: { ...e }, own });
    }
    // A record of an early kind again, after the long numbers.
    const again = envelope(2 ** 17 + 40, { kind: 'k3' });
    writer.writeWithEnvelope(null, again, { n: -1 });
    writer.close();
    const got = new Collect();
    expect(new RecordStreamReader(buffers).drain(got)).toBe(2 ** 17 + 41);
    const tail = got.got.slice(2 ** 17 - 20, 2 ** 17 + 40);
    tail.forEach((r, i) => {
      expect(same(r.envelope, sent[i]!.envelope)).toBe(true);
      expect(same(r.own, sent[i]!.own)).toBe(true);
    });
    expect(got.got.at(-1)!.envelope.kind).toBe('k3');
    expect(got.got.at(-1)!.own).toEqual({ n: -1 });
  });

  it('stops the writer with a message when the reader has failed, instead of waiting', () => {
    const buffers = createRecordStream(2, 2048);
    const states = new Int32Array(buffers.states);
    states[1] = 2048; // the next slot is still the reader's
    new RecordStreamReader(buffers).fail();
    const writer = new RecordStreamWriter(buffers);
    expect(() => {
      for (let seq = 0; seq < 1000; seq++) writer.writeWithEnvelope(null, envelope(seq), { vm: 'vm1', op: 'write', lba: seq, bytes: 4096 });
    }).toThrow(/the fold thread failed/);
  });

  it('refuses a ring too small for a record', () => {
    expect(() => createRecordStream(1, 1 << 16)).toThrow(RangeError);
    expect(() => createRecordStream(4, 100)).toThrow(RangeError);
  });
});
