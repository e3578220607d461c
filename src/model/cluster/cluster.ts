/**
 * The cluster level (DESIGN §8): several hosts, the VMs on them, shared
 * storage, the migration link, heartbeats, high availability, an Exchange
 * copy group, clients and backups, on the same `Simulation` and trace as
 * the I/O model of the one host it details. It works in milliseconds to
 * minutes and emits coarse records (`cluster-events.ts`): one per
 * heartbeat round, pre-copy pass, chunk of saved memory or backup step.
 *
 * What each part does, and where its numbers come from (`cluster-costs.ts`):
 * - live migration and vMotion: pre-copy pass by pass with the real stop
 *   rules (`precopy.ts`), then the stop-and-copy blackout;
 * - quick migration: the VM's memory saved to the shared LUN in chunks, the
 *   LUN moved (or, on a CSV, only the VM's owner), the VM provisioned and
 *   its memory read back: offline throughout;
 * - host failure: the host stops answering heartbeats; after the threshold
 *   the cluster declares it down and restarts its VMs elsewhere, by restart
 *   priority, on the host with the most free memory that holds no other copy
 *   of the same Exchange group (placement, the LUN brought online, a cold
 *   boot, the services);
 * - an Exchange copy group (CCR, SCC, DAG) watches its members with its own
 *   heartbeats and moves the active databases to another copy instead;
 * - clients poll a VM (or the active databases) and report each gap;
 * - backups: host-level VSS through the backup integration service, saved
 *   state when the guest has none, in-guest, or VMware Consolidated Backup.
 */
import { SimEvent, startProcess, type ProcessBody, type Simulation } from '../../engine/index.js';
import type { VmLifecycle } from '../lifecycle/vm-lifecycle.js';
import type { Place } from '../topology.js';
import { strand, type Strand, type Tracer } from '../tracer.js';
import type { KindFields } from '../trace-events.js';
import { clusterDefault } from './cluster-costs.js';
import type { BackupMethod, ClusterActionConfig, ClusterConfig, ClusterVmConfig } from './cluster-config.js';
import type { BackupStep, ClusterKindFields, ClusterVmState, MigrationPhase } from './cluster-events.js';
import { closedFormPrecopy, dirtiedBytes, fitsWindow, precopyRule, sendNs, type PrecopyRule } from './precopy.js';

/** Memory is saved and restored in chunks of this size: one record each. */
export const STATE_CHUNK_BYTES = 256 * 1024 * 1024;

const AVAILABLE: ReadonlySet<ClusterVmState> = new Set(['running', 'frozen']);

/**
 * States in which the guest's virtual processors do not run, so its I/O on
 * the detailed host is held at the life cycle's gates until it runs again
 * (quick migration through the life cycle holds it by its own save instead).
 */
const HOLDS_IO: ReadonlySet<ClusterVmState> = new Set(['blackout', 'saving', 'moving', 'restoring', 'failed', 'booting', 'starting-services', 'saved-for-backup']);

/** What the world gives the cluster of the detailed host. */
export interface ClusterHooks {
  /** Bytes the VM's workloads on the detailed host have written so far (for a dirty rate taken from them). */
  writtenBytes?(vm: string): number;
  /** The VM's life cycle on the detailed host (its save and restore, the gates its requests pass), or null. */
  lifecycle?(vm: string): VmLifecycle | null;
}

interface HostRuntime {
  id: string;
  place: Place;
  alive: boolean;
  failedAtNs: number;
  declared: boolean;
  lastBeatRound: number;
}

interface VmRuntime {
  config: ClusterVmConfig;
  host: string;
  state: ClusterVmState;
  place: Place;
  /** When it stopped serving, or null while it serves. */
  unavailableSinceNs: number | null;
  /** A migration or backup holds it. */
  busy: boolean;
  /** Cold boots so far: a client's connection does not survive one. */
  boots: number;
  /** The DAG member missed its heartbeats during the current outage (evicted once per outage). */
  evicted: boolean;
  /** The copy group's heartbeat round it last answered. */
  lastBeatRound: number;
  /** The cluster froze its guest (its I/O is held) and must thaw it when it runs again. */
  frozen: boolean;
  /** Its life cycle drives its states now (a quick migration saving and restoring through it): no freeze of the cluster's own. */
  lifeDriven: boolean;
}

interface ClientRuntime {
  id: string;
  vm: string | null;
  intervalNs: number;
  lastAnsweredNs: number;
  lostAt: number | null;
  /** The target VM's boot count, or the database's mount count, when the gap began. */
  epoch: number;
}

type ClusterKind = keyof ClusterKindFields;

/** The cluster, built on a world's simulation and tracer. */
export class ClusterModel {
  private readonly hosts = new Map<string, HostRuntime>();
  private readonly vms = new Map<string, VmRuntime>();
  private readonly clients: ClientRuntime[] = [];
  private readonly link: Place;
  private readonly storage: Place;
  private readonly exchangePlace: Place;
  private round = 0;
  private pendingActions = 0;
  private activeOps = 0;
  private migrations = 0;
  private backups = 0;
  private heartbeatLoop = false;
  /** The CSV's coordinator node now. */
  private coordinator: string;
  /** Migrations waiting for a busy migration network, by link speed (present while a migration uses it). */
  private readonly linkQueues = new Map<string, MigrationRun[]>();
  private clientLoop = false;
  /** Exchange: the member holding the active databases, whether they are moving, and how often they were mounted. */
  private activeCopy: string | null = null;
  private dbMoving = false;
  private dbUnavailableSinceNs: number | null = null;
  private dbMounts = 0;
  private readonly writtenBytes: ((vm: string) => number) | undefined;
  /** Backups holding the CSV in redirected access now (R2: for the length of a host-level VSS backup). */
  private csvRedirected = 0;
  private readonly lifecycle: (vm: string) => VmLifecycle | null;

