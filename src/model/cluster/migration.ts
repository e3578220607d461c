/**
 * Migrations (row c): each move asked for, refused or started, and ended
 * with its record (`cluster.migration.completed`, beside the closed form's
 * figures). Live migrations and vMotions run as many at once per host as
 * the platform allows (one on WS2008 R2, two on WS2012 R2 by default), the
 * others queued; once a move has its hosts, `live-migration.ts` runs its
 * pre-copy passes and blackout, sharing the hosts' links
 * (`migration-links.ts`), and `quick-migration.ts` a quick migration
 * through the VM's life cycle or in chunks on the shared storage. A host
 * declared down ends the migrations it takes part in. Part of
 * `ClusterModel` (`cluster.ts`), on its shared state (`cluster-state.ts`).
 */
import type { Strand } from '../tracer.js';
import { clusterDefault } from './cluster-costs.js';
import type { ClusterState } from './cluster-state.js';
import { LiveMigration } from './live-migration.js';
import { linkBytesPerS, MigrationLinks } from './migration-links.js';
import type { MigrationEnd, MigrationOutcome, MigrationRun } from './migration-run.js';
import { closedFormPrecopy, meanRate, precopyRule, quickFormula } from './precopy.js';
import { QuickMigration } from './quick-migration.js';

export class Migrations implements MigrationEnd {
  private migrations = 0;
  /** Live migrations and vMotions under way (begun, not finished); each host takes part in at most `network.simultaneous` at once. */
  private readonly moving = new Set<MigrationRun>();
  /** Live migrations and vMotions waiting for their hosts, in the order asked. */
  private readonly waiting: MigrationRun[] = [];
  /** Memory on the wire now (a pass, or a blackout's final copy), one flow per migration, sharing the hosts' links. */
  private readonly links: MigrationLinks;
  private readonly live: LiveMigration;
  private readonly quick: QuickMigration;

  constructor(private readonly c: ClusterState) {
    this.links = new MigrationLinks(c.sim);
    this.live = new LiveMigration(c, this.links, this);
    this.quick = new QuickMigration(c, this);
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
    if (offline) return this.quick.offline(run);
    if (method === 'quick') return this.quick.start(run);
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
    this.live.start(run);
  }

  /** Ends `run` (`MigrationEnd`): its record, its hosts' slots freed for the migrations waiting. */
  finish(run: MigrationRun, outcome: MigrationOutcome, converged: boolean, capped: boolean): void {
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
