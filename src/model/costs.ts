/**
 * Every default cost in hvsim, each defined once with its range and source
 * (`../shared/reference/hyperv-facts.md`, cited by section; V = verified
 * text, R = recalled figure, E = engineering estimate built from V/R facts).
 * Two profiles: `2008` (Penryn-era host, 15K RPM disk; Hyper-V's launch
 * hardware) and `modern` (current CPU, NVMe). A scenario picks a profile
 * and may override single costs by id. Nothing here is tuned to make a
 * comparison come out one way: where the reference gives a total, the
 * parts below sum to it (a test checks).
 */
import type { CostEntry } from './costs/cost-entry.js';
import { CPU_COSTS } from './costs/cpu-costs.js';
import { DISK_COSTS } from './costs/disk-costs.js';
import { LIFECYCLE_COSTS } from './costs/lifecycle-costs.js';
import { NETWORK_COSTS } from './costs/network-costs.js';
import { STORAGE_COSTS } from './costs/storage-costs.js';

export { CPU_SPEEDUP_2008_TO_MODERN, PROFILES, type CostEntry, type ProfileName } from './costs/cost-entry.js';
import type { ProfileName } from './costs/cost-entry.js';

/** The cost table, one file per part in `costs/` (in this order). Ids are stable: scenarios override them by name. */
export const COSTS = {
  ...CPU_COSTS,
  ...STORAGE_COSTS,
  ...DISK_COSTS,
  ...NETWORK_COSTS,
  ...LIFECYCLE_COSTS,
} as const satisfies Record<string, CostEntry>;

/** A cost id. */
export type CostId = keyof typeof COSTS;

/** All cost ids, in table order. */
export const COST_IDS = Object.keys(COSTS) as CostId[];

/** Resolved costs for one run: the profile's figures with the scenario's overrides applied. */
export type CostTable = Readonly<Record<CostId, number>>;

/** The costs of `profile`, with `overrides` (by id, in ns) applied. Throws on an unknown id or a bad value. */
export function resolveCosts(profile: ProfileName, overrides: Partial<Record<string, number>> = {}): CostTable {
  const table = {} as Record<CostId, number>;
  for (const id of COST_IDS) table[id] = COSTS[id].ns[profile];
  for (const [id, value] of Object.entries(overrides)) {
    if (!(id in COSTS)) throw new RangeError(`unknown cost id '${id}'`);
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`cost '${id}' must be a non-negative integer ns, got ${value}`);
    table[id as CostId] = value;
  }
  return table;
}
