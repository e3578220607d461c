/** The cluster view as a fold of the records: memory draining pass by pass, a failed host greyed, stepping back. */
import { describe, expect, it } from 'vitest';
import { applyClusterRecord, ClusterFolder, initialClusterView, isClusterRecord } from '../../src/render/cluster-view.js';
import { bundledScenario, parseScenarioText, RecordStore, runScenario } from '../../src/scenario/index.js';

const runOf = (name: string) => {
  const parsed = parseScenarioText(bundledScenario(name)!.text);
  if (!parsed.ok) throw new Error(name);
  return runScenario(parsed.scenario);
};

describe('cluster view state', () => {
  const run = runOf('migration-dirty-rate');
  const folder = new ClusterFolder(RecordStore.of(run.records));

  it('starts with the hosts and VMs the cluster formed with', () => {
    const s = folder.at(run.records.findIndex(isClusterRecord) + 1);
    expect(s.hosts.map((h) => h.id)).toEqual(['h1', 'h2', 'h3']);
    expect(s.vms.find((v) => v.id === 'writer')!.host).toBe('h1');
    expect(s.databasesOn).toBe('writer');
  });

  it("drains the idle VM's memory pass by pass, then shows it on the target host", () => {
    const passes = run.records.map((r, i) => [r, i] as const).filter(([r]) => r.kind === 'cluster.migration.pass' && (r as { vm: string }).vm === 'idle');
    const left = passes.map(([, i]) => folder.at(i + 1).migrations.find((m) => m.vm === 'idle')!.leftBytes);
    expect(left.length).toBeGreaterThan(1);
    for (let i = 1; i < left.length; i++) expect(left[i]!).toBeLessThan(left[i - 1]!);
    const done = run.records.findIndex((r) => r.kind === 'cluster.migration.completed');
    const after = folder.at(done + 1);
    expect(after.migrations.find((m) => m.vm === 'idle')).toBeUndefined();
    expect(after.vms.find((v) => v.id === 'idle')!.host).toBe('h3');
  });

  it('stepping back gives the state a fresh fold gives', () => {
    const end = folder.at(run.records.length);
    expect(end.databasesOn).toBe('writer-copy');
    const mid = Math.floor(run.records.length / 2);
    const back = JSON.parse(JSON.stringify(folder.at(mid)));
    const fresh = initialClusterView();
    for (const r of run.records.slice(0, mid)) if (isClusterRecord(r)) applyClusterRecord(fresh, r);
    expect(back).toEqual(JSON.parse(JSON.stringify(fresh)));
  });

  it('greys a failed host: silent with its missed beats, then declared down', () => {
    const r2 = runOf('host-failure-ha-vs-dag');
    const f = new ClusterFolder(RecordStore.of(r2.records));
    const failed = r2.records.findIndex((r) => r.kind === 'cluster.host.failed');
    const silent = f.at(failed + 1).hosts.find((h) => h.id === 'h1')!;
    expect(silent.alive).toBe(false);
    expect(silent.declared).toBe(false);
    const declared = r2.records.findIndex((r) => r.kind === 'cluster.host.declared-down');
    const h1 = f.at(declared).hosts.find((h) => h.id === 'h1')!;
    expect(h1.missed).toBe(5);
    expect(f.at(declared + 1).hosts.find((h) => h.id === 'h1')!.declared).toBe(true);
    expect(f.at(failed + 2).vms.find((v) => v.id === 'solo')!.state).toBe('failed');
  });
});

describe('cluster view: quorum', () => {
  it('shows the cluster without quorum once a quorum-lost record is folded, and not before', () => {
    const s = initialClusterView();
    expect(s.quorumLost).toBe(false);
    const record = { seq: 1, t: 15e9, kind: 'cluster.quorum.lost', place: 'cluster.storage', band: 'hardware', stream: '', flow: -1, cause: -1, costNs: 0, charge: 'none', lp: -1, hosts: ['h3'], votes: 1, of: 3, witness: false, vms: ['vm-h3'] };
    applyClusterRecord(s, record as unknown as Parameters<typeof applyClusterRecord>[1]);
    expect(s.quorumLost).toBe(true);
  });
});
