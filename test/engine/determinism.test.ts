/**
 * A small random model run end to end: the same seed must give the same
 * trace, bit for bit, and a different seed a different one. It uses the
 * engine only through its public index, the way the model does.
 */
import { describe, expect, it } from 'vitest';
import {
  ArraySink,
  FingerprintSink,
  NullSink,
  RandomStreams,
  Resource,
  SimEvent,
  Simulation,
  TeeSink,
  fingerprintOf,
  startProcess,
  us,
  type ProcessBody,
  type TraceRecord,
  type TraceSink,
} from '../../src/engine/index.js';

interface ModelRecord extends TraceRecord {
  req?: number;
  waitNs?: number;
  costNs?: number;
  note?: string;
}

interface ModelOptions {
  /** Draw this many extra numbers per arrival from a stream nothing else uses. */
  unrelatedDraws?: number;
}

/**
 * Requests arrive (exponential gaps), queue for a one-unit disk, are served
 * (normal service time plus an integer seek), and a watcher process waits
 * for the tenth completion. A periodic housekeeping handler adds jitter.
 */
function runModel(seed: number, sink: TraceSink<ModelRecord>, options: ModelOptions = {}): Simulation {
  const sim = new Simulation();
  const rng = new RandomStreams(seed);
  const arrivals = rng.stream('arrivals');
  const service = rng.stream('service');
  const seek = rng.stream('seek');
  const housekeeping = rng.stream('housekeeping');
  const disk = new Resource(1, 'disk');
  const tenthDone = new SimEvent<number>();
  let seq = 0;
  let completed = 0;
  const emit = (fields: Omit<ModelRecord, 'seq' | 't'>): void => {
    if (sink.enabled) sink.write({ seq: seq++, t: sim.now, ...fields });
  };

  function* request(req: number): ProcessBody<void> {
    const asked = sim.now;
    emit({ kind: 'io.issued', req });
    yield disk;
    emit({ kind: 'io.started', req, waitNs: sim.now - asked });
    const cost = Math.max(0, Math.round(service.normal(us(50), us(10)))) + seek.integer(0, us(20));
    yield cost;
    disk.release();
    emit({ kind: 'io.completed', req, costNs: cost });
    if (++completed === 10) tenthDone.trigger(req);
  }

  let nextReq = 0;
  const arrive = (_payload: unknown, s: Simulation): void => {
    startProcess(s, request(nextReq), `req${nextReq}`);
    nextReq++;
    for (let i = 0; i < (options.unrelatedDraws ?? 0); i++) rng.stream('unrelated').uniform();
    if (nextReq < 40) s.schedule(Math.round(arrivals.exponential(us(60))), arrive);
  };
  sim.schedule(0, arrive);

  const tick = (n: number, s: Simulation): void => {
    emit({ kind: 'housekeeping.ran', note: `tick ${n}`, costNs: housekeeping.integer(1, 999) });
    if (n < 20) s.schedule(us(100) + housekeeping.integer(0, 1_000), tick, n + 1, -1);
  };
  sim.schedule(us(100), tick, 1, -1);

  startProcess(sim, (function* (): ProcessBody<void> {
    const req: number = yield tenthDone;
    emit({ kind: 'watcher.woke', req });
  })(), 'watcher');

  sim.run();
  return sim;
}

function traceOf(seed: number, options?: ModelOptions): ModelRecord[] {
  const sink = new ArraySink<ModelRecord>();
  runModel(seed, sink, options);
  return sink.records;
}

describe('determinism', () => {
  it('the model produces a non-trivial trace', () => {
    const trace = traceOf(42);
    const kinds = new Set(trace.map((r) => r.kind));
    expect(kinds).toEqual(new Set(['io.issued', 'io.started', 'io.completed', 'housekeeping.ran', 'watcher.woke']));
    expect(trace.filter((r) => r.kind === 'io.completed')).toHaveLength(40);
    expect(trace.some((r) => (r.waitNs ?? 0) > 0)).toBe(true); // some requests queued
    expect(trace.map((r) => r.seq)).toEqual(trace.map((_, i) => i));
    for (let i = 1; i < trace.length; i++) expect(trace[i]!.t).toBeGreaterThanOrEqual(trace[i - 1]!.t);
  });

  it('the same seed gives the same trace and fingerprint', () => {
    const a = traceOf(42);
    const b = traceOf(42);
    expect(b).toEqual(a);
    expect(fingerprintOf(b)).toBe(fingerprintOf(a));
  });

  it('a different seed gives a different fingerprint', () => {
    expect(fingerprintOf(traceOf(43))).not.toBe(fingerprintOf(traceOf(42)));
  });

  it('FingerprintSink gives the same fingerprint as the recorded trace', () => {
    const fpSink = new FingerprintSink<ModelRecord>();
    runModel(42, fpSink);
    expect(fpSink.fingerprint.digest()).toBe(fingerprintOf(traceOf(42)));
    expect(fpSink.fingerprint.records).toBe(traceOf(42).length);

    const again = new FingerprintSink<ModelRecord>();
    runModel(42, again);
    expect(again.fingerprint.digest()).toBe(fpSink.fingerprint.digest());
  });

  it('teeing to both sinks agrees with each alone', () => {
    const array = new ArraySink<ModelRecord>();
    const fp = new FingerprintSink<ModelRecord>();
    runModel(42, new TeeSink<ModelRecord>(array, fp));
    expect(array.records).toEqual(traceOf(42));
    expect(fp.fingerprint.digest()).toBe(fingerprintOf(array.records));
  });

  it('tracing does not change the simulation: a NullSink run ends in the same state', () => {
    const traced = runModel(42, new ArraySink<ModelRecord>());
    const untraced = runModel(42, new NullSink<ModelRecord>());
    expect([untraced.now, untraced.eventsProcessed]).toEqual([traced.now, traced.eventsProcessed]);
  });

  it('draws from an unrelated stream do not shift the trace', () => {
    expect(fingerprintOf(traceOf(42, { unrelatedDraws: 3 }))).toBe(fingerprintOf(traceOf(42)));
  });
});
