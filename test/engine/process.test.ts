import { describe, expect, it } from 'vitest';
import {
  Process,
  Resource,
  SimEvent,
  startProcess,
  type ProcessBody,
  type Waitable,
} from '../../src/engine/process.js';
import type { Simulation } from '../../src/engine/simulation.js';
import { makeSim, type LogEntry } from './helpers.js';

/** A process that logs, waits `delay`, logs again. */
function* sleeper(sim: Simulation, log: LogEntry[], name: string, delay: number): ProcessBody<string> {
  log.push([sim.now, `${name} start`]);
  yield delay;
  log.push([sim.now, `${name} woke`]);
  return `${name} done`;
}

/** Takes one unit of `res`, holds it for `hold` ns, releases it. */
function* user(sim: Simulation, log: LogEntry[], res: Resource, name: string, hold: number): ProcessBody<void> {
  log.push([sim.now, `${name} requests`]);
  yield res;
  log.push([sim.now, `${name} acquired`]);
  yield hold;
  res.release();
  log.push([sim.now, `${name} released`]);
}

describe('startProcess and delays', () => {
  it('runs a generator, resuming it after each yielded delay', () => {
    const { sim, log } = makeSim();
    startProcess(sim, (function* () {
      log.push([sim.now, 'start']);
      yield 10;
      log.push([sim.now, 'after 10']);
      yield 0;
      log.push([sim.now, 'after 0']);
      yield 25;
      log.push([sim.now, 'after 25']);
    })());
    sim.run();
    expect(log).toEqual([
      [0, 'start'],
      [10, 'after 10'],
      [10, 'after 0'],
      [35, 'after 25'],
    ]);
  });

  it('interleaves processes by time, FIFO at equal times', () => {
    const { sim, log } = makeSim();
    startProcess(sim, sleeper(sim, log, 'a', 20));
    startProcess(sim, sleeper(sim, log, 'b', 10));
    startProcess(sim, sleeper(sim, log, 'c', 20));
    sim.run();
    expect(log).toEqual([
      [0, 'a start'],
      [0, 'b start'],
      [0, 'c start'],
      [10, 'b woke'],
      [20, 'a woke'],
      [20, 'c woke'],
    ]);
  });

  it('starts at the current time, after events already scheduled for it', () => {
    const { sim, log, note } = makeSim();
    sim.schedule(5, (_p, s) => {
      s.schedule(0, note('event first'));
      startProcess(s, sleeper(s, log, 'p', 1));
    });
    sim.run();
    expect(log).toEqual([
      [5, 'event first'],
      [5, 'p start'],
      [6, 'p woke'],
    ]);
  });

  it('tracks state and result through its lifecycle', () => {
    const { sim, log } = makeSim();
    const p = startProcess(sim, sleeper(sim, log, 'p', 10), 'sleeper');
    expect(p.name).toBe('sleeper');
    expect(p.sim).toBe(sim);
    expect(p.state).toBe('scheduled');
    sim.step();
    expect(p.state).toBe('waiting');
    expect(p.result).toBeUndefined();
    sim.run();
    expect(p.state).toBe('finished');
    expect(p.result).toBe('p done');
  });

  it('can be created with new Process, defaulting its name', () => {
    const { sim, log } = makeSim();
    const p = new Process(sim, sleeper(sim, log, 'p', 3));
    expect(p.name).toBe('process');
    sim.run();
    expect(log).toEqual([
      [0, 'p start'],
      [3, 'p woke'],
    ]);
  });

  it('a yielded negative delay is rejected by the scheduler', () => {
    const { sim } = makeSim();
    startProcess(sim, (function* () {
      yield -5;
    })());
    expect(() => sim.run()).toThrow(RangeError);
  });
});

