/**
 * Generated valid CLUSTER scenarios lose nothing (the project's bar: every
 * request issued completes, or the run ends saying which did not and why).
 *
 * fast-check generates scenarios over 2 to 4 hosts: every platform (quick
 * migration only on hyperv-2008, live and quick on 2008 R2 and 2012 R2,
 * vMotion on vSphere 4 and 5), CSV or a LUN per VM, VMs on the detailed
 * host with disk workloads (bounded by a count or by a duration) and
 * network traffic, with or without integration services (so backups by
 * saved state too), VMs on the other hosts, sometimes no host disk at all
 * (quick migrations and saved-state backups then save in chunks at the
 * storage's rates), clients, heartbeat settings; timed migrations
 * (several at once, to and from hosts that fail), host failures (declared
 * down by the heartbeats, HA VMs restarted elsewhere), backups of every
 * method the platform allows and every type, and life-cycle actions (a
 * walk through Hyper-V's states: start, save, restore, pause, resume,
 * shutdown, turn-off, snapshot, revert, delete-snapshot) timed around them.
 * Each scenario goes through the real parser first (the generator cannot
 * drift from the schema), then runs. For each run:
 * 1. it ends by itself (no hang: limits.until and maxEvents are far off),
 *    without throwing, and accounts for every request: completed, or named
 *    unfinished with a reason that holds (held by a VM left Saved, Paused
 *    or Off, or by one a failed host took down and nothing restarted);
 *    the ledger agrees with a pass over the trace; the actions leave
 *    nothing unfinished;
 * 2. cluster invariants: every migration and backup record ends exactly
 *    once, and no VM is left in a state only a migration or a backup puts
 *    it in (saving, moving, restoring, blackout, frozen, saved for backup)
 *    once that record has ended; no VM runs (or serves) on a host that has
 *    failed; a VM's state at the end agrees between its life cycle and the
 *    cluster; a quick migration whose VM runs again as it ends has the
 *    whole outage as its blackout; the figures (blackout, totals,
 *    downtimes, client gaps) are non-negative and consistent with the
 *    records (a blackout within its migration, a backup's downtime within
 *    the backup, each client gap begun is ended or said open);
 * 3. the same scenario and seed give the same fingerprint twice.
 * Counts stay small so the test runs in seconds. Fixed seed
 * (HVSIM_CLUSTER_SEED and HVSIM_CLUSTER_RUNS override it to hunt further);
 * a failure prints the scenario's JSON.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { VmAction } from '../../src/model/lifecycle/vm-states.js';
import type { HvRecord } from '../../src/model/trace-events.js';
import { actionsUnfinished, leftUnfinished, parseScenarioText, runScenario, unfinishedMessage, type ScenarioRun } from '../../src/scenario/index.js';
import { walkLifecycle } from './lifecycle-walk.js';

const PLATFORMS = ['hyperv-2008', 'hyperv-2008-r2', 'hyperv-2012-r2', 'vsphere-4', 'vsphere-5'] as const;
type Platform = (typeof PLATFORMS)[number];

const workloadSpec = fc.record({
  op: fc.constantFrom('read', 'write', 'mixed'),
  sizeKiB: fc.constantFrom(4, 8, 64),
  count: fc.integer({ min: 1, max: 12 }),
  queueDepth: fc.integer({ min: 1, max: 4 }),
  pattern: fc.constantFrom('sequential', 'random'),
  startMs: fc.integer({ min: 0, max: 60_000 }),
  /** Bounded by time too (its count then a cap): the window may close while the VM is held. */
  durationMs: fc.option(fc.integer({ min: 1, max: 20_000 }), { nil: undefined }),
});

