/** The run queue of one LP: round robin in time slices, duty cycles, and the look-ahead the scheduler asks. */
import { describe, expect, it } from 'vitest';
import type { CalendarEvent, CpuVp } from '../../../src/model/scheduler/cpu-vp.js';
import { LpCalendar } from '../../../src/model/scheduler/lp-calendar.js';

const MS = 1_000_000;

function load(id: number, burstNs: number, dutyPercent = 100, startNs = 0): CpuVp {
  const sleepNs = Math.round((burstNs * (100 - dutyPercent)) / dutyPercent);
  return { id, burstNs, sleepNs, startNs, stopNs: Infinity, remainingNs: burstNs, state: 'waiting-start', sinceNs: 0, wakeAtNs: 0 };
}

/** Steps `cal` through every event up to `untilNs`; returns what happened as `t what vp`. */
function run(cal: LpCalendar, untilNs: number): string[] {
  const log: string[] = [];
  for (;;) {
    const t = cal.nextEventNs();
    if (t > untilNs) return log;
    const out: CalendarEvent[] = [];
    cal.step(t, out);
    for (const e of out) log.push(`${t / MS} ${e.what} ${e.vp.id}`);
  }
}

describe('LP calendar', () => {
  it('gives runnable VPs the LP in turn, one 30 ms slice each (Xen credit, equal weights)', () => {
    const cal = new LpCalendar(1, 30 * MS);
    for (const id of [0, 1, 2]) cal.add(load(id, 1000 * MS));
    expect(run(cal, 100 * MS)).toEqual(['0 dispatched 0', '30 preempted 0', '30 dispatched 1', '60 preempted 1', '60 dispatched 2', '90 preempted 2', '90 dispatched 0']);
  });

  it('keeps a lone VP on its LP at a slice end (no switch when nobody waits)', () => {
    const cal = new LpCalendar(1, 30 * MS);
    cal.add(load(0, 1000 * MS));
    expect(run(cal, 200 * MS)).toEqual(['0 dispatched 0']);
  });

  it('reports a lone VP\'s whole run when it ends, across the slices it kept (not only the last one)', () => {
    const cal = new LpCalendar(1, 30 * MS);
    const vp = load(0, 30 * MS);
    vp.stopNs = 2000 * MS;
    cal.add(vp);
    const out: CalendarEvent[] = [];
    for (let t = cal.nextEventNs(); t !== Infinity; t = cal.nextEventNs()) cal.step(t, out);
    expect(out.map((e) => e.what)).toEqual(['dispatched', 'stopped']);
    expect(out[1]).toMatchObject({ ranNs: 2000 * MS });
  });

  /** The share of the LP `vp` ran over `untilNs` (its halted, preempted and stopped records' `ranNs`). */
  const shareOf = (cal: LpCalendar, vp: CpuVp, untilNs: number): number => {
    const out: CalendarEvent[] = [];
    for (let t = cal.nextEventNs(); t <= untilNs; t = cal.nextEventNs()) cal.step(t, out);
    return out.filter((e) => e.vp === vp && e.what !== 'dispatched' && e.what !== 'woken').reduce((n, e) => n + (e as { ranNs: number }).ranNs, 0) / untilNs;
  };

  it('gives a VP beside a hog what it asks for up to its fair share, and its fair share when it asks for more (credits: UNDER before OVER)', () => {
    for (const [duty, expected] of [
      [10, 0.1],
      [30, 0.3],
      [45, 0.45],
      [80, 0.5],
      [100, 0.5],
    ] as const) {
      for (const boost of [true, false]) {
        const cal = new LpCalendar(1, 30 * MS, boost);
        const part = load(1, 10 * MS, duty);
        cal.add(load(0, 30 * MS));
        cal.add(part);
        // Round robin without credits gave an 80 % load 25 %: a 10 ms burst behind each 30 ms slice.
        expect(shareOf(cal, part, 3000 * MS), `duty ${duty}, boost ${boost}`).toBeCloseTo(expected, 1);
      }
    }
  });

  it('with wakeBoost, a VP woken UNDER preempts even an UNDER holder (once the holder\'s own boost has passed its first tick); without it, it waits for the holder\'s burst', () => {
    const woken = (boost: boolean): string[] => {
      const cal = new LpCalendar(1, 30 * MS, boost);
      cal.add(load(0, 20 * MS, 40)); // runs 20 ms of each 50: at 250 ms it holds the LP with credit to spare (UNDER)
      cal.add(load(1, 1 * MS, 100 / 12, 237 * MS)); // 1 ms, then 11 ms asleep: its timer wakes it at 249 and 261 ms
      return run(cal, 280 * MS);
    };
    expect(woken(true)).toContain('261 preempted 0');
    expect(woken(false)).not.toContain('261 preempted 0');
    expect(woken(false)).toContain('270 dispatched 1');
  });

  it('halts a VP at the end of its burst and wakes it on its timer after the duty cycle\'s gap', () => {
    const cal = new LpCalendar(1, 30 * MS);
    cal.add(load(0, 10 * MS, 50));
    expect(run(cal, 35 * MS)).toEqual(['0 dispatched 0', '10 halted 0', '20 woken 0', '20 dispatched 0', '30 halted 0']);
  });

  it('looks ahead: a runnable VP waits for the holder and every VP queued before it', () => {
    const cal = new LpCalendar(1, 30 * MS);
    const vps = [0, 1, 2].map((id) => load(id, 1000 * MS));
    for (const vp of vps) cal.add(vp);
    run(cal, 5 * MS); // 0 holds until 30 ms; 1 and 2 wait in that order
    expect(cal.holds(vps[0]!, 5 * MS)).toBe(true);
    expect(cal.nextHoldNs(vps[1]!, 5 * MS)).toBe(30 * MS);
    expect(cal.nextHoldNs(vps[2]!, 5 * MS)).toBe(60 * MS);
    // Looking ahead changes nothing.
    expect(cal.holder).toBe(vps[0]);
    expect(cal.queue.map((v) => v.id)).toEqual([1, 2]);
  });

  it('puts a VP woken without a boost behind the UNDER VPs, preempting an OVER holder: within (k - 1)·q counting itself', () => {
    const cal = new LpCalendar(1, 30 * MS);
    for (const id of [0, 1, 2]) cal.add(load(id, 1000 * MS));
    run(cal, 10 * MS);
    // Before the first accounting every VP is UNDER (Xen: a new unit starts TS_UNDER): at 10 ms the woken VP
    // goes behind 1 and 2 and does not preempt the holder, so it waits for three slices, (k - 1)·q.
    expect(cal.tailDispatchNs(10 * MS)).toBe(90 * MS);
    const log = run(cal, 45 * MS);
    expect(log).toContain('30 dispatched 1');
    // At 45 ms the holder (1, paid 10 ms at 30 ms) has spent 15: OVER. 2 (UNDER) waits, 0 is OVER too: the
    // woken VP preempts 1 and goes after 2, which runs a slice.
    expect(cal.tailDispatchNs(45 * MS)).toBe(75 * MS);
    const idle = new LpCalendar(2, 30 * MS);
    expect(idle.tailDispatchNs(10 * MS)).toBe(10 * MS);
  });

  it('refuses a slice that is not a positive integer', () => {
    expect(() => new LpCalendar(0, 0)).toThrow(/time slice/);
  });
});

