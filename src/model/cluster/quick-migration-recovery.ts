/**
 * A host failing under a quick migration after the VM was saved
 * (`quick-migration.ts` runs the move; this is what is left to do when it
 * cannot finish): the VM restored from its saved state on the source, the
 * cluster disk first moved back if it had left (row c.2: the LUN dismounted
 * and mounted again, E), and the migration ended, aborted, once the VM runs
 * there; if the host that holds the VM is the one that failed, the failover
 * owns it (`failover.ts`) and the migration ends at once.
 */
import type { ProcessBody } from '../../engine/index.js';
import type { VmLifecycle } from '../lifecycle/vm-lifecycle.js';
import { strand } from '../tracer.js';
import type { ClusterState } from './cluster-state.js';
import type { MigrationEnd, MigrationRun } from './migration-run.js';
import type { QuickMigrationStorage } from './quick-migration-storage.js';

export class QuickMigrationRecovery {
  constructor(
    private readonly c: ClusterState,
    private readonly storage: QuickMigrationStorage,
    private readonly end: MigrationEnd,
  ) {}

  /**
   * The target failed under a quick migration (without a life cycle) after
   * the source saved the VM: the VM is restored from its saved state on
   * the source, as \`afterAbort\` does through the life cycle, the cluster
   * disk first moved back if it had left (row c.2: the LUN dismounted and
   * mounted again, E), and the migration ends, aborted, once the VM runs
   * there. If the source fails meanwhile, the VM fails with it and the
   * failover owns it; the migration ends then.
   */
  restoreOnSource(run: MigrationRun, moveBack: boolean): void {
    const vm = run.vm;
    // The migration ends, aborted, when the VM runs again on its source (or when the source fails first): its
    // blackout is the whole outage the client sees, the save and the restore (before, it ended at the save's end,
    // so an outage of ~29.5 s was reported as a 14.3 s blackout).
    const restore = (): void => {
      if (!this.c.hosts.get(run.from)!.alive) return this.end.finish(run, 'aborted', false, false);
      this.c.setState(vm, 'restoring', run.s);
      this.storage.chunks(run, 'restore', this.c.config.storage.readBytesPerS, run.from, (restored) => {
        if (restored) this.c.setState(vm, 'running', run.s);
        this.end.finish(run, 'aborted', false, false);
      });
    };
    if (moveBack) this.storage.lunMove(run, restore);
    else restore();
  }

  /**
   * A host failed under a quick migration after the VM was saved: the VM is
   * restored from its saved state on the host it is still on if that one
   * runs (its I/O goes on), the cluster disk first moved back if it had
   * left (\`moveBack\`: the run whose LUN move ended; E, as \`restoreOnSource\`);
   * if that host is the one that failed, the failover takes it (its
   * requests stay held, and the run names them if they never complete).
   */
  *afterAbort(run: MigrationRun, life: VmLifecycle, moveBack: boolean): ProcessBody<void> {
    const vm = run.vm;
    const from = run.from;
    vm.lifeDriven = false;
    const onSource = (): boolean => vm.host === from && this.c.hosts.get(vm.host)!.alive && life.state === 'Saved';
    if (onSource() && moveBack) yield* this.c.waitFor((next) => this.storage.lunMove(run, next));
    if (!onSource()) {
      // The source failed: its save went with it, and the failover owns the VM (it may be booting it elsewhere
      // already); the VM's own state follows the cluster's from here, as for any VM of a failed host.
      this.end.finish(run, 'aborted', false, false);
      this.c.gate(vm, strand('', -1));
      return;
    }
    const s = strand('', -1);
    this.c.setState(vm, 'restoring', s);
    vm.lifeDriven = true;
    const restored = yield* life.perform('restore');
    run.restoreNs += restored.durationNs;
    if (restored.accepted) run.totalBytes += vm.config.memoryBytes;
    vm.lifeDriven = false;
    // The source failed during the restore: the VM failed with it (\`Failover.failHost\` left its life cycle to this
    // restore); its life cycle now shows it down with its host, as for any VM of a failed host.
    if (this.c.hosts.get(vm.host)!.alive) this.c.setState(vm, 'running', s);
    else this.c.gate(vm, s);
    // The migration ends once the VM runs again on its source: its blackout is the save and the restore (as \`restoreOnSource\`).
    this.end.finish(run, 'aborted', false, false);
  }
}
