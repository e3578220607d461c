/**
 * Figures of the cluster level, folded from its coarse records
 * (`model/cluster/cluster-events.ts`) as they are emitted. Parts:
 * - `migrations`: one per migration, in start order: method, hosts, queuedNs (the wait for a
 *   migration slot on its hosts, before totalNs starts; null while still queued), passes
 *   (bytes, ns), totalNs, totalBytes, blackoutNs, converged / capped, the
 *   flags (blackout longer than the heartbeat budget, than a TCP timeout),
 *   the closed form beside it (formulaTotalNs, formulaBlackoutNs) and, for a
 *   quick migration, saveNs, moveNs and restoreNs (and throughLifecycle; offline: true when an Off or
 *   Saved VM's group moved with nothing saved or restored);
 *   heldRequests and heldMaxNs: the VM's requests held during it (at its
 *   life cycle's gates on the detailed host) and the longest wait;
 * - `failovers`: one per failed host: detectionNs, restartNs (declared down
 *   to the last VM serving), downtimeNs (failure to the last VM serving),
 *   heldRequests / heldMaxNs (its VMs' requests waiting out the outage),
 *   and per VM;
 * - `databases`: one per Exchange database failover: detectionNs,
 *   failoverNs, downtimeNs;
 * - `backups`: one per backup: method, downtimeNs, freezeNs, totalNs,
 *   protectedBytes, logsTruncated, consistency, csvRedirectedNs (how long
 *   the CSV stayed in redirected access for it), and each step's ns;
 * - `clients`: per client, gaps, longestGapNs, drops, and openGapNs: the
 *   gap still open when the run ended (its VM or database never answered
 *   again; counted among the gaps, at least this long), else null;
 * - `cluster`: hosts, heartbeat rounds, actions refused (with why), and the
 *   CSV's redirected I/O: requests of the detailed host sent to the
 *   coordinator over the cluster network, their bytes, the time added.
 * Pure: types only from the model.
 */
import type { HvRecord, RecordOf } from '../model/trace-events.js';
import type { FigureFolder, FigureFolderKind, FigurePart, FigureTree } from './run-figures.js';

interface Migration {
  vm: string;
  method: string;
  from: string;
  to: string;
  memoryBytes: number;
  linkBytesPerS: number;
  maxPasses: number;
  startNs: number;
  passes: { bytes: number; ns: number; dirtiedBytes: number; dirtyBytesPerS: number }[];
  saveNs: number;
  moveNs: number;
  restoreNs: number;
  done: RecordOf<'cluster.migration.completed'> | null;
  /** When it was queued for a migration slot on its hosts (null: it started at once), and how long it waited (null: not yet over; totalNs leaves the wait out). */
  queuedSinceNs: number | null;
  queuedNs: number | null;
  /** The VM's requests held at its gates during the migration, and the longest wait of one. */
  heldRequests: number;
  heldMaxNs: number;
}

interface Failure {
  host: string;
  failedNs: number;
  detectionNs: number | null;
  declaredNs: number | null;
  by: string;
  vms: Record<string, { host: string; restartNs: number; downtimeNs: number }>;
  lost: string[];
  /** Requests of its VMs held until they ran again (the guest retries after the restart), and the longest wait. */
  heldRequests: number;
  heldMaxNs: number;
  /** Declaring this host down cost the cluster its quorum: nothing was restarted. */
  quorumLost: boolean;
}

interface Backup {
  vm: string;
  method: string;
  type: string;
  why: string;
  startNs: number;
  steps: Record<string, number>;
  done: RecordOf<'cluster.backup.completed'> | null;
  endNs: number;
  /** When the CSV went into redirected access for this backup (it stays so until the backup completes), or null. */
  redirectedAtNs: number | null;
  /** The step under way and when it began. */
  open: { key: string; t: number } | null;
  closeStep(t: number): void;
}

function newBackup(vm: string, method: string, type: string, why: string, t: number): Backup {
  const b: Backup = {
    vm,
    method,
    type,
    why,
    startNs: t,
    steps: {},
    done: null,
    endNs: t,
    redirectedAtNs: null,
    open: null,
    closeStep(now: number): void {
      if (b.open === null) return;
      b.steps[b.open.key] = (b.steps[b.open.key] ?? 0) + (now - b.open.t);
      b.open = null;
    },
  };
  return b;
}

/** One client's gaps without an answer (a type, not an interface, so it is a `FigureTree`). */
type ClientFigures = {
  gaps: number;
  longestGapNs: number;
  drops: number;
  /** The gap still open when the run ended, or null. */
  openGapNs: number | null;
};

const newClient = (): ClientFigures => ({ gaps: 0, longestGapNs: 0, drops: 0, openGapNs: null });

