/**
 * "Run until" (`ui/run-until.ts`) finds where to stop in a real run's
 * records, checked against a plain scan of the same records as objects:
 * a time, a request's completion, the next record of a kind or at a
 * place (among the followed records when one is followed), and a sentence
 * when there is none.
 */
import { describe, expect, it } from 'vitest';
import { ArraySink } from '../../src/engine/index.js';
import type { HvRecord } from '../../src/model/trace-events.js';
import { RecordStore } from '../../src/model/trace/record-store.js';
import { runWorld } from '../../src/model/world.js';
import { untilTarget } from '../../src/ui/run-until.js';
import { headline } from '../model/worlds.js';

const sink = new ArraySink<HvRecord>();
runWorld(headline(), sink);
const records = sink.records;
const store = RecordStore.of(records);

/** Just after the first record from `from` on that passes `test`, or -1 (the reference). */
function scan(from: number, test: (r: HvRecord) => boolean): number {
  for (let i = from; i < records.length; i++) if (test(records[i]!)) return i + 1;
  return -1;
}

describe('untilTarget', () => {
  it('stops just after the next record of a kind, or at a place, from any cursor', () => {
    const place = records[records.length >> 1]!.place;
    for (const cursor of [0, 1, 100, records.length >> 1, records.length - 1]) {
      for (const kind of ['io.request.completed', 'hv.intercept.exited', 'vmbus.ring.written']) {
        const want = scan(cursor, (r) => r.kind === kind);
        expect(untilTarget(store, cursor, null, 'kind', kind)).toEqual(want < 0 ? { ok: false, message: `No later record of kind ${kind} after record ${cursor}.` } : { ok: true, cursor: want });
      }
      const want = scan(cursor, (r) => r.place === place);
      expect(untilTarget(store, cursor, null, 'place', place)).toEqual(want < 0 ? { ok: false, message: `No later record at ${place} after record ${cursor}.` } : { ok: true, cursor: want });
    }
    expect(untilTarget(store, 0, null, 'kind', 'no.such.kind')).toEqual({ ok: false, message: 'No later record of kind no.such.kind after record 0.' });
  });

  it('stops just after a request completes, and says when it never does', () => {
    const completed = records.filter((r) => r.kind === 'io.request.completed');
    expect(completed.length).toBe(3);
    for (const c of completed) expect(untilTarget(store, 0, null, 'request', String(c.flow))).toEqual({ ok: true, cursor: c.seq + 1 });
    for (const bad of ['999', '1.5', 'x']) expect(untilTarget(store, 0, null, 'request', bad)).toEqual({ ok: false, message: `Request ${bad} never completes in this run.` });
  });

  it('stops at a simulated time in µs, and refuses what is not one', () => {
    const t = records[records.length >> 1]!.t;
    const found = untilTarget(store, 0, null, 'time', String(t / 1000));
    expect(found).toEqual({ ok: true, cursor: store.cursorAtTime(t) });
    expect(found.ok && records[found.cursor - 1]!.t).toBeLessThanOrEqual(t);
    for (const bad of ['', 'soon', '-1', 'Infinity']) expect(untilTarget(store, 0, null, 'time', bad)).toEqual({ ok: false, message: `Run until: '${bad}' is not a time in µs.` });
  });

  it('searches only the followed records when one is followed', () => {
    // A follow that takes every other record: the next match among those.
    const followed = { findNext: (from: number, test: (i: number) => boolean) => { for (let i = from; i < records.length; i++) if (i % 2 === 0 && test(i)) return i; return -1; } };
    const want = scan(0, (r) => r.seq % 2 === 0 && r.kind === 'hv.intercept.exited');
    expect(untilTarget(store, 0, followed, 'kind', 'hv.intercept.exited')).toEqual({ ok: true, cursor: want });
  });
});

describe('untilTarget by a place as the canvas labels it', () => {
  const topology = runWorld(headline(), new ArraySink<HvRecord>()).topology;
  const places = topology.places;

  it('finds the next record at any place of that label (case aside), as a plain scan does', () => {
    for (const label of ['SynIC', 'ntfs', 'Hypervisor']) {
      const ids = new Set(places.filter((p) => p.label.toLowerCase() === label.toLowerCase()).map((p) => p.id));
      expect(ids.size).toBeGreaterThan(0);
      for (const cursor of [0, 57, records.length >> 1]) {
        const want = scan(cursor, (r) => ids.has(r.place));
        expect(untilTarget(store, cursor, null, 'place', label, places)).toEqual(want < 0 ? { ok: false, message: `No later record at ${label} after record ${cursor}.` } : { ok: true, cursor: want });
      }
    }
  });

  it('says a name that is no place, with an example of each form', () => {
    const r = untilTarget(store, 0, null, 'place', 'Flux capacitor', places);
    expect(r).toEqual({ ok: false, message: `Run until: no place 'Flux capacitor' in this run; name one as the canvas labels it (e.g. ${places[0]!.label}) or by its id (${places[0]!.id}).` });
    // An id still works as before.
    expect(untilTarget(store, 0, null, 'place', 'hv.synic', places)).toEqual({ ok: true, cursor: scan(0, (rec) => rec.place === 'hv.synic') });
  });
});
