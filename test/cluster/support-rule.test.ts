/** Seed 001's rule on Exchange clustering with hypervisor HA and migration, and its Exchange 2010 SP1 change. */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exchangeClusteringFindings, exchangeClusteringVerdict } from '../../src/scenario/cluster-support.js';
import { bundledScenario, parseScenarioText, validateScenario } from '../../src/scenario/index.js';
import { brokenRuleIds, checkPolicy } from '../../src/scenario/policy/index.js';

const raw = (exchange: Record<string, unknown> | undefined, actions: Record<string, unknown>[] = [], vms: Record<string, unknown>[] = [{ id: 'm1' }, { id: 'm2' }]) => ({
  version: 1,
  name: 's',
  vms,
  cluster: { hosts: [{ id: 'a' }, { id: 'b' }, { id: 'c' }], vms: [{ vm: 'm1', host: 'a' }, { vm: 'm2', host: 'b' }], ...(exchange === undefined ? {} : { exchange }) },
  actions,
});
const scenario = (exchange: Record<string, unknown> | undefined, actions: Record<string, unknown>[] = [], vms?: Record<string, unknown>[]) => {
  const result = validateScenario(raw(exchange, actions, vms));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.scenario;
};
describe('Exchange clustering with hypervisor HA or migration', () => {
  it('Exchange 2007 CCR on clustered hosts is unsupported (seed 001)', () => {
    const v = exchangeClusteringVerdict(scenario({ kind: 'ccr', version: '2007-sp1', members: ['m1', 'm2'] }));
    expect(v.verdict).toBe('unsupported');
    expect(v.quote).toContain('does not employ clustered virtualization servers');
  });

  it('Exchange 2010 RTM DAG on clustered hosts is unsupported; 2010 SP1 with live migration is supported', () => {
    expect(exchangeClusteringVerdict(scenario({ kind: 'dag', version: '2010', members: ['m1', 'm2'] })).verdict).toBe('unsupported');
    const v = exchangeClusteringVerdict(scenario({ kind: 'dag', version: '2010-sp1', members: ['m1', 'm2'] }, [{ at: '1s', do: 'live-migrate', vm: 'm1', to: 'c' }]));
    expect(v.verdict).toBe('supported');
  });

  it('Exchange 2010 SP1 with a quick migration of a DAG member is still unsupported: it saves state to disk', () => {
    const v = exchangeClusteringVerdict(scenario({ kind: 'dag', version: '2010-sp1', members: ['m1', 'm2'] }, [{ at: '1s', do: 'quick-migrate', vm: 'm1', to: 'c' }]));
    expect(v.verdict).toBe('unsupported');
    expect(v.evidence).toContain('m1');
  });

  it('does not apply without an Exchange group; the bundled HA-vs-DAG scenario is supported', () => {
    expect(exchangeClusteringVerdict(scenario(undefined)).verdict).toBe('not-applicable');
    const parsed = parseScenarioText(bundledScenario('host-failure-ha-vs-dag')!.text);
    if (!parsed.ok) throw new Error('bundled scenario invalid');
    expect(exchangeClusteringVerdict(parsed.scenario).verdict).toBe('supported');
  });
});

