import { describe, expect, it } from 'vitest';
import { PRIORITY_MAX, PRIORITY_MIN } from '../../src/engine/event-queue.js';
import { Simulation } from '../../src/engine/simulation.js';
import { sec, us } from '../../src/engine/sim-time.js';
import { makeSim } from './helpers.js';

/** Moves the clock to `t` with a real event (so it holds whatever `run({until})` does on an empty queue). */
function advanceTo(sim: Simulation, t: number): void {
  sim.scheduleAt(t, () => {});
  sim.run();
  expect(sim.now).toBe(t);
}

describe('schedule and step', () => {
  it('runs handlers in time order, advancing the clock to each', () => {
    const { sim, log, note } = makeSim();
    sim.schedule(30, note('c'));
    sim.schedule(10, note('a'));
    sim.schedule(20, note('b'));
    while (sim.step()) {
      /* one event at a time */
    }
    expect(log).toEqual([
      [10, 'a'],
      [20, 'b'],
      [30, 'c'],
    ]);
    expect(sim.now).toBe(30);
  });

  it('step processes exactly one event and returns false when none is pending', () => {
    const { sim, log, note } = makeSim();
    sim.schedule(5, note('a'));
    sim.schedule(5, note('b'));
    expect(sim.step()).toBe(true);
    expect(log).toEqual([[5, 'a']]);
    expect(sim.step()).toBe(true);
    expect(sim.step()).toBe(false);
    expect(log).toEqual([
      [5, 'a'],
      [5, 'b'],
    ]);
    expect(sim.now).toBe(5);
  });

  it('fires same-time events in scheduling order (FIFO)', () => {
    const { sim, log, note } = makeSim();
    for (const label of ['a', 'b', 'c', 'd']) sim.schedule(7, note(label));
    sim.run();
    expect(log).toEqual([
      [7, 'a'],
      [7, 'b'],
      [7, 'c'],
      [7, 'd'],
    ]);
  });

  it('fires same-time events by priority, lower first, then FIFO', () => {
    const { sim, log, note } = makeSim();
    sim.schedule(7, note('normal-1'));
    sim.schedule(7, note('lax'), undefined, PRIORITY_MAX);
    sim.schedule(7, note('urgent'), undefined, PRIORITY_MIN);
    sim.schedule(7, note('normal-2'));
    sim.schedule(7, note('minus-one'), undefined, -1);
    sim.run();
    expect(log.map(([, label]) => label)).toEqual(['urgent', 'minus-one', 'normal-1', 'normal-2', 'lax']);
  });

  it('passes the payload and the simulation to the handler', () => {
    const sim = new Simulation();
    const seen: unknown[] = [];
    const payload = { id: 3 };
    sim.schedule(1, (p, s) => seen.push(p, s), payload);
    sim.run();
    expect(seen).toEqual([payload, sim]);
    expect(seen[0]).toBe(payload);
    expect(seen[1]).toBe(sim);
  });

  it('lets handlers schedule further events relative to the current time', () => {
    const { sim, log, note } = makeSim();
    sim.schedule(us(1), (_p, s) => {
      log.push([s.now, 'first']);
      s.schedule(us(2), note('second'));
      s.schedule(0, note('now'));
    });
    sim.run();
    expect(log).toEqual([
      [1_000, 'first'],
      [1_000, 'now'],
      [3_000, 'second'],
    ]);
  });

  it('a zero delay scheduled in a handler runs after events already due at that time', () => {
    const { sim, log, note } = makeSim();
    sim.schedule(5, (_p, s) => {
      log.push([s.now, 'a']);
      s.schedule(0, note('a-child'));
    });
    sim.schedule(5, note('b'));
    sim.run();
    expect(log).toEqual([
      [5, 'a'],
      [5, 'b'],
      [5, 'a-child'],
    ]);
  });
});

