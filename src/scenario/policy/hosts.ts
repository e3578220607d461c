/**
 * The physical hosts the per-host rules count over (the 2:1 processor
 * ratio, Unified Messaging's no-oversubscription rule, the edition's
 * virtual instances): the scenario's one `host`; with a `cluster` block,
 * each cluster node with the VMs `cluster.vms[].host` places on it where the
 * run starts (a VM not listed on ioHost); a top-level `hosts[]` with
 * `vms[].host`, not in the schema, is still read defensively by name.
 */
import type { Scenario } from '../schema.js';
import type { PolicyHost, PolicyVm } from './rule.js';

/** Hyper-V's host default when a scenario gives no logical processors (as `build.ts` assumes). */
const LOGICAL_PROCESSORS_DEFAULT = 4;

/** The hosts and the guests on each. */
export function policyHosts(scenario: Scenario, guests: readonly PolicyVm[]): PolicyHost[] {
  const single = scenario.host?.logicalProcessors ?? LOGICAL_PROCESSORS_DEFAULT;
  const cluster = scenario.cluster;
  if (cluster !== undefined && cluster.hosts.length > 0) {
    // A cluster places its VMs on its nodes (`cluster.vms[].host`; a VM not listed runs on ioHost, else the first
    // node) where the run starts: each node is its own physical host for the per-host rules (seed 001's 2:1 is
    // "all guest virtual machines combined" on one host's logical processors; table 1.1 counts per physical
    // platform licence). The nodes are taken to be alike: `host` describes the detailed one (E).
    const ioHost = cluster.ioHost ?? cluster.hosts[0]!.id;
    const nodes: PolicyHost[] = cluster.hosts.map((h) => ({ id: h.id, lpPath: 'host.logicalProcessors', logicalProcessors: single, guests: [] }));
    for (const guest of guests) {
      const placed = cluster.vms?.find((v) => v.vm === guest.vm.id)?.host ?? ioHost;
      (nodes.find((h) => h.id === placed) ?? nodes[0]!).guests.push(guest);
    }
    return nodes;
  }
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
