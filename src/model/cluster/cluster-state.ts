/**
 * The cluster's shared state and the steps every part uses (`cluster.ts`
 * builds it; `migration.ts` and the moves it runs, `failover.ts`,
 * `heartbeats.ts` and `backup.ts` act on it): the hosts and VMs at run time, the places its
 * records sit at, where the Exchange databases are mounted, the CSV's
 * coordinator and access mode; records (`emit`, `step`), a VM's state
 * change with the I/O gate it drives on the detailed host (`setState`,
 * `gate`), a refusal, and whether anything is left to do (`active`).
 */
import { SimEvent, type ProcessBody, type Simulation } from '../../engine/index.js';
import type { VmLifecycle } from '../lifecycle/vm-lifecycle.js';
import type { Place } from '../topology.js';
import type { Strand, Tracer } from '../tracer.js';
import type { KindFields } from '../trace-events.js';
import type { ClusterConfig, ClusterVmConfig } from './cluster-config.js';
import type { ClusterKindFields, ClusterVmState } from './cluster-events.js';

export const AVAILABLE: ReadonlySet<ClusterVmState> = new Set(['running', 'frozen']);

/**
 * States in which the guest's virtual processors do not run, so its I/O on
 * the detailed host is held at the life cycle's gates until it runs again
 * (quick migration through the life cycle holds it by its own save instead).
 */
export const HOLDS_IO: ReadonlySet<ClusterVmState> = new Set(['blackout', 'saving', 'moving', 'restoring', 'failed', 'booting', 'starting-services', 'saved-for-backup']);

/** What the world gives the cluster of the detailed host. */
export interface ClusterHooks {
  /** Bytes the VM's workloads on the detailed host have written so far (for a dirty rate taken from them). */
  writtenBytes?(vm: string): number;
  /** The VM's life cycle on the detailed host (its save and restore, the gates its requests pass), or null. */
  lifecycle?(vm: string): VmLifecycle | null;
  /** Makes one of the cluster's places, numbered among its world's (`TopologyBuilder.offCanvas`); without it, the places go unnumbered. */
  place?(id: string, label: string, band: Place['band'], role: Place['role']): Place;
}

export interface HostRuntime {
  id: string;
  place: Place;
  alive: boolean;
  failedAtNs: number;
  declared: boolean;
  lastBeatRound: number;
}

export interface VmRuntime {
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
  /** When a host failure first took it down, kept through a restart cut short by its new host failing too, until it serves again (its outage is from then). */
  failedSinceNs?: number | null;
  /** Its life cycle shows it down with its failed host (Off, then Starting) until it runs again. */
  downWithHost?: boolean;
  /** The cluster froze its guest (its I/O is held) and must thaw it when it runs again. */
  frozen: boolean;
  /** Its life cycle drives its states now (a quick migration saving and restoring through it): no freeze of the cluster's own. */
  lifeDriven: boolean;
}

export interface ClientRuntime {
  id: string;
  vm: string | null;
  intervalNs: number;
  lastAnsweredNs: number;
  lostAt: number | null;
  /** The target VM's boot count, or the database's mount count, when the gap began. */
  epoch: number;
}

export type ClusterKind = keyof ClusterKindFields;

export class ClusterState {
  readonly hosts = new Map<string, HostRuntime>();
  readonly vms = new Map<string, VmRuntime>();
  readonly clients: ClientRuntime[] = [];
  readonly link: Place;
  readonly storage: Place;
  readonly exchangePlace: Place;
  /** Heartbeat rounds so far. */
  round = 0;
  /** Timed actions not yet performed, and migrations, restarts and backups under way. */
  pendingActions = 0;
  activeOps = 0;
  /** The CSV's coordinator node now. */
  coordinator: string;
  /** When the shared storage is free for the next chunk of saved memory a quick migration moves at its declared rate. */
  storageFreeAtNs = 0;
  /** The cluster's one backup target: copying or not, and the copies waiting their turn in order (`backup.ts`). */
  readonly backupTarget: { busy: boolean; waiting: (() => void)[] } = { busy: false, waiting: [] };
  /** Told when a host fails (power), before anyone notices: what ran on it ends with it (the backups it ran). */
  readonly hostFailedListeners: ((host: string, s: Strand) => void)[] = [];
  /** Told when the cluster declares a host down (the migrations under way end at once). */
  readonly hostDownListeners: ((host: string, s: Strand) => void)[] = [];
  /** A Windows failover cluster has quorum (`Failover.quorumHolds`); once lost, nothing is restarted. */
  quorum = true;
  /** Backups holding the CSV in redirected access now (R2: for the length of a host-level VSS backup). */
  csvRedirected = 0;
  /** Exchange: the member holding the active databases, whether they are moving, since when they do not serve, and how often they were mounted. */
  activeCopy: string | null = null;
  dbMoving = false;
  dbUnavailableSinceNs: number | null = null;
  dbMounts = 0;
  readonly writtenBytes: ((vm: string) => number) | undefined;
  readonly lifecycle: (vm: string) => VmLifecycle | null;