describe('peek and cancel', () => {
  it('peek gives the time of the next event, or Infinity', () => {
    const { sim, note } = makeSim();
    expect(sim.peek()).toBe(Infinity);
    sim.schedule(40, note('b'));
    sim.schedule(15, note('a'));
    expect(sim.peek()).toBe(15);
    sim.step();
    expect(sim.peek()).toBe(40);
    sim.step();
    expect(sim.peek()).toBe(Infinity);
  });

  it('cancel removes a pending event', () => {
    const { sim, log, note } = makeSim();
    sim.schedule(1, note('a'));
    const b = sim.schedule(2, note('b'));
    sim.schedule(3, note('c'));
    expect(sim.cancel(b)).toBe(true);
    expect(sim.pending).toBe(2);
    sim.run();
    expect(log).toEqual([
      [1, 'a'],
      [3, 'c'],
    ]);
  });

  it('cancel returns false for fired or already-cancelled events', () => {
    const { sim, note } = makeSim();
    const a = sim.schedule(1, note('a'));
    const b = sim.schedule(2, note('b'));
    sim.step();
    expect(sim.cancel(a)).toBe(false);
    expect(sim.cancel(b)).toBe(true);
    expect(sim.cancel(b)).toBe(false);
  });

  it('a handler can cancel an event due at the same time', () => {
    const { sim, log, note } = makeSim();
    let victim = 0 as ReturnType<Simulation['schedule']>;
    sim.schedule(5, (_p, s) => {
      log.push([s.now, 'killer']);
      expect(s.cancel(victim)).toBe(true);
    });
    victim = sim.schedule(5, note('victim'));
    sim.schedule(6, note('after'));
    sim.run();
    expect(log).toEqual([
      [5, 'killer'],
      [6, 'after'],
    ]);
  });

  it('peek skips a cancelled earliest event', () => {
    const { sim, note } = makeSim();
    const a = sim.schedule(1, note('a'));
    sim.schedule(9, note('b'));
    sim.cancel(a);
    expect(sim.peek()).toBe(9);
  });
});