const vmSpec = fc.record({
  /** On the detailed host (h1) with a disk and workloads, or on another host with none. */
  detailed: fc.boolean(),
  otherHost: fc.nat(),
  /** A VM on another host saves and restores in chunks at the storage's rates (cheap), so it may be larger. */
  memoryMiB: fc.constantFrom(64, 256, 512, 1024),
  bigMemoryMiB: fc.constantFrom(64, 1024, 4096),
  /** Without them: an IDE disk, a legacy NIC, no shutdown service, and a host-level backup by saved state. */
  integrationServices: fc.boolean(),
  hostDisk: fc.constantFrom('hdd', 'ssd'),
  backend: fc.constantFrom('fixed-vhd', 'dynamic-vhd'),
  startsOff: fc.boolean(),
  workloads: fc.array(workloadSpec, { minLength: 0, maxLength: 3 }),
  nic: fc.option(fc.record({ count: fc.integer({ min: 1, max: 6 }), packetsPerSecond: fc.constantFrom(2, 100, 2000), direction: fc.constantFrom('send', 'receive'), startMs: fc.integer({ min: 0, max: 60_000 }) }), { nil: undefined }),
  dirty: fc.oneof(fc.constantFrom(0, 5, 50, 400), fc.constant('workloads' as const)),
  dataGiB: fc.constantFrom(0.5, 2, 8),
  client: fc.boolean(),
  /** Life-cycle actions: picks among those the state accepts, with gaps between them. */
  picks: fc.array(fc.nat(20), { minLength: 0, maxLength: 4 }),
  firstMs: fc.integer({ min: 0, max: 40_000 }),
  gapsMs: fc.array(fc.integer({ min: 500, max: 30_000 }), { minLength: 4, maxLength: 4 }),
});
type VmSpec = typeof vmSpec extends fc.Arbitrary<infer T> ? T : never;

const clusterActionSpec = fc.record({
  atMs: fc.integer({ min: 0, max: 60_000 }),
  /** move-fail: a move, then its source or target fails `failAfterMs` later (mid-move, or just after). */
  kind: fc.constantFrom('move', 'move', 'move', 'fail', 'backup', 'backup', 'move-fail', 'move-fail'),
  failAfterMs: fc.integer({ min: 0, max: 20_000 }),
  failSource: fc.boolean(),
  vm: fc.nat(),
  host: fc.nat(),
  quick: fc.boolean(),
  method: fc.nat(),
  type: fc.constantFrom('full', 'copy', 'incremental', 'differential'),
});

const scenarioSpec = fc.record({
  seed: fc.integer({ min: 0, max: 1000 }),
  platform: fc.constantFrom(...PLATFORMS),
  hosts: fc.integer({ min: 2, max: 4 }),
  csv: fc.boolean(),
  diskless: fc.boolean(),
  /** An Exchange copy group over the first VMs, and a client of its active databases. */
  exchange: fc.option(fc.record({ kind: fc.constantFrom('dag-2010', 'dag-2010-sp1', 'ccr', 'scc'), members: fc.integer({ min: 1, max: 3 }), client: fc.boolean(), threshold: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }) }), { nil: undefined }),
  simultaneous: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  gbps: fc.constantFrom(1, 10),
  heartbeat: fc.option(fc.record({ interval: fc.constantFrom('250ms', '1s', '2s'), threshold: fc.integer({ min: 1, max: 10 }) }), { nil: undefined }),
  vms: fc.array(vmSpec, { minLength: 1, maxLength: 3 }),
  actions: fc.array(clusterActionSpec, { minLength: 1, maxLength: 8 }),
});
type ScenarioSpec = typeof scenarioSpec extends fc.Arbitrary<infer T> ? T : never;

/** Life-cycle actions for one VM: a walk through the states, each an action its state accepts then (the parser walks them the same way). */
function walk(id: string, v: VmSpec, diskless: boolean): object[] {
  // With no host disk there is nowhere to write a state file or a snapshot's (the parser says so).
  const refuses = (a: VmAction): boolean => diskless && (a === 'save' || a === 'snapshot');
  return walkLifecycle(id, { ...v, gapMs: (i) => v.gapsMs[i % v.gapsMs.length]!, refuses }).actions;
}