describe('a step is paid once, by its owner, whoever it is taken from (a review\'s cases)', () => {
  const US = 1_000;
  const ioVp = (id: number): CpuVp => ({ id, burstNs: Infinity, sleepNs: 0, startNs: Infinity, stopNs: Infinity, remainingNs: Infinity, state: 'waiting-start', sinceNs: 0, wakeAtNs: Infinity, io: true });

  it('a queued I/O VP\'s step that starts at its dispatch costs it the step, not twice (was -200 us)', () => {
    const cal = new LpCalendar(1, 30 * MS);
    const a = load(0, 10 * MS);
    const b = ioVp(1);
    cal.add(a);
    cal.add(b);
    const out: CalendarEvent[] = [];
    cal.step(0, out);
    cal.wakeIo(b, 1 * MS, false, out); // queued behind A (both UNDER)
    const dispatch = cal.nextHoldNs(b, 1 * MS);
    expect(dispatch).toBe(10 * MS);
    cal.steal(dispatch, 100 * US, b); // its step, issued now, runs from its dispatch
    cal.step(cal.nextEventNs(), out); // A's burst ends: B dispatched
    expect(cal.holder).toBe(b);
    cal.haltIo(b, dispatch + 100 * US, out);
    expect(b.creditNs).toBe(-100 * US);
  });

  it('a holder\'s step that starts when its run ends is still its own to pay (was never paid), not the next holder\'s', () => {
    const cal = new LpCalendar(1, 30 * MS);
    const a = load(0, 10 * MS);
    const b = load(1, 10 * MS);
    cal.add(a);
    cal.add(b);
    const out: CalendarEvent[] = [];
    cal.step(0, out); // A dispatched, B queued
    cal.steal(10 * MS, 100 * US, a); // A's step, issued while A holds, starts at the end of A's burst
    cal.step(cal.nextEventNs(), out); // 10 ms: B dispatched, the step taken from its run
    cal.step(cal.nextEventNs(), out); // B's burst ends 0.1 ms later
    expect(a.creditNs).toBe(-10.1 * MS);
    expect(b.creditNs).toBe(-10 * MS);
    expect(out.filter((e) => e.what === 'preempted' && e.vp === b).map((e) => (e as { ranNs: number }).ranNs)).toEqual([10 * MS]);
  });

  it('an own step across a slice end, the holder keeping the LP: paid once', () => {
    const cal = new LpCalendar(1, 30 * MS);
    const a = load(0, 1000 * MS);
    cal.add(a);
    const out: CalendarEvent[] = [];
    cal.step(0, out);
    cal.steal(29.9 * MS, 200 * US, a);
    cal.step(cal.nextEventNs(), out); // 30 ms: a fresh slice, A keeps the LP
    cal.step(cal.nextEventNs(), out); // 60 ms
    // Alone on the LP, A earns the whole of each period and spends it: the step, inside that time, costs nothing extra.
    expect(a.creditNs).toBe(0);
  });
});