describe('reschedule', () => {
  it('re-arms the event being dispatched: same handler, payload and id', () => {
    const { sim, log } = makeSim();
    let rearmed = 0;
    const tick = (label: string, s: Simulation): void => {
      log.push([s.now, label]);
      if (rearmed < 2 && s.reschedule(5)) rearmed++;
    };
    const id = sim.schedule(10, tick, 'tick');
    sim.run({ until: 16 });
    expect(log).toEqual([
      [10, 'tick'],
      [15, 'tick'],
    ]);
    expect(sim.cancel(id)).toBe(true); // the first id names the event re-armed for 20
    sim.run();
    expect(log).toHaveLength(2);
    expect(sim.cancel(id)).toBe(false);
  });

  it('ties FIFO like a fresh schedule, after events already due then', () => {
    const { sim, log, note } = makeSim();
    let again = true;
    const once = (label: string, s: Simulation): void => {
      log.push([s.now, label]);
      if (again) expect(s.reschedule(0)).toBe(true);
      again = false;
    };
    sim.schedule(0, once, 'a');
    sim.schedule(0, note('b'));
    sim.run();
    expect(log).toEqual([
      [0, 'a'],
      [0, 'b'],
      [0, 'a'],
    ]);
  });

  it('keeps the priority the event was scheduled with', () => {
    const { sim, log, note } = makeSim();
    let first = true;
    const urgent = (_: unknown, s: Simulation): void => {
      log.push([s.now, 'urgent']);
      if (first) s.reschedule(10);
      first = false;
    };
    sim.schedule(0, urgent, undefined, -5);
    sim.schedule(10, note('normal'));
    sim.run();
    expect(log).toEqual([
      [0, 'urgent'],
      [10, 'urgent'],
      [10, 'normal'],
    ]);
  });

  it('returns false, changing nothing, once the handler has scheduled something', () => {
    const { sim, log, note } = makeSim();
    let answer: boolean | undefined;
    sim.schedule(1, (_: unknown, s: Simulation) => {
      s.schedule(1, note('other'));
      answer = s.reschedule(5);
    });
    sim.run();
    expect(answer).toBe(false);
    expect(log).toEqual([[2, 'other']]);
    expect(sim.eventsProcessed).toBe(2);
  });

  it('still re-arms after the handler cancels an event (a cancel frees no slot)', () => {
    const { sim } = makeSim();
    let answer: boolean | undefined;
    const later = sim.schedule(5, () => {});
    sim.schedule(1, (_: unknown, s: Simulation) => {
      if (answer !== undefined) return;
      s.cancel(later);
      answer = s.reschedule(1);
    });
    sim.run();
    expect(answer).toBe(true);
    expect(sim.now).toBe(2);
    expect(sim.eventsProcessed).toBe(2);
  });

  it('returns false outside a handler: after run, after step, after a handler threw', () => {
    const { sim } = makeSim();
    const noop = (): void => {};
    sim.schedule(1, noop);
    sim.run();
    expect(sim.reschedule(5)).toBe(false);
    sim.schedule(1, noop);
    sim.step();
    expect(sim.reschedule(5)).toBe(false);
    sim.schedule(1, () => {
      throw new Error('boom');
    });
    expect(() => sim.run()).toThrow('boom');
    expect(sim.reschedule(5)).toBe(false);
    expect(sim.pending).toBe(0);
  });

  it('works from a handler run by step()', () => {
    const { sim, log, note } = makeSim();
    let again = true;
    sim.schedule(1, (_: unknown, s: Simulation) => {
      note('tick')(undefined, s);
      if (again) expect(s.reschedule(4)).toBe(true);
      again = false;
    });
    sim.step();
    sim.step();
    expect(log).toEqual([
      [1, 'tick'],
      [5, 'tick'],
    ]);
  });

  it('rejects the delays schedule rejects', () => {
    const { sim } = makeSim();
    const errors: unknown[] = [];
    sim.schedule(1, (_: unknown, s: Simulation) => {
      for (const bad of [-1, 1.5, NaN, Infinity, Number.MAX_SAFE_INTEGER]) {
        try {
          s.reschedule(bad);
        } catch (e) {
          errors.push(e);
        }
      }
    });
    sim.run();
    expect(errors).toHaveLength(5);
    for (const e of errors) expect(e).toBeInstanceOf(RangeError);
    expect(sim.pending).toBe(0);
  });
});

describe('scheduleAt', () => {
  it('schedules at an absolute time', () => {
    const { sim, log, note } = makeSim();
    sim.schedule(10, (_p, s) => {
      log.push([s.now, 'at-10']);
      s.scheduleAt(25, note('at-25'));
      s.scheduleAt(10, note('at-10-again'));
    });
    sim.run();
    expect(log).toEqual([
      [10, 'at-10'],
      [10, 'at-10-again'],
      [25, 'at-25'],
    ]);
  });

  it('passes payload and priority through', () => {
    const sim = new Simulation();
    const seen: unknown[] = [];
    sim.scheduleAt(4, (p) => seen.push(p), 'normal');
    sim.scheduleAt(4, (p) => seen.push(p), 'urgent', -5);
    sim.run();
    expect(seen).toEqual(['urgent', 'normal']);
  });

  it('throws when the time is in the past', () => {
    const { sim, note } = makeSim();
    advanceTo(sim, 100);
    expect(() => sim.scheduleAt(99, note('x'))).toThrow(RangeError);
    expect(() => sim.scheduleAt(99, note('x'))).toThrow('cannot schedule in the past: 99 < now 100');
    expect(sim.pending).toBe(0);
  });

  it('throws for negative, fractional or unsafe times', () => {
    const { sim, note } = makeSim();
    expect(() => sim.scheduleAt(-1, note('x'))).toThrow(RangeError);
    expect(() => sim.scheduleAt(1.5, note('x'))).toThrow(RangeError);
    expect(() => sim.scheduleAt(Number.NaN, note('x'))).toThrow(RangeError);
    expect(() => sim.scheduleAt(2 ** 53, note('x'))).toThrow(RangeError);
    expect(sim.pending).toBe(0);
  });
});