describe('Resource', () => {
  it('capacity 1: serves users one at a time, in FIFO order', () => {
    const { sim, log } = makeSim();
    const disk = new Resource(1, 'disk');
    startProcess(sim, user(sim, log, disk, 'a', 10));
    startProcess(sim, user(sim, log, disk, 'b', 5));
    startProcess(sim, user(sim, log, disk, 'c', 1));
    sim.run();
    expect(log).toEqual([
      [0, 'a requests'],
      [0, 'a acquired'],
      [0, 'b requests'],
      [0, 'c requests'],
      [10, 'a released'],
      [10, 'b acquired'],
      [15, 'b released'],
      [15, 'c acquired'],
      [16, 'c released'],
    ]);
    expect(disk.busy).toBe(0);
    expect(disk.waiting).toBe(0);
  });

  it('capacity 2: serves two at once, then the waiters in FIFO order', () => {
    const { sim, log } = makeSim();
    const cpus = new Resource(2, 'cpus');
    startProcess(sim, user(sim, log, cpus, 'a', 10));
    startProcess(sim, user(sim, log, cpus, 'b', 4));
    startProcess(sim, user(sim, log, cpus, 'c', 3));
    startProcess(sim, user(sim, log, cpus, 'd', 3));
    sim.run();
    expect(log).toEqual([
      [0, 'a requests'],
      [0, 'a acquired'],
      [0, 'b requests'],
      [0, 'b acquired'],
      [0, 'c requests'],
      [0, 'd requests'],
      [4, 'b released'],
      [4, 'c acquired'],
      [7, 'c released'],
      [7, 'd acquired'],
      [10, 'a released'],
      [10, 'd released'],
    ]);
  });

  it('reports busy units and waiting processes', () => {
    const { sim, log } = makeSim();
    const res = new Resource(2);
    expect(res.capacity).toBe(2);
    expect(res.name).toBe('resource');
    for (const name of ['a', 'b', 'c', 'd', 'e']) startProcess(sim, user(sim, log, res, name, 10));
    expect([res.busy, res.waiting]).toEqual([0, 0]);
    sim.run({ until: 1 });
    expect([res.busy, res.waiting]).toEqual([2, 3]);
    sim.run({ until: 11 });
    expect([res.busy, res.waiting]).toEqual([2, 1]);
    sim.run({ until: 21 });
    expect([res.busy, res.waiting]).toEqual([1, 0]);
    sim.run();
    expect([res.busy, res.waiting]).toEqual([0, 0]);
  });

  it('keeps FIFO order with more waiters than its initial queue holds', () => {
    const { sim, log } = makeSim();
    const res = new Resource(1);
    const n = 40;
    // Two waves, so the ring's head has moved before it grows.
    for (let i = 0; i < 10; i++) startProcess(sim, user(sim, log, res, `w${i}`, 1));
    sim.schedule(3, () => {
      for (let i = 10; i < n; i++) startProcess(sim, user(sim, log, res, `w${i}`, 1));
    });
    sim.run();
    const acquired = log.filter(([, label]) => label.endsWith('acquired')).map(([, label]) => label.split(' ')[0]);
    expect(acquired).toEqual(Array.from({ length: n }, (_, i) => `w${i}`));
    expect(log.filter(([, label]) => label.endsWith('acquired')).map(([t]) => t)).toEqual(
      Array.from({ length: n }, (_, i) => i),
    );
  });

  it('tryAcquire takes a free unit without waiting, and fails when none is free', () => {
    const res = new Resource(2);
    expect(res.tryAcquire()).toBe(true);
    expect(res.tryAcquire()).toBe(true);
    expect(res.tryAcquire()).toBe(false);
    expect(res.busy).toBe(2);
    res.release();
    expect(res.busy).toBe(1);
    expect(res.tryAcquire()).toBe(true);
  });

  it('tryAcquire does not jump the queue', () => {
    const { sim, log } = makeSim();
    const res = new Resource(1);
    startProcess(sim, user(sim, log, res, 'a', 10));
    startProcess(sim, user(sim, log, res, 'b', 10));
    sim.run({ until: 10 }); // a holds, b waits
    expect(res.tryAcquire()).toBe(false);
    sim.run();
    expect(res.tryAcquire()).toBe(true);
  });

  it('release with no unit held throws', () => {
    const res = new Resource(1, 'bus');
    expect(() => res.release()).toThrow("release of 'bus' with no unit held");
    res.tryAcquire();
    res.release();
    expect(() => res.release()).toThrow(Error);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new Resource(0)).toThrow(RangeError);
    expect(() => new Resource(1.5)).toThrow(RangeError);
    expect(() => new Resource(-1)).toThrow(RangeError);
    expect(() => new Resource(Number.NaN)).toThrow(RangeError);
  });

  it('waitBy registers a waiter directly (as the Waitable protocol)', () => {
    const { sim, log } = makeSim();
    const res = new Resource(1);
    const holder = startProcess(sim, sleeper(sim, log, 'holder', 1));
    expect(res.waitBy(holder)).toBe(true); // free: taken at once
    expect(res.waitBy(holder)).toBe(false); // busy: queued
    expect([res.busy, res.waiting]).toEqual([1, 1]);
  });
});

