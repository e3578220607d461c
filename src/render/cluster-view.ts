/**
 * The cluster view's state: what the cluster canvas shows at one point of
 * the trace, as a pure fold of the cluster records before the cursor (as
 * `view-state.ts` is for the I/O view). Hosts side by side (alive, silent
 * with its missed heartbeats, declared down), the VMs on each with their
 * state, migrations in flight with the memory left to send draining pass by
 * pass, where the Exchange databases are mounted, backups in progress and
 * the clients waiting. Stepping back refolds from the start: there are only
 * a few cluster records (one per pass, chunk, heartbeat round), and
 * `ClusterFolder` folds only those.
 */
import type { HvRecord } from '../model/trace-events.js';
import type { RecordStore } from '../model/trace/record-store.js';

export interface ClusterHostView {
  id: string;
  alive: boolean;
  declared: boolean;
  /** Heartbeats it has missed (0 while it answers). */
  missed: number;
}

export interface ClusterVmView {
  id: string;
  host: string;
  state: string;
  memoryBytes: number;
}

export interface ClusterMigrationView {
  vm: string;
  from: string;
  to: string;
  method: string;
  memoryBytes: number;
  /** Bytes this pass (or this chunk) still has to move, and which pass or phase it is in. */
  leftBytes: number;
  pass: number;
  phase: string;
}

export interface ClusterViewState {
  formed: boolean;
  timeNs: number;
  hosts: ClusterHostView[];
  vms: ClusterVmView[];
  ioHost: string;
  storage: string;
  coordinator: string;
  linkGbps: number;
  round: number;
  migrations: ClusterMigrationView[];
  /** The VM whose copy holds the active Exchange databases, or ''. */
  databasesOn: string;
  backups: { vm: string; step: string }[];
  /** VMs whose host-level backup holds the CSV in redirected access now (empty: Direct I/O). */
  csvRedirectedBy: string[];
  clientsWaiting: string[];
  /** The Windows failover cluster lost quorum: its service stopped on every node. */
  quorumLost: boolean;
  /** The last cluster record's kind and seq (-1 before any). */
  lastKind: string;
  lastSeq: number;
}

export function initialClusterView(): ClusterViewState {
  return { formed: false, timeNs: 0, hosts: [], vms: [], ioHost: '', storage: '', coordinator: '', linkGbps: 0, round: 0, migrations: [], databasesOn: '', backups: [], csvRedirectedBy: [], clientsWaiting: [], quorumLost: false, lastKind: '', lastSeq: -1 };
}

/** Whether a record belongs to the cluster level. */
export const isClusterKind = (kind: string): boolean => kind.startsWith('cluster.') || kind === 'vm.memory.saved' || kind === 'vm.memory.restored';
export const isClusterRecord = (r: HvRecord): boolean => isClusterKind(r.kind);