/** The cluster's Exchange block: DAG on Exchange 2010, CCR or SCC on 2007 SP1 (the parser's pairs), over the first VMs. */
function exchangeOf(e: NonNullable<ScenarioSpec['exchange']>, vms: number): object {
  const [kind, version] = e.kind === 'dag-2010' ? ['dag', '2010'] : e.kind === 'dag-2010-sp1' ? ['dag', '2010-sp1'] : [e.kind, '2007-sp1'];
  return { kind, version, members: Array.from({ length: Math.min(e.members, vms) }, (_, i) => `vm${i}`), ...(e.threshold === undefined ? {} : { threshold: e.threshold }) };
}

/** The scenario a spec describes: valid by construction (and checked by the parser). */
function scenarioOf(spec: ScenarioSpec): { scenario: object; hostIds: string[] } {
  const platform: Platform = spec.platform;
  const vsphere = platform.startsWith('vsphere');
  const hostIds = Array.from({ length: spec.hosts }, (_, i) => `h${i + 1}`);
  const vms: object[] = [];
  const clusterVms: object[] = [];
  const workloads: object[] = [];
  const traffic: object[] = [];
  const clients: object[] = [];
  const actions: object[] = [];
  const life: object[] = [];
  const startHost: string[] = [];
  // No disk on the detailed host (only when no VM has one): a quick migration or saved-state backup then saves in chunks at the storage's rates.
  const diskless = spec.diskless && spec.vms.every((v) => !v.detailed);
  spec.vms.forEach((v, i) => {
    const id = `vm${i}`;
    const host = v.detailed ? 'h1' : hostIds[1 + (v.otherHost % (spec.hosts - 1))]!;
    startHost.push(host);
    const writes = v.detailed && v.workloads.some((w) => w.op !== 'read');
    vms.push({
      id,
      memoryMiB: v.detailed ? v.memoryMiB : v.bigMemoryMiB,
      integrationServices: v.integrationServices,
      ...(v.startsOff ? { initialState: 'off' } : {}),
      disks: v.detailed ? [{ id: 'a', controller: v.integrationServices ? 'scsi' : 'ide', backend: { kind: v.backend, disk: v.hostDisk, sizeGiB: 8 } }] : [],
      ...(v.detailed && v.nic !== undefined ? { nics: [{ id: 'n', kind: v.integrationServices ? 'synthetic' : 'legacy' }] } : {}),
    });
    clusterVms.push({ vm: id, host, dirtyRateMBps: v.dirty === 'workloads' && !writes ? 5 : v.dirty, dataGiB: v.dataGiB });
    if (v.detailed) {
      for (const w of v.workloads) {
        workloads.push({ vm: id, disk: 'a', op: w.op, size: `${w.sizeKiB}KiB`, count: w.count, queueDepth: w.queueDepth, pattern: w.pattern, start: `${w.startMs}ms`, ...(w.durationMs === undefined ? {} : { duration: `${w.durationMs}ms` }) });
      }
      if (v.nic !== undefined) traffic.push({ vm: id, nic: 'n', direction: v.nic.direction, count: v.nic.count, packetsPerSecond: v.nic.packetsPerSecond, start: `${v.nic.startMs}ms` });
    }
    if (v.client) clients.push({ id: `c${i}`, vm: id });
    life.push(...walk(id, v, diskless));
  });
  // Cluster actions in time order; a VM's first move must leave the host it starts on (the parser's rule, by list order).
  const moved = new Set<string>();
  const lastHost = new Map<string, string>();
  const ordered = [...spec.actions].sort((a, b) => a.atMs - b.atMs);
  const backupMethods = vsphere ? ['vcb', 'in-guest'] : ['host-vss', 'in-guest'];
  for (const a of ordered) {
    const at = `${a.atMs}ms`;
    if (a.kind === 'fail') {
      actions.push({ at, do: 'fail-host', host: hostIds[a.host % spec.hosts]! });
      continue;
    }
    const vmIndex = a.vm % spec.vms.length;
    const vm = `vm${vmIndex}`;
    if (a.kind === 'backup') {
      actions.push({ at, do: 'backup', vm, method: backupMethods[a.method % 2]!, type: a.type });
      continue;
    }
    let to = hostIds[a.host % spec.hosts]!;
    if (!moved.has(vm) && to === startHost[vmIndex]) to = hostIds[(hostIds.indexOf(to) + 1) % spec.hosts]!;
    moved.add(vm);
    const method = vsphere ? 'vmotion' : platform === 'hyperv-2008' || a.quick ? 'quick-migrate' : 'live-migrate';
    actions.push({ at, do: method, vm, to });
    if (a.kind === 'move-fail') {
      // The source is where the VM was last sent (or starts); good enough for aiming a failure at a move.
      const from = lastHost.get(vm) ?? startHost[vmIndex]!;
      actions.push({ at: `${a.atMs + a.failAfterMs}ms`, do: 'fail-host', host: a.failSource ? from : to });
    }
    lastHost.set(vm, to);
  }
  const csv = spec.csv && platform !== 'hyperv-2008';
  return {
    hostIds,
    scenario: {
      version: 1,
      name: 'generated-cluster',
      seed: spec.seed,
      ...(diskless ? {} : { host: { disks: [{ id: 'hdd', kind: 'hdd', sizeGiB: 200, hba: 'hba0' }, { id: 'ssd', kind: 'ssd', sizeGiB: 200, hba: 'hba1' }] } }),
      vms,
      workloads,
      traffic,
      cluster: {
        platform,
        hosts: hostIds.map((id) => ({ id })),
        vms: clusterVms,
        storage: { kind: csv ? 'csv' : 'lun-per-vm' },
        migrationNetwork: { gbps: spec.gbps, ...(spec.simultaneous === undefined ? {} : { simultaneous: spec.simultaneous }) },
        clients: [...clients, ...(spec.exchange?.client === true ? [{ id: 'ex', exchange: true }] : [])],
        ...(spec.exchange === undefined ? {} : { exchange: exchangeOf(spec.exchange, spec.vms.length) }),
        ...(spec.heartbeat === undefined ? {} : { heartbeat: spec.heartbeat }),
      },
      actions: [...life, ...actions],
      // Far past anything the actions start (a restart is ~45 s, a 1 GiB quick migration ~15 s): a run that reaches it hung.
      limits: { until: '900s', maxEvents: 5_000_000 },
    },
  };
}