describe('SimEvent', () => {
  it('trigger wakes every waiter, in order, with the value', () => {
    const { sim, log } = makeSim();
    const ready = new SimEvent<string>();
    for (const name of ['a', 'b', 'c']) {
      startProcess(sim, (function* () {
        const value: string = yield ready;
        log.push([sim.now, `${name} got ${value}`]);
      })());
    }
    sim.schedule(50, () => ready.trigger('go'));
    sim.run();
    expect(log).toEqual([
      [50, 'a got go'],
      [50, 'b got go'],
      [50, 'c got go'],
    ]);
    expect(ready.triggered).toBe(true);
    expect(ready.value).toBe('go');
  });

  it('waiting on an already-triggered event continues at once with its value', () => {
    const { sim, log } = makeSim();
    const done = new SimEvent<number>();
    done.trigger(7);
    startProcess(sim, (function* () {
      yield 5;
      const v: number = yield done;
      log.push([sim.now, `got ${v}`]);
      const again: number = yield done;
      log.push([sim.now, `again ${again}`]);
    })());
    const result = sim.run();
    expect(log).toEqual([
      [5, 'got 7'],
      [5, 'again 7'],
    ]);
    expect(result.events).toBe(2); // start and the delay; no extra event for the ready waits
  });

  it('triggering twice throws', () => {
    const e = new SimEvent();
    e.trigger();
    expect(() => e.trigger()).toThrow('SimEvent already triggered');
  });

  it('starts untriggered; trigger() without a value gives undefined', () => {
    const { sim, log } = makeSim();
    const e = new SimEvent();
    expect(e.triggered).toBe(false);
    expect(e.value).toBeUndefined();
    startProcess(sim, (function* () {
      const v: unknown = yield e;
      log.push([sim.now, `got ${String(v)}`]);
    })());
    sim.schedule(3, () => e.trigger());
    sim.run();
    expect(log).toEqual([[3, 'got undefined']]);
  });
});

describe('joining a process', () => {
  it('yield proc returns its return value when it finishes', () => {
    const { sim, log } = makeSim();
    const child = startProcess(sim, sleeper(sim, log, 'child', 30), 'child');
    startProcess(sim, (function* () {
      const r: string = yield child;
      log.push([sim.now, `parent got ${r}`]);
    })());
    sim.run();
    expect(log).toEqual([
      [0, 'child start'],
      [30, 'child woke'],
      [30, 'parent got child done'],
    ]);
  });

  it('joining a finished process continues at once with its result', () => {
    const { sim, log } = makeSim();
    const child = startProcess(sim, sleeper(sim, log, 'child', 1));
    startProcess(sim, (function* () {
      yield 10;
      const r: string = yield child;
      log.push([sim.now, `got ${r}`]);
    })());
    sim.run();
    expect(log.at(-1)).toEqual([10, 'got child done']);
  });

  it('several joiners all get the result', () => {
    const { sim, log } = makeSim();
    const child = startProcess(sim, (function* () {
      yield 4;
      return 42;
    })());
    for (const name of ['x', 'y']) {
      startProcess(sim, (function* () {
        const r: number = yield child;
        log.push([sim.now, `${name} ${r}`]);
      })());
    }
    sim.run();
    expect(log).toEqual([
      [4, 'x 42'],
      [4, 'y 42'],
    ]);
  });
});