describe('a limit across an accounting period\'s start: a step counts in the period each part of it runs in (a review\'s finding)', () => {
  const US = 1_000;
  const ioVp = (id: number, capNs?: number): CpuVp => ({ id, burstNs: Infinity, sleepNs: 0, startNs: Infinity, stopNs: Infinity, remainingNs: Infinity, state: 'waiting-start', sinceNs: 0, wakeAtNs: Infinity, io: true, ...(capNs === undefined ? {} : { capNs }) });

  it('another\'s step across the start is not the limited holder\'s run: its limit ends that much later (was 37.5 ms)', () => {
    const cal = new LpCalendar(1, 30 * MS);
    const a = { ...load(0, 1000 * MS, 100, 25 * MS), capNs: 7.5 * MS };
    const b = ioVp(1);
    cal.add(a);
    cal.add(b);
    expect(run(cal, 25 * MS)).toEqual(['25 dispatched 0']);
    cal.steal(29.9 * MS, 200 * US, b); // B's step, taken from A's run: 0.1 ms of it after 30 ms
    expect(run(cal, 40 * MS)).toEqual(['37.6 capped 0']);
  });

  it('a limited VP\'s own step across the start counts its part after it in the new period (was none of it)', () => {
    const cal = new LpCalendar(1, 30 * MS);
    const a = load(0, 1000 * MS, 100, 25 * MS);
    const b: CpuVp = { ...ioVp(1, 3 * MS), state: 'sleeping' }; // started, idle
    cal.add(a);
    cal.add(b);
    run(cal, 25 * MS);
    cal.steal(29.9 * MS, 200 * US, b);
    expect(b.periodRunNs).toBe(200 * US);
    cal.wakeIo(b, 31 * MS, false, []); // the calendar's first look at the LP after 30 ms
    expect(b.periodRunNs).toBe(100 * US);
  });
});