function run(scenario: object): ScenarioRun {
  const parsed = parseScenarioText(JSON.stringify(scenario), 'generated.json');
  if (!parsed.ok) throw new Error(`the generator made an invalid scenario:\n${JSON.stringify(parsed.errors, null, 2)}\n${JSON.stringify(scenario)}`);
  return runScenario(parsed.scenario);
}

type Of<K extends HvRecord['kind']> = Extract<HvRecord, { kind: K }>;
const ofKind = <K extends HvRecord['kind']>(r: ScenarioRun, kind: K): Of<K>[] => r.records.filter((x): x is Of<K> => x.kind === kind);

/** States in which a VM's life cycle holds its requests for good when the run ends (nothing runs it again). */
const RESTING = new Set(['Off', 'Saved', 'Paused']);
/** Cluster states in which a VM serves, or at least runs its guest. */
const RUNS = new Set(['running', 'frozen', 'blackout']);

/** Every problem with run `r` of a generated scenario (empty when it kept the bar). */
function problems(r: ScenarioRun, hostIds: string[]): string[] {
  const out: string[] = [];
  const vmsFig = (r.figures.vms ?? {}) as Record<string, Record<string, unknown>>;
  // 1. It ended by itself, and accounts for every request.
  if (r.output.stop !== 'empty') {
    // The one run that may go on to its limit: every host failed, so no one is left to declare the last one down.
    const failed = new Set(ofKind(r, 'cluster.host.failed').map((x) => x.host));
    if (!(r.output.stop === 'until' && hostIds.every((h) => failed.has(h)))) out.push(`the run did not end by itself: stop ${r.output.stop} at ${r.output.endNs} ns after ${r.output.events} events`);
  }
  const missing = r.notIssued.reduce((sum, n) => sum + n.missing, 0);
  if (r.output.completed + r.stuck.length + missing !== r.requested) out.push(`accounting: ${r.output.completed} completed + ${r.stuck.length} stuck + ${missing} never issued != ${r.requested} requested`);
  const open = new Set<number>();
  for (const x of r.records) {
    if (x.kind === 'io.request.issued') open.add(x.flow);
    else if (x.kind === 'io.request.completed') open.delete(x.flow);
  }
  const stuckFlows = r.stuck.map((s) => s.flow);
  if (JSON.stringify([...open].sort((a, b) => a - b)) !== JSON.stringify(stuckFlows)) out.push(`the ledger's stuck flows ${JSON.stringify(stuckFlows)} are not the trace's open ones ${JSON.stringify([...open])}`);
  const lastCluster = new Map<string, Of<'cluster.vm.changed'>>();
  for (const x of ofKind(r, 'cluster.vm.changed')) lastCluster.set(x.vm, x);
  for (const s of r.stuck) {
    if (s.heldBy === undefined) {
      out.push(`lost in silence: flow ${s.flow} of ${s.vm} (last ${s.last.kind} at ${s.last.t})`);
      continue;
    }
    const lifeState = String(vmsFig[s.heldBy.vm]?.state ?? s.heldBy.state);
    const clusterState = lastCluster.get(s.heldBy.vm)?.state ?? 'running';
    // Held by a VM left at rest (its life cycle), or by one that is down for the cluster (a failed host nobody restarted it from).
    const legitimate = RESTING.has(lifeState) || (!RUNS.has(clusterState) && clusterState !== 'stopped') || (s.heldBy.writersFrozen === true && clusterState === 'frozen');
    if (!legitimate) out.push(`flow ${s.flow} of ${s.vm} held by ${JSON.stringify(s.heldBy)} though the VM ends ${lifeState} (life cycle) and ${clusterState} (cluster)`);
  }
  if (leftUnfinished(r)) {
    const message = unfinishedMessage(r, 5).join('\n');
    if (/so they were lost/.test(message)) out.push(`the run says requests were lost: ${message}`);
  }
  for (const n of r.notIssued) {
    const waiting = r.stuck.some((s) => s.source === n.source && s.index === n.index);
    // Never issued: its issuers waited on a request held for good, or the VM never ran (again) to issue them.
    const vmState = String(vmsFig[n.vm]?.state ?? 'Running');
    const clusterState = lastCluster.get(n.vm)?.state ?? 'running';
    if (!waiting && vmState === 'Running' && RUNS.has(clusterState)) out.push(`${n.source}[${n.index}] of ${n.vm}: ${n.missing} never issued though the VM ends running: ${n.why}`);
  }
  if (r.output.stop === 'empty') for (const line of actionsUnfinished(r)) out.push(`action left unfinished: ${line}`);

  // 2. Cluster invariants.
  const started = new Map<number, number>();
  for (const x of ofKind(r, 'cluster.migration.started')) started.set(x.migration, 0);
  for (const x of ofKind(r, 'cluster.migration.completed')) {
    if (!started.has(x.migration)) out.push(`migration ${x.migration} ended but never started`);
    started.set(x.migration, (started.get(x.migration) ?? 0) + 1);
    if (x.blackoutNs < 0 || x.totalNs < 0 || x.totalBytes < 0) out.push(`migration ${x.migration}: negative figure ${JSON.stringify(x)}`);
    if (x.blackoutNs > x.totalNs) out.push(`migration ${x.migration}: blackout ${x.blackoutNs} longer than the whole ${x.totalNs}`);
  }
  for (const [id, n] of started) if (n !== 1 && r.output.stop === 'empty') out.push(`migration ${id} ended ${n} times`);
  // A quick migration that ends with its VM running again (on the target, or restored on its source) was offline from its start to then.
  const startedAt = new Map(ofKind(r, 'cluster.migration.started').map((x) => [x.migration, x.t]));
  const changes = ofKind(r, 'cluster.vm.changed');
  for (const x of ofKind(r, 'cluster.migration.completed')) {
    if (x.method !== 'quick' || x.offline === true) continue;
    const runsAgain = changes.some((c) => c.vm === x.vm && c.t === x.t && c.state === 'running' && c.seq < x.seq);
    if (runsAgain && x.blackoutNs !== x.t - startedAt.get(x.migration)!) out.push(`quick migration ${x.migration} of ${x.vm} (${x.outcome}): blackout ${x.blackoutNs} ns, but the VM was offline ${x.t - startedAt.get(x.migration)!} ns, from its start until it ran again`);
  }
  const backups = new Map<number, number>();
  for (const x of ofKind(r, 'cluster.backup.started')) backups.set(x.backup, 0);
  for (const x of ofKind(r, 'cluster.backup.completed')) {
    backups.set(x.backup, (backups.get(x.backup) ?? 0) + 1);
    if (x.downtimeNs < 0 || x.freezeNs < 0) out.push(`backup ${x.backup}: negative figure ${JSON.stringify(x)}`);
  }
  for (const [id, n] of backups) if (n !== 1 && r.output.stop === 'empty') out.push(`backup ${id} ended ${n} times`);
  for (const b of (r.figures.backups ?? []) as { vm: string; totalNs: number | null; downtimeNs: number; freezeNs: number }[]) {
    if (b.totalNs !== null && (b.downtimeNs > b.totalNs || b.freezeNs > b.totalNs)) out.push(`backup of ${b.vm}: downtime ${b.downtimeNs} or freeze ${b.freezeNs} longer than the whole ${b.totalNs}`);
  }
  // States only a migration or a backup puts a VM in last no longer than the operation's record: nothing of it goes on unaccounted.
  const busy = new Map<string, number>();
  const OPERATION_STATES = new Set(['blackout', 'saving', 'moving', 'restoring', 'frozen', 'saved-for-backup']);
  for (const x of r.records) {
    if (x.kind === 'cluster.migration.started' || x.kind === 'cluster.backup.started') busy.set(x.vm, (busy.get(x.vm) ?? 0) + 1);
    else if (x.kind === 'cluster.migration.completed' || x.kind === 'cluster.backup.completed') busy.set(x.vm, (busy.get(x.vm) ?? 0) - 1);
    else if (x.kind === 'cluster.vm.changed' && OPERATION_STATES.has(x.state) && (busy.get(x.vm) ?? 0) <= 0) out.push(`VM ${x.vm} is ${x.state} at ${x.t} with no migration or backup under way (its record had ended)`);
  }
  // No VM runs on a host that has failed (hosts never come back).
  const failedAt = new Map<string, number>();
  for (const x of r.records) {
    if (x.kind === 'cluster.host.failed') failedAt.set(x.host, x.t);
    else if (x.kind === 'cluster.vm.changed' && RUNS.has(x.state) && failedAt.has(x.host)) out.push(`VM ${x.vm} is ${x.state} on ${x.host} at ${x.t}, which failed at ${failedAt.get(x.host)}`);
  }
  // The VM's state at the end: its life cycle and the cluster agree on whether it runs.
  for (const [vm, last] of lastCluster) {
    const lifeState = vmsFig[vm]?.state;
    if (lifeState === undefined) continue;
    const clusterRuns = RUNS.has(last.state);
    if (clusterRuns && lifeState !== 'Running') out.push(`VM ${vm} ends ${last.state} on ${last.host} for the cluster but ${String(lifeState)} for its life cycle`);
    if (!clusterRuns && lifeState === 'Running' && r.output.stop === 'empty') out.push(`VM ${vm} ends Running for its life cycle but ${last.state} on ${last.host} for the cluster`);
  }
  for (const f of (r.figures.failovers ?? []) as Record<string, unknown>[]) {
    for (const key of ['detectionNs', 'restartNs', 'downtimeNs', 'heldMaxNs'] as const) {
      const value = f[key];
      if (typeof value === 'number' && value < 0) out.push(`failover of ${String(f.host)}: ${key} ${value} < 0`);
    }
    for (const [vm, v] of Object.entries(f.vms as Record<string, { restartNs: number; downtimeNs: number }>)) if (v.restartNs < 0 || v.downtimeNs < 0) out.push(`failover of ${String(f.host)}: VM ${vm} ${JSON.stringify(v)}`);
  }
  const clientFigures = (r.figures.clients ?? {}) as Record<string, { gaps: number; longestGapNs: number; drops: number }>;
  for (const [id, c] of Object.entries(clientFigures)) {
    if (c.longestGapNs < 0 || c.drops > c.gaps) out.push(`client ${id}: ${JSON.stringify(c)}`);
    const lost = ofKind(r, 'cluster.client.lost').filter((x) => x.client === id).length;
    const closed = r.records.filter((x) => (x.kind === 'cluster.client.resumed' || x.kind === 'cluster.client.unanswered') && x.client === id).length;
    if (lost !== closed) out.push(`client ${id}: ${lost} gaps began, ${closed} ended`);
  }
  return out;
}