describe('kill', () => {
  it('cancels a process waiting on a delay and wakes its joiners with undefined', () => {
    const { sim, log } = makeSim();
    const victim = startProcess(sim, sleeper(sim, log, 'victim', 100), 'victim');
    startProcess(sim, (function* () {
      const r: unknown = yield victim;
      log.push([sim.now, `joiner got ${String(r)}`]);
    })());
    sim.schedule(10, () => victim.kill());
    sim.run();
    expect(log).toEqual([
      [0, 'victim start'],
      [10, 'joiner got undefined'],
    ]);
    expect(victim.state).toBe('killed');
    expect(victim.result).toBeUndefined();
    expect(sim.now).toBe(10); // the victim's wake-up at 100 was cancelled
  });

  it('cancels the wake-up of a process deep in a chain of delays (each re-armed in place)', () => {
    const { sim, log } = makeSim();
    const victim = startProcess(sim, (function* () {
      for (let i = 0; ; i++) {
        log.push([sim.now, `tick ${i}`]);
        yield 10;
      }
    })());
    sim.schedule(35, () => victim.kill());
    sim.run();
    expect(log).toEqual([
      [0, 'tick 0'],
      [10, 'tick 1'],
      [20, 'tick 2'],
      [30, 'tick 3'],
    ]);
    expect(sim.now).toBe(35); // the wake-up at 40 was cancelled, not fired
    expect(sim.pending).toBe(0);
  });

  it('cancels the wake-up of a process that schedules an event before each delay', () => {
    const { sim, log, note } = makeSim();
    const victim = startProcess(sim, (function* () {
      for (let i = 0; ; i++) {
        sim.schedule(1, note(`side ${i}`)); // so the resume cannot re-arm its own event
        yield 10;
      }
    })());
    sim.schedule(25, () => victim.kill());
    sim.run();
    expect(log).toEqual([
      [1, 'side 0'],
      [11, 'side 1'],
      [21, 'side 2'],
    ]);
    expect(sim.now).toBe(25);
    expect(sim.pending).toBe(0);
  });

  it('runs the generator’s finally blocks', () => {
    const { sim, log } = makeSim();
    const p = startProcess(sim, (function* () {
      try {
        yield 100;
      } finally {
        log.push([sim.now, 'cleanup']);
      }
    })());
    sim.schedule(7, () => p.kill());
    sim.run();
    expect(log).toEqual([[7, 'cleanup']]);
  });

  it('before its first step: the process never runs', () => {
    const { sim, log } = makeSim();
    const p = startProcess(sim, sleeper(sim, log, 'p', 1));
    p.kill();
    sim.run();
    expect(log).toEqual([]);
    expect(sim.pending).toBe(0);
  });

  it('is a no-op on a finished or already-killed process', () => {
    const { sim, log } = makeSim();
    const p = startProcess(sim, sleeper(sim, log, 'p', 1));
    sim.run();
    p.kill();
    expect(p.state).toBe('finished');
    expect(p.result).toBe('p done');
    const q = startProcess(sim, sleeper(sim, log, 'q', 1));
    q.kill();
    q.kill();
    expect(q.state).toBe('killed');
  });

  it('joining an already-killed process continues at once with undefined', () => {
    const { sim, log } = makeSim();
    const victim = startProcess(sim, sleeper(sim, log, 'victim', 100));
    victim.kill();
    startProcess(sim, (function* () {
      const r: unknown = yield victim;
      log.push([sim.now, `got ${String(r)}`]);
    })());
    sim.run();
    expect(log).toEqual([[0, 'got undefined']]);
  });

  it('a killed process waiting on a SimEvent is not resumed by the trigger', () => {
    const { sim, log } = makeSim();
    const e = new SimEvent<string>();
    const waiters = ['a', 'b'].map((name) =>
      startProcess(sim, (function* () {
        const v: string = yield e;
        log.push([sim.now, `${name} got ${v}`]);
      })()),
    );
    sim.schedule(5, () => waiters[0]!.kill());
    sim.schedule(10, () => e.trigger('go'));
    sim.run();
    expect(log).toEqual([[10, 'b got go']]);
  });

  it('a killed process waiting on a resource does not receive a released unit', () => {
    const { sim, log } = makeSim();
    const res = new Resource(1);
    startProcess(sim, user(sim, log, res, 'a', 10));
    const b = startProcess(sim, user(sim, log, res, 'b', 10));
    startProcess(sim, user(sim, log, res, 'c', 10));
    sim.schedule(5, () => b.kill());
    sim.run();
    expect(log).toEqual([
      [0, 'a requests'],
      [0, 'a acquired'],
      [0, 'b requests'],
      [0, 'c requests'],
      [10, 'a released'],
      [10, 'c acquired'],
      [20, 'c released'],
    ]);
    expect(res.busy).toBe(0);
  });

  it('a unit released to a killed waiter is returned when no one else waits', () => {
    const { sim, log } = makeSim();
    const res = new Resource(1);
    startProcess(sim, user(sim, log, res, 'a', 10));
    const b = startProcess(sim, user(sim, log, res, 'b', 10));
    sim.schedule(5, () => b.kill());
    sim.run();
    expect(res.busy).toBe(0);
    expect(res.tryAcquire()).toBe(true);
  });

  it('a process killed after being handed a unit, before it resumes, does not leak the unit', () => {
    const { sim, log } = makeSim();
    const res = new Resource(1);
    startProcess(sim, user(sim, log, res, 'a', 10));
    const b = startProcess(sim, user(sim, log, res, 'b', 10));
    startProcess(sim, user(sim, log, res, 'c', 10));
    // At t=10, in this order: a releases and the unit passes to b (b's resume is
    // scheduled for t=10); the killer runs; b's resume would run. The killer is
    // scheduled at t=1, so it sorts after a's resume (scheduled at t=0) and
    // before b's (scheduled at t=10).
    sim.schedule(1, (_p, s) => {
      s.scheduleAt(10, () => {
        log.push([s.now, 'kill b']);
        b.kill();
      });
    });
    sim.run();
    expect(log.slice(0, 6)).toEqual([
      [0, 'a requests'],
      [0, 'a acquired'],
      [0, 'b requests'],
      [0, 'c requests'],
      [10, 'a released'],
      [10, 'kill b'],
    ]);
    expect(b.state).toBe('killed');
    // b never got to use or release the unit, so it must not stay held: c gets it.
    expect(log.filter(([, label]) => label.startsWith('c'))).toEqual([
      [0, 'c requests'],
      [10, 'c acquired'],
      [20, 'c released'],
    ]);
    expect(res.busy).toBe(0);
  });
});

