/**
 * The trace envelope and the sinks records go to. The engine defines only
 * the envelope every record shares; what the kinds are is the model's
 * business (its catalog extends `TraceRecord`). A sink that is not
 * `enabled` lets emitters skip building records at all (OMNeT++'s
 * cNullEnvir), which is how benchmarks run without tracing cost.
 */

/** Fields every trace record carries. */
export interface TraceRecord {
  /** Position in the trace, from 0, without gaps. */
  seq: number;
  /** Simulated time in ns at which it happened. */
  t: number;
  /** Dotted, past-tense kind, e.g. `vmbus.ring.written`. */
  kind: string;
}

/** Where records go. */
export interface TraceSink<R extends TraceRecord = TraceRecord> {
  /** False when records are discarded; emitters may then skip building them. */
  readonly enabled: boolean;
  write(record: R): void;
}

/** Discards every record. */
export class NullSink<R extends TraceRecord = TraceRecord> implements TraceSink<R> {
  readonly enabled = false;
  write(_record: R): void {}
}

/** Keeps every record in memory, up to `limit` (then throws, so a runaway run cannot exhaust memory). */
export class ArraySink<R extends TraceRecord = TraceRecord> implements TraceSink<R> {
  readonly enabled = true;
  readonly records: R[] = [];

  constructor(readonly limit = 10_000_000) {}

  write(record: R): void {
    if (this.records.length >= this.limit) {
      throw new RangeError(`trace limit reached: more than ${this.limit} records`);
    }
    this.records.push(record);
  }
}

/** Sends each record to several sinks; enabled if any of them is. */
export class TeeSink<R extends TraceRecord = TraceRecord> implements TraceSink<R> {
  readonly enabled: boolean;
  private readonly sinks: TraceSink<R>[];

  constructor(...sinks: TraceSink<R>[]) {
    this.sinks = sinks.filter((s) => s.enabled);
    this.enabled = this.sinks.length > 0;
  }

  write(record: R): void {
    for (const sink of this.sinks) sink.write(record);
  }
}