/** Folds every cluster record; each part's folder asks it for its part. */
class ClusterFold {
  formed: RecordOf<'cluster.formed'> | null = null;
  rounds = 0;
  readonly migrations: Migration[] = [];
  readonly failures: Failure[] = [];
  readonly databases: FigureTree[] = [];
  readonly backups: Backup[] = [];
  /** The failure of the host last declared down. */
  private lastDeclared: Failure | undefined;
  /** When the cluster lost quorum, or null. */
  quorumLostNs: number | null = null;
  readonly clients = new Map<string, ClientFigures>();
  readonly refused: FigureTree[] = [];
  /** Requests that went to the CSV coordinator over the cluster network (redirected access), their bytes and the time the detour added. */
  readonly csv = { redirectedRequests: 0, redirectedBytes: 0, redirectedNs: 0 };
  /** The migration under way of each VM, and the migration each held request (by flow) waits out. */
  private readonly moving = new Map<string, Migration>();
  private readonly heldFlows = new Map<number, Migration>();
  /** The failure each failed VM waits out, and the held requests' flows. */
  private readonly down = new Map<string, Failure>();
  private readonly heldInFailure = new Map<number, Failure>();

  write(r: HvRecord): void {
    if (r.kind === 'vm.io.held') {
      const m = this.moving.get(r.vm);
      if (m !== undefined) {
        m.heldRequests++;
        this.heldFlows.set(r.flow, m);
      }
      const f = this.down.get(r.vm);
      if (f !== undefined) {
        f.heldRequests++;
        this.heldInFailure.set(r.flow, f);
      }
      return;
    }
    if (r.kind === 'vm.io.released') {
      const m = this.heldFlows.get(r.flow);
      if (m !== undefined) {
        m.heldMaxNs = Math.max(m.heldMaxNs, r.heldNs);
        this.heldFlows.delete(r.flow);
      }
      const f = this.heldInFailure.get(r.flow);
      if (f !== undefined) {
        f.heldMaxNs = Math.max(f.heldMaxNs, r.heldNs);
        this.heldInFailure.delete(r.flow);
      }
      return;
    }
    if (!r.kind.startsWith('cluster.')) return;
    switch (r.kind) {
      case 'cluster.formed':
        this.formed = r;
        for (const c of r.clients) this.clients.set(c, newClient());
        break;
      case 'cluster.heartbeat.round':
        this.rounds++;
        break;
      case 'cluster.migration.started':
        this.migrations[r.migration] = { vm: r.vm, method: r.method, from: r.from, to: r.to, memoryBytes: r.memoryBytes, linkBytesPerS: r.linkBytesPerS, maxPasses: r.maxPasses, startNs: r.t, passes: [], saveNs: 0, moveNs: 0, restoreNs: 0, done: null, heldRequests: 0, heldMaxNs: 0, queuedSinceNs: null, queuedNs: null };
        this.moving.set(r.vm, this.migrations[r.migration]!);
        break;
      case 'cluster.migration.pass':
        this.migrations[r.migration]?.passes.push({ bytes: r.bytes, ns: r.durationNs, dirtiedBytes: r.dirtiedBytes, dirtyBytesPerS: r.dirtyBytesPerS });
        break;
      case 'cluster.state.chunk': {
        const m = this.migrations[r.migration];
        if (m === undefined) break;
        if (r.op === 'save') m.saveNs += r.costNs;
        else m.restoreNs += r.costNs;
        break;
      }
      case 'cluster.migration.phase': {
        const m = this.migrations[r.migration];
        if (m === undefined) break;
        if (r.phase === 'lun-move' || r.phase === 'owner-move' || r.phase === 'provision') m.moveNs += r.costNs;
        // Queued for a slot on its hosts: the wait ends with its next phase (its setup).
        if (r.phase === 'queued') m.queuedSinceNs = r.t;
        else if (m.queuedSinceNs !== null && m.queuedNs === null) m.queuedNs = r.t - m.queuedSinceNs;
        break;
      }
      case 'cluster.migration.completed': {
        const m = this.migrations[r.migration];
        if (m !== undefined) m.done = r;
        // Ended while still queued (its host failed): the wait lasted until then.
        if (m !== undefined && m.queuedSinceNs !== null && m.queuedNs === null) m.queuedNs = r.t - m.queuedSinceNs;
        if (this.moving.get(r.vm) === m) this.moving.delete(r.vm);
        break;
      }

      case 'cluster.host.failed': {
        const f: Failure = { host: r.host, failedNs: r.t, detectionNs: null, declaredNs: null, by: '', vms: {}, lost: r.vms, heldRequests: 0, heldMaxNs: 0, quorumLost: false };
        this.failures.push(f);
        for (const vm of r.vms) this.down.set(vm, f);
        break;
      }
      case 'cluster.host.declared-down': {
        const f = this.lastFailure(r.host);
        this.lastDeclared = f;
        if (f !== undefined) {
          f.detectionNs = r.detectionNs;
          f.declaredNs = r.t;
          f.by = r.by;
        }
        break;
      }
      case 'cluster.quorum.lost': {
        // Declaring that host down is what cost the quorum.
        if (this.lastDeclared !== undefined) this.lastDeclared.quorumLost = true;
        this.quorumLostNs = r.t;
        break;
      }
      case 'cluster.vm.restarted': {
        // The VM serves again: it is restarted for every failure that took it down and had not seen it back (a
        // restart cut short by its new host failing too leaves it lost in the first failure as well as the second).
        for (const f of this.failures) {
          if (f.vms[r.vm] !== undefined || !f.lost.includes(r.vm)) continue;
          f.vms[r.vm] = { host: r.host, restartNs: r.t - (f.declaredNs ?? f.failedNs), downtimeNs: r.t - f.failedNs };
        }
        this.down.delete(r.vm);
        break;
      }
      case 'cluster.exchange.failedover':
        this.databases.push({ from: r.from, to: r.to, kind: r.copyKind, detectionNs: r.detectionNs, failoverNs: r.downtimeNs - r.detectionNs, downtimeNs: r.downtimeNs });
        break;
      case 'cluster.client.resumed':
      case 'cluster.client.unanswered': {
        const c = this.clients.get(r.client) ?? newClient();
        c.gaps++;
        c.longestGapNs = Math.max(c.longestGapNs, r.gapNs);
        if (r.dropped) c.drops++;
        if (r.kind === 'cluster.client.unanswered') c.openGapNs = r.gapNs;
        this.clients.set(r.client, c);
        break;
      }
      case 'cluster.client.lost':
        if (!this.clients.has(r.client)) this.clients.set(r.client, newClient());
        break;
      case 'cluster.backup.started':
        this.backups[r.backup] = newBackup(r.vm, r.method, r.type, r.why, r.t);
        break;
      case 'cluster.backup.step': {
        const b = this.backups[r.backup];
        if (b === undefined) break;
        // A step lasts until the next one starts (a life-cycle save or restore is measured, not costed ahead).
        b.closeStep(r.t);
        if (r.step === 'csv-redirected') b.redirectedAtNs = r.t;
        else b.open = { key: `${r.step}Ns`, t: r.t };
        break;
      }
      case 'cluster.backup.completed': {
        const b = this.backups[r.backup];
        if (b !== undefined) {
          b.closeStep(r.t);
          b.done = r;
          b.endNs = r.t;
        }
        break;
      }
      case 'cluster.csv.redirected-io':
        this.csv.redirectedRequests++;
        this.csv.redirectedBytes += r.bytes;
        this.csv.redirectedNs += r.costNs;
        break;
      case 'cluster.action.refused':
        this.refused.push({ action: r.action, vm: r.vm, host: r.host, why: r.why });
        break;
      default:
        break;
    }
  }

