/**
 * The physical hosts the per-host rules count over (the 2:1 processor
 * ratio, Unified Messaging's no-oversubscription rule, the edition's
 * virtual instances): the scenario's one `host`, or, once the cluster
 * schema gives a scenario several, each of `hosts[]` with the VMs placed on
 * it (`vms[].host`, else the first host). `hosts` and `vms[].host` are not
 * in this branch's schema; they are read defensively by name, and the merge
 * with the cluster branch wires the real fields.
 */
import type { Scenario } from '../schema.js';
import type { PolicyHost, PolicyVm } from './rule.js';

/** Hyper-V's host default when a scenario gives no logical processors (as `build.ts` assumes). */
const LOGICAL_PROCESSORS_DEFAULT = 4;

/** The hosts and the guests on each. */
export function policyHosts(scenario: Scenario, guests: readonly PolicyVm[]): PolicyHost[] {
  const single = scenario.host?.logicalProcessors ?? LOGICAL_PROCESSORS_DEFAULT;
  const listed = (scenario as unknown as { hosts?: unknown }).hosts;
  if (!Array.isArray(listed) || listed.length === 0) {
    return [{ id: 'host', lpPath: 'host.logicalProcessors', logicalProcessors: single, guests: [...guests] }];
  }
  const hosts: PolicyHost[] = listed.map((entry: unknown, i) => {
    const data = (typeof entry === 'object' && entry !== null ? entry : {}) as { id?: unknown; logicalProcessors?: unknown };
    const lps = typeof data.logicalProcessors === 'number' ? data.logicalProcessors : single;
    return { id: typeof data.id === 'string' ? data.id : `hosts[${i}]`, lpPath: typeof data.logicalProcessors === 'number' ? `hosts[${i}].logicalProcessors` : 'host.logicalProcessors', logicalProcessors: lps, guests: [] };
  });
  for (const guest of guests) {
    const named = (guest.vm as unknown as { host?: unknown }).host;
    const host = hosts.find((h) => h.id === named) ?? hosts[0]!;
    host.guests.push(guest);
  }
  return hosts;
}
