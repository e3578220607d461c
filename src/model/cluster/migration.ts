/**
 * Migrations (row c): live migration and vMotion pre-copy pass by pass with
 * the real stop rules (`precopy.ts`), then the stop-and-copy blackout; as
 * many live migrations at once per host as the platform allows (one on
 * WS2008 R2, two on WS2012 R2 by default), the others queued; those sending
 * share their hosts' links (`migration-links.ts`); quick
 * migration through the VM's life cycle (its own save and restore, the LUN
 * moved between) or, with no disk for a state file, in chunks at the
 * storage's declared rates. Part of `ClusterModel` (`cluster.ts`), on its
 * shared state (`cluster-state.ts`).
 */
import { startProcess, type ProcessBody } from '../../engine/index.js';
import type { VmLifecycle } from '../lifecycle/vm-lifecycle.js';
import { strand, type Strand } from '../tracer.js';
import { clusterDefault } from './cluster-costs.js';
import type { MigrationPhase } from './cluster-events.js';
import type { ClusterState, VmRuntime } from './cluster-state.js';
import { linkBytesPerS, MigrationLinks, type Sender } from './migration-links.js';
import { closedFormPrecopy, dirtiedBytes, fitsWindow, meanRate, precopyRule, quickFormula, sendNs, type PrecopyRule } from './precopy.js';

/** Memory is saved and restored in chunks of this size: one record each (quick migration without a life cycle). */
export const STATE_CHUNK_BYTES = 256 * 1024 * 1024;

export class Migrations {
  private migrations = 0;
  /** Live migrations and vMotions under way (begun, not finished); each host takes part in at most `network.simultaneous` at once. */
  private readonly moving = new Set<MigrationRun>();
  /** Live migrations and vMotions waiting for their hosts, in the order asked. */
  private readonly waiting: MigrationRun[] = [];
  /** Memory on the wire now (a pass, or a blackout's final copy), one flow per migration, sharing the hosts' links. */
  private readonly links: MigrationLinks;

  constructor(private readonly c: ClusterState) {
    this.links = new MigrationLinks(c.sim);
    c.hostDownListeners.push((host, s) => this.hostDown(host, s));
  }

  /**
   * The cluster declared `host` down: a live migration or vMotion from or to
   * it, under way or queued, ends now, aborted (its connection to the dead host is gone), instead of
   * when its pass would have ended; a VM paused for its switchover runs on
   * where it was if that host is up.
   */
  private hostDown(host: string, s: Strand): void {
    // One still queued for a slot on the dead host ends too, at once: it can never run (its source's VM failed
    // with it, or its target is gone), and until now it kept its VM busy, refusing any other move or backup of
    // it, until a migration on its other host ended (row c.2: Hyper-V moves a VM between two live nodes only).
    for (const run of this.waiting.filter((r) => r.from === host || r.to === host)) {
      this.waiting.splice(this.waiting.indexOf(run), 1);
      run.startNs = this.c.sim.now; // the figures time the migration itself; the wait shows as the queued phase
      this.finish(run, 'aborted', false, false);
    }
    for (const run of [...this.moving]) {
      if (run.from !== host && run.to !== host) continue;
      if (run.vm.state === 'blackout' && this.c.hosts.get(run.from)!.alive) this.c.setState(run.vm, 'running', s);
      this.finish(run, 'aborted', false, false);
    }
  }

