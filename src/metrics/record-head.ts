/**
 * A record's envelope read once, for a folder used on its own (a trace in
 * memory, a sink of its own). A run's folders get the envelope from the
 * tracer instead (`RecordEnvelope`, `EnvelopeSink`); either way each
 * folder reads the envelope from one object of one layout, and only its
 * kinds' own fields from the record, whose layouts are dozens (each read
 * from them a megamorphic load).
 */
import type { HvRecord, RecordEnvelope } from '../model/trace-events.js';

/** The envelope of the record being folded (see the module comment). Mutable and reused: valid only during one `write`. */
export class RecordHead implements RecordEnvelope {
  kind = '';
  seq = 0;
  t = 0;
  stream = '';
  flow = -1;
  cause = -1;
  place = '';
  band = '';
  /** Unknown for a record read whole. */
  readonly placeNo = -1;
  costNs = 0;
  /** The record's `waitNs`, or 0 when it has none. */
  waitNs = 0;
  charge = '';
  lp = -1;

  /** Reads `r`'s envelope into this head; returns it. */
  read(r: HvRecord): this {
    this.kind = r.kind;
    this.seq = r.seq;
    this.t = r.t;
    this.stream = r.stream;
    this.flow = r.flow;
    this.cause = r.cause;
    this.place = r.place;
    this.band = r.band;
    this.costNs = r.costNs;
    this.waitNs = r.waitNs ?? 0;
    this.charge = r.charge;
    this.lp = r.lp;
    return this;
  }
}
