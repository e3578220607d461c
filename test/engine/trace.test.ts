import { describe, expect, it } from 'vitest';
import { ArraySink, NullSink, TeeSink, type TraceRecord, type TraceSink } from '../../src/engine/trace.js';

const rec = (seq: number, kind = 'disk.io.completed'): TraceRecord => ({ seq, t: seq * 100, kind });

describe('NullSink', () => {
  it('is disabled and discards records', () => {
    const sink = new NullSink();
    expect(sink.enabled).toBe(false);
    expect(() => sink.write(rec(0))).not.toThrow();
  });
});

describe('ArraySink', () => {
  it('is enabled and keeps records in order, by reference', () => {
    const sink = new ArraySink();
    expect(sink.enabled).toBe(true);
    const records = [rec(0), rec(1, 'vmbus.ring.written'), rec(2)];
    for (const r of records) sink.write(r);
    expect(sink.records).toEqual(records);
    expect(sink.records[1]).toBe(records[1]);
  });

  it('has a large default limit', () => {
    expect(new ArraySink().limit).toBe(10_000_000);
  });

  it('throws a RangeError past its limit, keeping what it had', () => {
    const sink = new ArraySink(2);
    sink.write(rec(0));
    sink.write(rec(1));
    expect(() => sink.write(rec(2))).toThrow(RangeError);
    expect(() => sink.write(rec(2))).toThrow('trace limit reached: more than 2 records');
    expect(sink.records.map((r) => r.seq)).toEqual([0, 1]);
  });

  it('with limit 0 accepts nothing', () => {
    expect(() => new ArraySink(0).write(rec(0))).toThrow(RangeError);
  });
});

describe('TeeSink', () => {
  it('writes each record to every enabled sink', () => {
    const a = new ArraySink();
    const b = new ArraySink();
    const tee = new TeeSink(a, new NullSink(), b);
    expect(tee.enabled).toBe(true);
    tee.write(rec(0));
    tee.write(rec(1));
    expect(a.records).toEqual([rec(0), rec(1)]);
    expect(b.records).toEqual([rec(0), rec(1)]);
  });

  it('is disabled when all its sinks are, or it has none', () => {
    expect(new TeeSink(new NullSink(), new NullSink()).enabled).toBe(false);
    expect(new TeeSink().enabled).toBe(false);
    expect(() => new TeeSink().write(rec(0))).not.toThrow();
  });

  it('skips sinks that are disabled', () => {
    const written: TraceRecord[] = [];
    const disabled: TraceSink = { enabled: false, write: (r) => written.push(r) };
    const tee = new TeeSink(disabled, new ArraySink());
    tee.write(rec(0));
    expect(written).toEqual([]);
  });

  it('propagates a full sink’s error', () => {
    const tee = new TeeSink(new ArraySink(1));
    tee.write(rec(0));
    expect(() => tee.write(rec(1))).toThrow(RangeError);
  });

  it('nests', () => {
    const inner = new ArraySink();
    const tee = new TeeSink(new TeeSink(inner), new NullSink());
    expect(tee.enabled).toBe(true);
    tee.write(rec(5));
    expect(inner.records).toEqual([rec(5)]);
  });
});