  migrate(method: 'quick' | 'live' | 'vmotion', vmId: string, to: string, maxPasses: number | null, gbps: number | null, s: Strand): void {
    const vm = this.c.vms.get(vmId)!;
    const from = vm.host;
    const action = method === 'quick' ? 'quick-migrate' : method === 'live' ? 'live-migrate' : 'vmotion';
    const lifeState = this.c.lifecycle(vmId)?.state ?? 'Running';
    // An Off or Saved VM is an offline cluster group: a quick migration ("move") of it moves the group only.
    const offline = method === 'quick' && (lifeState === 'Off' || lifeState === 'Saved') && vm.state === 'stopped';
    const why =
      vm.busy ? 'a migration or backup of this VM is under way'
      : offline ? null
      : lifeState !== 'Running'
        ? `the VM is ${lifeState} (its life cycle), not running${method === 'quick' ? '' : ': a live migration moves a running VM (a quick migration moves an Off or Saved one offline)'}`
      : vm.state !== 'running' ? `the VM is ${vm.state}, not running`
      : from === to ? `the VM already runs on ${to}`
      // Refused only once the cluster knows (declared down); a target that has failed unnoticed is tried: the
      // move starts and ends aborted when it finds the host gone (setup's end, the declaration, or a quick
      // migration's restore on its source). Before, it was refused at once, on knowledge nobody had yet.
      : !this.c.hosts.get(to)!.alive && this.c.hosts.get(to)!.declared ? `the target host ${to} is down`
      : null;
    if (why !== null) {
      this.c.refuse(action, vmId, to, why, s);
      return;
    }
    const id = this.migrations++;
    vm.busy = true;
    this.c.activeOps++;
    const startNs = this.c.sim.now;
    const network = gbps === null ? this.c.config.network : { ...this.c.config.network, gbps, bytesPerS: linkBytesPerS(gbps, null), linkBytesPerS: linkBytesPerS(gbps, clusterDefault('lm_link_share_max')) };
    const rule = method === 'quick' ? null : precopyRule(method, this.c.config.platform, network, maxPasses);
    this.c.emit(s, 'cluster.migration.started', this.c.link, 0, {
      migration: id,
      vm: vmId,
      from,
      to,
      method,
      memoryBytes: vm.config.memoryBytes,
      linkBytesPerS: method === 'quick' ? this.c.config.storage.writeBytesPerS : network.bytesPerS,
      maxPasses: rule?.maxPasses ?? 0,
    });
    const run: MigrationRun = {
      id,
      method,
      vm,
      from,
      to,
      startNs,
      s,
      rule,
      network: gbps === null ? 'cluster' : `${gbps} Gb/s`,
      bytesPerS: network.bytesPerS,
      linkBytesPerS: network.linkBytesPerS,
      passes: [],
      totalBytes: 0,
      blackoutStartNs: 0,
      // Set as each pass begins (`startMeasuring`).
      measuredAtNs: 0,
      measuredBytes: 0,
      sdpsCap: null,
      rates: [],
      viaLifecycle: false,
      offline,
      saveNs: 0,
      moveNs: 0,
      restoreNs: 0,
      flow: null,
    };
    if (offline) return this.offlineMove(run);
    if (method === 'quick') return this.quickMigration(run);
    // At most `simultaneous` per node at once, as source or target (R: Windows Server 2008 R2 ran one per node,
    // WS2012 R2 two by default; vMotion is kept to one per host, E: vSphere 4.1 allows 4); moves between other
    // hosts go at once, each on its own hosts' links. The others queue.
    if (this.busy(from) || this.busy(to)) {
      this.waiting.push(run);
      this.c.emit(s, 'cluster.migration.phase', this.c.link, 0, { migration: id, vm: vmId, phase: 'queued' });
      return;
    }
    this.begin(run);
  }

  /** How many live migrations or vMotions under way leave or enter `host`. */
  private runsOn(host: string): number {
    let n = 0;
    for (const run of this.moving) if (run.from === host || run.to === host) n++;
    return n;
  }

  /** Whether `host` takes part in as many live migrations or vMotions as it may at once. */
  private busy(host: string): boolean {
    return this.runsOn(host) >= this.c.config.network.simultaneous;
  }

  /** A live migration or vMotion takes its two hosts and starts. */
  private begin(run: MigrationRun): void {
    this.moving.add(run);
    this.setupPhases(run);
  }

  /** Whether both hosts of the migration still run. */
  private hostsUp(run: MigrationRun): boolean {
    return this.c.hosts.get(run.from)!.alive && this.c.hosts.get(run.to)!.alive;
  }

  /** Whether the migration can go on; if a host failed under it, it ends here (aborted). */
  private stillOn(run: MigrationRun): boolean {
    if (run.ended) return false; // aborted already (`hostDown`)
    if (this.hostsUp(run)) return true;
    this.finish(run, 'aborted', false, false);
    return false;
  }

