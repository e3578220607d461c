/**
 * One migration as its parts see it: `migration.ts` starts it (or queues it
 * for its hosts) and ends it, `live-migration.ts` runs a live migration's or
 * vMotion's passes and blackout, `quick-migration.ts` a quick migration's
 * save, move and restore. A part ends a run only through `MigrationEnd`
 * (its record written, its hosts' slots freed); it holds no other state of
 * `Migrations`.
 */
import type { Strand } from '../tracer.js';
import type { ClusterState, VmRuntime } from './cluster-state.js';
import type { Sender } from './migration-links.js';
import type { PrecopyRule } from './precopy.js';

/** How a migration ended: the VM moved, it stayed (a host failed under the move), or the move gave up (a vMotion without progress). */
export type MigrationOutcome = 'completed' | 'aborted' | 'failed';

/** Ends a migration: its `cluster.migration.completed` record, its VM free again, the migrations waiting for its hosts started. */
export interface MigrationEnd {
  finish(run: MigrationRun, outcome: MigrationOutcome, converged: boolean, capped: boolean): void;
}

/** Whether both hosts of the migration still run. */
export function hostsUp(c: ClusterState, run: MigrationRun): boolean {
  return c.hosts.get(run.from)!.alive && c.hosts.get(run.to)!.alive;
}

export interface MigrationRun extends Sender {
  /** Finished (completed or aborted): its pending steps do nothing. */
  ended?: boolean;
  id: number;
  method: 'quick' | 'live' | 'vmotion';
  vm: VmRuntime;
  startNs: number;
  s: Strand;
  rule: PrecopyRule | null;
  passes: { bytes: number; ns: number }[];
  totalBytes: number;
  blackoutStartNs: number;
  /** Dirty rate from the workloads: bytes they had written, and when, as the current pass began. */
  measuredAtNs: number;
  measuredBytes: number;
  /** SDPS's cap on the dirty rate once it engaged, or null. */
  sdpsCap: number | null;
  /** The dirty rate each pass ran with, and its length. */
  rates: { rate: number; ns: number }[];
  /** Quick migration: saved and restored through the VM's life cycle; the save, move and restore times. */
  viaLifecycle: boolean;
  /** Quick migration of an Off or Saved VM: its cluster group moved, nothing saved or restored (`QuickMigration.offline`). */
  offline: boolean;
  saveNs: number;
  moveNs: number;
  restoreNs: number;
}
