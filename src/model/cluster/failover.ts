/**
 * Host failure and failover (row d): a failed host's VMs stop with it; once
 * the heartbeats (`heartbeats.ts`) declare it down, its VMs restart
 * elsewhere by restart priority, on the host with the most free memory that
 * holds no other copy of the same Exchange group (placement, the LUN
 * online, a cold boot, the services), and the CSV coordinator moves if it
 * was there. An Exchange copy group (CCR, SCC, DAG) watches its members on
 * the same heartbeat rounds and mounts its active databases on another
 * copy instead. Part of `ClusterModel` (`cluster.ts`).
 */
import type { EventId } from '../../engine/index.js';
import type { Strand } from '../tracer.js';
import type { ClusterVmState } from './cluster-events.js';
import { AVAILABLE, type ClusterState, type HostRuntime, type VmRuntime } from './cluster-state.js';

export class Failover {
  /** The next step of each restart under way (a VM booting on its new host), so a failure of that host ends it at once. */
  private readonly restarting = new Map<VmRuntime, EventId>();

  constructor(private readonly c: ClusterState) {}

  failHost(hostId: string, s: Strand): void {
    const host = this.c.hosts.get(hostId)!;
    if (!host.alive) {
      this.c.refuse('fail-host', '', hostId, `host ${hostId} is already down`, s);
      return;
    }
    host.alive = false;
    host.failedAtNs = this.c.sim.now;
    host.declared = false;
    // An Off or Saved VM is an offline cluster resource: nothing of it runs to be lost, and the cluster
    // does not bring it online elsewhere (a paused or saving VM is online, and is restarted). Only one its own
    // life cycle left so ('stopped'): one Saved by a quick migration or a saved-state backup under way is an
    // online group in the middle of a move or a backup, which the failover owns once its node is gone (as on the
    // chunked path, whose VM has no life cycle). Before, such a VM was left out: nothing restarted it, it stayed
    // 'moving' or 'saved-for-backup' on the dead host for good, and the run went on to limits.until.
    const offline = (v: VmRuntime): boolean => {
      const state = this.c.lifecycle(v.config.id)?.state;
      return (state === 'Off' || state === 'Saved') && v.state === 'stopped';
    };
    const victims = [...this.c.vms.values()].filter((v) => v.host === hostId && v.state !== 'failed' && !offline(v));
    this.c.emit(s, 'cluster.host.failed', host.place, 0, { host: hostId, vms: victims.map((v) => v.config.id) });
    for (const vm of victims) {
      // A VM that HA was booting here: that restart ends with the host (its pending step must not touch the VM's
      // next restart elsewhere), and its outage still counts from the failure that first took it down.
      const pending = this.restarting.get(vm);
      if (pending !== undefined) {
        this.c.sim.cancel(pending);
        this.restarting.delete(vm);
        this.c.activeOps--;
      }
      vm.failedSinceNs ??= this.c.sim.now;
      this.c.setState(vm, 'failed', s);
    }
    for (const listener of this.c.hostFailedListeners) listener(hostId, s);
  }

  declareDown(host: HostRuntime, missed: number, s: Strand): void {
    host.declared = true;
    this.c.emit(s, 'cluster.host.declared-down', host.place, 0, { host: host.id, missed, detectionNs: this.c.sim.now - host.failedAtNs, by: this.c.config.ha.kind });
    for (const listener of this.c.hostDownListeners) listener(host.id, s);
    if (this.c.quorum && !this.quorumHolds()) {
      this.loseQuorum(s);
      return;
    }
    if (!this.c.quorum) return;
    if (this.c.config.storage.kind === 'csv' && this.c.coordinator === host.id) {
      const next = [...this.c.hosts.values()].find((h) => h.alive);
      if (next !== undefined) {
        this.c.coordinator = next.id;
        this.c.emit(s, 'cluster.csv.coordinator-moved', this.c.storage, 0, { from: host.id, to: next.id });
      }
    }
    const victims = [...this.c.vms.values()]
      .filter((v) => v.host === host.id && v.state === 'failed')
      .sort((a, b) => b.config.restartPriority - a.config.restartPriority);
    for (const vm of victims) this.restart(vm, host, s);
    // An offline VM (Off or Saved: its cluster group is offline, its files on the shared storage) is moved to a
    // surviving node and stays offline there, as the cluster moves every group the failed node owned; a later
    // start or restore of it runs there, never on the dead host (R: WSFC fails over a node's groups, offline
    // ones included, keeping their state). One a migration or backup holds is that operation's to settle.
    for (const vm of this.c.vms.values()) {
      if (vm.host !== host.id || vm.state === 'failed' || vm.busy) continue;
      const target = this.placement(vm);
      if (target === undefined) continue;
      vm.host = target.id;
      this.c.setState(vm, vm.state, s);
    }
  }

