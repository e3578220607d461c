/**
 * Live migrations at once (row c.2): WS2008 R2 ran one per node, WS2012 R2
 * two by default (migrationNetwork.simultaneous raises it), and those under
 * way share the host's migration link as flows (processor sharing: a
 * migration that starts or ends sending changes the others' rates at
 * once), each at most one migration's rate. Measured (Finn, WS2012 beta, V): 10 VMs of 512 MB took
 * 40 s on 1 GbE and 13 s on 10 GbE at once; Holman, 18 VMs (80 GB) 65 s on
 * 10 GbE. One at a time they took 71 s, 34 s and 172 s here.
 */
import { describe, expect, it } from 'vitest';
import { runScenario, validateScenario } from '../../src/scenario/index.js';

function migrateAll(n: number, memoryMiB: number, opts: { gbps: number; platform?: string; simultaneous?: number }): { totalNs: number; startNs: number; queuedNs: number }[] {
  const ids = Array.from({ length: n }, (_, i) => `v${i}`);
  const result = validateScenario({
    version: 1,
    name: 'simultaneous',
    seed: 1,
    vms: ids.map((id) => ({ id, memoryMiB })),
    cluster: {
      platform: opts.platform ?? 'hyperv-2012-r2',
      hosts: [{ id: 'h1' }, { id: 'h2' }],
      vms: ids.map((vm) => ({ vm, host: 'h1', dirtyRateMBps: 0 })),
      storage: { kind: 'csv' },
      migrationNetwork: { gbps: opts.gbps, ...(opts.simultaneous === undefined ? {} : { simultaneous: opts.simultaneous }) },
    },
    actions: ids.map((vm) => ({ at: '1s', do: 'live-migrate', vm, to: 'h2' })),
    limits: { until: '3000s' },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const run = runScenario(result.scenario, { keepRecords: true });
  const started = run.records.filter((r) => r.kind === 'cluster.migration.phase' && (r as any).phase === 'setup').map((r) => r.t);
  const migrations = (run.figures as any).migrations as { totalNs: number; outcome: string; queuedNs: number }[];
  expect(migrations.every((m) => m.outcome === 'completed')).toBe(true);
  return migrations.map((m, i) => ({ totalNs: m.totalNs, startNs: started[i]!, queuedNs: m.queuedNs }));
}

/** When the last of `runs` ends, from the actions at 1 s. */
const wallS = (runs: { totalNs: number; startNs: number }[]): number => Math.max(...runs.map((r) => r.startNs + r.totalNs)) / 1e9 - 1;

describe('simultaneous live migrations', () => {
  it('run two at once on WS2012 R2 by default, one at a time on WS2008 R2', () => {
    const r2012 = migrateAll(3, 512, { gbps: 1 });
    expect(r2012.filter((r) => r.startNs === 1e9)).toHaveLength(2);
    const r2008 = migrateAll(3, 512, { gbps: 1, platform: 'hyperv-2008-r2' });
    expect(r2008.filter((r) => r.startNs === 1e9)).toHaveLength(1);
    // Each queued one's wait is its own figure (queuedNs), from the action to its setup; totalNs leaves it out.
    for (const r of [...r2012, ...r2008]) expect(r.queuedNs).toBe(r.startNs - 1e9);
    expect(r2008[2]!.queuedNs).toBeGreaterThan(r2008[1]!.queuedNs);
  });

  it('share the link: 10 VMs of 512 MB at once take about as long as their bytes at the link rate, near the measured 40 s (1 GbE) and 13 s (10 GbE)', () => {
    const oneGbE = wallS(migrateAll(10, 512, { gbps: 1, simultaneous: 10 }));
    expect(oneGbE).toBeGreaterThan(35);
    expect(oneGbE).toBeLessThan(55);
    const tenGbE = wallS(migrateAll(10, 512, { gbps: 10, simultaneous: 10 }));
    expect(tenGbE).toBeGreaterThan(5);
    expect(tenGbE).toBeLessThan(15);
    // One at a time (2008 R2): the setups add up too.
    const serial = wallS(migrateAll(10, 512, { gbps: 10, platform: 'hyperv-2008-r2' }));
    expect(serial).toBeGreaterThan(2 * tenGbE);
  });

  it('leave a lone migration its own rate: 512 MB in about 7 s on 1 GbE, whatever the setting', () => {
    const alone = migrateAll(1, 512, { gbps: 1, simultaneous: 8 });
    expect(alone[0]!.totalNs / 1e9).toBeCloseTo(7.04, 1);
  });
});

describe('live migrations sharing a link as flows', () => {
  /** Two 4 GiB VMs that dirty nothing, from h1 to h2 over 1 GbE on WS2012 R2 (two at once), asked at 1 s and 10 s. */
  function staggered() {
    const result = validateScenario({
      version: 1,
      name: 'stagger',
      seed: 1,
      vms: [
        { id: 'a', memoryMiB: 4096 },
        { id: 'b', memoryMiB: 4096 },
      ],
      cluster: {
        platform: 'hyperv-2012-r2',
        hosts: [{ id: 'h1' }, { id: 'h2' }],
        vms: [
          { vm: 'a', host: 'h1', dirtyRateMBps: 0 },
          { vm: 'b', host: 'h1', dirtyRateMBps: 0 },
        ],
        storage: { kind: 'csv' },
        migrationNetwork: { gbps: 1 },
      },
      actions: [
        { at: '1s', do: 'live-migrate', vm: 'a', to: 'h2' },
        { at: '10s', do: 'live-migrate', vm: 'b', to: 'h2' },
      ],
      limits: { until: '2000s' },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const run = runScenario(result.scenario, { keepRecords: true });
    const passes = run.records.filter((r) => r.kind === 'cluster.migration.pass') as any[];
    return { run, passes, migrations: (run.figures as any).migrations as any[] };
  }

  it('never carry more than the link gives together, and one that ends leaves its part to the other at once (row c.2: lm_link_share_max of the line)', () => {
    const { passes } = staggered();
    const link = 119.5e6; // 0.956 of 125 MB/s
    const bytes = 4 * 2 ** 30;
    // a sends alone from 3.5 s, b joins at 12.5 s after its setup: both at half the link until a ends, then b alone
    // at the full link. The link is busy from 3.5 s until both memories have crossed at its rate, not longer.
    const end = (vm: string) => passes.find((p) => p.vm === vm)!.t / 1e9;
    const startA = 3.5;
    const startB = 12.5;
    expect(end('b')).toBeCloseTo(startA + (2 * bytes) / link, 3);
    // a: 9 s alone, then its rest at half the link.
    expect(end('a')).toBeCloseTo(startB + (bytes - (startB - startA) * link) / (link / 2), 3);
    // Neither went faster than the link at any time: each pass's mean rate is under one migration's rate.
    for (const p of passes) expect(p.bytesPerS).toBeLessThan(link);
  });

  it('report the rate each measured, not the rate it started at', () => {
    const { passes, migrations } = staggered();
    for (const [i, vm] of ['a', 'b'].entries()) {
      const p = passes.find((x) => x.vm === vm)!;
      expect(migrations[i].rateBytesPerS).toBe(Math.round((p.bytes * 1e9) / p.durationNs));
      expect(migrations[i].passes[0].durationNs).toBe(p.durationNs);
    }
    expect(migrations[0].rateBytesPerS).toBeLessThan(0.7 * 119.5e6);
  });
});

describe('the migration link is full duplex, one per network', () => {
  /** Two 2 GiB VMs that dirty nothing on WS2012 R2 (two at once), both asked at 1 s: `a` from h1, `b` as given. */
  function pair(b: { host: string; to: string; gbps?: number }) {
    const result = validateScenario({
      version: 1,
      name: 'duplex',
      seed: 1,
      vms: [
        { id: 'a', memoryMiB: 2048 },
        { id: 'b', memoryMiB: 2048 },
      ],
      cluster: {
        platform: 'hyperv-2012-r2',
        hosts: [{ id: 'h1' }, { id: 'h2' }, { id: 'h3' }],
        vms: [
          { vm: 'a', host: 'h1', dirtyRateMBps: 0 },
          { vm: 'b', host: b.host, dirtyRateMBps: 0 },
        ],
        migrationNetwork: { gbps: 1 },
      },
      actions: [
        { at: '1s', do: 'live-migrate', vm: 'a', to: 'h2' },
        { at: '1s', do: 'live-migrate', vm: 'b', to: b.to, ...(b.gbps === undefined ? {} : { gbps: b.gbps }) },
      ],
      limits: { until: '600s' },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const migrations = (runScenario(result.scenario).figures as any).migrations as { rateBytesPerS: number; totalNs: number; queuedNs: number }[];
    expect(migrations.every((m) => m.queuedNs === 0)).toBe(true);
    return migrations;
  }
  const oneRate = 119.5e6; // one migration on 1 GbE (Finn, row c.2)

  it('two VMs swapped between two hosts each go at one migration\'s full rate: a host sends one and receives the other at once (IEEE 802.3 full duplex)', () => {
    const [a, b] = pair({ host: 'h2', to: 'h1' });
    expect(a!.rateBytesPerS).toBeGreaterThan(0.99 * oneRate);
    expect(b!.rateBytesPerS).toBeGreaterThan(0.99 * oneRate);
  });

  it('two from one host on the same network still share its sending side', () => {
    const [a, b] = pair({ host: 'h1', to: 'h3' });
    expect(a!.rateBytesPerS).toBeLessThan(0.6 * oneRate);
    expect(b!.rateBytesPerS).toBeLessThan(0.6 * oneRate);
  });

  it('a move over another migration network (gbps) does not slow one on the cluster network', () => {
    const [a] = pair({ host: 'h1', to: 'h3', gbps: 10 });
    expect(a!.rateBytesPerS).toBeGreaterThan(0.99 * oneRate);
  });
});