  constructor(
    readonly sim: Simulation,
    readonly tracer: Tracer,
    readonly config: ClusterConfig,
    hooks: ClusterHooks,
  ) {
    this.writtenBytes = hooks.writtenBytes;
    this.lifecycle = hooks.lifecycle ?? (() => null);
    const place = hooks.place ?? ((id: string, label: string, band: Place['band'], role: Place['role']): Place => ({ id, label, partition: 'cluster', band, role }));
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
  }

  emit<K extends ClusterKind>(s: Strand, kind: K, place: Place, costNs: number, fields: ClusterKindFields[K]): void {
    this.tracer.emit(s, kind, place, costNs, costNs > 0 ? 'device' : 'none', fields as KindFields[K]);
  }

  /** Whether the cluster has anything left to do (heartbeats and clients run only while it has). */
  active(): boolean {
    // Without quorum nothing more changes: the timed actions and the steps under way still run, no heartbeat.
    if (!this.quorum) return this.pendingActions > 0 || this.activeOps > 0;
    return (
      this.pendingActions > 0 ||
      this.activeOps > 0 ||
      [...this.hosts.values()].some((h) => !h.alive && !h.declared) ||
      this.dbMoving ||
      // A VM out of service (not failed: the heartbeats watch that) until it serves again; one its own life cycle
      // stopped only while its copy group has yet to evict it (a VM saved for good must not keep the run going).
      [...this.vms.values()].some((v) => v.unavailableSinceNs !== null && v.state !== 'failed' && (v.state !== 'stopped' || (this.config.exchange?.members.includes(v.config.id) === true && !v.evicted))) ||
      this.clients.some((c) => c.lostAt !== null && this.mayServeAgain(c))
    );
  }

  /**
   * Whether something the cluster does may yet answer a lost client: not when its VM is one its own life cycle
   * stopped (only a timed action of the VM runs it again, and that wakes the loops: `Heartbeats.wake`), nor one
   * that failed with a host the cluster has declared down and did not restart (no host left, or no quorum).
   * Before, such a client kept the heartbeats and polls going to limits.until in a run with nothing left to do
   * (900 s in the held-out case), however the VM was left; a VM saved for good already did not (above). A client
   * of the Exchange databases, likewise, while they move or while a member of the copy group may serve again.
   */
  private mayServeAgain(c: ClientRuntime): boolean {
    if (c.vm !== null) {
      const vm = this.vms.get(c.vm);
      return vm === undefined || this.vmMayServeAgain(vm);
    }
    const ex = this.config.exchange;
    if (ex === null || this.dbMoving) return true;
    const active = this.activeCopy === null ? undefined : this.vms.get(this.activeCopy);
    if (active === undefined || this.vmMayServeAgain(active)) return true;
    // Another copy the group may mount them on (`Failover.moveDatabases`: a single copy cluster's on another node only).
    return ex.members.some((m) => m !== active.config.id && this.vmMayServeAgain(this.vms.get(m)!) && (ex.kind !== 'scc' || this.vms.get(m)!.host !== active.host));
  }

  /** Whether `vm` may serve again by the cluster's doing (see `mayServeAgain`). */
  private vmMayServeAgain(vm: VmRuntime): boolean {
    return vm.state !== 'stopped' && !(vm.state === 'failed' && this.hosts.get(vm.host)!.declared);
  }

  setState(vm: VmRuntime, state: ClusterVmState, s: Strand): void {
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
  gate(vm: VmRuntime, s: Strand): void {
    if (vm.lifeDriven) return;
    const life = this.lifecycle(vm.config.id);
    if (life === null) return;
    if (HOLDS_IO.has(vm.state) && !vm.frozen) vm.frozen = life.freeze(s);
    // A host failure shows in the VM's own state too: Off with its host, Starting while HA boots it elsewhere.
    const shown = vm.state === 'failed' ? 'Off' : vm.state === 'booting' || vm.state === 'starting-services' ? 'Starting' : null;
    if (shown !== null) {
      life.hostState(s, shown);
      vm.downWithHost = true;
    } else if (vm.state === 'running' && vm.downWithHost) {
      vm.downWithHost = false;
      life.hostState(s, 'Running');
      // Booted afresh: its processors run, whatever stopped them on the failed host (a save under way there).
      if (!vm.frozen) life.thaw(s);
    }
    if (!HOLDS_IO.has(vm.state) && vm.frozen) {
      vm.frozen = false;
      life.thaw(s);
    }
    // A backup's quiesce: the guest runs and reads, its writes wait for the thaw.
    if (vm.state === 'frozen') life.gates.freezeWriters();
    else life.gates.thawWriters();
  }

  refuse(action: string, vm: string, host: string, why: string, s: Strand): void {
    this.emit(s, 'cluster.action.refused', this.hosts.get(host)?.place ?? this.storage, 0, { action, vm, host, why });
  }

  /** A step of `ns` at `place`, then `next` (a record, then the time it takes). */
  step<K extends ClusterKind>(s: Strand, kind: K, place: Place, ns: number, fields: ClusterKindFields[K], next: () => void): void {
    this.emit(s, kind, place, ns, fields);
    this.sim.schedule(ns, next);
  }

  /** Waits in a process for a callback-style step (`start(next)`) to call its `next`. */
  *waitFor(start: (next: () => void) => void): ProcessBody<void> {
    const done = new SimEvent<void>();
    start(() => done.trigger());
    yield done;
  }
}
