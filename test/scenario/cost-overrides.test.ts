/**
 * Cost overrides are held to each cost's unit and meaning: a count at least
 * 1 and small enough to run, a size in whole sectors where the model makes
 * disk I/O of it, a switch 0 or 1, a time 0..10 s; the error text and the
 * editor hover name the unit (the probe's OOM, "Invalid array length" and
 * "not whole sectors" crashes came from overrides validate let through).
 */
import { describe, expect, it } from 'vitest';
import { COSTS, COST_IDS } from '../../src/model/costs.js';
import { costDescription } from '../../src/scenario/cost-overrides.js';
import { edited, errorsOf, scenarioOf } from './helpers.js';

const withCost = (id: string, value: unknown) => edited((s) => (s.costs = { [id]: value }));
const messageOf = (id: string, value: unknown) => errorsOf(withCost(id, value))[0]!.message;

describe('cost overrides by unit', () => {
  it('refuses counts that would exhaust memory, naming a count, not nanoseconds', () => {
    expect(messageOf('hdd_read_segments', 10_000_000_000)).toBe('found 10000000000, allowed an integer count, 1..1,024');
    expect(messageOf('vm_state_io_depth', 10_000_000_000)).toBe('found 10000000000, allowed an integer count, 1..256');
    expect(messageOf('hdd_heads', 0)).toBe('found 0, allowed an integer count, 1..255');
  });

  it('refuses sizes that are not whole sectors where they become disk I/O', () => {
    expect(messageOf('vm_state_chunk_bytes', 0)).toBe('found 0, allowed an integer number of bytes, 512..268,435,456, a multiple of 512');
    expect(messageOf('vm_state_chunk_bytes', 1000)).toMatch(/a multiple of 512$/);
    expect(messageOf('vm_config_bytes', 0)).toMatch(/^found 0, allowed an integer number of bytes, 512\.\./);
  });

  it('takes a switch as 0 or 1 and a time in ns as before', () => {
    expect(messageOf('apic_virtualization', 2)).toBe('found 2, allowed 0 (off) or 1 (on)');
    expect(messageOf('vmexit_roundtrip', 10_000_000_001)).toBe('found 10000000001, allowed an integer number of nanoseconds, 0..10,000,000,000');
    expect(scenarioOf(withCost('vm_state_chunk_bytes', 4096)).costs?.vm_state_chunk_bytes).toBe(4096);
  });

  it('accepts every default, so a profile figure can always be written back as an override', () => {
    for (const id of COST_IDS) {
      for (const value of Object.values(COSTS[id].ns)) scenarioOf(withCost(id, value));
    }
  });

  it('describes each cost in its own unit (no "131072 ns" for a byte size)', () => {
    expect(costDescription(COSTS.storvsc_max_transfer_bytes)).toContain('Default 131,072 bytes (profile 2008), 262,144 bytes (modern)');
    expect(costDescription(COSTS.hdd_heads)).toContain('Default 8 (profile 2008), 8 (modern); plausible range 1..16;');
    expect(costDescription(COSTS.vmexit_roundtrip)).toContain('Default 800 ns (profile 2008)');
    for (const id of COST_IDS) if (COSTS[id].unit !== undefined) expect(costDescription(COSTS[id])).not.toMatch(/\d ns\b/);
  });
});