  constructor(
    private readonly sim: Simulation,
    private readonly tracer: Tracer,
    readonly config: ClusterConfig,
    /** What the detailed host offers: its workloads' written bytes, the VMs' life cycles. */
    hooks: ClusterHooks = {},
  ) {
    this.writtenBytes = hooks.writtenBytes;
    this.lifecycle = hooks.lifecycle ?? (() => null);
    const place = (id: string, label: string, band: Place['band'], role: Place['role']): Place => ({ id, label, partition: 'cluster', band, role });
    for (const id of config.hosts) this.hosts.set(id, { id, place: place(`cluster.host.${id}`, `Host ${id}`, 'hardware', 'cpu'), alive: true, failedAtNs: 0, declared: false, lastBeatRound: 0 });
    for (const vm of config.vms) {
      this.vms.set(vm.id, { config: vm, host: vm.host, state: 'running', place: place(`cluster.vm.${vm.id}`, vm.id, 'guest-user', 'app'), unavailableSinceNs: null, busy: false, boots: 0, evicted: false, lastBeatRound: 0, frozen: false, lifeDriven: false });
    }
    this.link = place('cluster.link', 'Migration network', 'hardware', 'nic');
    this.storage = place('cluster.storage', config.storage.kind === 'csv' ? 'Cluster Shared Volume' : 'Shared LUNs', 'hardware', 'disk');
    this.exchangePlace = place('cluster.exchange', 'Exchange databases', 'guest-user', 'app');
    this.coordinator = config.storage.coordinator;
    if (config.exchange !== null) this.activeCopy = config.exchange.members[0] ?? null;
    for (const c of config.clients) this.clients.push({ id: c.id, vm: c.vm, intervalNs: c.intervalNs, lastAnsweredNs: 0, lostAt: null, epoch: 0 });
    this.sim.scheduleAt(0, () => this.form());
    for (const action of config.actions) {
      this.pendingActions++;
      this.sim.scheduleAt(action.atNs, () => {
        this.pendingActions--;
        this.perform(action);
      });
    }
  }

  // ---------------------------------------------------------------- records

  private emit<K extends ClusterKind>(s: Strand, kind: K, place: Place, costNs: number, fields: ClusterKindFields[K]): void {
    this.tracer.emit(s, kind, place, costNs, costNs > 0 ? 'device' : 'none', fields as KindFields[K]);
  }

  private form(): void {
    const vms = [...this.vms.values()];
    this.emit(strand('', -1), 'cluster.formed', this.storage, 0, {
      hosts: [...this.hosts.keys()],
      vms: vms.map((v) => v.config.id),
      vmHosts: vms.map((v) => v.host),
      vmMemoryBytes: vms.map((v) => v.config.memoryBytes),
      storage: this.config.storage.kind,
      coordinator: this.config.storage.coordinator,
      linkGbps: this.config.network.gbps,
      linkBytesPerS: this.config.network.bytesPerS,
      ha: this.config.ha.kind,
      ioHost: this.config.ioHost,
      clients: this.clients.map((c) => c.id),
      databasesOn: this.activeCopy ?? '',
    });
    this.wake();
  }

  /** Whether the cluster has anything left to do (heartbeats and clients run only while it has). */
  private active(): boolean {
    return (
      this.pendingActions > 0 ||
      this.activeOps > 0 ||
      [...this.hosts.values()].some((h) => !h.alive && !h.declared) ||
      this.dbMoving ||
      [...this.vms.values()].some((v) => v.unavailableSinceNs !== null && v.state !== 'failed') ||
      this.clients.some((c) => c.lostAt !== null)
    );
  }

  /** Starts the heartbeat and client loops if they sleep. */
  private wake(): void {
    if (!this.heartbeatLoop && this.active()) {
      this.heartbeatLoop = true;
      this.sim.schedule(this.config.heartbeat.intervalNs, () => this.heartbeat());
    }
    if (!this.clientLoop && this.clients.length > 0 && this.active()) {
      this.clientLoop = true;
      for (const c of this.clients) this.sim.schedule(c.intervalNs, () => this.poll(c));
    }
  }

  private setState(vm: VmRuntime, state: ClusterVmState, s: Strand): void {
    const wasServing = AVAILABLE.has(vm.state);
    vm.state = state;
    const serving = AVAILABLE.has(state);
    if (wasServing && !serving) {
      vm.unavailableSinceNs = this.sim.now;
      if (this.activeCopy === vm.config.id && this.dbUnavailableSinceNs === null) this.dbUnavailableSinceNs = this.sim.now;
    }
    if (!wasServing && serving) {
      vm.unavailableSinceNs = null;
      vm.evicted = false;
      if (this.activeCopy === vm.config.id && !this.dbMoving) this.dbUnavailableSinceNs = null;
    }
    this.emit(s, 'cluster.vm.changed', this.hosts.get(vm.host)!.place, 0, { vm: vm.config.id, host: vm.host, state });
    this.gate(vm, s);
  }

  /**
   * Holds the guest's I/O on the detailed host while its processors do not
   * run (a blackout, a coarse save, a failed host until the restart) and
   * lets it go when the VM runs again: its requests wait and complete after
   * the gap, their latency showing it; none is lost.
   */
  private gate(vm: VmRuntime, s: Strand): void {
    if (vm.lifeDriven) return;
    const life = this.lifecycle(vm.config.id);
    if (life === null) return;
    if (HOLDS_IO.has(vm.state) && !vm.frozen) vm.frozen = life.freeze(s);
    else if (!HOLDS_IO.has(vm.state) && vm.frozen) {
      vm.frozen = false;
      life.thaw(s);
    }
  }

  // ---------------------------------------------------------------- actions

  private perform(action: ClusterActionConfig): void {
    const s = strand('', -1);
    if (action.do === 'fail-host') this.failHost(action.host, s);
    else if (action.do === 'backup') this.backup(action.vm, action.method, action.type, s);
    else this.migrate(action.do === 'quick-migrate' ? 'quick' : action.do === 'live-migrate' ? 'live' : 'vmotion', action.vm, action.to, action.maxPasses, action.gbps, s);
    this.wake();
  }

  private refuse(action: string, vm: string, host: string, why: string, s: Strand): void {
    this.emit(s, 'cluster.action.refused', this.hosts.get(host)?.place ?? this.storage, 0, { action, vm, host, why });
  }

  /** A step of `ns` at `place`, then `next` (a record, then the time it takes). */
  private step<K extends ClusterKind>(s: Strand, kind: K, place: Place, ns: number, fields: ClusterKindFields[K], next: () => void): void {
    this.emit(s, kind, place, ns, fields);
    this.sim.schedule(ns, next);
  }

