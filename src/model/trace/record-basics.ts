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
export type BackendKind = 'fixed-vhd' | 'dynamic-vhd' | 'differencing-vhd' | 'passthrough' | 'iscsi-lun';

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
 * fills one of these beside each record it builds (`EnvelopeSink`), and
 * the folders of a run read the envelope from it.
 */
export interface RecordEnvelope {
  readonly kind: string;
  readonly seq: number;
  readonly t: number;
  readonly stream: string;
  readonly flow: number;
  readonly place: string;
  readonly band: string;
  readonly costNs: number;
  /** The record's `waitNs`, or 0 when it has none. */
  readonly waitNs: number;
  readonly charge: string;
  readonly lp: number;
}

/**
 * A sink that also takes each record's envelope from the tracer: the
 * tracer calls `writeWithEnvelope` instead of `write` (the envelope object
 * is reused; it is valid only during the call), with `own`, the kind's
 * fields it spread into the record after the envelope (a column store
 * walks only those).
 */
export interface EnvelopeSink<R extends Envelope = Envelope> extends TraceSink<R> {
  writeWithEnvelope(record: R, envelope: RecordEnvelope, own: object): void;
}
