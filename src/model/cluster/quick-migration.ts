/**
 * Quick migration (row c.2): the VM saved, its cluster disk moved, the VM
 * restored on the target; through the VM's own life cycle on the detailed
 * host when it has a disk for its state file, else in chunks on the shared
 * storage (`quick-migration-storage.ts`); and the move of an Off or Saved
 * VM's offline group. A host failing at each stage is handled where the
 * stage is; what follows a failure after the save (the VM restored on its
 * source) is `quick-migration-recovery.ts`. Not live migration
 * (`live-migration.ts`): no memory crosses the network here.
 */
import { startProcess, type ProcessBody } from '../../engine/index.js';
import type { VmLifecycle } from '../lifecycle/vm-lifecycle.js';
import { clusterDefault } from './cluster-costs.js';
import type { ClusterState } from './cluster-state.js';
import { hostsUp, type MigrationEnd, type MigrationRun } from './migration-run.js';
import { QuickMigrationRecovery } from './quick-migration-recovery.js';
import { QuickMigrationStorage } from './quick-migration-storage.js';

export class QuickMigration {
  private readonly storage: QuickMigrationStorage;
  private readonly recovery: QuickMigrationRecovery;

  constructor(
    private readonly c: ClusterState,
    private readonly end: MigrationEnd,
  ) {
    this.storage = new QuickMigrationStorage(c);
    this.recovery = new QuickMigrationRecovery(c, this.storage, end);
  }

  /**
   * Quick migration (seed 004: "you save the state of the VM, move storage
   * connectivity from the source host to the target host, and then restore
   * the state of the VM"). When the VM has a life cycle on the detailed host
   * and a disk for its state file, the save and the restore are its life
   * cycle's own `save` and `restore` actions (the same records and states
   * as a scenario's save/restore; memory written and read through the root's
   * storage stack, timed by the disk model), with the cluster disk moved
   * between them. The detailed host stands for both nodes' root stacks over
   * the shared LUN (E: identical nodes). Otherwise the memory goes to the
   * LUN in chunks at the storage's declared rates.
   */
  start(run: MigrationRun): void {
    const life = this.c.lifecycle(run.vm.config.id);
    if (life !== null && life.state === 'Running' && life.canSaveState()) {
      startProcess(this.c.sim, this.throughLifecycle(run, life), `${run.vm.config.id} quick migration`);
      return;
    }
    const { storage } = this.c.config;
    const vm = run.vm;
    const alive = (host: string): boolean => this.c.hosts.get(host)!.alive;
    run.blackoutStartNs = this.c.sim.now;
    this.c.setState(vm, 'saving', run.s);
    this.storage.chunks(run, 'save', storage.writeBytesPerS, run.from, (saved) => {
      // The source failed under the save: the VM failed with it (\`Failover.failHost\`) and the failover owns it.
      if (!saved) return this.end.finish(run, 'aborted', false, false);
      if (!alive(run.to)) return this.recovery.restoreOnSource(run, false);
      this.c.setState(vm, 'moving', run.s);
      this.storage.lunMove(run, () => {
        if (!alive(run.from)) return this.end.finish(run, 'aborted', false, false); // failed with its source, as above
        if (!alive(run.to)) return this.recovery.restoreOnSource(run, true);
        vm.host = run.to;
        run.moveNs += clusterDefault('vm_provision');
        this.c.step(run.s, 'cluster.migration.phase', this.c.hosts.get(run.to)!.place, clusterDefault('vm_provision'), { migration: run.id, vm: vm.config.id, phase: 'provision' }, () => {
          // The target failed while the VM was being provisioned on it: the VM failed with it and the failover owns it.
          if (!alive(run.to)) return this.end.finish(run, 'aborted', false, false);
          this.c.setState(vm, 'restoring', run.s);
          this.storage.chunks(run, 'restore', storage.readBytesPerS, run.to, (restored) => {
            if (!restored) return this.end.finish(run, 'aborted', false, false); // as for the provision
            this.c.setState(vm, 'running', run.s);
            this.end.finish(run, 'completed', false, false);
          });
        });
      });
    });
  }

