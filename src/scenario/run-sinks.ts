/**
 * What a run folds its records into: the path figures, the fingerprint,
 * the request ledger and the other figure parts (`RunFolds`), and the one
 * sink that feeds them all (`RunSinks`). `run.ts` folds in the model's
 * thread; `fold-thread.ts` folds the same way on another thread, from a
 * record stream. Either way a run's figures come from this module.
 */
import { FingerprintSink, type TraceSink } from '../engine/index.js';
import { PathMetricsFolder, type PathMetrics } from '../metrics/index.js';
import { collectFigures, createFigureFolders, FigureFan, type RunFigures } from '../metrics/run-figures.js';
import { recordFromParts, type EnvelopeSink, type HvRecord, type RecordEnvelope } from '../model/trace-events.js';
import type { RecordStore } from '../model/trace/record-store.js';
import type { RunOutput } from '../model/world.js';
import type { TrafficConfig, WorkloadConfig } from '../model/world-config.js';
import { RequestLedger, type NotIssued, type StuckRequest } from './unfinished.js';

/** What the folds give once the run has ended. */
export interface FoldResults {
  fingerprint: string;
  paths: PathMetrics[];
  figures: RunFigures;
  stuck: StuckRequest[];
  notIssued: NotIssued[];
  /** Requests asked for (`RequestLedger`: a duration workload's are what it issued in its window). */
  requested?: number;
}

/** The folds of one run. */
export class RunFolds {
  readonly paths = new PathMetricsFolder();
  readonly fingerprint = new FingerprintSink<HvRecord>();
  readonly ledger: RequestLedger;
  readonly parts = createFigureFolders();

  constructor(workloads: readonly WorkloadConfig[], traffic: readonly TrafficConfig[]) {
    this.ledger = new RequestLedger(workloads, traffic);
  }

  /** The sink that feeds every fold (and `columns` and `others`, when given). */
  sink(columns: RecordStore | null = null, others: TraceSink<HvRecord> | null = null): RunSinks {
    return new RunSinks(this.paths, this.fingerprint, this.ledger, new FigureFan(this.parts, recordFromParts), columns, others);
  }

  /** The folds' results, given how the run ended. */
  results(end: Pick<RunOutput, 'topology' | 'stop' | 'endNs'>): FoldResults {
    const { stuck, notIssued, requested } = this.ledger.result(end);
    return { fingerprint: this.fingerprint.fingerprint.digest(), paths: this.paths.result(), figures: collectFigures(this.parts), stuck, notIssued, requested };
  }
}

/**
 * Every sink of a run, each called from its own line: a loop over sinks of
 * a dozen classes is one call site that V8 cannot inline (megamorphic),
 * and a run writes millions of records.
 */
export class RunSinks implements EnvelopeSink<HvRecord> {
  readonly enabled = true;
  /**
   * Whether the tracer must build each record object: only for `others`
   * (the records kept in memory, a caller's sink). The folders, the
   * fingerprint, the ledger and the column store work from the envelope
   * and the kind's own fields.
   */
  readonly needsRecords: boolean;
  constructor(
    private readonly paths: PathMetricsFolder,
    private readonly fingerprint: FingerprintSink<HvRecord>,
    private readonly ledger: RequestLedger,
    private readonly parts: FigureFan,
    private readonly columns: RecordStore | null,
    private readonly others: TraceSink<HvRecord> | null,
  ) {
    this.needsRecords = others !== null;
  }
  /** A record without the tracer's envelope (a tracer that does not know `EnvelopeSink`). */
  write(record: HvRecord): void {
    // The record's envelope, read once for the folders (a `RecordHead`: one layout, where the records have dozens).
    const envelope = this.paths.readEnvelope(record);
    this.paths.addRead(record, envelope);
    this.fingerprint.fingerprint.add(record, envelope.kind);
    this.ledger.writeRead(record, envelope);
    this.parts.writeRead(record, envelope, record);
    if (this.columns !== null) this.columns.write(record);
    if (this.others !== null) this.others.write(record);
  }
  /**
   * The tracer's call (an `EnvelopeSink`): the record's envelope in one
   * layout and the kind's own fields, from which the folders, the
   * fingerprint (the same hash as of the record) and the column store
   * work; the record itself (null unless `needsRecords`) only for the
   * other sinks.
   */
  writeWithEnvelope(record: HvRecord | null, envelope: RecordEnvelope, own: object): void {
    this.paths.addRead(own, envelope);
    this.fingerprint.fingerprint.addParts(envelope, own);
    this.ledger.writeRead(own, envelope);
    this.parts.writeRead(own, envelope, record);
    if (this.columns !== null) this.columns.writeParts(envelope, own);
    if (this.others !== null) this.others.write(record ?? recordFromParts<HvRecord>(envelope, own));
  }
}