const SEED = Number(process.env.HVSIM_CLUSTER_SEED ?? 20_261_207);
const RUNS_COUNT = Number(process.env.HVSIM_CLUSTER_RUNS ?? 40);

describe('generated cluster scenarios', () => {
  it('end by themselves, account for every request, keep the cluster invariants, and run the same twice', { timeout: 600_000 }, () => {
    // What the generated runs went through, so the property cannot pass by exercising nothing.
    const seen = { migrations: 0, aborted: 0, failures: 0, restarts: 0, backups: 0, lifeActions: 0, held: 0, completed: 0 };
    fc.assert(
      fc.property(scenarioSpec, (spec) => {
        const { scenario, hostIds } = scenarioOf(spec);
        const r = run(scenario);
        const context = JSON.stringify(scenario);
        expect(problems(r, hostIds), context).toEqual([]);
        expect(run(scenario).fingerprint, context).toBe(r.fingerprint);
        seen.migrations += ofKind(r, 'cluster.migration.completed').length;
        seen.aborted += ofKind(r, 'cluster.migration.completed').filter((x) => x.outcome === 'aborted').length;
        seen.failures += ofKind(r, 'cluster.host.failed').length;
        seen.restarts += ofKind(r, 'cluster.vm.restarted').length;
        seen.backups += ofKind(r, 'cluster.backup.completed').length;
        seen.lifeActions += ofKind(r, 'vm.action.completed').length;
        seen.held += ofKind(r, 'vm.io.held').length;
        seen.completed += r.output.completed;
      }),
      { seed: SEED, numRuns: RUNS_COUNT },
    );
    if (process.env.HVSIM_CLUSTER_VERBOSE !== undefined) console.log(JSON.stringify(seen));
    expect(seen.migrations).toBeGreaterThan(0);
    expect(seen.aborted).toBeGreaterThan(0);
    expect(seen.failures).toBeGreaterThan(0);
    expect(seen.restarts).toBeGreaterThan(0);
    expect(seen.backups).toBeGreaterThan(0);
    expect(seen.held).toBeGreaterThan(0);
    expect(seen.completed).toBeGreaterThan(0);
  });
});
