/** The run queue of one LP: round robin in time slices, duty cycles, and the look-ahead the scheduler asks. */
import { describe, expect, it } from 'vitest';
import { LpCalendar, type CalendarEvent, type CpuVp } from '../../../src/model/scheduler/lp-calendar.js';

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

  it('with wakeBoost, a VP using less than its fair share preempts a hog when its timer wakes it (Xen BOOST): it gets its duty', () => {
    const share = (boost: boolean): number => {
      const cal = new LpCalendar(1, 30 * MS, boost);
      const hog = load(0, 30 * MS);
      const light = load(1, 1 * MS, 10);
      cal.add(hog);
      cal.add(light);
      const out: CalendarEvent[] = [];
      for (let t = cal.nextEventNs(); t <= 3000 * MS; t = cal.nextEventNs()) cal.step(t, out);
      return out.filter((e) => e.vp === light && (e.what === 'halted' || e.what === 'preempted')).reduce((n, e) => n + (e as { ranNs: number }).ranNs, 0) / (3000 * MS);
    };
    expect(share(true)).toBeGreaterThan(0.095);
    expect(share(false)).toBeLessThan(0.05); // plain round robin: a 1 ms burst waits behind each 30 ms slice
    // At its fair share or above it goes OVER: no boost (two 50 % loads share the LP in turn).
    const cal = new LpCalendar(1, 30 * MS, true);
    cal.add(load(0, 30 * MS));
    cal.add(load(1, 10 * MS, 50));
    const log = run(cal, 300 * MS);
    const wakes = log.filter((l) => l.endsWith('woken 1')).map((l) => l.split(' ')[0]);
    expect(wakes.length).toBeGreaterThan(0);
    for (const t of wakes) expect(log).not.toContain(`${t} preempted 0`);
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

  it('puts a VP woken without a boost behind all k runnable VPs: up to k slices, the E model (k - 1)·q counting itself', () => {
    const cal = new LpCalendar(1, 30 * MS);
    for (const id of [0, 1, 2]) cal.add(load(id, 1000 * MS));
    run(cal, 10 * MS);
    expect(cal.tailDispatchNs(10 * MS)).toBe(90 * MS);
    const idle = new LpCalendar(2, 30 * MS);
    expect(idle.tailDispatchNs(10 * MS)).toBe(10 * MS);
  });

  it('refuses a slice that is not a positive integer', () => {
    expect(() => new LpCalendar(0, 0)).toThrow(/time slice/);
  });
});