  /**
   * Quick migration of an Off or Saved VM: its cluster group is offline, so the cluster moves the group (the
   * cluster disk, or the owner on a CSV) and nothing else: no save (there is nothing running to save) and no
   * restore; the VM stays Off or Saved, now on the target, where a later start or restore runs. This is the
   * planned move Exchange 2010 SP1 allows, "shut down and a cold start" on the target (row d.2, V); WSFC moves
   * offline groups so after a node failure too (`Failover.declareDown`, R). Before, it was refused ("the VM is
   * Off, not running"), so that move could not be written. If a host fails under it, the group stays where it
   * was and the failover moves it as any offline group.
   */
  offline(run: MigrationRun): void {
    this.storage.lunMove(run, () => {
      if (this.c.hosts.get(run.from)!.alive && this.c.hosts.get(run.to)!.alive) {
        run.vm.host = run.to;
        this.c.setState(run.vm, run.vm.state, run.s);
        run.blackoutStartNs = this.c.sim.now; // it was offline before: the move adds no outage
        return this.end.finish(run, 'completed', false, false);
      }
      run.blackoutStartNs = this.c.sim.now;
      this.end.finish(run, 'aborted', false, false);
    });
  }

  /** Quick migration as the life cycle's save, the LUN move, the life cycle's restore (on the target). */
  private *throughLifecycle(run: MigrationRun, life: VmLifecycle): ProcessBody<void> {
    const vm = run.vm;
    const id = vm.config.id;
    // The source failed between the migration's start and this process's first step (the same instant): the VM
    // failed with it and the failover owns it; nothing is saved. Before, the VM was set saving, its save refused (it
    // was Off with its host), and it was set running on the dead host, then moved running by the declaration, unbooted.
    if (!this.c.hosts.get(run.from)!.alive) {
      run.blackoutStartNs = this.c.sim.now; // the migration took nothing offline: the failure did
      return this.end.finish(run, 'aborted', false, false);
    }
    run.viaLifecycle = true;
    run.blackoutStartNs = this.c.sim.now;
    vm.lifeDriven = true;
    this.c.setState(vm, 'saving', run.s);
    this.c.emit(run.s, 'cluster.migration.phase', this.c.hosts.get(run.from)!.place, 0, { migration: run.id, vm: id, phase: 'save' });
    const saved = yield* life.perform('save');
    run.saveNs = saved.durationNs;
    if (!saved.accepted) {
      vm.lifeDriven = false;
      // It runs on where it was, if that host does (before, it was set running on a dead host too).
      if (this.c.hosts.get(run.from)!.alive) this.c.setState(vm, 'running', run.s);
      else this.c.gate(vm, run.s);
      this.end.finish(run, 'aborted', false, false);
      return;
    }
    run.totalBytes += vm.config.memoryBytes;
    if (!hostsUp(this.c, run)) return yield* this.recovery.afterAbort(run, life, false);
    this.c.setState(vm, 'moving', run.s);
    yield* this.c.waitFor((next) => this.storage.lunMove(run, next));
    if (!hostsUp(this.c, run)) return yield* this.recovery.afterAbort(run, life, true);
    vm.host = run.to;
    this.c.setState(vm, 'restoring', run.s);
    this.c.emit(run.s, 'cluster.migration.phase', this.c.hosts.get(run.to)!.place, 0, { migration: run.id, vm: id, phase: 'restore' });
    const restored = yield* life.perform('restore');
    run.restoreNs = restored.durationNs;
    // A refused restore read no saved state (as afterAbort counts the source's restore).
    if (restored.accepted) run.totalBytes += vm.config.memoryBytes;
    vm.lifeDriven = false;
    if (!restored.accepted || !this.c.hosts.get(run.to)!.alive) {
      // The target failed during the restore: the VM failed with it; its life cycle shows it down with its host (as above).
      this.c.gate(vm, run.s);
      return this.end.finish(run, 'aborted', false, false);
    }
    this.c.setState(vm, 'running', run.s);
    this.end.finish(run, 'completed', false, false);
  }
}