  private setupPhases(run: MigrationRun): void {
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
      if (rule.failsWithoutProgress && k >= 2 && dirtied >= bytes) return this.finish(run, 'failed', false, false);
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
        if (run.ended) return; // aborted already (\`hostDown\`)
        if (!this.c.hosts.get(run.to)!.alive) {
          // The target died during the switchover: the VM resumes where it was, if that host still runs.
          if (this.c.hosts.get(run.from)!.alive) this.c.setState(run.vm, 'running', run.s);
          this.finish(run, 'aborted', converged, !converged);
          return;
        }
        run.vm.host = run.to;
        this.c.setState(run.vm, 'running', run.s);
        this.finish(run, 'completed', converged, !converged);
      });
    });
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
  private quickMigration(run: MigrationRun): void {
    const life = this.c.lifecycle(run.vm.config.id);
    if (life !== null && life.state === 'Running' && life.canSaveState()) {
      startProcess(this.c.sim, this.quickThroughLifecycle(run, life), `${run.vm.config.id} quick migration`);
      return;
    }
    const { storage } = this.c.config;
    const vm = run.vm;
    const alive = (host: string): boolean => this.c.hosts.get(host)!.alive;
    run.blackoutStartNs = this.c.sim.now;
    this.c.setState(vm, 'saving', run.s);
    this.chunks(run, 'save', storage.writeBytesPerS, run.from, (saved) => {
      // The source failed under the save: the VM failed with it (\`Failover.failHost\`) and the failover owns it.
      if (!saved) return this.finish(run, 'aborted', false, false);
      if (!alive(run.to)) return this.restoreOnSource(run, false);
      this.c.setState(vm, 'moving', run.s);
      this.lunMove(run, () => {
        if (!alive(run.from)) return this.finish(run, 'aborted', false, false); // failed with its source, as above
        if (!alive(run.to)) return this.restoreOnSource(run, true);
        vm.host = run.to;
        run.moveNs += clusterDefault('vm_provision');
        this.c.step(run.s, 'cluster.migration.phase', this.c.hosts.get(run.to)!.place, clusterDefault('vm_provision'), { migration: run.id, vm: vm.config.id, phase: 'provision' }, () => {
          // The target failed while the VM was being provisioned on it: the VM failed with it and the failover owns it.
          if (!alive(run.to)) return this.finish(run, 'aborted', false, false);
          this.c.setState(vm, 'restoring', run.s);
          this.chunks(run, 'restore', storage.readBytesPerS, run.to, (restored) => {
            if (!restored) return this.finish(run, 'aborted', false, false); // as for the provision
            this.c.setState(vm, 'running', run.s);
            this.finish(run, 'completed', false, false);
          });
        });
      });
    });
  }

  /**
   * The target failed under a quick migration (without a life cycle) after
   * the source saved the VM: the VM is restored from its saved state on
   * the source, as \`afterAbort\` does through the life cycle, the cluster
   * disk first moved back if it had left (row c.2: the LUN dismounted and
   * mounted again, E), and the migration ends, aborted, once the VM runs
   * there. If the source fails meanwhile, the VM fails with it and the
   * failover owns it; the migration ends then.
   */
  private restoreOnSource(run: MigrationRun, moveBack: boolean): void {
    const vm = run.vm;
    // The migration ends, aborted, when the VM runs again on its source (or when the source fails first): its
    // blackout is the whole outage the client sees, the save and the restore (before, it ended at the save's end,
    // so an outage of ~29.5 s was reported as a 14.3 s blackout).
    const restore = (): void => {
      if (!this.c.hosts.get(run.from)!.alive) return this.finish(run, 'aborted', false, false);
      this.c.setState(vm, 'restoring', run.s);
      this.chunks(run, 'restore', this.c.config.storage.readBytesPerS, run.from, (restored) => {
        if (restored) this.c.setState(vm, 'running', run.s);
        this.finish(run, 'aborted', false, false);
      });
    };
    if (moveBack) this.lunMove(run, restore);
    else restore();
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
  private offlineMove(run: MigrationRun): void {
    this.lunMove(run, () => {
      if (this.c.hosts.get(run.from)!.alive && this.c.hosts.get(run.to)!.alive) {
        run.vm.host = run.to;
        this.c.setState(run.vm, run.vm.state, run.s);
        run.blackoutStartNs = this.c.sim.now; // it was offline before: the move adds no outage
        return this.finish(run, 'completed', false, false);
      }
      run.blackoutStartNs = this.c.sim.now;
      this.finish(run, 'aborted', false, false);
    });
  }

  /** The cluster disk moved to the target (lun-per-vm: dismount, mount), or only the VM group's owner (CSV). */
  private lunMove(run: MigrationRun, next: () => void): void {
    const { storage } = this.c.config;
    const [phase, ns]: [MigrationPhase, number] = storage.kind === 'csv' ? ['owner-move', clusterDefault('csv_owner_move')] : ['lun-move', storage.lunMoveNs];
    run.moveNs += ns;
    this.c.step(run.s, 'cluster.migration.phase', this.c.storage, ns, { migration: run.id, vm: run.vm.config.id, phase }, next);
  }

  /**
   * A host failed under a quick migration after the VM was saved: the VM is
   * restored from its saved state on the host it is still on if that one
   * runs (its I/O goes on), the cluster disk first moved back if it had
   * left (\`moveBack\`: the run whose LUN move ended; E, as \`restoreOnSource\`);
   * if that host is the one that failed, the failover takes it (its
   * requests stay held, and the run names them if they never complete).
   */
  private *afterAbort(run: MigrationRun, life: VmLifecycle, moveBack: boolean): ProcessBody<void> {
    const vm = run.vm;
    const from = run.from;
    vm.lifeDriven = false;
    const onSource = (): boolean => vm.host === from && this.c.hosts.get(vm.host)!.alive && life.state === 'Saved';
    if (onSource() && moveBack) yield* this.c.waitFor((next) => this.lunMove(run, next));
    if (!onSource()) {
      // The source failed: its save went with it, and the failover owns the VM (it may be booting it elsewhere
      // already); the VM's own state follows the cluster's from here, as for any VM of a failed host.
      this.finish(run, 'aborted', false, false);
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
    this.finish(run, 'aborted', false, false);
  }

  /** Quick migration as the life cycle's save, the LUN move, the life cycle's restore (on the target). */
  private *quickThroughLifecycle(run: MigrationRun, life: VmLifecycle): ProcessBody<void> {
    const vm = run.vm;
    const id = vm.config.id;
    // The source failed between the migration's start and this process's first step (the same instant): the VM
    // failed with it and the failover owns it; nothing is saved. Before, the VM was set saving, its save refused (it
    // was Off with its host), and it was set running on the dead host, then moved running by the declaration, unbooted.
    if (!this.c.hosts.get(run.from)!.alive) {
      run.blackoutStartNs = this.c.sim.now; // the migration took nothing offline: the failure did
      return this.finish(run, 'aborted', false, false);
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
      this.finish(run, 'aborted', false, false);
      return;
    }
    run.totalBytes += vm.config.memoryBytes;
    if (!this.hostsUp(run)) return yield* this.afterAbort(run, life, false);
    this.c.setState(vm, 'moving', run.s);
    yield* this.c.waitFor((next) => this.lunMove(run, next));
    if (!this.hostsUp(run)) return yield* this.afterAbort(run, life, true);
    vm.host = run.to;
    this.c.setState(vm, 'restoring', run.s);
    this.c.emit(run.s, 'cluster.migration.phase', this.c.hosts.get(run.to)!.place, 0, { migration: run.id, vm: id, phase: 'restore' });
    const restored = yield* life.perform('restore');
    run.restoreNs = restored.durationNs;
    run.totalBytes += vm.config.memoryBytes;
    vm.lifeDriven = false;
    if (!restored.accepted || !this.c.hosts.get(run.to)!.alive) {
      // The target failed during the restore: the VM failed with it; its life cycle shows it down with its host (as above).
      this.c.gate(vm, run.s);
      return this.finish(run, 'aborted', false, false);
    }
    this.c.setState(vm, 'running', run.s);
    this.finish(run, 'completed', false, false);
  }

  /**
   * The VM's memory saved or restored chunk by chunk on \`host\`, then \`done(true)\`; \`done(false)\` at the
   * first chunk boundary after \`host\` failed (its save or restore went with it: no more chunks).
   */
  private chunks(run: { id: number; vm: VmRuntime; s: Strand; totalBytes: number; saveNs: number; restoreNs: number }, op: 'save' | 'restore', bytesPerS: number, host: string, done: (ok: boolean) => void): void {
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

  private finish(run: MigrationRun, outcome: 'completed' | 'aborted' | 'failed', converged: boolean, capped: boolean): void {
    run.ended = true;
    this.moving.delete(run);
    // A pass or final copy cut short (aborted): the bytes it had sent count in totalBytes (before, none did, so a
    // migration aborted in its first pass reported 0 bytes after sending gigabytes, and one aborted in its final
    // copy counted the whole remainder).
    // Counted until a host under it failed, if one did: a dead peer takes nothing more (E: TCP stalls within a window).
    const failedAt = [run.from, run.to].map((h) => this.c.hosts.get(h)!).filter((h) => !h.alive).map((h) => h.failedAtNs);
    run.totalBytes += this.links.drop(run, Math.min(this.c.sim.now, ...failedAt));
    const totalNs = this.c.sim.now - run.startNs;
    const blackoutNs = run.blackoutStartNs === 0 && run.method !== 'quick' ? 0 : this.c.sim.now - run.blackoutStartNs;
    const vmc = run.vm.config;
    // The closed form's dirty rate: declared, or the passes' time-weighted mean when it came from the workloads.
    const dirty = vmc.dirtyFromWorkloads ? meanRate(run.rates) : vmc.dirtyBytesPerS;
    const formula =
      run.offline
        ? { totalNs: run.moveNs, blackoutNs: 0 }
        : run.rule === null
        ? quickFormula(vmc.memoryBytes, this.c.config, run.viaLifecycle, this.c.lifecycle(vmc.id)?.stateDiskBytesPerS ?? null)
        : closedFormPrecopy(vmc.memoryBytes, dirty, vmc.workingSetBytes, run.bytesPerS, run.rule);
    // The heartbeat a pause must not outlast: the copy group's own for one of its members (it evicts on it), else the hosts'.
    const exchange = this.c.config.exchange;
    const threshold = exchange !== null && exchange.members.includes(vmc.id) ? exchange.threshold : this.c.config.heartbeat.threshold;
    const heartbeatNs = this.c.config.heartbeat.intervalNs * threshold;
    this.c.emit(run.s, 'cluster.migration.completed', this.c.hosts.get(run.vm.host)!.place, 0, {
      migration: run.id,
      vm: vmc.id,
      method: run.method,
      to: run.to,
      outcome,
      formulaTotalNs: Math.round(formula.totalNs),
      formulaBlackoutNs: Math.round(formula.blackoutNs),
      ...(run.rule !== null && run.rule.sdpsShare !== null
        ? { formulaWithoutSdpsBlackoutNs: Math.round(closedFormPrecopy(vmc.memoryBytes, dirty, vmc.workingSetBytes, run.bytesPerS, { ...run.rule, sdpsShare: null }).blackoutNs) }
        : {}),
      totalNs,
      totalBytes: run.totalBytes,
      blackoutNs,
      passes: run.passes.length,
      converged,
      capped,
      exceedsHeartbeat: blackoutNs > heartbeatNs,
      exceedsTcpTimeout: blackoutNs > this.c.config.tcpTimeoutNs,
      ...(run.method === 'quick' ? { saveNs: run.saveNs, moveNs: run.moveNs, restoreNs: run.restoreNs, throughLifecycle: run.viaLifecycle } : {}),
      ...(run.offline ? { offline: true } : {}),
    });
    run.vm.busy = false;
    this.c.activeOps--;
    if (run.method !== 'quick') {
      // Those waiting whose hosts are now free start, in the order asked.
      for (let i = 0; i < this.waiting.length; ) {
        const next = this.waiting[i]!;
        if (this.busy(next.from) || this.busy(next.to)) {
          i++;
          continue;
        }
        this.waiting.splice(i, 1);
        next.startNs = this.c.sim.now; // the figures time the migration itself; the wait shows as the queued phase
        this.begin(next);
      }
    }
  }
}

interface MigrationRun extends Sender {
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
  /** Quick migration of an Off or Saved VM: its cluster group moved, nothing saved or restored (`offlineMove`). */
  offline: boolean;
  saveNs: number;
  moveNs: number;
  restoreNs: number;
}
