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
 * - quick migration: the VM's own save and restore (its life cycle), the
 *   LUN moved between (or, on a CSV, only the VM's owner): offline
 *   throughout, its I/O held;
 * - host failure: the host stops answering heartbeats; after the threshold
 *   the cluster declares it down and restarts its VMs elsewhere, by restart
 *   priority, on the host with the most free memory that holds no other copy
 *   of the same Exchange group (placement, the LUN brought online, a cold
 *   boot, the services);
 * - an Exchange copy group (CCR, SCC, DAG) watches its members with its own
 *   heartbeats and moves the active databases to another copy instead;
 * - clients poll a VM (or the active databases) and report each gap;
 * - backups: host-level VSS through the backup integration service, saved
 *   state when the guest has none, in-guest, or VMware Consolidated Backup;
 *   on a CSV a host-level backup redirects the other nodes' I/O.
 *
 * The parts, each in its own file on the shared state (`cluster-state.ts`):
 * `migration.ts` (running `live-migration.ts` and `quick-migration.ts`),
 * `failover.ts`, `heartbeats.ts`, `backup.ts` (with the pure
 * `backup-plan.ts`). This file builds them and times the actions.
 */
import type { ProcessBody, Simulation } from '../../engine/index.js';
import type { Place } from '../topology.js';
import { strand, type Strand, type Tracer } from '../tracer.js';
import { Backups } from './backup.js';
import type { ClusterActionConfig, ClusterConfig } from './cluster-config.js';
import { AVAILABLE, ClusterState, type ClusterHooks } from './cluster-state.js';
import { Failover } from './failover.js';
import { Heartbeats } from './heartbeats.js';
import { Migrations } from './migration.js';

export { backupPlan, type BackupPlan } from './backup-plan.js';
export type { ClusterHooks } from './cluster-state.js';
export { linkBytesPerS } from './migration-links.js';
export { STATE_CHUNK_BYTES } from './quick-migration-storage.js';
export { quickFormula } from './precopy.js';

/** The cluster, built on a world's simulation and tracer. */
export class ClusterModel {
  private readonly state: ClusterState;
  private readonly migrations: Migrations;
  private readonly failover: Failover;
  private readonly heartbeats: Heartbeats;
  private readonly backups: Backups;

  constructor(
    sim: Simulation,
    tracer: Tracer,
    readonly config: ClusterConfig,
    /** What the detailed host offers: its workloads' written bytes, the VMs' life cycles. */
    hooks: ClusterHooks = {},
  ) {
    const c = new ClusterState(sim, tracer, config, hooks);
    this.state = c;
    this.migrations = new Migrations(c);
    this.failover = new Failover(c);
    this.heartbeats = new Heartbeats(c, this.failover);
    this.backups = new Backups(c);
    // A VM's own life cycle on the detailed host (a scenario's save, pause, shutdown) shows at the cluster
    // level: not running, it serves nobody and misses its heartbeats (a DAG member is evicted).
    for (const vm of c.vms.values()) {
      const life = c.lifecycle(vm.config.id);
      // A VM that starts off (`initialState: "off"`) is stopped for the cluster from the start, not running.
      if (life !== undefined && life !== null && life.state !== 'Running') sim.scheduleAt(0, () => AVAILABLE.has(vm.state) && c.setState(vm, 'stopped', strand('', -1)));
      // Hyper-V takes no state change of a VM while it migrates or is backed up (the cluster's own save and restore
      // of a quick migration or saved-state backup run through `perform`, unasked), nor of one whose host is down.
      life?.vetoes.push((action) => {
        if (vm.busy) return `a migration or backup of the VM is under way: Hyper-V takes no ${action} until it ends`;
        const host = c.hosts.get(vm.host)!;
        if (!host.alive) return `its host ${host.id} is down${vm.state === 'failed' ? ': the cluster restarts the VM elsewhere' : ''}`;
        // Without quorum the cluster service has stopped on every node and its VMs are offline for good
        // (`Failover.loseQuorum`): a clustered VM's role is brought online through that service, so nothing starts it.
        // Before, a start was taken, and the VM ran for its life cycle while the cluster had it failed.
        if (!c.quorum) return 'the cluster has lost quorum: its service stopped on every node, and its VMs stay offline';
        return null;
      });
      life?.stateListeners.push((_from, to) => {
        if (vm.lifeDriven || vm.downWithHost) return; // the cluster's own doing
        // A snapshot of a running VM keeps it serving (it pauses for milliseconds, its I/O held by its gates).
        const serving = to === 'Running' || (to === 'Snapshotting' && life.gates.guestRunning);
        if (!serving && AVAILABLE.has(vm.state)) c.setState(vm, 'stopped', strand('', -1));
        else if (serving && vm.state === 'stopped') c.setState(vm, 'running', strand('', -1));
        this.heartbeats.wake();
      });
    }
    sim.scheduleAt(0, () => this.form());
    for (const action of config.actions) {
      c.pendingActions++;
      sim.scheduleAt(action.atNs, () => {
        c.pendingActions--;
        this.perform(action);
      });
    }
  }

  /** The run has ended (at `sim.now`): says what is still open at its end (a client without an answer). */
  finish(): void {
    this.heartbeats.closeRun();
  }

  /** One request of `vmId` on the detailed host reaching the shared storage (see `Backups.storageAccess`: CSV redirected access). */
  storageAccess(vmId: string, op: 'read' | 'write', bytes: number, s: Strand, place: Place): ProcessBody<void> {
    return this.backups.storageAccess(vmId, op, bytes, s, place);
  }

  private form(): void {
    const c = this.state;
    const vms = [...c.vms.values()];
    c.emit(strand('', -1), 'cluster.formed', c.storage, 0, {
      hosts: [...c.hosts.keys()],
      vms: vms.map((v) => v.config.id),
      vmHosts: vms.map((v) => v.host),
      vmMemoryBytes: vms.map((v) => v.config.memoryBytes),
      storage: this.config.storage.kind,
      coordinator: this.config.storage.coordinator,
      linkGbps: this.config.network.gbps,
      linkBytesPerS: this.config.network.bytesPerS,
      ha: this.config.ha.kind,
      ioHost: this.config.ioHost,
      clients: c.clients.map((x) => x.id),
      databasesOn: c.activeCopy ?? '',
    });
    this.heartbeats.wake();
  }

  private perform(action: ClusterActionConfig): void {
    const s = strand('', -1);
    if (action.do === 'fail-host') this.failover.failHost(action.host, s);
    else if (action.do === 'backup') this.backups.backup(action.vm, action.method, action.type, s);
    else this.migrations.migrate(action.do === 'quick-migrate' ? 'quick' : action.do === 'live-migrate' ? 'live' : 'vmotion', action.vm, action.to, action.maxPasses, action.gbps, s);
    this.heartbeats.wake();
  }
}
