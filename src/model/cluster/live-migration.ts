/**
 * Live migration and vMotion once their hosts have a slot (`migration.ts`
 * queues them): the setup, the pre-copy passes with the real stop rules
 * (`precopy.ts`), each pass a flow sharing its hosts' links
 * (`migration-links.ts`), then the stop-and-copy blackout and the
 * switchover. Not the quick migration (`quick-migration.ts`), which moves
 * no memory over the network.
 */
import { clusterDefault } from './cluster-costs.js';
import type { MigrationPhase } from './cluster-events.js';
import type { ClusterState } from './cluster-state.js';
import type { MigrationLinks } from './migration-links.js';
import { hostsUp, type MigrationEnd, type MigrationRun } from './migration-run.js';
import { dirtiedBytes, fitsWindow } from './precopy.js';

export class LiveMigration {
  constructor(
    private readonly c: ClusterState,
    /** Memory on the wire now, shared with `Migrations` (which drops a run's flow when it ends). */
    private readonly links: MigrationLinks,
    private readonly end: MigrationEnd,
  ) {}

  /** Whether the migration can go on; if a host failed under it, it ends here (aborted). */
  private stillOn(run: MigrationRun): boolean {
    if (run.ended) return false; // aborted already (`Migrations.hostDown`)
    if (hostsUp(this.c, run)) return true;
    this.end.finish(run, 'aborted', false, false);
    return false;
  }

  /** A live migration or vMotion that has taken its hosts: its setup phases, then the first pass. */
  start(run: MigrationRun): void {
    const phases: [MigrationPhase, number][] = [['setup', this.c.config.network.setupNs]];
    if (run.method === 'vmotion') phases.push(['guest-trace', clusterDefault('vmotion_trace')]);
    const next = (i: number): void => {
      // As it is asked it goes ahead (its target may have failed unnoticed: its setup finds out, or the declaration).
      if (i > 0 && !this.stillOn(run)) return;
      if (i === phases.length) {
        // The passes' records come as each ends (their length depends on who shares the link): this marks the start.
        this.c.emit(run.s, 'cluster.migration.phase', this.c.link, 0, { migration: run.id, vm: run.vm.config.id, phase: 'precopy' });
        this.pass(run, 1, run.vm.config.memoryBytes, run.vm.config.dirtyBytesPerS);
        return;
      }
      const [phase, ns] = phases[i]!;
      this.c.step(run.s, 'cluster.migration.phase', this.c.link, ns, { migration: run.id, vm: run.vm.config.id, phase }, () => next(i + 1));
    };
    next(0);
  }

  /**
   * The guest's dirty rate during the pass that just ended: declared, or (`dirtyFromWorkloads`) what its
   * workloads on the detailed host wrote per second since that pass began (`startMeasuring`; E, each byte a
   * guest writes to disk dirties a byte of its memory on the way, its I/O buffer), under SDPS's cap. The
   * pages a pass must resend are those dirtied while the one before it ran (Clark et al., NSDI 2005; before,
   * the rate measured over the previous pass was applied to the next, so a guest that stopped writing
   * mid-pass forced a needless pass, and one that wrote only during the first pass was never resent).
   */
  private dirtyRate(run: MigrationRun, declared: number): number {
    let rate = declared;
    if (run.vm.config.dirtyFromWorkloads && this.c.writtenBytes !== undefined) {
      const written = this.c.writtenBytes(run.vm.config.id);
      const ns = this.c.sim.now - run.measuredAtNs;
      rate = ns <= 0 ? 0 : Math.floor(((written - run.measuredBytes) * 1e9) / ns);
    }
    return run.sdpsCap === null ? rate : Math.min(rate, run.sdpsCap);
  }

  /** Starts measuring what the guest's workloads write (`dirtyRate`) from now: a pass begins. */
  private startMeasuring(run: MigrationRun): void {
    run.measuredAtNs = this.c.sim.now;
    run.measuredBytes = this.c.writtenBytes?.(run.vm.config.id) ?? 0;
  }