describe('the policy holds the rule as one predicate (hvsim check)', () => {
  const clusteringBroken = (s: ReturnType<typeof scenario>): boolean => brokenRuleIds(checkPolicy(s)).includes('exchange-clustering');

  it('the policy rule is the predicate: same findings, for a cluster member and for a VM with its own field', () => {
    const s = scenario({ kind: 'ccr', version: '2007-sp1', members: ['m1', 'm2'] }, [{ at: '1s', do: 'quick-migrate', vm: 'm1', to: 'c' }]);
    const verdicts = checkPolicy(s);
    const m1 = verdicts.vms.find((v) => v.vm === 'm1')!;
    expect(m1.subject).toBe('exchange'); // a copy-group member is a mailbox server
    expect(m1.broken.find((b) => b.rule === 'exchange-clustering')!.findings).toEqual(exchangeClusteringFindings(s, 'm1'));
    expect(exchangeClusteringFindings(s, 'm1').map((f) => f.path)).toEqual(['actions[0].do', 'cluster']);
    // a VM outside the group but marked CCR by its own policy field, on the same clustered hosts
    const own = scenario(undefined, [], [{ id: 'm1', role: ['exchange-mailbox'], exchangeClustering: 'ccr' }, { id: 'm2' }]);
    expect(exchangeClusteringFindings(own, 'm1').map((f) => f.path)).toEqual(['cluster']);
    expect(clusteringBroken(own)).toBe(true);
    expect(exchangeClusteringFindings(own, 'm2')).toEqual([]);
  });

  it('Exchange 2007 CCR, 2010 DAG on clustered hosts: broken; 2010 SP1 DAG with live migration and HA: holds', () => {
    expect(clusteringBroken(scenario({ kind: 'ccr', version: '2007-sp1', members: ['m1', 'm2'] }))).toBe(true);
    expect(clusteringBroken(scenario({ kind: 'scc', version: '2007-sp1', members: ['m1', 'm2'] }))).toBe(true);
    expect(clusteringBroken(scenario({ kind: 'dag', version: '2010', members: ['m1', 'm2'] }))).toBe(true);
    expect(clusteringBroken(scenario({ kind: 'dag', version: '2010-sp1', members: ['m1', 'm2'] }, [{ at: '1s', do: 'live-migrate', vm: 'm1', to: 'c' }]))).toBe(false);
    expect(clusteringBroken(scenario({ kind: 'dag', version: '2010-sp1', members: ['m1', 'm2'] }, [{ at: '1s', do: 'fail-host', host: 'a' }]))).toBe(false);
  });

  it('Exchange 2010 SP1: a quick migration, a save or a saved-state backup of a member breaks it; a VSS backup through integration services does not', () => {
    const dag = { kind: 'dag', version: '2010-sp1', members: ['m1', 'm2'] };
    expect(clusteringBroken(scenario(dag, [{ at: '1s', do: 'quick-migrate', vm: 'm1', to: 'c' }]))).toBe(true);
    // A save needs a host disk for the state files (validation says so otherwise).
    const withDisk = validateScenario({ ...raw(dag, [{ at: '1s', do: 'save', vm: 'm2' }]), host: { disks: [{ id: 'd', kind: 'hdd' }] } });
    if (!withDisk.ok) throw new Error(JSON.stringify(withDisk.errors));
    expect(clusteringBroken(withDisk.scenario)).toBe(true);
    const legacy = [{ id: 'm1', integrationServices: false }, { id: 'm2' }];
    expect(clusteringBroken(scenario(dag, [{ at: '1s', do: 'backup', vm: 'm1' }], legacy))).toBe(true);
    expect(clusteringBroken(scenario(dag, [{ at: '1s', do: 'backup', vm: 'm2' }], legacy))).toBe(false);
    // a quick migration of a VM outside the group is no business of this rule
    expect(clusteringBroken(scenario({ kind: 'dag', version: '2010-sp1', members: ['m2'] }, [{ at: '1s', do: 'quick-migrate', vm: 'm1', to: 'c' }]))).toBe(false);
  });

  it('Exchange 2010 SP1 outside a copy group: a quick migration or a save breaks it too, a live migration does not (the whitepaper is about every Exchange server VM)', () => {
    // Row d.2 (V): "Exchange server virtual machines, including Exchange Mailbox virtual machines that are part of a DAG, can be
    // combined with host-based failover clustering and migration technology as long as [they] will not save and restore state on disk".
    const hub = [{ id: 'm1', role: ['exchange-hub-transport', 'exchange-client-access'], exchangeVersion: '2010-sp1', guestOs: 'windows-server-2008-r2-x64' }, { id: 'm2' }];
    const quick = scenario(undefined, [{ at: '1s', do: 'quick-migrate', vm: 'm1', to: 'c' }], hub);
    expect(clusteringBroken(quick)).toBe(true);
    expect(exchangeClusteringFindings(quick, 'm1').map((f) => f.path)).toEqual(['actions[0].do']);
    expect(exchangeClusteringFindings(quick, 'm1')[0]!.found).toContain('Exchange 2010 SP1 server');
    expect(clusteringBroken(scenario(undefined, [{ at: '1s', do: 'live-migrate', vm: 'm1', to: 'c' }], hub))).toBe(false);
    expect(clusteringBroken(scenario(undefined, [{ at: '1s', do: 'fail-host', host: 'a' }], hub))).toBe(false);
    // a VM with no Exchange role, and Exchange 2007 SP1 outside CCR/SCC (seed 001 names only the clustering combination): not this rule's business
    expect(clusteringBroken(scenario(undefined, [{ at: '1s', do: 'quick-migrate', vm: 'm2', to: 'c' }], hub))).toBe(false);
    const e2007 = [{ id: 'm1', role: ['exchange-hub-transport'], exchangeVersion: '2007-sp1' }, { id: 'm2' }];
    expect(clusteringBroken(scenario(undefined, [{ at: '1s', do: 'quick-migrate', vm: 'm1', to: 'c' }], e2007))).toBe(false);
  });

  it('hvsim check exits 1 naming the rule when broken, 0 when it holds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hvsim-support-'));
    const bad = join(dir, 'ccr.json');
    const good = join(dir, 'dag.json');
    writeFileSync(bad, JSON.stringify(raw({ kind: 'ccr', version: '2007-sp1', members: ['m1', 'm2'] })));
    writeFileSync(good, JSON.stringify(raw({ kind: 'dag', version: '2010-sp1', members: ['m1', 'm2'] }, [{ at: '1s', do: 'live-migrate', vm: 'm1', to: 'c' }])));
    const cli = (file: string): { code: number; out: string } => {
      try {
        return { code: 0, out: execFileSync('node', ['bin/hvsim.mjs', 'check', file], { encoding: 'utf8' }) };
      } catch (e) {
        const err = e as { status: number; stdout: string };
        return { code: err.status, out: err.stdout };
      }
    };
    const broken = cli(bad);
    expect(broken.code).toBe(1);
    expect(broken.out).toContain('exchange-clustering');
    expect(broken.out).toContain('clustered virtualization hosts');
    expect(cli(good).code).toBe(0);
  });
});