  // ---------------------------------------------------------------- migration

  private migrate(method: 'quick' | 'live' | 'vmotion', vmId: string, to: string, maxPasses: number | null, gbps: number | null, s: Strand): void {
    const vm = this.vms.get(vmId)!;
    const from = vm.host;
    const action = method === 'quick' ? 'quick-migrate' : method === 'live' ? 'live-migrate' : 'vmotion';
    const why =
      vm.busy ? 'a migration or backup of this VM is under way'
      : vm.state !== 'running' ? `the VM is ${vm.state}, not running`
      : from === to ? `the VM already runs on ${to}`
      : !this.hosts.get(to)!.alive ? `the target host ${to} is down`
      : null;
    if (why !== null) {
      this.refuse(action, vmId, to, why, s);
      return;
    }
    const id = this.migrations++;
    vm.busy = true;
    this.activeOps++;
    const startNs = this.sim.now;
    const network = gbps === null ? this.config.network : { ...this.config.network, gbps, bytesPerS: linkBytesPerS(gbps, null) };
    const rule = method === 'quick' ? null : precopyRule(method, this.config.platform, network, maxPasses);
    this.emit(s, 'cluster.migration.started', this.link, 0, {
      migration: id,
      vm: vmId,
      from,
      to,
      method,
      memoryBytes: vm.config.memoryBytes,
      linkBytesPerS: method === 'quick' ? this.config.storage.writeBytesPerS : network.bytesPerS,
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
      bytesPerS: network.bytesPerS,
      linkKey: `${network.gbps}`,
      passes: [],
      totalBytes: 0,
      blackoutStartNs: 0,
      measuredAtNs: startNs,
      measuredBytes: this.writtenBytes?.(vmId) ?? 0,
      sdpsCap: null,
      rates: [],
      viaLifecycle: false,
      saveNs: 0,
      moveNs: 0,
      restoreNs: 0,
    };
    if (method === 'quick') return this.quickMigration(run);
    // One live migration at a time on a migration network (R: Windows Server 2008 R2 ran one per node at a time); the others queue.
    const queue = this.linkQueues.get(run.linkKey);
    if (queue !== undefined) {
      queue.push(run);
      this.emit(s, 'cluster.migration.phase', this.link, 0, { migration: id, vm: vmId, phase: 'queued' });
      return;
    }
    this.linkQueues.set(run.linkKey, []);
    this.setupPhases(run);
  }

  /** Whether the migration can go on; if a host failed under it, it ends here (aborted). */
  private stillOn(run: MigrationRun): boolean {
    if (this.hosts.get(run.from)!.alive && this.hosts.get(run.to)!.alive) return true;
    this.finish(run, 'aborted', false, false);
    return false;
  }

  private setupPhases(run: MigrationRun): void {
    const phases: [MigrationPhase, number][] = [['setup', this.config.network.setupNs]];
    if (run.method === 'vmotion') phases.push(['guest-trace', clusterDefault('vmotion_trace')]);
    const next = (i: number): void => {
      if (!this.stillOn(run)) return;
      if (i === phases.length) {
        this.pass(run, 1, run.vm.config.memoryBytes, run.vm.config.dirtyBytesPerS);
        return;
      }
      const [phase, ns] = phases[i]!;
      this.step(run.s, 'cluster.migration.phase', this.link, ns, { migration: run.id, vm: run.vm.config.id, phase }, () => next(i + 1));
    };
    next(0);
  }

  /**
   * The guest's dirty rate for the next pass: declared, or (`dirtyFromWorkloads`) what its workloads on the
   * detailed host wrote per second since the last pass began (the migration's start for the first: E, each
   * byte a guest writes to disk dirties a byte of its memory on the way, its I/O buffer), under SDPS's cap.
   */
  private dirtyRate(run: MigrationRun, declared: number): number {
    let rate = declared;
    if (run.vm.config.dirtyFromWorkloads && this.writtenBytes !== undefined) {
      const written = this.writtenBytes(run.vm.config.id);
      const ns = this.sim.now - run.measuredAtNs;
      rate = ns <= 0 ? 0 : Math.floor(((written - run.measuredBytes) * 1e9) / ns);
      run.measuredAtNs = this.sim.now;
      run.measuredBytes = written;
    }
    return run.sdpsCap === null ? rate : Math.min(rate, run.sdpsCap);
  }

  private pass(run: MigrationRun, k: number, bytes: number, declaredRate: number): void {
    const rule = run.rule!;
    const { bytesPerS } = run;
    const dirtyRate = this.dirtyRate(run, declaredRate);
    run.rates.push({ rate: dirtyRate, ns: 0 });
    const ns = sendNs(bytes, bytesPerS);
    run.rates[run.rates.length - 1]!.ns = ns;
    const dirtied = dirtiedBytes(ns, dirtyRate, run.vm.config.workingSetBytes);
    run.passes.push({ bytes, ns });
    run.totalBytes += bytes;
    this.step(
      run.s,
      'cluster.migration.pass',
      this.link,
      ns,
      { migration: run.id, vm: run.vm.config.id, pass: k, bytes, dirtiedBytes: dirtied, remainingBytes: dirtied, memoryBytes: run.vm.config.memoryBytes, dirtyBytesPerS: dirtyRate },
      () => {
        if (!this.stillOn(run)) return;
        if (fitsWindow(dirtied, bytesPerS, rule.stopWindowNs)) return this.blackout(run, dirtied, true);
        if (k >= rule.maxPasses) return this.blackout(run, dirtied, false);
        if (rule.sdpsShare !== null && dirtied >= bytes && dirtyRate > rule.sdpsShare * bytesPerS) {
          // SDPS: the pass did not shrink the dirty set; slow the vCPUs so the guest dirties less than the link sends.
          run.sdpsCap = Math.floor(rule.sdpsShare * bytesPerS);
          this.emit(run.s, 'cluster.migration.phase', this.link, 0, { migration: run.id, vm: run.vm.config.id, phase: 'sdps' });
        }
        this.pass(run, k + 1, dirtied, declaredRate);
      },
    );
  }

  private blackout(run: MigrationRun, remainder: number, converged: boolean): void {
    const ns = sendNs(remainder, run.bytesPerS) + run.rule!.switchoverNs;
    run.blackoutStartNs = this.sim.now;
    run.totalBytes += remainder;
    this.setState(run.vm, 'blackout', run.s);
    this.step(run.s, 'cluster.migration.blackout', this.link, ns, { migration: run.id, vm: run.vm.config.id, bytes: remainder }, () => {
      if (!this.hosts.get(run.to)!.alive) {
        // The target died during the switchover: the VM resumes where it was, if that host still runs.
        if (this.hosts.get(run.from)!.alive) this.setState(run.vm, 'running', run.s);
        this.finish(run, 'aborted', converged, !converged);
        return;
      }
      run.vm.host = run.to;
      this.setState(run.vm, 'running', run.s);
      this.finish(run, 'completed', converged, !converged);
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
    const life = this.lifecycle(run.vm.config.id);
    if (life !== null && life.state === 'Running' && life.canSaveState()) {
      startProcess(this.sim, this.quickThroughLifecycle(run, life), `${run.vm.config.id} quick migration`);
      return;
    }
    const { storage } = this.config;
    const vm = run.vm;
    run.blackoutStartNs = this.sim.now;
    this.setState(vm, 'saving', run.s);
    this.chunks(run, 'save', storage.writeBytesPerS, () => {
      if (!this.stillOn(run)) return;
      this.setState(vm, 'moving', run.s);
      this.lunMove(run, () => {
        if (!this.stillOn(run)) return;
        vm.host = run.to;
        run.moveNs += clusterDefault('vm_provision');
        this.step(run.s, 'cluster.migration.phase', this.hosts.get(run.to)!.place, clusterDefault('vm_provision'), { migration: run.id, vm: vm.config.id, phase: 'provision' }, () => {
          this.setState(vm, 'restoring', run.s);
          this.chunks(run, 'restore', storage.readBytesPerS, () => {
            if (!this.hosts.get(run.to)!.alive) return this.finish(run, 'aborted', false, false);
            this.setState(vm, 'running', run.s);
            this.finish(run, 'completed', false, false);
          });
        });
      });
    });
  }

  /** The cluster disk moved to the target (lun-per-vm: dismount, mount), or only the VM group's owner (CSV). */
  private lunMove(run: MigrationRun, next: () => void): void {
    const { storage } = this.config;
    const [phase, ns]: [MigrationPhase, number] = storage.kind === 'csv' ? ['owner-move', clusterDefault('csv_owner_move')] : ['lun-move', storage.lunMoveNs];
    run.moveNs += ns;
    this.step(run.s, 'cluster.migration.phase', this.storage, ns, { migration: run.id, vm: run.vm.config.id, phase }, next);
  }

  /** Quick migration as the life cycle's save, the LUN move, the life cycle's restore (on the target). */
  private *quickThroughLifecycle(run: MigrationRun, life: VmLifecycle): ProcessBody<void> {
    const vm = run.vm;
    const id = vm.config.id;
    run.viaLifecycle = true;
    run.blackoutStartNs = this.sim.now;
    vm.lifeDriven = true;
    this.setState(vm, 'saving', run.s);
    this.emit(run.s, 'cluster.migration.phase', this.hosts.get(run.from)!.place, 0, { migration: run.id, vm: id, phase: 'save' });
    const saved = yield* life.perform('save');
    run.saveNs = saved.durationNs;
    if (!saved.accepted) {
      vm.lifeDriven = false;
      this.setState(vm, 'running', run.s);
      this.finish(run, 'aborted', false, false);
      return;
    }
    run.totalBytes += vm.config.memoryBytes;
    if (!this.stillOn(run)) return;
    this.setState(vm, 'moving', run.s);
    yield* this.waitFor((next) => this.lunMove(run, next));
    if (!this.stillOn(run)) return;
    vm.host = run.to;
    this.setState(vm, 'restoring', run.s);
    this.emit(run.s, 'cluster.migration.phase', this.hosts.get(run.to)!.place, 0, { migration: run.id, vm: id, phase: 'restore' });
    const restored = yield* life.perform('restore');
    run.restoreNs = restored.durationNs;
    run.totalBytes += vm.config.memoryBytes;
    vm.lifeDriven = false;
    if (!restored.accepted || !this.hosts.get(run.to)!.alive) return this.finish(run, 'aborted', false, false);
    this.setState(vm, 'running', run.s);
    this.finish(run, 'completed', false, false);
  }

  /** Waits in a process for a callback-style step (`start(next)`) to call its `next`. */
  private *waitFor(start: (next: () => void) => void): ProcessBody<void> {
    const done = new SimEvent<void>();
    start(() => done.trigger());
    yield done;
  }

  /** The VM's memory saved or restored chunk by chunk, then `done`. */
  private chunks(run: { id: number; vm: VmRuntime; s: Strand; totalBytes: number; saveNs: number; restoreNs: number }, op: 'save' | 'restore', bytesPerS: number, done: () => void): void {
    const total = run.vm.config.memoryBytes;
    const next = (offset: number): void => {
      if (offset >= total) return done();
      const bytes = Math.min(STATE_CHUNK_BYTES, total - offset);
      run.totalBytes += bytes;
      const ns = sendNs(bytes, bytesPerS);
      if (op === 'save') run.saveNs += ns;
      else run.restoreNs += ns;
      this.step(run.s, 'cluster.state.chunk', this.storage, ns, { migration: run.id, vm: run.vm.config.id, op, offsetBytes: offset, bytes, memoryBytes: total }, () => next(offset + bytes));
    };
    next(0);
  }

  private finish(run: MigrationRun, outcome: 'completed' | 'aborted', converged: boolean, capped: boolean): void {
    const totalNs = this.sim.now - run.startNs;
    const blackoutNs = run.blackoutStartNs === 0 && run.method !== 'quick' ? 0 : this.sim.now - run.blackoutStartNs;
    const vmc = run.vm.config;
    const formula =
      run.rule === null
        ? quickFormula(vmc.memoryBytes, this.config, run.viaLifecycle)
        : closedFormPrecopy(vmc.memoryBytes, vmc.dirtyFromWorkloads ? meanRate(run.rates) : vmc.dirtyBytesPerS, vmc.workingSetBytes, run.bytesPerS, run.rule);
    const heartbeatNs = this.config.heartbeat.intervalNs * this.config.heartbeat.threshold;
    this.emit(run.s, 'cluster.migration.completed', this.hosts.get(run.vm.host)!.place, 0, {
      migration: run.id,
      vm: vmc.id,
      method: run.method,
      to: run.to,
      outcome,
      formulaTotalNs: Math.round(formula.totalNs),
      formulaBlackoutNs: Math.round(formula.blackoutNs),
      ...(run.rule !== null && run.rule.sdpsShare !== null
        ? { formulaWithoutSdpsBlackoutNs: Math.round(closedFormPrecopy(vmc.memoryBytes, vmc.dirtyFromWorkloads ? meanRate(run.rates) : vmc.dirtyBytesPerS, vmc.workingSetBytes, run.bytesPerS, { ...run.rule, sdpsShare: null }).blackoutNs) }
        : {}),
      totalNs,
      totalBytes: run.totalBytes,
      blackoutNs,
      passes: run.passes.length,
      converged,
      capped,
      exceedsHeartbeat: blackoutNs > heartbeatNs,
      exceedsTcpTimeout: blackoutNs > this.config.tcpTimeoutNs,
      ...(run.method === 'quick' ? { saveNs: run.saveNs, moveNs: run.moveNs, restoreNs: run.restoreNs, throughLifecycle: run.viaLifecycle } : {}),
    });
    run.vm.busy = false;
    this.activeOps--;
    if (run.method !== 'quick') {
      const next = this.linkQueues.get(run.linkKey)?.shift();
      if (next === undefined) this.linkQueues.delete(run.linkKey);
      else {
        next.startNs = this.sim.now; // the figures time the migration itself; the wait shows as the queued phase
        next.measuredAtNs = this.sim.now;
        next.measuredBytes = this.writtenBytes?.(next.vm.config.id) ?? 0;
        this.setupPhases(next);
      }
    }
  }

  // ---------------------------------------------------------------- failure and restart

  private failHost(hostId: string, s: Strand): void {
    const host = this.hosts.get(hostId)!;
    if (!host.alive) {
      this.refuse('fail-host', '', hostId, `host ${hostId} is already down`, s);
      return;
    }
    host.alive = false;
    host.failedAtNs = this.sim.now;
    host.declared = false;
    const victims = [...this.vms.values()].filter((v) => v.host === hostId && v.state !== 'failed');
    this.emit(s, 'cluster.host.failed', host.place, 0, { host: hostId, vms: victims.map((v) => v.config.id) });
    for (const vm of victims) this.setState(vm, 'failed', s);
  }

  private heartbeat(): void {
    this.round++;
    const alive: string[] = [];
    const silent: string[] = [];
    const missed: number[] = [];
    const s = strand('', -1);
    for (const h of this.hosts.values()) {
      if (h.alive) {
        h.lastBeatRound = this.round;
        alive.push(h.id);
      } else if (!h.declared) {
        silent.push(h.id);
        missed.push(this.round - h.lastBeatRound);
      }
    }
    this.emit(s, 'cluster.heartbeat.round', this.storage, 0, { round: this.round, alive, silent, missed });
    const threshold = this.config.heartbeat.threshold;
    silent.forEach((id, i) => {
      if (missed[i]! >= threshold) this.declareDown(this.hosts.get(id)!, missed[i]!, s);
    });
    this.exchangeWatch(s);
    if (this.active()) this.sim.schedule(this.config.heartbeat.intervalNs, () => this.heartbeat());
    else this.heartbeatLoop = false;
  }

  private declareDown(host: HostRuntime, missed: number, s: Strand): void {
    host.declared = true;
    this.emit(s, 'cluster.host.declared-down', host.place, 0, { host: host.id, missed, detectionNs: this.sim.now - host.failedAtNs, by: this.config.ha.kind });
    if (this.config.storage.kind === 'csv' && this.coordinator === host.id) {
      const next = [...this.hosts.values()].find((h) => h.alive);
      if (next !== undefined) {
        this.coordinator = next.id;
        this.emit(s, 'cluster.csv.coordinator-moved', this.storage, 0, { from: host.id, to: next.id });
      }
    }
    const victims = [...this.vms.values()]
      .filter((v) => v.host === host.id && v.state === 'failed')
      .sort((a, b) => b.config.restartPriority - a.config.restartPriority);
    for (const vm of victims) this.restart(vm, host, s);
  }

  /** HA: the VM on the alive host with the most memory left, ties to the first listed. */
  private restart(vm: VmRuntime, from: HostRuntime, s: Strand): void {
    const load = (h: string): number => [...this.vms.values()].filter((v) => v.host === h && v.state !== 'failed').reduce((sum, v) => sum + v.config.memoryBytes, 0);
    const candidates = [...this.hosts.values()].filter((h) => h.alive);
    if (candidates.length === 0) {
      this.refuse('restart', vm.config.id, from.id, 'no host is left to restart it on', s);
      return;
    }
    // Keep copies of one Exchange group apart (anti-affinity, as WSFC AntiAffinityClassNames or a DRS rule: R), then the most free memory.
    const group = this.config.exchange?.members.includes(vm.config.id) === true ? this.config.exchange.members.filter((m) => m !== vm.config.id) : [];
    const holdsCopy = (h: string): number => (group.some((m) => this.vms.get(m)!.host === h && this.vms.get(m)!.state !== 'failed') ? 1 : 0);
    const target = candidates.reduce((best, h) => {
      const key = holdsCopy(h.id) - holdsCopy(best.id);
      return key < 0 || (key === 0 && load(h.id) < load(best.id)) ? h : best;
    });
    const failedAt = from.failedAtNs;
    this.activeOps++;
    vm.host = target.id;
    const lun = this.config.storage.kind === 'lun-per-vm' ? this.config.storage.lunMoveNs : 0;
    const steps: [ClusterVmState, number][] = [
      ['booting', this.config.ha.placementNs + lun + vm.config.bootNs],
      ['starting-services', vm.config.serviceStartNs],
    ];
    const next = (i: number): void => {
      if (!target.alive) {
        this.activeOps--;
        this.setState(vm, 'failed', s);
        return;
      }
      if (i === steps.length) {
        vm.boots++;
        this.setState(vm, 'running', s);
        this.emit(s, 'cluster.vm.restarted', target.place, 0, { vm: vm.config.id, host: target.id, from: from.id, downtimeNs: this.sim.now - failedAt });
        this.activeOps--;
        return;
      }
      const [state, ns] = steps[i]!;
      if (ns === 0) return next(i + 1);
      this.setState(vm, state, s);
      this.sim.schedule(ns, () => next(i + 1));
    };
    next(0);
  }

  // ---------------------------------------------------------------- Exchange copies

  /**
   * The copy group's own heartbeat between its members (a guest cluster: the same 1 s × 5 as the hosts by
   * default) runs on the cluster's rounds: a member that is not serving misses its beat, and at the
   * threshold the group evicts it and, if it held the active databases, mounts them on another copy.
   */
  private exchangeWatch(s: Strand): void {
    const ex = this.config.exchange;
    if (ex === null) return;
    for (const id of ex.members) {
      const vm = this.vms.get(id)!;
      if (vm.unavailableSinceNs === null) {
        vm.lastBeatRound = this.round;
        continue;
      }
      const missed = this.round - vm.lastBeatRound;
      if (vm.evicted || missed < ex.threshold) continue;
      vm.evicted = true;
      this.emit(s, 'cluster.exchange.evicted', vm.place, 0, { vm: id, missed });
    }
    const active = this.activeCopy === null ? undefined : this.vms.get(this.activeCopy);
    if (!this.dbMoving && active !== undefined && active.evicted && !AVAILABLE.has(active.state)) this.moveDatabases(active, s);
  }

  private moveDatabases(from: VmRuntime, s: Strand): void {
    const ex = this.config.exchange!;
    const to = ex.members.map((m) => this.vms.get(m)!).find((m) => m !== from && AVAILABLE.has(m.state));
    if (to === undefined) return; // no copy serves: the databases wait for a member to come back
    if (ex.kind === 'scc' && to.host === from.host) return;
    const since = this.dbUnavailableSinceNs ?? from.unavailableSinceNs ?? this.sim.now;
    const detectionNs = this.sim.now - since;
    this.dbMoving = true;
    const ns = ex.failoverNs + (ex.kind === 'scc' && this.config.storage.kind === 'lun-per-vm' ? this.config.storage.lunMoveNs : 0);
    this.sim.schedule(ns, () => {
      this.dbMoving = false;
      this.activeCopy = to.config.id;
      this.dbMounts++;
      const downtimeNs = this.sim.now - since;
      this.dbUnavailableSinceNs = AVAILABLE.has(to.state) ? null : this.sim.now;
      this.emit(s, 'cluster.exchange.failedover', this.exchangePlace, 0, { from: from.config.id, to: to.config.id, copyKind: ex.kind, detectionNs, downtimeNs });
    });
  }

  private databasesServing(): boolean {
    if (this.activeCopy === null || this.dbMoving) return false;
    return AVAILABLE.has(this.vms.get(this.activeCopy)!.state);
  }

  // ---------------------------------------------------------------- clients

  private poll(c: ClientRuntime): void {
    const vm = c.vm === null ? null : this.vms.get(c.vm)!;
    const serving = vm === null ? this.databasesServing() : AVAILABLE.has(vm.state);
    const epoch = vm === null ? this.dbMounts : vm.boots;
    const target = c.vm ?? this.activeCopy ?? '';
    const s = strand('', -1);
    if (serving && c.lostAt !== null) {
      const gapNs = this.sim.now - c.lastAnsweredNs;
      const dropped = (vm !== null && epoch !== c.epoch) || gapNs > this.config.tcpTimeoutNs;
      c.lostAt = null;
      this.emit(s, 'cluster.client.resumed', vm?.place ?? this.exchangePlace, 0, { client: c.id, vm: target, gapNs, dropped });
    } else if (!serving && c.lostAt === null) {
      c.lostAt = this.sim.now;
      c.epoch = epoch;
      this.emit(s, 'cluster.client.lost', vm?.place ?? this.exchangePlace, 0, { client: c.id, vm: target });
    }
    if (serving) c.lastAnsweredNs = this.sim.now;
    if (this.active()) this.sim.schedule(c.intervalNs, () => this.poll(c));
    else this.clientLoop = false;
  }

  // ---------------------------------------------------------------- CSV: direct and redirected I/O

  /**
   * One request of `vmId` on the detailed host reaching the shared storage.
   * On a Cluster Shared Volume a node normally does Direct I/O to the LUN
   * (CsvFlt, R2); while the volume is in redirected access (a host-level
   * VSS backup in R2) every node but the coordinator sends its I/O over SMB2
   * on the cluster network to the coordinator, which does it (row c.2, V:
   * Mastering Hyper-V p.490-491; windowsitpro on CSV states). Coarse: the
   * disk I/O stays as the detailed model does it; the detour adds an SMB2
   * round trip and the data's time on the cluster network
   * (`csv_redirect_overhead`, `csv_network_rate`), one record per request
   * at `place` (the root's file system, where CsvFlt sits). 0 when direct.
   */
  *storageAccess(vmId: string, op: 'read' | 'write', bytes: number, s: Strand, place: Place): ProcessBody<void> {
    if (this.config.storage.kind !== 'csv' || this.csvRedirected === 0) return;
    const vm = this.vms.get(vmId);
    if (vm === undefined || vm.host === this.coordinator) return;
    const ns = clusterDefault('csv_redirect_overhead') + sendNs(bytes, clusterDefault('csv_network_rate'));
    this.emit(s, 'cluster.csv.redirected-io', place, ns, { vm: vmId, host: vm.host, coordinator: this.coordinator, op, bytes });
    yield ns;
  }

  // ---------------------------------------------------------------- backup

  private backup(vmId: string, method: BackupMethod, type: 'full' | 'copy' | 'incremental' | 'differential', s: Strand): void {
    const vm = this.vms.get(vmId)!;
    if (vm.busy || vm.state !== 'running') {
      this.refuse('backup', vmId, vm.host, vm.busy ? 'a migration or backup of this VM is under way' : `the VM is ${vm.state}, not running`, s);
      return;
    }
    const plan = backupPlan(vm.config, method, this.config);
    if (plan.refused !== null) {
      this.refuse('backup', vmId, vm.host, plan.refused, s);
      return;
    }
    const id = this.backups++;
    vm.busy = true;
    this.activeOps++;
    const isExchange = this.config.exchange?.members.includes(vmId) ?? false;
    const truncates = plan.applicationAware && isExchange && (type === 'full' || type === 'incremental');
    this.emit(s, 'cluster.backup.started', this.hosts.get(vm.host)!.place, 0, { backup: id, vm: vmId, method: plan.method, type, why: plan.why });
    let downtimeNs = 0;
    let freezeNs = 0;
    let offlineSince = 0;
    let frozenSince = 0;
    const steps = plan.steps.filter((st) => st.step !== 'truncate-logs' || truncates);
    const place = (st: PlannedStep): Place => (st.step === 'copy' || st.step === 'csv-redirected' || st.step === 'commit-snapshot' ? this.storage : this.hosts.get(vm.host)!.place);
    let redirecting = false;
    const endRedirect = (): void => {
      if (redirecting) this.csvRedirected--;
      redirecting = false;
    };
    const next = (i: number): void => {
      if (!this.hosts.get(vm.host)!.alive) {
        vm.busy = false;
        this.activeOps--;
        endRedirect();
        return;
      }
      if (i === steps.length) {
        this.emit(s, 'cluster.backup.completed', this.storage, 0, {
          backup: id,
          vm: vmId,
          method: plan.method,
          downtimeNs,
          freezeNs,
          consistency: plan.consistency,
          logsTruncated: truncates,
          withinLimits: freezeNs <= clusterDefault('vss_freeze_limit') && clusterDefault('vss_commit') <= clusterDefault('vss_flush_hold_limit'),
          protectedBytes: plan.protectedBytes,
        });
        vm.busy = false;
        this.activeOps--;
        endRedirect();
        return;
      }
      const st = steps[i]!;
      if (st.step === 'csv-redirected' && !redirecting) {
        redirecting = true;
        this.csvRedirected++;
      }
      if (st.enter !== undefined) {
        if (st.enter === 'saved-for-backup') offlineSince = this.sim.now;
        if (st.enter === 'frozen') frozenSince = this.sim.now;
        if (st.enter === 'running') {
          if (vm.state === 'saved-for-backup') downtimeNs += this.sim.now - offlineSince;
          if (vm.state === 'frozen') freezeNs += this.sim.now - frozenSince;
        }
        this.setState(vm, st.enter, s);
      }
      this.step(s, 'cluster.backup.step', place(st), st.ns, { backup: id, vm: vmId, step: st.step, note: st.note }, () => next(i + 1));
    };
    next(0);
  }
}

interface MigrationRun {
  id: number;
  method: 'quick' | 'live' | 'vmotion';
  vm: VmRuntime;
  from: string;
  to: string;
  startNs: number;
  s: Strand;
  rule: PrecopyRule | null;
  /** The migration network's usable rate, and which network it is (its speed). */
  bytesPerS: number;
  linkKey: string;
  passes: { bytes: number; ns: number }[];
  totalBytes: number;
  blackoutStartNs: number;
  /** Dirty rate from the workloads: bytes they had written, and when, at the last measure. */
  measuredAtNs: number;
  measuredBytes: number;
  /** SDPS's cap on the dirty rate once it engaged, or null. */
  sdpsCap: number | null;
  /** The dirty rate each pass ran with, and its length. */
  rates: { rate: number; ns: number }[];
  /** Quick migration: saved and restored through the VM's life cycle; the save, move and restore times. */
  viaLifecycle: boolean;
  saveNs: number;
  moveNs: number;
  restoreNs: number;
}

/** The time-weighted mean of the passes' dirty rates (the closed form of a migration whose rate came from its workloads). */
function meanRate(rates: readonly { rate: number; ns: number }[]): number {
  const ns = rates.reduce((sum, r) => sum + r.ns, 0);
  return ns === 0 ? 0 : rates.reduce((sum, r) => sum + r.rate * r.ns, 0) / ns;
}

/** A migration network's usable bytes per second: the line rate times the efficiency one migration achieves (defaults by speed, row c.2). */
export function linkBytesPerS(gbps: number, efficiency: number | null): number {
  const e = efficiency ?? (gbps <= 1 ? clusterDefault('lm_efficiency_1g') : clusterDefault('lm_efficiency_10g'));
  return Math.round((gbps * 1e9 * e) / 8);
}

/**
 * Quick migration on paper (facts §7.2: M / B_write + T_lun + M / B_read): save + LUN move (or owner move) +
 * provision + restore, all offline. Through the life cycle the restore's own partition creation is the
 * provisioning, so no separate provision term.
 */
export function quickFormula(memoryBytes: number, config: Pick<ClusterConfig, 'storage'>, throughLifecycle = false): { totalNs: number; blackoutNs: number } {
  const { storage } = config;
  const move = storage.kind === 'csv' ? clusterDefault('csv_owner_move') : storage.lunMoveNs;
  const provision = throughLifecycle ? 0 : clusterDefault('vm_provision');
  const totalNs = (memoryBytes * 1e9) / storage.writeBytesPerS + move + provision + (memoryBytes * 1e9) / storage.readBytesPerS;
  return { totalNs, blackoutNs: totalNs };
}

interface PlannedStep {
  step: BackupStep;
  ns: number;
  note: string;
  /** The VM's state from this step on. */
  enter?: ClusterVmState;
}

/** What a backup will do for this VM: the method Hyper-V or VCB actually uses, and why (row e.2). */
export interface BackupPlan {
  refused: string | null;
  method: string;
  why: string;
  applicationAware: boolean;
  /** What the copy is consistent to: the application (VSS writers), the file system, a saved state, or nothing (crash). */
  consistency: 'application' | 'file-system' | 'saved-state' | 'crash' | 'none';
  protectedBytes: number;
  steps: PlannedStep[];
}

/** The backup method and its steps for `vm` (row e.2): pure, so a test can read it. */
export function backupPlan(vm: ClusterVmConfig, method: BackupMethod, config: Pick<ClusterConfig, 'platform' | 'storage'>): BackupPlan {
  const vsphere = config.platform.startsWith('vsphere');
  const none = (refused: string): BackupPlan => ({ refused, method, why: '', applicationAware: false, consistency: 'none', protectedBytes: 0, steps: [] });
  const copyNs = sendNs(vm.dataBytes, clusterDefault('backup_copy_rate'));
  const c = clusterDefault;
  if (method === 'vcb') {
    if (!vsphere) return none('VMware Consolidated Backup needs a vSphere cluster (platform vsphere-4 or vsphere-5)');
    const physical = vm.rdm === 'physical';
    const covered = physical ? vm.dataBytes - vm.rdmBytes : vm.dataBytes;
    if (covered <= 0) return none('all its data is on a physical-mode RDM: VMFS cannot snapshot it (seed 003), so VCB has nothing to copy');
    const commitNs = sendNs(Math.min(vm.workingSetBytes, Math.floor((vm.dirtyBytesPerS * copyNs) / 1e9)), c('snapshot_commit_rate'));
    return {
      refused: null,
      method: 'vcb',
      why: physical
        ? 'VCB through a VMFS snapshot; the physical-mode RDM is skipped: "no snapshots can be taken using VMFS" (seed 003)'
        : 'VCB through a VMFS snapshot (VMDKs and virtual-mode RDMs can be snapshotted, seed 003)',
      applicationAware: false,
      consistency: 'file-system', // the sync driver quiesces NTFS; "VCB cannot yet quiesce the exchange database" (seed 003)
      protectedBytes: covered,
      steps: [
        { step: 'quiesce', ns: c('vcb_quiesce'), note: 'sync driver flushes and holds NTFS in the guest', enter: 'frozen' },
        { step: 'vmfs-snapshot', ns: c('vss_commit'), note: 'the VM goes into snapshot mode: writes go to a redo log' },
        { step: 'thaw', ns: 0, note: 'the guest file systems are released', enter: 'running' },
        { step: 'copy', ns: sendNs(covered, c('backup_copy_rate')), note: physical ? 'the proxy copies the VMDKs over the SAN; the physical RDM is not in the snapshot' : 'the proxy mounts the snapshot and copies it over the SAN' },
        { step: 'commit-snapshot', ns: commitNs, note: 'the VM leaves snapshot mode: the redo log is committed back' },
      ],
    };
  }
  if (vsphere) return none(`${method} backup through Hyper-V VSS needs a Hyper-V cluster; on vSphere use vcb`);
  if (method === 'in-guest') {
    return {
      refused: null,
      method: 'in-guest',
      why: 'a backup agent in the guest is its VSS requestor and drives the Exchange writer (seed 000: the recommended way in 2008)',
      applicationAware: true,
      consistency: 'application', // VSS in the guest
      protectedBytes: vm.dataBytes,
      steps: [
        { step: 'gather', ns: c('vss_gather'), note: 'the agent gathers writer metadata' },
        { step: 'freeze', ns: c('vss_freeze_writers'), note: 'writers freeze; the Exchange writer flushes its buffers', enter: 'frozen' },
        { step: 'flush-and-hold', ns: c('vss_commit'), note: "the guest's own shadow copy is committed inside the 10 s flush-and-hold" },
        { step: 'thaw', ns: 0, note: 'writers thaw', enter: 'running' },
        { step: 'copy', ns: copyNs, note: 'the agent copies the shadow copy over the LAN' },
        { step: 'truncate-logs', ns: 0, note: 'a full backup: the Exchange writer truncates the logs' },
      ],
    };
  }
  // host-vss: Hyper-V's VSS writer picks Child VM Snapshot or Saved State (row e.2).
  if (vm.diskKinds.includes('passthrough')) return none('host-side backup is not available with pass-through disks (seed 004); use in-guest');
  const csv = config.storage.kind === 'csv';
  const redirected: PlannedStep[] = csv ? [{ step: 'csv-redirected', ns: 0, note: 'the CSV goes into redirected access through the coordinator until the backup completes (R2): other nodes send their I/O to it over SMB' }] : [];
  if (!vm.backupIntegration) {
    const saveNs = sendNs(vm.memoryBytes, config.storage.writeBytesPerS);
    const restoreNs = sendNs(vm.memoryBytes, config.storage.readBytesPerS);
    return {
      refused: null,
      method: 'saved-state',
      why: 'the guest runs no backup integration service, so the Hyper-V VSS writer uses the Saved State method: the VM goes offline',
      applicationAware: false,
      consistency: 'saved-state', // memory saved with the disks; Exchange is not told, its logs stay
      protectedBytes: vm.dataBytes + vm.memoryBytes,
      steps: [
        ...redirected,
        { step: 'save-state', ns: saveNs, note: 'the VM is saved to disk during PrepareForSnapshot', enter: 'saved-for-backup' },
        { step: 'host-snapshot', ns: c('vss_commit'), note: 'the host volume is snapshotted' },
        { step: 'restore-state', ns: restoreNs, note: 'the VM is restored in PostSnapshot' },
        { step: 'copy', ns: copyNs, note: 'the requestor copies the snapshot', enter: 'running' },
      ],
    };
  }
  return {
    refused: null,
    method: 'host-vss',
    why: 'the backup integration service (Hyper-V Volume Shadow Copy Requestor) runs in the guest: Child VM Snapshot, online',
    applicationAware: true,
    consistency: 'application', // the guest's VSS freezes its writers, Exchange included
    protectedBytes: vm.dataBytes,
    steps: [
      ...redirected,
      { step: 'gather', ns: c('vss_gather'), note: "the host requestor gathers the Hyper-V writer's metadata; the backup IC starts the guest's VSS" },
      { step: 'freeze', ns: c('vss_freeze_writers'), note: "the guest's writers freeze; the Exchange writer flushes its buffers", enter: 'frozen' },
      { step: 'host-snapshot', ns: c('vss_commit'), note: 'the host volume is snapshotted while the guest holds its writes' },
      { step: 'thaw', ns: 0, note: "the guest's writers thaw", enter: 'running' },
      { step: 'copy', ns: copyNs, note: 'the requestor copies the VHDs from the snapshot' },
      { step: 'truncate-logs', ns: 0, note: "a full backup: the Exchange writer in the guest truncates its logs (seed 000)" },
    ],
  };
}