describe('wake and custom Waitables', () => {
  it('a custom Waitable can wake a process later with a value', () => {
    const { sim, log } = makeSim();
    // A one-shot timer written against the Waitable protocol.
    const timer = (delay: number, value: string): Waitable => ({
      waitBy(process) {
        sim.schedule(delay, () => process.wake(value));
        return false;
      },
    });
    startProcess(sim, (function* () {
      const v: string = yield timer(12, 'tick');
      log.push([sim.now, v]);
    })());
    sim.run();
    expect(log).toEqual([[12, 'tick']]);
  });

  it('a Waitable that is ready at once sets resumeValue and the process continues in the same event', () => {
    const { sim, log } = makeSim();
    const ready: Waitable = {
      waitBy(process) {
        process.resumeValue = 'now';
        return true;
      },
    };
    startProcess(sim, (function* () {
      const v: string = yield ready;
      log.push([sim.now, v]);
    })());
    expect(sim.run()).toEqual({ reason: 'empty', events: 1 });
    expect(log).toEqual([[0, 'now']]);
  });

  it('wake on a finished or killed process does nothing', () => {
    const { sim, log } = makeSim();
    const p = startProcess(sim, sleeper(sim, log, 'p', 1));
    sim.run();
    p.wake('late');
    const q = startProcess(sim, sleeper(sim, log, 'q', 1));
    q.kill();
    q.wake('late');
    expect(sim.pending).toBe(0);
  });

  it('advance can be driven by hand, as the engine does', () => {
    const { sim, log } = makeSim();
    const p = startProcess(sim, sleeper(sim, log, 'p', 5));
    p.advance(); // the first step, without going through the queue
    expect(log).toEqual([[0, 'p start']]);
    expect(p.state).toBe('waiting');
  });
});

describe('invalid yields', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'soon'],
    ['a plain object', { delay: 5 }],
  ])('yielding %s throws a TypeError naming the process', (_what, value) => {
    const { sim } = makeSim();
    startProcess(sim, (function* (): ProcessBody<void> {
      yield value as unknown as number;
    })(), 'bad-actor');
    expect(() => sim.run()).toThrow(TypeError);
  });

  it('the message names the process and what it yielded', () => {
    const { sim } = makeSim();
    startProcess(sim, (function* (): ProcessBody<void> {
      yield 'soon' as unknown as number;
    })(), 'bad-actor');
    expect(() => sim.run()).toThrow("process 'bad-actor' yielded soon; yield a delay in ns, a Resource, a SimEvent or a Process");
  });
});