  private lastFailure(host: string): Failure | undefined {
    for (let i = this.failures.length - 1; i >= 0; i--) if (this.failures[i]!.host === host) return this.failures[i];
    return undefined;
  }

  part(name: string): FigurePart | undefined {
    if (this.formed === null) return undefined;
    switch (name) {
      case 'migrations':
        return this.migrations.length === 0 ? undefined : this.migrations.map(migrationTree);
      case 'failovers':
        return this.failures.length === 0 ? undefined : this.failures.map(failureTree);
      case 'databases':
        return this.databases.length === 0 ? undefined : this.databases;
      case 'backups':
        return this.backups.length === 0 ? undefined : this.backups.map(backupTree);
      case 'clients':
        return this.clients.size === 0 ? undefined : Object.fromEntries(this.clients);
      case 'cluster':
        return { hosts: this.formed.hosts, ioHost: this.formed.ioHost, storage: this.formed.storage, linkBytesPerS: this.formed.linkBytesPerS, heartbeatRounds: this.rounds, refusedCount: this.refused.length, refused: this.refused,
          quorumLostNs: this.quorumLostNs,
          csvRedirectedRequests: this.csv.redirectedRequests,
          csvRedirectedBytes: this.csv.redirectedBytes,
          csvRedirectedNs: this.csv.redirectedNs,
          csvRedirectedMeanNs: this.csv.redirectedRequests === 0 ? 0 : Math.round(this.csv.redirectedNs / this.csv.redirectedRequests),
        };
      default:
        return undefined;
    }
  }
}

