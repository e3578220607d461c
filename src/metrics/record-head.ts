/**
 * A record's envelope read once, for the folders a run writes every record
 * to. A run's records come in some fifty layouts (one per kind, with and
 * without `waitNs`), so each `r.costNs` in a folder is a megamorphic load,
 * several times slower than reading a field of one fixed layout; a run
 * sends millions of records through four folders that each read most of
 * the envelope. The run reads it once into one `RecordHead` (reused, never
 * allocated per record) and hands that to each folder beside the record,
 * which the folders still read for their kinds' own fields.
 */
import type { HvRecord } from '../model/trace-events.js';

/** The envelope of the record being folded (see the module comment). Mutable and reused: valid only during one `write`. */
export class RecordHead {
  kind = '';
  seq = 0;
  t = 0;
  stream = '';
  flow = -1;
  place = '';
  band = '';
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
    this.place = r.place;
    this.band = r.band;
    this.costNs = r.costNs;
    this.waitNs = r.waitNs ?? 0;
    this.charge = r.charge;
    this.lp = r.lp;
    return this;
  }
}
