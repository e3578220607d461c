/**
 * An LP's reservations (`LogicalProcessors.reserve`) and the calendar's
 * owned steps (`OwnedSteps`). Held-out case of an audit: a step the VP
 * scheduler put off (its VM's limit used, so its VP waits for the next
 * 30 ms period) reserved its LP from now until then, where it should hold
 * the LP only from then on; the VM beside it on that LP then waited as
 * long (both p99 24 ms, scenario test in `cpu-controls.test.ts`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogicalProcessors } from '../../../src/model/hardware/logical-processors.js';
import { OwnedSteps } from '../../../src/model/scheduler/owned-steps.js';

describe('LP reservations', () => {
  it('serves steps first come first served at the present, as before: a step waits for the one reserved before it', () => {
    const lps = new LogicalProcessors(2, ['vm']);
    expect(lps.reserve(1, 100, 50)).toBe(0); // [100, 150)
    expect(lps.reserve(1, 120, 10)).toBe(30); // [150, 160)
    expect(lps.reserve(1, 120, 0)).toBe(40); // a step of no cost waits its turn too
    expect(lps.reserve(1, 200, 10)).toBe(0); // the LP is free by then
    expect(lps.reserve(0, 120, 10)).toBe(0); // another LP
  });

  it('a step put off to a later time holds the LP from then on only: a step now runs in the gap before it', () => {
    const lps = new LogicalProcessors(2, ['vm']);
    // At 1 ms, a step put off to 24 ms (its VP parked by its limit) reserves [24 ms, 24 ms + 3 µs).
    expect(lps.reserve(1, 24_000_000, 3000, 1_000_000)).toBe(0);
    // The root's step for another VM at 1.001 ms runs at once (before: it waited until 24.003 ms).
    expect(lps.reserve(1, 1_001_000, 1500)).toBe(0);
    // A step that does not fit in the gap before the later one goes after it.
    expect(lps.reserve(1, 23_999_000, 2000)).toBe(4000);
    // Once the clock passes them, the reservations are forgotten.
    expect(lps.reserve(1, 30_000_000, 1000)).toBe(0);
  });
});

/**
 * The reservations as plain intervals, placed the way `reserve` places
 * them: a reference for the O(1) block it keeps while no step is put off.
 */
class IntervalReference {
  private readonly iv: number[] = [];

  reserve(atNs: number, costNs: number, nowNs: number): number {
    const iv = this.iv;
    while (iv.length > 0 && iv[1]! <= nowNs) iv.splice(0, 2);
    let start = atNs;
    let i = 0;
    for (; i < iv.length; i += 2) {
      if (iv[i + 1]! <= start) continue;
      if (iv[i]! > start && iv[i]! >= start + costNs) break;
      start = iv[i + 1]!;
    }
    if (costNs > 0) iv.splice(i, 0, start, start + costNs);
    return start - atNs;
  }
}

describe('LP reservations against plain intervals', () => {
  it('wait the same for any steps, put off or not, at a clock that only moves on', () => {
    const step = fc.record({ advance: fc.integer({ min: 0, max: 40 }), ahead: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 200 })), cost: fc.integer({ min: 0, max: 30 }) });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
        const lps = new LogicalProcessors(1, []);
        const ref = new IntervalReference();
        let now = 0;
        for (const { advance, ahead, cost } of steps) {
          now += advance;
          expect(lps.reserve(0, now + ahead, cost, now)).toBe(ref.reserve(now + ahead, cost, now));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("the calendar's owned steps", () => {
  it('keeps no empty step: one taken whole before it began is gone at the next drop, not handed on twice over', () => {
    const steps = new OwnedSteps();
    steps.add(500, 500, null); // a step of no cost holds no time
    expect(steps.size).toBe(0);
    steps.add(1000, 1200, null);
    steps.cutAt(0, 1000); // taken whole at t = 400, before it began
    steps.dropEndedBy(400);
    expect(steps.size).toBe(0);
  });
});