describe('run', () => {
  it('runs until no event is pending', () => {
    const { sim, log, note } = makeSim();
    sim.schedule(3, note('a'));
    sim.schedule(1, note('b'));
    expect(sim.run()).toEqual({ reason: 'empty', events: 2 });
    expect(log).toEqual([
      [1, 'b'],
      [3, 'a'],
    ]);
    expect(sim.now).toBe(3);
    expect(sim.run()).toEqual({ reason: 'empty', events: 0 });
  });

  it('until: runs events strictly before it and sets the clock to it (SimPy)', () => {
    const { sim, log, note } = makeSim();
    sim.schedule(5, note('a'));
    sim.schedule(10, note('at-until'));
    sim.schedule(15, note('c'));
    expect(sim.run({ until: 10 })).toEqual({ reason: 'until', events: 1 });
    expect(log).toEqual([[5, 'a']]);
    expect(sim.now).toBe(10);
    expect(sim.pending).toBe(2);
    expect(sim.run()).toEqual({ reason: 'empty', events: 2 });
    expect(log).toEqual([
      [5, 'a'],
      [10, 'at-until'],
      [15, 'c'],
    ]);
  });

  it('until: if the queue empties first, stops with reason empty and the clock at the last event', () => {
    // Documented in RunOptions.until since commit f023ad4; SimPy would set the clock to `until` here.
    const { sim, log, note } = makeSim();
    sim.schedule(5, note('a'));
    expect(sim.run({ until: 1_000 })).toEqual({ reason: 'empty', events: 1 });
    expect(log).toEqual([[5, 'a']]);
    expect(sim.now).toBe(5);
    expect(sim.run({ until: 2_000 })).toEqual({ reason: 'empty', events: 0 });
    expect(sim.now).toBe(5);
  });

  it('until: only cancelled events left counts as empty', () => {
    const { sim, note } = makeSim();
    sim.schedule(5, note('a'));
    const b = sim.schedule(50, note('b'));
    sim.cancel(b);
    expect(sim.run({ until: 100 })).toEqual({ reason: 'empty', events: 1 });
    expect(sim.now).toBe(5);
  });

  it('until: repeated calls step the clock like a UI ticker', () => {
    const { sim, log, note } = makeSim();
    for (const t of [0, 4, 8, 12, 16, 100]) sim.scheduleAt(t, note(`t${t}`));
    const ticks: [string, number, number][] = [];
    for (let i = 0; i < 3; i++) {
      const { reason, events } = sim.run({ until: sim.now + 6 });
      ticks.push([reason, events, sim.now]);
    }
    expect(ticks).toEqual([
      ['until', 2, 6],
      ['until', 1, 12],
      ['until', 2, 18],
    ]);
    expect(log.map(([t]) => t)).toEqual([0, 4, 8, 12, 16]);
  });

  it('until: never moves the clock backwards', () => {
    const { sim, note } = makeSim();
    sim.schedule(100, note('later'));
    expect(sim.run({ until: 50 })).toEqual({ reason: 'until', events: 0 });
    expect(sim.now).toBe(50);
    expect(sim.run({ until: 20 })).toEqual({ reason: 'until', events: 0 });
    expect(sim.now).toBe(50);
  });

  it('until: rejects invalid values', () => {
    const { sim } = makeSim();
    expect(() => sim.run({ until: -1 })).toThrow(RangeError);
    expect(() => sim.run({ until: 2.5 })).toThrow(RangeError);
    expect(() => sim.run({ until: Number.NaN })).toThrow(RangeError);
  });

  it('maxEvents: processes at most that many events', () => {
    const { sim, log, note } = makeSim();
    for (let i = 1; i <= 5; i++) sim.schedule(i, note(`e${i}`));
    expect(sim.run({ maxEvents: 2 })).toEqual({ reason: 'maxEvents', events: 2 });
    expect(log).toEqual([
      [1, 'e1'],
      [2, 'e2'],
    ]);
    expect(sim.now).toBe(2);
    expect(sim.run({ maxEvents: 0 })).toEqual({ reason: 'maxEvents', events: 0 });
    expect(sim.run({ maxEvents: 10 })).toEqual({ reason: 'empty', events: 3 });
  });

  it('maxEvents: never processes more events than asked, even for a fractional limit', () => {
    const { sim, note } = makeSim();
    for (let i = 1; i <= 5; i++) sim.schedule(i, note(`e${i}`));
    // Either reject the value or stop after floor(2.5) = 2 events; running all 5 breaks the limit.
    let result: ReturnType<Simulation['run']> | undefined;
    try {
      result = sim.run({ maxEvents: 2.5 });
    } catch (error) {
      expect(error).toBeInstanceOf(RangeError);
    }
    expect(sim.eventsProcessed).toBeLessThanOrEqual(2);
    if (result !== undefined) expect(result.events).toBeLessThanOrEqual(2);
  });

  it('maxEvents: rejects negative and NaN', () => {
    const { sim } = makeSim();
    expect(() => sim.run({ maxEvents: -1 })).toThrow(RangeError);
    expect(() => sim.run({ maxEvents: Number.NaN })).toThrow(RangeError);
  });

  it('maxEvents and until together: whichever comes first', () => {
    const { sim, note } = makeSim();
    for (let i = 1; i <= 5; i++) sim.schedule(i * 10, note(`e${i}`));
    expect(sim.run({ until: 35, maxEvents: 2 })).toEqual({ reason: 'maxEvents', events: 2 });
    expect(sim.now).toBe(20);
    expect(sim.run({ until: 35, maxEvents: 2 })).toEqual({ reason: 'until', events: 1 });
    expect(sim.now).toBe(35);
  });

  it('stop() from a handler returns after that event; run resumes where it stopped', () => {
    const { sim, log, note } = makeSim();
    sim.schedule(1, note('a'));
    sim.schedule(2, (_p, s) => {
      log.push([s.now, 'stopper']);
      s.stop();
    });
    sim.schedule(2, note('same-time-after'));
    sim.schedule(3, note('c'));
    expect(sim.run()).toEqual({ reason: 'stopped', events: 2 });
    expect(sim.now).toBe(2);
    expect(log).toEqual([
      [1, 'a'],
      [2, 'stopper'],
    ]);
    expect(sim.run()).toEqual({ reason: 'empty', events: 2 });
    expect(log).toEqual([
      [1, 'a'],
      [2, 'stopper'],
      [2, 'same-time-after'],
      [3, 'c'],
    ]);
  });

  it('stop() under until does not advance the clock to until', () => {
    const { sim, note } = makeSim();
    sim.schedule(5, (_p, s) => s.stop());
    sim.schedule(6, note('later'));
    expect(sim.run({ until: 100 })).toEqual({ reason: 'stopped', events: 1 });
    expect(sim.now).toBe(5);
  });

  it('stop() outside run does not stop the next run', () => {
    const { sim, log, note } = makeSim();
    sim.schedule(1, note('a'));
    sim.schedule(2, note('b'));
    sim.stop();
    expect(sim.run()).toEqual({ reason: 'empty', events: 2 });
    expect(log).toHaveLength(2);
  });

  it('stop() from a handler run by step() does not stop the next run', () => {
    const { sim, note } = makeSim();
    sim.schedule(1, (_p, s) => s.stop());
    sim.schedule(2, note('b'));
    sim.schedule(3, note('c'));
    sim.step();
    expect(sim.run()).toEqual({ reason: 'empty', events: 2 });
  });
});

