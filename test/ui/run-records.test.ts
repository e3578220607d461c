/**
 * What the app reads off a run in columns equals what the same code read
 * off the records as objects: latencies by stream, the streams' order, a
 * request's trail, the comparison strip's totals at any cursor (forward,
 * and back again), and a followed VM's records.
 */
import { describe, expect, it } from 'vitest';
import { ArraySink } from '../../src/engine/index.js';
import { latenciesByStream } from '../../src/metrics/index.js';
import type { HvRecord } from '../../src/model/trace-events.js';
import { runWorld } from '../../src/model/world.js';
import { RecordStore } from '../../src/scenario/index.js';
import { Follow, streamVm } from '../../src/ui/lesson/follow.js';
import { StripFold } from '../../src/ui/panels/comparison-strip.js';
import { latenciesOfStore, streamOfFlow, streamsInOrder, trailOf } from '../../src/ui/run-records.js';
import { headline } from '../model/worlds.js';

const sink = new ArraySink<HvRecord>();
const output = runWorld(headline(), sink);
const records = sink.records;
const store = RecordStore.of(records);

describe('a run read off its columns', () => {
  it('gives the latencies by stream, keyed in first-seen order', () => {
    const expected = latenciesByStream(records);
    const got = latenciesOfStore(store);
    expect([...got.keys()]).toEqual([...expected.keys()]);
    expect(got).toEqual(expected);
    expect(streamsInOrder(store)).toEqual([...new Set(records.map((r) => r.stream).filter((s) => s !== ''))]);
  });

  it("gives a request's trail of places up to a cursor", () => {
    const flow = records.find((r) => r.kind === 'io.request.issued')!.flow;
    const mine = records.filter((r) => r.flow === flow);
    const cursor = mine[Math.floor(mine.length / 2)]!.seq + 1;
    const places: string[] = [];
    for (const r of mine) if (r.seq < cursor && places[places.length - 1] !== r.place) places.push(r.place);
    expect(trailOf(store, flow, cursor)).toEqual(places);
    expect(streamOfFlow(store, flow)).toBe(mine[0]!.stream);
    // Work of no request draws no trail.
    expect(trailOf(store, -1, cursor)).toEqual([]);
    expect(streamOfFlow(store, -1)).toBe('');
  });

  it("folds the strip's totals forward and back to the same figures as a fresh fold", () => {
    const streams = streamsInOrder(store);
    const fold = new StripFold(store, streams);
    const late = structuredClone(new Map(fold.at(records.length)));
    const early = structuredClone(new Map(fold.at(300)));
    expect(new Map(new StripFold(store, streams).at(300))).toEqual(early);
    expect(new Map(fold.at(records.length))).toEqual(late);
    const total = [...late.values()].reduce((n, t) => n + t.records, 0);
    expect(total).toBe(records.filter((r) => streams.includes(r.stream)).length);
    expect([...late.values()].reduce((n, t) => n + t.completed, 0)).toBe(records.filter((r) => r.kind === 'io.request.completed').length);
  });

  it("follows a VM's records: its streams', and its partition's work of no stream", () => {
    const places = output.topology.places;
    const partition = new Map(places.map((p) => [p.id, p.partition]));
    const vm = streamVm(streamsInOrder(store)[0]!);
    const expected = records.flatMap((r, i) => ((r.stream !== '' ? streamVm(r.stream) : partition.get(r.place)) === vm ? [i] : []));
    expect(Array.from(new Follow({ vm }, store, places).indices)).toEqual(expected);
    const flow = records.find((r) => r.kind === 'io.request.issued')!.flow;
    expect(Array.from(new Follow({ vm, flow }, store, places).indices)).toEqual(records.flatMap((r, i) => (r.flow === flow ? [i] : [])));
  });
});
