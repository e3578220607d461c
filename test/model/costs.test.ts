/** The cost table: every default has a source and sits in its range; decomposed totals match the reference. */
import { describe, expect, it } from 'vitest';
import { COSTS, COST_IDS, PROFILES, resolveCosts } from '../../src/model/costs.js';

describe('cost table', () => {
  it('every entry has a source and a default inside its range, in both profiles', () => {
    for (const id of COST_IDS) {
      const e = COSTS[id];
      expect(e.source, id).toMatch(/§\d/);
      for (const p of PROFILES) {
        expect(e.ns[p], `${id} ${p}`).toBeGreaterThanOrEqual(e.range[0]);
        expect(e.ns[p], `${id} ${p}`).toBeLessThanOrEqual(e.range[1]);
      }
    }
  });

  it('a user-mode intercept, decomposed, sums into the reference range of io_intercept_usermode (3-20 µs, §1.6)', () => {
    for (const p of PROFILES) {
      const c = resolveCosts(p);
      const total =
        c.vmexit_roundtrip + c.intercept_message_to_root + c.vid_intercept_dispatch + 2 * c.process_context_switch + 2 * c.mode_switch + c.ide_register_emulate + c.vid_intercept_complete;
      expect(total).toBeGreaterThanOrEqual(3000);
      expect(total).toBeLessThanOrEqual(20000);
    }
    // §8: 15,000 [2008] and 8,000 [modern], within 10 %.
    const sum = (p: '2008' | 'modern') => {
      const c = resolveCosts(p);
      return c.vmexit_roundtrip + c.intercept_message_to_root + c.vid_intercept_dispatch + 2 * c.process_context_switch + c.ide_register_emulate + c.vid_intercept_complete;
    };
    expect(Math.abs(sum('2008') - 15000) / 15000).toBeLessThan(0.1);
    expect(Math.abs(sum('modern') - 8000) / 8000).toBeLessThan(0.1);
  });

  it('the root stack layers sum to host_fs_and_stack (10 µs, §8)', () => {
    const c = resolveCosts('2008');
    expect(c.stack_fs + c.stack_volume + c.stack_disk_class + c.stack_port_miniport).toBe(10000);
  });

  it('overrides apply by id and are validated', () => {
    expect(resolveCosts('modern', { vmexit_roundtrip: 123 }).vmexit_roundtrip).toBe(123);
    expect(() => resolveCosts('modern', { nope: 1 })).toThrow(/unknown cost id 'nope'/);
    expect(() => resolveCosts('modern', { vmexit_roundtrip: -1 })).toThrow(/non-negative integer/);
  });
});