  /**
   * One pre-copy pass: \`bytes\` sent as a flow sharing the link, so its length is known when it ends, and
   * its record is written then (costNs 0: it took \`durationNs\` before, at \`bytesPerS\` on average).
   */
  private pass(run: MigrationRun, k: number, bytes: number, declaredRate: number): void {
    const rule = run.rule!;
    const startNs = this.c.sim.now;
    this.startMeasuring(run);
    this.links.send(run, bytes, () => {
      const ns = this.c.sim.now - startNs;
      const dirtyRate = this.dirtyRate(run, declaredRate);
      run.rates.push({ rate: dirtyRate, ns });
      const dirtied = dirtiedBytes(ns, dirtyRate, run.vm.config.workingSetBytes);
      run.passes.push({ bytes, ns });
      run.totalBytes += bytes;
      this.c.emit(run.s, 'cluster.migration.pass', this.c.link, 0, {
        migration: run.id,
        vm: run.vm.config.id,
        pass: k,
        bytes,
        durationNs: ns,
        bytesPerS: ns === 0 ? 0 : Math.round((bytes * 1e9) / ns),
        dirtiedBytes: dirtied,
        remainingBytes: dirtied,
        memoryBytes: run.vm.config.memoryBytes,
        dirtyBytesPerS: dirtyRate,
      });
      if (!this.stillOn(run)) return;
      // The rate the remainder would go at now, the link shared as it is.
      const bytesPerS = this.links.shareOf(run);
      if (fitsWindow(dirtied, bytesPerS, rule.stopWindowNs)) return this.blackout(run, dirtied, true);
      // vSphere 4: a pass that left as much to send as it sent made no forward progress; the vMotion fails and the VM runs on.
      if (rule.failsWithoutProgress && k >= 2 && dirtied >= bytes) return this.end.finish(run, 'failed', false, false);
      if (k >= rule.maxPasses) return this.blackout(run, dirtied, false);
      if (rule.sdpsShare !== null && dirtied >= bytes && dirtyRate > rule.sdpsShare * bytesPerS) {
        // SDPS: the pass did not shrink the dirty set; slow the vCPUs so the guest dirties less than the link sends.
        run.sdpsCap = Math.floor(rule.sdpsShare * bytesPerS);
        this.c.emit(run.s, 'cluster.migration.phase', this.c.link, 0, { migration: run.id, vm: run.vm.config.id, phase: 'sdps' });
      }
      this.pass(run, k + 1, dirtied, declaredRate);
    });
  }

  /** Stop and copy: the VM paused, its last dirty bytes sent as a flow sharing the link, then the switchover (its record). */
  private blackout(run: MigrationRun, remainder: number, converged: boolean): void {
    run.blackoutStartNs = this.c.sim.now;
    this.c.setState(run.vm, 'blackout', run.s);
    this.links.send(run, remainder, () => {
      run.totalBytes += remainder;
      const fields = { migration: run.id, vm: run.vm.config.id, bytes: remainder, sentNs: this.c.sim.now - run.blackoutStartNs };
      this.c.step(run.s, 'cluster.migration.blackout', this.c.link, run.rule!.switchoverNs, fields, () => {
        if (run.ended) return; // aborted already (\`Migrations.hostDown\`)
        if (!this.c.hosts.get(run.to)!.alive) {
          // The target died during the switchover: the VM resumes where it was, if that host still runs.
          if (this.c.hosts.get(run.from)!.alive) this.c.setState(run.vm, 'running', run.s);
          this.end.finish(run, 'aborted', converged, !converged);
          return;
        }
        run.vm.host = run.to;
        this.c.setState(run.vm, 'running', run.s);
        this.end.finish(run, 'completed', converged, !converged);
      });
    });
  }
}
