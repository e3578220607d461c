/**
 * Hand-written traces for the metrics tests: a builder that fills the
 * envelope (seq in order, defaults for the rest) so a test states only the
 * fields it is about.
 */
import type { Envelope, HvRecord, KindFields, RecordKind } from '../../src/model/trace-events.js';

/** Envelope fields a test may set; the rest take the builder's defaults. */
export type EnvelopeOverrides = Partial<Omit<Envelope, 'seq' | 'kind'>>;

/** Appends records with consecutive `seq`s; `t` defaults to the previous record's. */
export class TraceBuilder {
  readonly records: HvRecord[] = [];
  private t = 0;

  constructor(private readonly defaults: EnvelopeOverrides = {}) {}

  add<K extends RecordKind>(kind: K, fields: KindFields[K], env: EnvelopeOverrides = {}): this {
    const t = env.t ?? this.t;
    this.t = t;
    const record = {
      place: 'p',
      band: 'guest-kernel',
      stream: '',
      flow: -1,
      cause: -1,
      costNs: 0,
      charge: 'none',
      ...this.defaults,
      ...env,
      seq: this.records.length,
      t,
      kind,
      ...fields,
    } as HvRecord;
    this.records.push(record);
    return this;
  }
}
