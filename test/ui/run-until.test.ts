/**
 * "Run until" (`ui/run-until.ts`) finds where to stop in a real run's
 * records, checked against a plain scan of the same records as objects:
 * a time, a request's completion, the next record of a kind or at a
 * place (among the followed records when one is followed), and a sentence
 * when there is none; a kind the run does not hold is said to be one, with
 * the nearest kinds it does hold (`kindsOfRun`, which the value field
 * suggests).
 */
import { describe, expect, it } from 'vitest';
import { ArraySink } from '../../src/engine/index.js';
import type { HvRecord } from '../../src/model/trace-events.js';
import { RecordStore } from '../../src/model/trace/record-store.js';
import { runWorld } from '../../src/model/world.js';
import { kindsOfRun } from '../../src/ui/run-records.js';
import { untilTarget } from '../../src/ui/run-until.js';
import { RECORD_KINDS } from '../../src/ui/panels/explain.js';
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

describe('untilTarget by a kind the run does not hold', () => {
  const kinds = new Set<string>(records.map((r) => r.kind));

  it('says what was typed is not a kind of this run, naming the nearest kinds it holds', () => {
    expect(untilTarget(store, 0, null, 'kind', 'io.request.complete')).toEqual({
      ok: false,
      message: `Run until: 'io.request.complete' is not a record kind in this run; the nearest are io.request.completed, io.request.issued and vid.intercept.completed (the value field lists all ${kinds.size}).`,
    });
    // Whatever is typed, the message names it and three kinds the run holds: never silence, never "no later record".
    for (const typed of ['no.such.kind', 'x', 'hv.synic', 'cluster.migration.started', '<b>', 'toString']) {
      const r = untilTarget(store, 0, null, 'kind', typed);
      expect(r.ok).toBe(false);
      const message = r.ok ? '' : r.message;
      expect(message.startsWith(`Run until: '${typed}' is not a record kind in this run; the nearest are `)).toBe(true);
      const named = /the nearest are (.+) \(the value field/.exec(message)![1]!.split(/, | and /);
      expect(named).toHaveLength(3);
      for (const k of named) expect(kinds.has(k)).toBe(true);
    }
  });

  it('asks for a kind when none is typed, with examples', () => {
    const r = untilTarget(store, 0, null, 'kind', '');
    expect(r).toEqual({ ok: false, message: expect.stringMatching(new RegExp(`^Run until: type a record kind or pick one from the list \\(the value field lists all ${kinds.size}\\), e\\.g\\. [a-z.]+, [a-z.]+ and [a-z.-]+\\.$`)) });
  });

  it('takes a kind typed in another case as that kind, following or not', () => {
    const want = scan(0, (r) => r.kind === 'io.request.completed');
    expect(untilTarget(store, 0, null, 'kind', 'IO.Request.Completed')).toEqual({ ok: true, cursor: want });
    const every = { findNext: (from: number, test: (i: number) => boolean) => { for (let i = from; i < records.length; i++) if (test(i)) return i; return -1; } };
    expect(untilTarget(store, 0, every, 'kind', 'IO.REQUEST.COMPLETED')).toEqual({ ok: true, cursor: want });
  });

  it('lists the run\'s kinds with their counts, in the catalog\'s order (as the event filter does)', () => {
    const listed = kindsOfRun(store);
    expect(new Set(listed.map((k) => k.kind))).toEqual(kinds);
    for (const { kind, count } of listed) expect(count).toBe(records.filter((r) => r.kind === kind).length);
    const catalog: readonly string[] = RECORD_KINDS;
    const order = listed.map((k) => catalog.indexOf(k.kind));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
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
