/** The timeline store over a column store: stepping back N then forward N gives exactly the same view; seeks agree with folds; checkpoints are never changed by folding on. */
import { describe, expect, it } from 'vitest';
import { ArraySink } from '../../src/engine/index.js';
import type { HvRecord } from '../../src/model/trace-events.js';
import { runWorld } from '../../src/model/world.js';
import { RecordStore } from '../../src/model/trace/record-store.js';
import { applyRecord, cloneViewState, initialViewState } from '../../src/render/view-state.js';
import { checkpointInterval, Timeline } from '../../src/ui/timeline.js';
import { headline, queueDepths } from '../model/worlds.js';

function trace(config = headline()): HvRecord[] {
  const sink = new ArraySink<HvRecord>();
  runWorld(config, sink);
  return sink.records;
}

/** The reference: a plain fold over the records as objects. */
function fold(records: readonly HvRecord[], upTo: number) {
  const s = initialViewState();
  for (let i = 0; i < upTo; i++) applyRecord(s, records[i]!);
  return s;
}

describe('Timeline', () => {
  const records = trace();
  const tl = new Timeline(RecordStore.of(records));
  const CHECKPOINT_EVERY = tl.every;

  it('starts before the first record and ends with nothing in flight', () => {
    expect(tl.cursor).toBe(0);
    expect(tl.total).toBe(records.length);
    tl.seek(tl.total);
    expect(tl.view.cursor).toBe(records.length);
    expect(Object.keys(tl.view.packets)).toEqual([]);
    expect(tl.view.completed).toBe(3);
  });

  it('back N then forward N gives exactly the same view, for N across a checkpoint', () => {
    for (const [at, n] of [[700, 1], [700, 40], [1500, 600], [records.length, 2000]] as const) {
      tl.seek(at);
      const before = cloneViewState(tl.view);
      tl.back(n);
      expect(tl.cursor).toBe(at - n);
      tl.step(n);
      expect(tl.cursor).toBe(at);
      expect(tl.view).toEqual(before);
    }
  });

  it('every seek equals the plain fold of the records before it', () => {
    for (const k of [0, 1, 17, CHECKPOINT_EVERY - 1, CHECKPOINT_EVERY, CHECKPOINT_EVERY + 1, 1999, records.length - 1, records.length]) {
      tl.seek(k);
      expect(tl.view).toEqual(fold(records, k));
    }
  });

  it('single steps and backs walk through the same states as the fold', () => {
    tl.seek(300);
    for (let i = 0; i < 50; i++) tl.step();
    expect(tl.view).toEqual(fold(records, 350));
    for (let i = 0; i < 20; i++) tl.back();
    expect(tl.view).toEqual(fold(records, 330));
  });

  it('walks back and forth across checkpoints at random and always equals the fold', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let k = 0; k < 60; k++) {
      const move = next();
      if (move < 0.3) tl.seek(Math.floor(next() * (records.length + 1)));
      else if (move < 0.65) tl.step(1 + Math.floor(next() * 3 * CHECKPOINT_EVERY));
      else tl.back(1 + Math.floor(next() * 3 * CHECKPOINT_EVERY));
      if (k % 6 === 0) expect(tl.view).toEqual(fold(records, tl.cursor));
    }
    tl.seek(0);
    expect(tl.view).toEqual(initialViewState());
  });

  it('takes its checkpoints lazily: any move before, between or after the idle slices equals the fold', () => {
    const lazy = new Timeline(RecordStore.of(records));
    expect(lazy.checkpointsDone).toBe(false);
    // A far seek first folds the checkpoints it needs.
    lazy.seek(records.length - 3);
    expect(lazy.view).toEqual(fold(records, records.length - 3));
    lazy.back(lazy.every + 5);
    expect(lazy.view).toEqual(fold(records, records.length - 3 - lazy.every - 5));
    const sliced = new Timeline(RecordStore.of(records));
    let slices = 0;
    sliced.seek(1200);
    while (!sliced.buildCheckpoints(1)) {
      slices++;
      sliced.back(7);
      expect(sliced.view).toEqual(fold(records, sliced.cursor));
      sliced.step(11);
    }
    expect(slices).toBeGreaterThan(0);
    expect(sliced.checkpointsDone).toBe(true);
    expect(sliced.buildCheckpoints()).toBe(true);
    sliced.seek(records.length - 1);
    expect(sliced.view).toEqual(fold(records, records.length - 1));
    sliced.seek(5);
    expect(sliced.view).toEqual(fold(records, 5));
  });

  it('has nothing to build for a run shorter than one checkpoint interval', () => {
    const short = new Timeline(RecordStore.of(records.slice(0, 100)));
    expect(short.checkpointsDone).toBe(true);
    short.seek(100);
    expect(short.view).toEqual(fold(records, 100));
    short.back(60);
    expect(short.view).toEqual(fold(records, 40));
  });

  it('keeps a few hundred checkpoints at most, however long the run', () => {
    expect(checkpointInterval(1000)).toBe(512);
    expect(checkpointInterval(1_132_006)).toBe(4096);
    expect(1_132_006 / checkpointInterval(1_132_006)).toBeLessThanOrEqual(512);
  });

  it('clamps at both ends', () => {
    tl.seek(0);
    expect(tl.back(5)).toBe(0);
    tl.seek(tl.total);
    expect(tl.step(5)).toBe(tl.total);
    expect(tl.seek(-3)).toBe(0);
  });

  it('finds the next record of a kind and the cursor at a time', () => {
    const i = tl.records.nextOfKind(0, 'hv.interrupt.injected');
    expect(records[i]!.kind).toBe('hv.interrupt.injected');
    expect(records.slice(0, i).some((r) => r.kind === 'hv.interrupt.injected')).toBe(false);
    const t = records[1000]!.t;
    const c = tl.cursorAtTime(t);
    expect(records[c - 1]!.t).toBeLessThanOrEqual(t);
    expect(c === records.length || records[c]!.t > t).toBe(true);
  });

  it('tracks VMBus ring state and in-flight packets on a queue-depth trace', () => {
    const qd = trace(queueDepths([16], 200));
    const q = new Timeline(RecordStore.of(qd));
    q.seek(Math.floor(qd.length / 2));
    const ring = q.view.rings['qd16/d']!;
    expect(ring.outbound.writeIndex).toBeGreaterThanOrEqual(0);
    expect(Object.keys(q.view.packets).length).toBeGreaterThan(1);
    expect(Object.keys(q.view.packets).length).toBeLessThanOrEqual(16);
  });
});