function migrationTree(m: Migration): FigureTree {
  const d = m.done;
  const base: Record<string, FigureTree[string]> = {
    vm: m.vm,
    method: m.method,
    from: m.from,
    to: m.to,
    memoryBytes: m.memoryBytes,
    outcome: d?.outcome ?? 'unfinished',
    passCount: m.passes.length,
    passes: m.passes.map((p) => ({ sentBytes: p.bytes, durationNs: p.ns, dirtiedBytes: p.dirtiedBytes, dirtyBytesPerS: p.dirtyBytesPerS })),
    totalNs: d?.totalNs ?? null,
    totalBytes: d?.totalBytes ?? null,
    blackoutNs: d?.blackoutNs ?? null,
    converged: d?.converged ?? false,
    capped: d?.capped ?? false,
    exceedsHeartbeat: d?.exceedsHeartbeat ?? false,
    exceedsTcpTimeout: d?.exceedsTcpTimeout ?? false,
    formulaTotalNs: d?.formulaTotalNs ?? null,
    formulaBlackoutNs: d?.formulaBlackoutNs ?? null,
    ...(d?.formulaWithoutSdpsBlackoutNs === undefined ? {} : { formulaWithoutSdpsBlackoutNs: d.formulaWithoutSdpsBlackoutNs }),
    rateBytesPerS: measuredRate(m),
    // null: still queued when the run ended.
    queuedNs: m.queuedSinceNs === null ? 0 : m.queuedNs,
    heldRequests: m.heldRequests,
    heldMaxNs: m.heldMaxNs,
  };
  if (m.method === 'quick') Object.assign(base, { saveNs: d?.saveNs ?? m.saveNs, moveNs: d?.moveNs ?? m.moveNs, restoreNs: d?.restoreNs ?? m.restoreNs, throughLifecycle: d?.throughLifecycle ?? false, ...(d?.offline === true ? { offline: true } : {}) });
  else base['maxPasses'] = m.maxPasses;
  return base;
}

/** The rate a live migration's passes went at (their bytes over their time: the link shared), else the one it started with (a quick migration's storage rate). */
function measuredRate(m: Migration): number {
  const ns = m.passes.reduce((sum, p) => sum + p.ns, 0);
  return ns === 0 ? m.linkBytesPerS : Math.round((m.passes.reduce((sum, p) => sum + p.bytes, 0) * 1e9) / ns);
}

function failureTree(f: Failure): FigureTree {
  const vms = Object.values(f.vms);
  const last = vms.length === 0 ? null : Math.max(...vms.map((v) => v.downtimeNs));
  return {
    host: f.host,
    by: f.by,
    vmsLost: f.lost.length,
    vmsRestarted: vms.length,
    detectionNs: f.detectionNs,
    restartNs: last === null || f.detectionNs === null ? null : last - f.detectionNs,
    downtimeNs: last,
    heldRequests: f.heldRequests,
    quorumLost: f.quorumLost,
    heldMaxNs: f.heldMaxNs,
    vms: f.vms,
  };
}

function backupTree(b: Backup): FigureTree {
  const d = b.done;
  return {
    vm: b.vm,
    method: b.method,
    type: b.type,
    outcome: d === null ? 'unfinished' : d.outcome,
    downtimeNs: d?.downtimeNs ?? null,
    freezeNs: d?.freezeNs ?? null,
    totalNs: d === null ? null : b.endNs - b.startNs,
    protectedBytes: d?.protectedBytes ?? null,
    logsTruncated: d?.logsTruncated ?? false,
    withinLimits: d?.withinLimits ?? false,
    consistency: d?.consistency ?? '',
    csvRedirectedNs: b.redirectedAtNs === null || d === null ? 0 : b.endNs - b.redirectedAtNs,
    steps: b.steps,
  };
}

/** One part's folder over its own fold. */
class ClusterFigureFolder implements FigureFolder {
  readonly enabled = true;
  private readonly fold = new ClusterFold();
  /** The cluster's records, and the held and released requests a migration or a failure makes wait. */
  readonly kindPrefix = ['cluster.', 'vm.io.'] as const;
  constructor(readonly part: string) {}
  write(record: HvRecord): void {
    this.fold.write(record);
  }
  result(): FigurePart | undefined {
    return this.fold.part(this.part);
  }
}

const kind = (part: string, description: string): FigureFolderKind => ({ part, description, create: () => new ClusterFigureFolder(part) });

/** The cluster's parts, in the order `hvsim run` prints them. */
export const CLUSTER_FIGURE_FOLDERS: readonly FigureFolderKind[] = [
  kind('migrations', 'one per migration: passes, totalNs, blackoutNs, converged or capped, the closed form beside it'),
  kind('failovers', 'one per failed host: detectionNs, restartNs, downtimeNs, quorumLost, per VM'),
  kind('databases', 'one per Exchange database failover: detectionNs, failoverNs, downtimeNs'),
  kind('backups', 'one per backup: method, downtimeNs, freezeNs, protectedBytes, logsTruncated'),
  kind('clients', 'per client: gaps, longestGapNs, drops, openGapNs (a gap still open at the run\'s end)'),
  kind('cluster', 'hosts, heartbeat rounds, actions refused, quorumLostNs'),
];
