/** Seed 001's rule on Exchange clustering with hypervisor HA and migration, and its Exchange 2010 SP1 change. */
import { describe, expect, it } from 'vitest';
import { exchangeClusteringVerdict } from '../../src/scenario/cluster-support.js';
import { bundledScenario, parseScenarioText, validateScenario } from '../../src/scenario/index.js';

const scenario = (exchange: Record<string, unknown> | undefined, actions: Record<string, unknown>[] = []) => {
  const result = validateScenario({
    version: 1,
    name: 's',
    vms: [{ id: 'm1' }, { id: 'm2' }],
    cluster: { hosts: [{ id: 'a' }, { id: 'b' }, { id: 'c' }], vms: [{ vm: 'm1', host: 'a' }, { vm: 'm2', host: 'b' }], ...(exchange === undefined ? {} : { exchange }) },
    actions,
  });
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