describe('counters', () => {
  it('eventsProcessed counts events from step and run; pending counts live events', () => {
    const { sim, note } = makeSim();
    expect(sim.eventsProcessed).toBe(0);
    expect(sim.pending).toBe(0);
    const ids = [1, 2, 3, 4].map((t) => sim.schedule(t, note(`e${t}`)));
    expect(sim.pending).toBe(4);
    sim.cancel(ids[3]!);
    expect(sim.pending).toBe(3);
    sim.step();
    expect(sim.eventsProcessed).toBe(1);
    expect(sim.pending).toBe(2);
    sim.run();
    expect(sim.eventsProcessed).toBe(3);
    expect(sim.pending).toBe(0);
  });

  it('starts at time 0', () => {
    expect(new Simulation().now).toBe(0);
  });
});

describe('invalid arguments', () => {
  it('rejects negative delays', () => {
    const { sim, note } = makeSim();
    expect(() => sim.schedule(-1, note('x'))).toThrow(RangeError);
    expect(() => sim.schedule(-1, note('x'))).toThrow(/delay must be a non-negative integer number of nanoseconds, got -1/);
  });

  it('rejects non-integer delays', () => {
    const { sim, note } = makeSim();
    expect(() => sim.schedule(1.5, note('x'))).toThrow(RangeError);
    expect(() => sim.schedule(0.1, note('x'))).toThrow(RangeError);
  });

  it('rejects non-integer delays however far the clock has advanced', () => {
    const { sim, note } = makeSim();
    advanceTo(sim, sec(1));
    expect(sim.now).toBe(1_000_000_000);
    expect(() => sim.schedule(0.5, note('x'))).toThrow(RangeError);
    // 1e9 + 1e-9 rounds to 1e9 in binary floating point; the delay itself is still not an integer.
    expect(() => sim.schedule(1e-9, note('x'))).toThrow(RangeError);
    expect(sim.pending).toBe(0);
  });

  it('rejects NaN and infinite delays', () => {
    const { sim, note } = makeSim();
    expect(() => sim.schedule(Number.NaN, note('x'))).toThrow(RangeError);
    expect(() => sim.schedule(Infinity, note('x'))).toThrow(RangeError);
  });

  it('rejects delays that would take the clock past 2^53', () => {
    const { sim, note } = makeSim();
    advanceTo(sim, 10);
    expect(() => sim.schedule(Number.MAX_SAFE_INTEGER, note('x'))).toThrow(RangeError);
    expect(() => sim.schedule(Number.MAX_SAFE_INTEGER - 10, note('x'))).not.toThrow();
  });

  it('rejects invalid priorities', () => {
    const { sim, note } = makeSim();
    expect(() => sim.schedule(1, note('x'), undefined, PRIORITY_MIN - 1)).toThrow(RangeError);
    expect(() => sim.schedule(1, note('x'), undefined, PRIORITY_MAX + 1)).toThrow(RangeError);
    expect(() => sim.schedule(1, note('x'), undefined, 0.5)).toThrow(/priority must be an integer in -128..127, got 0.5/);
    expect(() => sim.schedule(1, note('x'), undefined, Number.NaN)).toThrow(RangeError);
    expect(() => sim.scheduleAt(1, note('x'), undefined, 200)).toThrow(RangeError);
    expect(sim.pending).toBe(0);
  });

  it('a handler that throws propagates out of run, leaving the rest pending', () => {
    const { sim, log, note } = makeSim();
    sim.schedule(1, () => {
      throw new Error('boom');
    });
    sim.schedule(2, note('b'));
    expect(() => sim.run()).toThrow('boom');
    expect(sim.now).toBe(1);
    expect(sim.run()).toEqual({ reason: 'empty', events: 1 });
    expect(log).toEqual([[2, 'b']]);
  });
});

describe('capacity options', () => {
  it('grows from initialCapacity and refuses past capacityLimit', () => {
    const { sim, note } = makeSim({ initialCapacity: 1, capacityLimit: 3 });
    for (let i = 0; i < 3; i++) sim.schedule(i, note(`e${i}`));
    expect(() => sim.schedule(9, note('overflow'))).toThrow(/event queue is full/);
    expect(sim.run()).toEqual({ reason: 'empty', events: 3 });
  });
});
