/**
 * What a quick migration does on the cluster's shared storage (row c.2):
 * the cluster disk moved to the other node (lun-per-vm: dismounted and
 * mounted; on a CSV only the VM group's owner moves), and, for a VM with no
 * life cycle on the detailed host, its memory saved to or restored from the
 * shared storage in chunks at the storage's declared rates, one chunk at a
 * time across every move. The steps only: which to take, and what a
 * failure does, is `quick-migration.ts`'s and `quick-migration-recovery.ts`'s.
 */
import type { Strand } from '../tracer.js';
import { clusterDefault } from './cluster-costs.js';
import type { MigrationPhase } from './cluster-events.js';
import type { ClusterState, VmRuntime } from './cluster-state.js';
import type { MigrationRun } from './migration-run.js';
import { sendNs } from './precopy.js';

/** Memory is saved and restored in chunks of this size: one record each (quick migration without a life cycle). */
export const STATE_CHUNK_BYTES = 256 * 1024 * 1024;

export class QuickMigrationStorage {
  constructor(private readonly c: ClusterState) {}

  /** The cluster disk moved to the target (lun-per-vm: dismount, mount), or only the VM group's owner (CSV). */
  lunMove(run: MigrationRun, next: () => void): void {
    const { storage } = this.c.config;
    const [phase, ns]: [MigrationPhase, number] = storage.kind === 'csv' ? ['owner-move', clusterDefault('csv_owner_move')] : ['lun-move', storage.lunMoveNs];
    run.moveNs += ns;
    this.c.step(run.s, 'cluster.migration.phase', this.c.storage, ns, { migration: run.id, vm: run.vm.config.id, phase }, next);
  }

  /**
   * The VM's memory saved or restored chunk by chunk on \`host\`, then \`done(true)\`; \`done(false)\` at the
   * first chunk boundary after \`host\` failed (its save or restore went with it: no more chunks).
   */
  chunks(run: { id: number; vm: VmRuntime; s: Strand; totalBytes: number; saveNs: number; restoreNs: number }, op: 'save' | 'restore', bytesPerS: number, host: string, done: (ok: boolean) => void): void {
    const total = run.vm.config.memoryBytes;
    const next = (offset: number): void => {
      if (!this.c.hosts.get(host)!.alive) return done(false);
      if (offset >= total) return done(true);
      const bytes = Math.min(STATE_CHUNK_BYTES, total - offset);
      run.totalBytes += bytes;
      const ns = sendNs(bytes, bytesPerS);
      // The shared storage moves one chunk at a time at its declared rate: moves at once take turns, chunk by
      // chunk (each at its share of the rate, E), and a chunk that waits for its turn counts in its save or restore.
      const now = this.c.sim.now;
      const start = Math.max(now, this.c.storageFreeAtNs);
      this.c.storageFreeAtNs = start + ns;
      if (op === 'save') run.saveNs += start - now + ns;
      else run.restoreNs += start - now + ns;
      const go = (): void => this.c.step(run.s, 'cluster.state.chunk', this.c.storage, ns, { migration: run.id, vm: run.vm.config.id, op, offsetBytes: offset, bytes, memoryBytes: total }, () => next(offset + bytes));
      if (start > now) this.c.sim.schedule(start - now, go);
      else go();
    };
    next(0);
  }
}
