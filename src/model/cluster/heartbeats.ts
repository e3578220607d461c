/**
 * The cluster's liveness loops: heartbeat rounds between the hosts (Windows
 * failover cluster 1 s x 5; VMware HA 4.x 1 s, 15 s), which declare a
 * silent host down at the threshold and let the Exchange copy group check
 * its members, and the clients' polls, which report each gap and whether
 * the connection survived. Both run only while the cluster has something
 * to do, so a run ends. Part of `ClusterModel` (`cluster.ts`).
 */
/*
 * A node is declared down when the peers have heard nothing from it for
 * the threshold: at the round whose count since its last answered beat
 * reaches it (Microsoft, Tuning Failover Cluster Network Thresholds: a
 * heartbeat every SameSubnetDelay, down after SameSubnetThreshold missed).
 * The silence starts at the last beat it answered, before the failure or
 * the pause, so a failure is declared 4 to 5 s after it on a 1 s x 5
 * cluster, and a pause of 4 to 5 s may already evict a copy-group member,
 * by the phase of the beats (row d.2's "offline > 5 s" is the sure case).
 */
import { strand } from '../tracer.js';
import { AVAILABLE, type ClientRuntime, type ClusterState, type VmRuntime } from './cluster-state.js';
import type { Failover } from './failover.js';

export class Heartbeats {
  private heartbeatLoop = false;
  private clientLoop = false;

  constructor(
    private readonly c: ClusterState,
    private readonly failover: Failover,
  ) {}

  /** Starts the heartbeat and client loops if they sleep. */
  wake(): void {
    if (!this.heartbeatLoop && this.c.active()) {
      this.heartbeatLoop = true;
      this.c.sim.schedule(this.c.config.heartbeat.intervalNs, () => this.heartbeat());
    }
    if (!this.clientLoop && this.c.clients.length > 0 && this.c.active()) {
      this.clientLoop = true;
      for (const c of this.c.clients) this.c.sim.schedule(c.intervalNs, () => this.poll(c));
    }
  }

  private heartbeat(): void {
    this.c.round++;
    const alive: string[] = [];
    const silent: string[] = [];
    const missed: number[] = [];
    const s = strand('', -1);
    for (const h of this.c.hosts.values()) {
      if (h.alive) {
        h.lastBeatRound = this.c.round;
        alive.push(h.id);
      } else if (!h.declared) {
        silent.push(h.id);
        missed.push(this.c.round - h.lastBeatRound);
      }
    }
    this.c.emit(s, 'cluster.heartbeat.round', this.c.storage, 0, { round: this.c.round, alive, silent, missed });
    const threshold = this.c.config.heartbeat.threshold;
    silent.forEach((id, i) => {
      if (missed[i]! >= threshold) this.failover.declareDown(this.c.hosts.get(id)!, missed[i]!, s);
    });
    this.failover.exchangeWatch(s);
    if (this.c.active()) this.c.sim.schedule(this.c.config.heartbeat.intervalNs, () => this.heartbeat());
    else this.heartbeatLoop = false;
  }

  /**
   * The run is over: each client still waiting for an answer gets its open
   * gap said (`cluster.client.unanswered`), so a service that never came
   * back is counted, not left out of the figures because no answer closed it.
   */
  closeRun(): void {
    for (const c of this.c.clients) {
      if (c.lostAt === null) continue;
      const vm = c.vm === null ? null : this.c.vms.get(c.vm)!;
      this.c.emit(strand('', -1), 'cluster.client.unanswered', vm?.place ?? this.c.exchangePlace, 0, { client: c.id, vm: c.vm ?? this.c.activeCopy ?? '', ...this.gapSoFar(c, vm) });
    }
  }

  /** A lost client's gap until now, and whether its connection is gone: the VM rebooted under it, or the gap passed the TCP timeout. */
  private gapSoFar(c: ClientRuntime, vm: VmRuntime | null): { gapNs: number; dropped: boolean } {
    const gapNs = this.c.sim.now - c.lastAnsweredNs;
    return { gapNs, dropped: (vm !== null && vm.boots !== c.epoch) || gapNs > this.c.config.tcpTimeoutNs };
  }

  private poll(c: ClientRuntime): void {
    const vm = c.vm === null ? null : this.c.vms.get(c.vm)!;
    const serving = vm === null ? this.failover.databasesServing() : AVAILABLE.has(vm.state);
    const epoch = vm === null ? this.c.dbMounts : vm.boots;
    const target = c.vm ?? this.c.activeCopy ?? '';
    const s = strand('', -1);
    if (serving && c.lostAt !== null) {
      c.lostAt = null;
      this.c.emit(s, 'cluster.client.resumed', vm?.place ?? this.c.exchangePlace, 0, { client: c.id, vm: target, ...this.gapSoFar(c, vm) });
    } else if (!serving && c.lostAt === null) {
      c.lostAt = this.c.sim.now;
      c.epoch = epoch;
      this.c.emit(s, 'cluster.client.lost', vm?.place ?? this.c.exchangePlace, 0, { client: c.id, vm: target });
    }
    if (serving) c.lastAnsweredNs = this.c.sim.now;
    if (this.c.active()) this.c.sim.schedule(c.intervalNs, () => this.poll(c));
    else this.clientLoop = false;
  }
}