  /** Where HA puts a VM: an alive host holding no other copy of its Exchange group if it can, then the one with the most memory left, ties to the first listed. */
  private placement(vm: VmRuntime): HostRuntime | undefined {
    const load = (h: string): number => [...this.c.vms.values()].filter((v) => v.host === h && v.state !== 'failed').reduce((sum, v) => sum + v.config.memoryBytes, 0);
    const candidates = [...this.c.hosts.values()].filter((h) => h.alive);
    if (candidates.length === 0) return undefined;
    // Keep copies of one Exchange group apart (anti-affinity, as WSFC AntiAffinityClassNames or a DRS rule: R), then the most free memory.
    const group = this.c.config.exchange?.members.includes(vm.config.id) === true ? this.c.config.exchange.members.filter((m) => m !== vm.config.id) : [];
    const holdsCopy = (h: string): number => (group.some((m) => this.c.vms.get(m)!.host === h && this.c.vms.get(m)!.state !== 'failed') ? 1 : 0);
    return candidates.reduce((best, h) => {
      const key = holdsCopy(h.id) - holdsCopy(best.id);
      return key < 0 || (key === 0 && load(h.id) < load(best.id)) ? h : best;
    });
  }

  /**
   * Whether a Windows failover cluster still has quorum: Node Majority with
   * an odd number of nodes, Node and Disk Majority (a disk witness on the
   * shared storage adds a vote) with an even number, Microsoft's
   * recommendation for Windows Server 2008 (R); quorum is more than half the
   * votes. VMware HA has no quorum (its agents elect a master): always.
   */
  private quorumHolds(): boolean {
    if (this.c.config.ha.kind === 'vmware-ha') return true;
    const { votes, of } = this.votes();
    return 2 * votes > of;
  }

  private votes(): { votes: number; of: number; witness: boolean } {
    const hosts = [...this.c.hosts.values()];
    const witness = hosts.length % 2 === 0;
    const up = hosts.filter((h) => h.alive).length;
    return { votes: up + (witness ? 1 : 0), of: hosts.length + (witness ? 1 : 0), witness };
  }

  /** Quorum lost: the cluster service stops on the nodes still up, their VMs go offline with it, and nothing restarts. */
  private loseQuorum(s: Strand): void {
    this.c.quorum = false;
    const up = [...this.c.hosts.values()].filter((h) => h.alive);
    const offline = [...this.c.vms.values()].filter((v) => v.state !== 'failed' && this.c.hosts.get(v.host)!.alive);
    this.c.emit(s, 'cluster.quorum.lost', this.c.storage, 0, { hosts: up.map((h) => h.id), ...this.votes(), vms: offline.map((v) => v.config.id) });
    for (const vm of offline) this.c.setState(vm, 'failed', s);
  }

