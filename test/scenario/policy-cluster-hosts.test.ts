/**
 * The per-host rules of the support policy (seed 001's 2:1 ratio over "all
 * guest virtual machines combined", table 1.1's instances per physical
 * platform licence, the platform's 8:1) count each cluster node's own guests,
 * where `cluster.vms[].host` places them, not every VM of the cluster on one host.
 */
import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../src/scenario/index.js';
import { brokenRuleIds, checkPolicy } from '../../src/scenario/policy/index.js';

function scenario(placement: (i: number) => string) {
  const vms = Array.from({ length: 8 }, (_, i) => ({ id: `v${i}`, vcpus: 4, memoryMiB: 2048, role: i === 0 ? 'exchange-hub-transport' : 'none', guestOs: 'windows-server-2008-x64' }));
  const result = validateScenario({
    version: 1,
    name: 'per-host',
    host: { logicalProcessors: 4, edition: 'windows-server-2008-enterprise', rootSoftware: ['management'], disks: [{ id: 'd1', kind: 'hdd', sizeGiB: 100 }] },
    vms,
    cluster: { platform: 'hyperv-2008-r2', hosts: [{ id: 'h1' }, { id: 'h2' }, { id: 'h3' }, { id: 'h4' }], vms: vms.map((v, i) => ({ vm: v.id, host: placement(i) })), storage: { kind: 'csv' } },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.scenario;
}

describe('per-host policy rules on a cluster', () => {
  it('two 4-vCPU guests on each of four 4-LP nodes: 2:1 and two Enterprise instances per node, supported', () => {
    expect(brokenRuleIds(checkPolicy(scenario((i) => `h${Math.floor(i / 2) + 1}`)))).toEqual([]);
  });

  it('five guests on h1: that node breaks 2:1 and its Enterprise licence, and the finding names it', () => {
    const verdicts = checkPolicy(scenario((i) => (i < 5 ? 'h1' : `h${i - 3}`)));
    expect(brokenRuleIds(verdicts)).toEqual(['exchange-vcpu-ratio', 'edition-virtual-instances']);
    const found = verdicts.host.broken.flatMap((b) => b.findings.map((f) => f.found));
    expect(found[0]).toContain("20 virtual processors (v0 4, v1 4, v2 4, v3 4, v4 4) on 4 logical processors of host 'h1'");
    expect(found[1]).toContain("5 Windows guests (v0, v1, v2, v3, v4) on host 'h1'");
  });
});
