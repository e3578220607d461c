/**
 * Emits trace records. A `Strand` is one thread of execution of a request
 * (or of a shared driver loop): it carries the stream and flow its records
 * belong to and the seq of its last record, which becomes the next one's
 * `cause`. `emit` returns the cost so that model code reads
 * `yield tracer.emit(...)`: record the step, then spend its time.
 * When the sink is disabled no record object is built.
 */
import type { Simulation, TraceSink } from '../engine/index.js';
import type { Place } from './topology.js';
import type { Charge, HvRecord, KindFields, RecordKind } from './trace-events.js';

/** One thread of execution: the stream/flow its records belong to, and its causal chain. */
export interface Strand {
  stream: string;
  flow: number;
  cause: number;
}

/** A strand for work belonging to `stream` and request `flow`. */
export function strand(stream: string, flow: number, cause = -1): Strand {
  return { stream, flow, cause };
}

export class Tracer {
  private nextSeq = 0;

  constructor(
    readonly sim: Simulation,
    readonly sink: TraceSink<HvRecord>,
  ) {}

  /** Records emitted so far (also counted when the sink discards them). */
  get emitted(): number {
    return this.nextSeq;
  }

  /** Emits one record on `s` at `place` and returns `costNs`. */
  emit<K extends RecordKind>(s: Strand, kind: K, place: Place, costNs: number, charge: Charge, fields: KindFields[K]): number {
    const seq = this.nextSeq++;
    if (this.sink.enabled) {
      this.sink.write({
        seq,
        t: this.sim.now,
        kind,
        place: place.id,
        band: place.band,
        stream: s.stream,
        flow: s.flow,
        cause: s.cause,
        costNs,
        charge,
        ...fields,
      } as HvRecord);
    }
    s.cause = seq;
    return costNs;
  }

  /** Emits a record of time spent waiting (`waitNs`, ending now) and returns 0. */
  waited<K extends RecordKind>(s: Strand, kind: K, place: Place, waitNs: number, fields: KindFields[K]): number {
    const seq = this.nextSeq++;
    if (this.sink.enabled) {
      this.sink.write({
        seq,
        t: this.sim.now,
        kind,
        place: place.id,
        band: place.band,
        stream: s.stream,
        flow: s.flow,
        cause: s.cause,
        costNs: 0,
        charge: 'none',
        waitNs,
        ...fields,
      } as HvRecord);
    }
    s.cause = seq;
    return 0;
  }
}
