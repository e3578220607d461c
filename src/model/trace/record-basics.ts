/**
 * The trace's shared vocabulary: where a record's time is charged, the
 * request paths, back ends, disk sources and exit reasons, the VM states
 * and actions, and the envelope every record carries. Part of the catalog,
 * `../trace-events.ts`, which re-exports all of it.
 */
import type { TraceRecord, TraceSink } from '../../engine/index.js';
import type { Band } from '../topology.js';

/** Where a record's time is spent: a guest virtual processor, the root's, the hypervisor, a device, or nowhere (waiting). */
export type Charge = 'guest' | 'root' | 'hypervisor' | 'device' | 'none';

/** The request paths a workload can take. */
export const PATH_KINDS = ['ide-pio', 'ide-dma', 'vmbus-scsi', 'ide-fastpath', 'nic-legacy', 'nic-synthetic', 'native', 'iscsi-guest'] as const;
export type PathKind = (typeof PATH_KINDS)[number];

/** Storage back ends. */
export type BackendKind = 'fixed-vhd' | 'dynamic-vhd' | 'differencing-vhd' | 'fixed-vhdx' | 'dynamic-vhdx' | 'differencing-vhdx' | 'passthrough' | 'iscsi-lun';

/** Where a disk found a request's data: the media, its read cache, or its write cache. */
export type DiskSource = 'media' | 'read-cache' | 'write-cache';

/** Why a virtual processor left the guest. */
export type ExitReason = 'io-port' | 'eoi' | 'hypercall' | 'external-interrupt';

/** Fields every hvsim record carries. */
export interface Envelope extends TraceRecord {
  place: string;
  band: Band;
  /** Workload stream `vm/disk/path` (e.g. `legacy-pio/d/ide-pio`), or '' for work that belongs to none. */
  stream: string;
  /** Request id, or -1 for work shared by several requests (a batch, an interrupt); a VM management action's records (stream '') carry a flow id of their own. */
  flow: number;
  /** `seq` of the record that caused this one, or -1. */
  cause: number;
  costNs: number;
  charge: Charge;
  /** Logical processor the step ran on, or -1 (device time, waiting). */
  lp: number;
  /**
   * Queueing time in this record: on a `*.waited` record, the wait that
   * ended at `t`; on a step, the time it waited for its logical processor
   * after `t` before running for `costNs`.
   */
  waitNs?: number;
}

/** A VM state's name (model/lifecycle/vm-states.ts). */
export type VmStateName = 'Off' | 'Starting' | 'Running' | 'Pausing' | 'Paused' | 'Resuming' | 'Saving' | 'Saved' | 'Restoring' | 'Stopping' | 'Snapshotting';
/** A management action's name (model/lifecycle/vm-states.ts). */
export type VmActionName = 'start' | 'save' | 'restore' | 'pause' | 'resume' | 'shutdown' | 'turn-off' | 'snapshot' | 'revert' | 'delete-snapshot';

/**
 * A record's envelope in one fixed layout: the same values as the
 * record's own fields, with `waitNs` 0 when the record has none. A run's
 * records come in dozens of layouts (one per kind, with and without
 * `waitNs`), so reading `r.costNs` from any record is a megamorphic load,
 * several times slower than reading a field of one layout; the tracer
 * fills one of these for each record it emits (`EnvelopeSink`), and the
 * folders of a run read the envelope from it (and, with the kind's own
 * fields, need no record object: the tracer builds none for a run that
 * keeps no records).
 */
export interface RecordEnvelope {
  readonly kind: string;
  readonly seq: number;
  readonly t: number;
  readonly stream: string;
  readonly flow: number;
  /** The record's `cause`. */
  readonly cause: number;
  readonly place: string;
  readonly band: string;
  /** The place's number in its world (`Place.no`), naming `place` and `band` together; -1 when unknown (a record read back). */
  readonly placeNo: number;
  readonly costNs: number;
  /** The record's `waitNs`, or 0 when it has none. */
  readonly waitNs: number;
  readonly charge: string;
  readonly lp: number;
}

/**
 * A `RecordEnvelope` to refill for each record: the one the tracer hands
 * an `EnvelopeSink`, and the one a record stream's reader hands its sink
 * (`scenario/record-stream.ts`). `metrics/record-head.ts` has its twin for
 * a folder fed whole records: metrics takes only types from the model.
 */
export class MutableEnvelope implements RecordEnvelope {
  kind = '';
  seq = 0;
  /** Set for each record before it is read; NaN at first so that V8 makes the fields of times and costs double fields (sim-time.ts). */
  t = Number.NaN;
  stream = '';
  flow = -1;
  cause = -1;
  place = '';
  band = '';
  placeNo = -1;
  costNs = Number.NaN;
  waitNs = Number.NaN;
  charge = '';
  lp = -1;
}

/**
 * A sink that also takes each record's envelope from the tracer: the
 * tracer calls `writeWithEnvelope` instead of `write` (the envelope object
 * is reused; it is valid only during the call), with `own`, the kind's
 * fields it spread into the record after the envelope (a column store
 * walks only those). A sink whose `needsRecords` is false gets null for
 * the record: the tracer does not build it, and the sink works from the
 * envelope and `own` alone (`recordFromParts` builds the same record when
 * it needs one after all).
 */
export interface EnvelopeSink<R extends Envelope = Envelope> extends TraceSink<R> {
  /** Whether `writeWithEnvelope` needs the record object (absent: it does). */
  readonly needsRecords?: boolean;
  writeWithEnvelope(record: R | null, envelope: RecordEnvelope, own: object): void;
}

/**
 * The record the tracer builds from an envelope and the kind's own
 * fields: the envelope in its fixed order, `own` spread after it, then
 * `waitNs` when the record waited. Equal to the tracer's, key order
 * included.
 */
export function recordFromParts<R extends Envelope = Envelope>(e: RecordEnvelope, own: object): R {
  const record = {
    seq: e.seq,
    t: e.t,
    kind: e.kind,
    place: e.place,
    band: e.band,
    stream: e.stream,
    flow: e.flow,
    cause: e.cause,
    costNs: e.costNs,
    charge: e.charge,
    lp: e.lp,
    ...own,
  } as unknown as R;
  if (e.waitNs > 0) record.waitNs = e.waitNs;
  return record;
}
