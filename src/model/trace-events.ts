/**
 * The trace catalog: every record kind the model emits, as one
 * discriminated union (the contract between model, metrics, CLI and UI;
 * qemu's trace-events, OMNeT++'s eventlog entries). Kinds are dotted and in
 * the past tense because they state facts. A new animation starts with a
 * new entry here.
 *
 * Envelope: `seq`, `t` and `kind` (engine), plus where it happened
 * (`place`, `band`), which workload stream and request it belongs to
 * (`stream`, `flow`), what caused it (`cause`), and its cost: `costNs` of
 * busy time charged to `charge` on logical processor `lp`, after `waitNs`
 * of queueing for that processor when it was busy; a queue elsewhere (the
 * disk) appears as `waitNs` on a `*.waited` record emitted when it ends.
 */
import { CLUSTER_KIND_TABLE, type ClusterKindFields } from './cluster/cluster-events.js';
import { CORE_KINDS, type CoreKindFields } from './trace/core-kinds.js';
import { HARDWARE_KINDS, type HardwareKindFields } from './trace/hardware-kinds.js';
import { LIFECYCLE_KINDS, type LifecycleKindFields } from './trace/lifecycle-kinds.js';
import { NETWORK_KINDS, type NetworkKindFields } from './trace/network-kinds.js';
import type { Envelope } from './trace/record-basics.js';
import { SCHEDULER_KINDS, type SchedulerKindFields } from './trace/scheduler-kinds.js';
import { VMBUS_KINDS, type VmbusKindFields } from './trace/vmbus-kinds.js';

export {
  MutableEnvelope,
  PATH_KINDS,
  recordFromParts,
  type BackendKind,
  type Charge,
  type DiskSource,
  type Envelope,
  type EnvelopeSink,
  type ExitReason,
  type PathKind,
  type RecordEnvelope,
  type VmActionName,
  type VmStateName,
} from './trace/record-basics.js';

/** Extra fields per kind. One entry per record kind, by part of the host in `trace/` (and the cluster's in `cluster/`); each is documented where it is emitted. */
export interface KindFields extends CoreKindFields, VmbusKindFields, HardwareKindFields, NetworkKindFields, LifecycleKindFields, SchedulerKindFields, ClusterKindFields {}

/** A record kind. */
export type RecordKind = keyof KindFields;

/** One trace record: the envelope plus its kind's fields. */
export type HvRecord = { [K in RecordKind]: Envelope & { kind: K } & KindFields[K] }[RecordKind];

/**
 * Compiles only while no kind's fields reuse an envelope key: the tracer
 * spreads a kind's fields after the envelope, so such a field would
 * replace the envelope's value in the record, and the `RecordEnvelope`
 * it hands a sink beside the record would no longer match it.
 */
const NO_ENVELOPE_KEY_IN_FIELDS: { [K in RecordKind]: Extract<keyof KindFields[K], keyof Envelope> }[RecordKind] extends never ? true : never = true;
void NO_ENVELOPE_KEY_IN_FIELDS;

/** The record of one kind. */
export type RecordOf<K extends RecordKind> = Envelope & { kind: K } & KindFields[K];

/**
 * Every record kind at run time, in catalog order (lesson anchors and filters
 * check names against it). `satisfies` makes the compiler refuse a list that
 * misses a kind of `KindFields` or names one it lacks.
 */
const KIND_TABLE = {
  ...CORE_KINDS,
  ...VMBUS_KINDS,
  ...HARDWARE_KINDS,
  ...NETWORK_KINDS,
  ...LIFECYCLE_KINDS,
  ...SCHEDULER_KINDS,
  ...CLUSTER_KIND_TABLE,
} as const satisfies Record<RecordKind, true>;

/** The record kinds of the catalog, in its order. */
export const RECORD_KINDS = Object.keys(KIND_TABLE) as readonly RecordKind[];