/** Applies one cluster record to `s` in place. */
export function applyClusterRecord(s: ClusterViewState, r: HvRecord): void {
  s.timeNs = r.t;
  s.lastKind = r.kind;
  s.lastSeq = r.seq;
  const vm = (id: string): ClusterVmView | undefined => s.vms.find((v) => v.id === id);
  const migration = (id: string): ClusterMigrationView | undefined => s.migrations.find((m) => m.vm === id);
  switch (r.kind) {
    case 'cluster.formed':
      s.formed = true;
      s.hosts = r.hosts.map((id) => ({ id, alive: true, declared: false, missed: 0 }));
      s.vms = r.vms.map((id, i) => ({ id, host: r.vmHosts[i]!, state: 'running', memoryBytes: r.vmMemoryBytes[i]! }));
      s.ioHost = r.ioHost;
      s.storage = r.storage;
      s.coordinator = r.coordinator;
      s.linkGbps = r.linkGbps;
      s.databasesOn = r.databasesOn;
      break;
    case 'cluster.heartbeat.round':
      s.round = r.round;
      for (const h of s.hosts) {
        const i = r.silent.indexOf(h.id);
        h.missed = i < 0 ? 0 : r.missed[i]!;
      }
      break;
    case 'cluster.host.failed': {
      const h = s.hosts.find((x) => x.id === r.host);
      if (h !== undefined) h.alive = false;
      break;
    }
    case 'cluster.host.declared-down': {
      const h = s.hosts.find((x) => x.id === r.host);
      if (h !== undefined) h.declared = true;
      break;
    }
    case 'cluster.quorum.lost':
      s.quorumLost = true;
      break;
    case 'cluster.csv.coordinator-moved':
      s.coordinator = r.to;
      break;
    case 'cluster.vm.changed': {
      const v = vm(r.vm);
      if (v !== undefined) {
        v.host = r.host;
        v.state = r.state;
      }
      break;
    }
    case 'cluster.migration.started':
      s.migrations.push({ vm: r.vm, from: r.from, to: r.to, method: r.method, memoryBytes: r.memoryBytes, leftBytes: r.memoryBytes, pass: 0, phase: 'started' });
      break;
    case 'cluster.migration.phase': {
      const m = migration(r.vm);
      if (m !== undefined) m.phase = r.phase;
      break;
    }
    case 'cluster.migration.pass': {
      const m = migration(r.vm);
      if (m !== undefined) {
        // Written as the pass ends: what the next pass (or the pause) has left to send.
        m.pass = r.pass;
        m.leftBytes = r.remainingBytes;
        m.phase = `pass ${r.pass} sent`;
      }
      break;
    }
    case 'cluster.state.chunk': {
      const m = migration(r.vm);
      if (m !== undefined) {
        m.phase = r.op === 'save' ? 'saving state' : 'restoring state';
        m.leftBytes = r.op === 'save' ? r.memoryBytes - r.offsetBytes : r.offsetBytes + r.bytes;
      }
      break;
    }
    // A quick migration through the VM's life cycle: its save and restore, chunk by chunk (lanes finish out of order, so count bytes).
    case 'vm.memory.saved':
    case 'vm.memory.restored': {
      const m = migration(r.vm);
      if (m === undefined || m.method !== 'quick') break;
      const saving = r.kind === 'vm.memory.saved';
      if (m.phase !== (saving ? 'saving state' : 'restoring state')) m.leftBytes = saving ? m.memoryBytes : 0;
      m.phase = saving ? 'saving state' : 'restoring state';
      m.leftBytes = saving ? Math.max(0, m.leftBytes - r.bytes) : Math.min(m.memoryBytes, m.leftBytes + r.bytes);
      break;
    }
    case 'cluster.migration.blackout': {
      const m = migration(r.vm);
      if (m !== undefined) {
        m.phase = 'blackout';
        m.leftBytes = r.bytes;
      }
      break;
    }
    case 'cluster.migration.completed':
      s.migrations = s.migrations.filter((m) => m.vm !== r.vm);
      break;
    case 'cluster.exchange.failedover':
      s.databasesOn = r.to;
      break;
    case 'cluster.backup.started':
      s.backups.push({ vm: r.vm, step: 'started' });
      break;
    case 'cluster.backup.step': {
      const b = s.backups.find((x) => x.vm === r.vm);
      if (b !== undefined) b.step = r.step;
      if (r.step === 'csv-redirected' && !s.csvRedirectedBy.includes(r.vm)) s.csvRedirectedBy.push(r.vm);
      break;
    }
    case 'cluster.backup.completed':
      s.backups = s.backups.filter((b) => b.vm !== r.vm);
      s.csvRedirectedBy = s.csvRedirectedBy.filter((v) => v !== r.vm);
      break;
    case 'cluster.client.lost':
      if (!s.clientsWaiting.includes(r.client)) s.clientsWaiting.push(r.client);
      break;
    case 'cluster.client.resumed':
      s.clientsWaiting = s.clientsWaiting.filter((c) => c !== r.client);
      break;
    default:
      break;
  }
}

/**
 * Folds a run's cluster records up to any cursor: it keeps the indices of
 * the cluster records and the state at the last cursor asked, folding
 * forward from there, or from the start when the cursor moved back.
 */
export class ClusterFolder {
  private readonly indices: Int32Array;
  private state = initialClusterView();
  /** How many of `indices` are folded into `state`. */
  private folded = 0;

  constructor(private readonly records: RecordStore) {
    // The cluster's kinds from the store's index by kind, merged into trace order.
    const rows: number[] = [];
    for (const kind of records.kindCounts().keys()) if (isClusterKind(kind)) for (const i of records.ofKind(kind)) rows.push(i);
    this.indices = Int32Array.from(rows).sort();
    this.formed = records.ofKind('cluster.formed').length > 0;
  }

  private readonly formed: boolean;

  /** Whether the run has a cluster at all (a single host's saved memory alone is not one). */
  get present(): boolean {
    return this.formed;
  }

  /** The state after the first `cursor` records of the trace. */
  at(cursor: number): ClusterViewState {
    let n = 0;
    let lo = 0;
    let hi = this.indices.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.indices[mid]! < cursor) lo = mid + 1;
      else hi = mid;
    }
    n = lo;
    if (n < this.folded) {
      this.state = initialClusterView();
      this.folded = 0;
    }
    for (; this.folded < n; this.folded++) applyClusterRecord(this.state, this.records.at(this.indices[this.folded]!)!);
    return this.state;
  }
}
