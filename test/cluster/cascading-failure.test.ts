/**
 * A VM restarted by HA onto a host that fails in turn while it boots there
 * (a cascading failure): that restart ends with its host, the VM is restarted
 * again elsewhere, and nothing of the first restart touches it afterwards;
 * its outage counts from the failure that first took it down, and both
 * failures see it back (row d.2: the failed host's VMs are "failed over to
 * another host ... and there it will be booted from a cold state", V).
 */
import { describe, expect, it } from 'vitest';
import type { HvRecord } from '../../src/model/trace-events.js';
import { outageAtEnd, runScenario, validateScenario } from '../../src/scenario/index.js';
import { hostFailures } from './outage-fixtures.js';

describe('a host fails under a VM that HA is restarting on it', () => {
  // Five nodes (quorum holds with two down). h1 fails at 10 s, declared down ~14 s, a boots on h2 (the first of the
  // emptiest); h2 fails at 15 s mid-boot, declared down ~19 s, a boots on h3 and serves ~60 s.
  const result = validateScenario(hostFailures(['h1', 'h2', 'h3', 'h4', 'h5'], [{ at: '10s', host: 'h1' }, { at: '15s', host: 'h2' }], { limits: { until: '300s' } }));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const r = runScenario(result.scenario);
  const of = <K extends HvRecord['kind']>(kind: K) => r.records.filter((x): x is Extract<HvRecord, { kind: K }> => x.kind === kind);

  it('goes booting on h3 straight to running: the cut-short boot on h2 never knocks it back to failed', () => {
    const states = of('cluster.vm.changed').filter((c) => c.vm === 'a').map((c) => `${c.host}:${c.state}`);
    expect(states).toEqual(['h1:failed', 'h2:booting', 'h2:failed', 'h3:booting', 'h3:running']);
    const restarted = of('cluster.vm.restarted');
    expect(restarted).toHaveLength(1);
    expect(restarted[0]!.host).toBe('h3');
  });

  it('counts its outage from the first failure, as its client saw it', () => {
    const restarted = of('cluster.vm.restarted')[0]!;
    expect(restarted.downtimeNs).toBe(restarted.t - 10e9);
    const client = (r.figures as any).clients.u;
    // the client's gap runs from its last answered poll (at most one interval before the failure) to the first poll answered after
    expect(client.longestGapNs).toBeGreaterThanOrEqual(restarted.downtimeNs);
    expect(client.longestGapNs).toBeLessThanOrEqual(restarted.downtimeNs + 2e9);
  });

  it('both failures see the VM back, and nothing is said to be still down at the end', () => {
    const t = of('cluster.vm.restarted')[0]!.t;
    const [first, second] = (r.figures as any).failovers;
    expect(first.vmsLost).toBe(1);
    expect(first.vmsRestarted).toBe(1);
    expect(first.downtimeNs).toBe(t - 10e9);
    expect(second.vmsRestarted).toBe(1);
    expect(second.downtimeNs).toBe(t - 15e9);
    expect(outageAtEnd(r.figures)).toEqual([]);
  });
});
