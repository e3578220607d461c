/**
 * Scenarios of a cluster whose hosts fail, for the tests of what a run says
 * was still down at its end (model, CLI and app): VM `a` on `h1`, watched
 * by client `u`.
 */

/** VM `a` (2 GiB) on h1 of `hosts`, the hosts failing as `failures` say; `extra` adds or replaces top-level fields. */
export function hostFailures(hosts: string[], failures: { at: string; host: string }[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: 1,
    name: 'outage',
    seed: 1,
    vms: [{ id: 'a', memoryMiB: 2048 }],
    cluster: {
      platform: 'hyperv-2008-r2',
      hosts: hosts.map((id) => ({ id })),
      vms: [{ vm: 'a', host: 'h1' }],
      storage: { kind: 'lun-per-vm' },
      migrationNetwork: { gbps: 1 },
      clients: [{ id: 'u', vm: 'a' }],
    },
    actions: failures.map((f) => ({ at: f.at, do: 'fail-host', host: f.host })),
    ...extra,
  };
}

/** Both hosts of two fail (10 s, 11 s): the cluster loses quorum and `a` never runs again. */
export const BOTH_HOSTS_FAIL = hostFailures(['h1', 'h2'], [
  { at: '10s', host: 'h1' },
  { at: '11s', host: 'h2' },
], { name: 'both-fail' });