  /** HA: the VM on the alive host with the most memory left, ties to the first listed. */
  restart(vm: VmRuntime, from: HostRuntime, s: Strand): void {
    const target = this.placement(vm);
    if (target === undefined) {
      this.c.refuse('restart', vm.config.id, from.id, 'no host is left to restart it on', s);
      return;
    }
    // The VM's outage began when a failure first took it down: the host it was restarted from may be the second to fail under it.
    const failedAt = vm.failedSinceNs ?? from.failedAtNs;
    this.c.activeOps++;
    vm.host = target.id;
    const lun = this.c.config.storage.kind === 'lun-per-vm' ? this.c.config.storage.lunMoveNs : 0;
    const steps: [ClusterVmState, number][] = [
      ['booting', this.c.config.ha.placementNs + lun + vm.config.bootNs],
      ['starting-services', vm.config.serviceStartNs],
    ];
    const next = (i: number): void => {
      if (!target.alive || !this.c.quorum) {
        this.c.activeOps--;
        this.c.setState(vm, 'failed', s);
        return;
      }
      if (i === steps.length) {
        vm.boots++;
        vm.failedSinceNs = null;
        this.c.setState(vm, 'running', s);
        this.c.emit(s, 'cluster.vm.restarted', target.place, 0, { vm: vm.config.id, host: target.id, from: from.id, downtimeNs: this.c.sim.now - failedAt });
        this.c.activeOps--;
        return;
      }
      const [state, ns] = steps[i]!;
      if (ns === 0) return next(i + 1);
      this.c.setState(vm, state, s);
      this.restarting.set(
        vm,
        this.c.sim.schedule(ns, () => {
          this.restarting.delete(vm);
          next(i + 1);
        }),
      );
    };
    next(0);
  }

  /**
   * The copy group's own heartbeat between its members (a guest cluster: the same 1 s × 5 as the hosts by
   * default) runs on the cluster's rounds: a member that is not serving misses its beat, and at the
   * threshold the group evicts it and, if it held the active databases, mounts them on another copy.
   */
  exchangeWatch(s: Strand): void {
    const ex = this.c.config.exchange;
    if (ex === null) return;
    for (const id of ex.members) {
      const vm = this.c.vms.get(id)!;
      if (vm.unavailableSinceNs === null) {
        vm.lastBeatRound = this.c.round;
        continue;
      }
      const missed = this.c.round - vm.lastBeatRound;
      if (vm.evicted || missed < ex.threshold) continue;
      vm.evicted = true;
      this.c.emit(s, 'cluster.exchange.evicted', vm.place, 0, { vm: id, missed });
    }
    const active = this.c.activeCopy === null ? undefined : this.c.vms.get(this.c.activeCopy);
    if (!this.c.dbMoving && active !== undefined && active.evicted && !AVAILABLE.has(active.state)) this.moveDatabases(active, s);
  }

  moveDatabases(from: VmRuntime, s: Strand): void {
    const ex = this.c.config.exchange!;
    const to = ex.members.map((m) => this.c.vms.get(m)!).find((m) => m !== from && AVAILABLE.has(m.state));
    if (to === undefined) return; // no copy serves: the databases wait for a member to come back
    if (ex.kind === 'scc' && to.host === from.host) return;
    const since = this.c.dbUnavailableSinceNs ?? from.unavailableSinceNs ?? this.c.sim.now;
    const detectionNs = this.c.sim.now - since;
    this.c.dbMoving = true;
    const ns = ex.failoverNs + (ex.kind === 'scc' && this.c.config.storage.kind === 'lun-per-vm' ? this.c.config.storage.lunMoveNs : 0);
    this.c.sim.schedule(ns, () => {
      this.c.dbMoving = false;
      this.c.activeCopy = to.config.id;
      this.c.dbMounts++;
      const downtimeNs = this.c.sim.now - since;
      this.c.dbUnavailableSinceNs = AVAILABLE.has(to.state) ? null : this.c.sim.now;
      this.c.emit(s, 'cluster.exchange.failedover', this.c.exchangePlace, 0, { from: from.config.id, to: to.config.id, copyKind: ex.kind, detectionNs, downtimeNs });
    });
  }

  databasesServing(): boolean {
    if (this.c.activeCopy === null || this.c.dbMoving) return false;
    return AVAILABLE.has(this.c.vms.get(this.c.activeCopy)!.state);
  }
}
