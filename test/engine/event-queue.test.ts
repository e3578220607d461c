import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EventQueue,
  PRIORITY_MAX,
  PRIORITY_MIN,
  PRIORITY_NORMAL,
  QUEUE_CAPACITY_LIMIT,
  type EventId,
} from '../../src/engine/event-queue.js';

const FC_OPTIONS = { seed: 7, numRuns: 200 };

type Popped = { time: number; handler: unknown; payload: unknown };

/** Pops one event and reads what `Simulation.step` would read; null when `pop` returns -1. */
function popOne<H>(queue: EventQueue<H>, limit?: number): Popped | null {
  const slot = limit === undefined ? queue.pop() : queue.pop(limit);
  if (slot === -1) return null;
  if (!(Number.isInteger(slot) && slot >= 0)) throw new Error(`pop returned ${slot}`);
  return { time: queue.poppedTime, handler: queue.slots[3 * slot], payload: queue.slots[3 * slot + 1] };
}

/** Pops everything, returning the payloads in firing order. */
function drain<H>(queue: EventQueue<H>): unknown[] {
  const out: unknown[] = [];
  for (let p = popOne(queue); p !== null; p = popOne(queue)) out.push(p.payload);
  return out;
}

// ---------------------------------------------------------------------------
// Reference model: a plain array kept sorted by (time, priority, insertion seq).
// Cancelled entries stay in it, flagged, until they reach the front, so its
// length mirrors the heap's (which holds cancelled entries lazily).

interface RefEntry {
  time: number;
  priority: number;
  seq: number;
  handler: string;
  payload: number;
  dead: boolean;
}

class ReferenceQueue {
  entries: RefEntry[] = [];
  private seq = 0;

  push(time: number, priority: number, handler: string, payload: number): RefEntry {
    const entry: RefEntry = { time, priority, seq: this.seq++, handler, payload, dead: false };
    let i = this.entries.length;
    while (i > 0 && compare(this.entries[i - 1]!, entry) > 0) i--;
    this.entries.splice(i, 0, entry);
    return entry;
  }

  private dropDeadFront(): void {
    while (this.entries.length > 0 && this.entries[0]!.dead) this.entries.shift();
  }

  pop(limit = Infinity): RefEntry | null {
    this.dropDeadFront();
    const first = this.entries[0];
    if (first === undefined || first.time >= limit) return null;
    this.entries.shift();
    return first;
  }

  peekTime(): number {
    this.dropDeadFront();
    return this.entries[0]?.time ?? Infinity;
  }

  get size(): number {
    let live = 0;
    for (const e of this.entries) if (!e.dead) live++;
    return live;
  }
}

/**
 * A cheap assertion for the replay loop (which runs ~100k steps per
 * property); it names the step so a shrunk counterexample reads directly.
 */
function same(actual: unknown, expected: unknown, step: number, what: string): void {
  const show = (v: unknown): string => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
  if (!Object.is(actual, expected) && !(typeof actual === 'object' && show(actual) === show(expected))) {
    throw new Error(`step ${step}: ${what} was ${show(actual)}, expected ${show(expected)}`);
  }
}

function compare(a: RefEntry, b: RefEntry): number {
  return a.time - b.time || a.priority - b.priority || a.seq - b.seq;
}

type Command =
  | { op: 'push'; time: number; priority: number }
  /** A push as `Simulation.schedule` makes it: `delay` after the last event taken. */
  | { op: 'after'; delay: number; priority: number }
  | { op: 'pop'; limit: number | undefined }
  | { op: 'cancel'; pick: number }
  | { op: 'peek' };

const smallTime = fc.integer({ min: 0, max: 20 });
const anyTime = fc.oneof(
  { arbitrary: smallTime, weight: 8 },
  { arbitrary: fc.constantFrom(0, Number.MAX_SAFE_INTEGER, 2 ** 32, 2 ** 32 + 1), weight: 1 },
  { arbitrary: fc.maxSafeNat(), weight: 1 },
);
const anyPriority = fc.oneof(
  { arbitrary: fc.integer({ min: -2, max: 2 }), weight: 8 },
  { arbitrary: fc.constantFrom(PRIORITY_MIN, PRIORITY_MAX), weight: 1 },
  { arbitrary: fc.integer({ min: PRIORITY_MIN, max: PRIORITY_MAX }), weight: 1 },
);

/** Few distinct (time, priority) pairs, so most pending events tie with another. */
const tieTime = fc.integer({ min: 0, max: 3 });
const tiePriority = fc.integer({ min: 0, max: 1 });

function commands(
  weights: { push: number; pop: number; cancel: number; peek: number },
  maxLength: number,
  time: fc.Arbitrary<number> = anyTime,
  priority: fc.Arbitrary<number> = anyPriority,
) {
  const command: fc.Arbitrary<Command> = fc.oneof(
    { arbitrary: fc.record({ op: fc.constant('push' as const), time, priority }), weight: weights.push },
    {
      arbitrary: fc.record({ op: fc.constant('pop' as const), limit: fc.option(fc.integer({ min: 0, max: 25 }), { nil: undefined }) }),
      weight: weights.pop,
    },
    { arbitrary: fc.record({ op: fc.constant('cancel' as const), pick: fc.nat() }), weight: weights.cancel },
    { arbitrary: fc.constant({ op: 'peek' as const }), weight: weights.peek },
  );
  return fc.array(command, { maxLength, size: 'max' });
}

type IssuedStatus = 'pending' | 'fired' | 'cancelled';

/**
 * Replays `cmds` on a real queue and on the reference, comparing every
 * result. With `maxHeap`, pushes that would put more than that many entries
 * (live or lazily cancelled) in the heap are skipped.
 */
function replay(cmds: Command[], options: ConstructorParameters<typeof EventQueue>[0], maxHeap = Infinity): void {
  const queue = new EventQueue<string>(options);
  const ref = new ReferenceQueue();
  const issued: { id: EventId; entry: RefEntry; status: IssuedStatus }[] = [];
  let pushes = 0;
  let lastPopped = 0;
  for (const [step, cmd] of cmds.entries()) {
    switch (cmd.op) {
      case 'push': {
        if (ref.entries.length >= maxHeap) break;
        const n = pushes++;
        const id = queue.push(cmd.time, cmd.priority, `h${n}`, n);
        const entry = ref.push(cmd.time, cmd.priority, `h${n}`, n);
        issued.push({ id, entry, status: 'pending' });
        break;
      }
      case 'after': {
        if (ref.entries.length >= maxHeap) break;
        const time = Math.min(lastPopped + cmd.delay, Number.MAX_SAFE_INTEGER);
        const n = pushes++;
        const id = queue.push(time, cmd.priority, `h${n}`, n);
        const entry = ref.push(time, cmd.priority, `h${n}`, n);
        issued.push({ id, entry, status: 'pending' });
        break;
      }
      case 'pop': {
        const expected = ref.pop(cmd.limit);
        const got = popOne(queue, cmd.limit);
        if (expected === null) {
          same(got, null, step, `pop(${cmd.limit})`);
        } else {
          same(got, { time: expected.time, handler: expected.handler, payload: expected.payload }, step, `pop(${cmd.limit})`);
          issued[expected.payload]!.status = 'fired';
          lastPopped = expected.time;
        }
        break;
      }
      case 'cancel': {
        if (issued.length === 0) break;
        const target = issued[cmd.pick % issued.length]!;
        const expected = target.status === 'pending';
        if (expected) {
          target.status = 'cancelled';
          target.entry.dead = true;
        }
        same(queue.cancel(target.id), expected, step, `cancel of event ${target.entry.payload}`);
        break;
      }
      case 'peek':
        same(queue.peekTime(), ref.peekTime(), step, 'peekTime()');
        break;
    }
    same(queue.size, ref.size, step, 'size');
  }
  expect(queue.scheduledCount).toBe(pushes);
  // Whatever is left drains in reference order, and no id is cancellable afterwards.
  const rest: number[] = [];
  for (let e = ref.pop(); e !== null; e = ref.pop()) rest.push(e.payload);
  expect(drain(queue)).toEqual(rest);
  expect(queue.size).toBe(0);
  for (const { id } of issued) expect(queue.cancel(id)).toBe(false);
}

/**
 * Delays as a simulation makes them: log-uniform from 0 to 2^48 ns, so
 * entries start at every level of the radix heap and descend through several.
 */
const anyDelay = fc
  .tuple(fc.integer({ min: 0, max: 48 }), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }))
  .map(([bits, frac]) => Math.floor(frac * 2 ** bits));

/** Short delays, so pushes crowd the edges of the 16-time blocks the queue sorts whole. */
const shortDelay = fc.integer({ min: 0, max: 40 });

/** Pushes after the last pop, pops running until a limit, cancels: the shape of `Simulation.run`. */
function simulationCommands(maxLength: number, delay: fc.Arbitrary<number> = anyDelay, priority = anyPriority) {
  const command: fc.Arbitrary<Command> = fc.oneof(
    { arbitrary: fc.record({ op: fc.constant('after' as const), delay, priority }), weight: 6 },
    {
      arbitrary: fc.record({
        op: fc.constant('pop' as const),
        limit: fc.option(fc.maxSafeNat(), { nil: undefined, freq: 10 }),
      }),
      weight: 5,
    },
    { arbitrary: fc.record({ op: fc.constant('cancel' as const), pick: fc.nat() }), weight: 1 },
    { arbitrary: fc.constant({ op: 'peek' as const }), weight: 1 },
  );
  return fc.array(command, { maxLength, size: 'max' });
}

describe('EventQueue against a sorted-array reference (property-based)', () => {
  it('matches the reference on pushes after the last pop, with delays across every level', () => {
    fc.assert(
      fc.property(simulationCommands(1500), (cmds) => replay(cmds, { initialCapacity: 2 })),
      { seed: 7, numRuns: 100 },
    );
  });

  it('matches the reference on short delays after the last pop, most of them tied', () => {
    fc.assert(
      fc.property(simulationCommands(1500, shortDelay, tiePriority), (cmds) => replay(cmds, { initialCapacity: 2 })),
      { seed: 7, numRuns: 100 },
    );
  });

  it('matches the reference for random push/pop/cancel/peek sequences', () => {
    fc.assert(
      fc.property(commands({ push: 5, pop: 3, cancel: 2, peek: 1 }, 300), (cmds) => replay(cmds, {})),
      FC_OPTIONS,
    );
  });

  it('matches the reference when most events tie on (time, priority)', () => {
    fc.assert(
      fc.property(commands({ push: 5, pop: 3, cancel: 2, peek: 1 }, 300, tieTime, tiePriority), (cmds) => replay(cmds, {})),
      FC_OPTIONS,
    );
  });

  it('matches the reference while growing from a capacity of 1', () => {
    fc.assert(
      fc.property(commands({ push: 6, pop: 2, cancel: 1, peek: 1 }, 300), (cmds) => replay(cmds, { initialCapacity: 1 })),
      FC_OPTIONS,
    );
  });

  it('matches the reference with heavy cancellation (exercises compaction)', () => {
    fc.assert(
      fc.property(commands({ push: 6, pop: 1, cancel: 5, peek: 1 }, 800), (cmds) => replay(cmds, { initialCapacity: 4 })),
      { seed: 7, numRuns: 50 },
    );
  });

  it('matches the reference across many seq renumberings (seqLimit: 16)', () => {
    fc.assert(
      fc.property(commands({ push: 5, pop: 4, cancel: 1, peek: 1 }, 600, tieTime, tiePriority), (cmds) =>
        replay(cmds, { seqLimit: 16 }, 16),
      ),
      FC_OPTIONS,
    );
  });

  it('keeps FIFO order among equal (time, priority) across renumberings (seqLimit: 16)', () => {
    // Every event at the same time and priority: the order is pure insertion order.
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 50, maxLength: 500, size: 'max' }), (ops) => {
        const queue = new EventQueue<string>({ seqLimit: 16 });
        const expected: number[] = [];
        let next = 0;
        let pending = 0;
        const fired: unknown[] = [];
        for (const isPush of ops) {
          if (isPush && pending < 16) {
            queue.push(3, PRIORITY_NORMAL, 'h', next);
            expected.push(next++);
            pending++;
          } else {
            const p = popOne(queue);
            if (p !== null) {
              fired.push(p.payload);
              pending--;
            }
          }
        }
        fired.push(...drain(queue));
        expect(fired).toEqual(expected);
      }),
      FC_OPTIONS,
    );
  });
});

describe('EventQueue ordering', () => {
  it('pops in time order', () => {
    const queue = new EventQueue<string>();
    for (const t of [50, 10, 40, 0, 30, 20]) queue.push(t, PRIORITY_NORMAL, 'h', t);
    expect(drain(queue)).toEqual([0, 10, 20, 30, 40, 50]);
  });

  it('is FIFO among equal (time, priority)', () => {
    const queue = new EventQueue<string>();
    for (const label of ['a', 'b', 'c', 'd', 'e']) queue.push(7, 1, 'h', label);
    expect(drain(queue)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('orders by priority (lower first) at the same time', () => {
    const queue = new EventQueue<string>();
    queue.push(5, 3, 'h', 'p3');
    queue.push(5, PRIORITY_MAX, 'h', 'max');
    queue.push(5, -1, 'h', 'p-1');
    queue.push(5, PRIORITY_NORMAL, 'h', 'normal');
    queue.push(5, PRIORITY_MIN, 'h', 'min');
    expect(drain(queue)).toEqual(['min', 'p-1', 'normal', 'p3', 'max']);
  });

  it('lets time dominate priority', () => {
    const queue = new EventQueue<string>();
    queue.push(1, PRIORITY_MIN, 'h', 'late-urgent');
    queue.push(0, PRIORITY_MAX, 'h', 'early-lax');
    expect(drain(queue)).toEqual(['early-lax', 'late-urgent']);
  });

  it('orders times up to Number.MAX_SAFE_INTEGER exactly', () => {
    const queue = new EventQueue<string>();
    const max = Number.MAX_SAFE_INTEGER;
    queue.push(max, PRIORITY_NORMAL, 'h', 'max');
    queue.push(max - 1, PRIORITY_NORMAL, 'h', 'max-1');
    queue.push(max, PRIORITY_MIN, 'h', 'max-urgent');
    queue.push(0, PRIORITY_NORMAL, 'h', 'zero');
    expect(drain(queue)).toEqual(['zero', 'max-1', 'max-urgent', 'max']);
  });

  it('hands back the handler, payload and time of each popped event', () => {
    const queue = new EventQueue<() => void>();
    const handler = (): void => {};
    const payload = { request: 1 };
    queue.push(42, PRIORITY_NORMAL, handler, payload);
    const slot = queue.pop();
    expect(slot).toBeGreaterThanOrEqual(0);
    expect(queue.slots[3 * slot]).toBe(handler);
    expect(queue.slots[3 * slot + 1]).toBe(payload);
    expect(queue.poppedTime).toBe(42);
  });
});

describe('EventQueue.cancel', () => {
  it('removes a pending event and returns true', () => {
    const queue = new EventQueue<string>();
    queue.push(1, 0, 'h', 'a');
    const b = queue.push(2, 0, 'h', 'b');
    queue.push(3, 0, 'h', 'c');
    expect(queue.cancel(b)).toBe(true);
    expect(drain(queue)).toEqual(['a', 'c']);
  });

  it('hands out ids of 2^31 and above, cancellable, slot reuse or not (never a V8 small integer)', () => {
    const queue = new EventQueue<string>({ initialCapacity: 1 });
    for (let i = 0; i < 2000; i++) {
      const id = queue.push(i, 0, 'h', 'x');
      expect(id).toBeGreaterThanOrEqual(2 ** 31);
      expect(Number.isSafeInteger(id)).toBe(true);
      if (i % 2 === 0) expect(queue.cancel(id)).toBe(true);
      else expect(popOne(queue)?.payload).toBe('x');
    }
    expect(queue.cancel(0 as EventId)).toBe(false); // slot 0 with a generation no slot has
  });

  it('returns false for an already-cancelled event', () => {
    const queue = new EventQueue<string>();
    const a = queue.push(1, 0, 'h', 'a');
    expect(queue.cancel(a)).toBe(true);
    expect(queue.cancel(a)).toBe(false);
    expect(queue.size).toBe(0);
  });

  it('returns false for an event that already fired', () => {
    const queue = new EventQueue<string>();
    const a = queue.push(1, 0, 'h', 'a');
    queue.push(2, 0, 'h', 'b');
    expect(popOne(queue)?.payload).toBe('a');
    expect(queue.cancel(a)).toBe(false);
    expect(drain(queue)).toEqual(['b']);
  });

  it('returns false for a stale id whose slot has been reused, leaving the new event alone', () => {
    const queue = new EventQueue<string>({ initialCapacity: 1 });
    const a = queue.push(1, 0, 'h', 'a');
    expect(popOne(queue)?.payload).toBe('a');
    const b = queue.push(2, 0, 'h', 'b'); // the only slot, reused
    expect(b).not.toBe(a);
    expect(queue.cancel(a)).toBe(false);
    expect(queue.size).toBe(1);
    expect(queue.cancel(b)).toBe(true);
  });

  it('returns false for a cancelled id after the entry was dropped and its slot reused', () => {
    const queue = new EventQueue<string>({ initialCapacity: 1 });
    const a = queue.push(1, 0, 'h', 'a');
    queue.cancel(a);
    expect(queue.peekTime()).toBe(Infinity); // drops the dead entry, freeing the slot
    queue.push(2, 0, 'h', 'b');
    expect(queue.cancel(a)).toBe(false);
    expect(drain(queue)).toEqual(['b']);
  });

  it('returns false for ids that were never issued', () => {
    const queue = new EventQueue<string>({ initialCapacity: 4 });
    queue.push(1, 0, 'h', 'a');
    expect(queue.cancel(-1 as EventId)).toBe(false);
    expect(queue.cancel(2 ** 52 as EventId)).toBe(false);
    expect(queue.cancel(999 as EventId)).toBe(false); // slot beyond capacity
    expect(queue.cancel(0.5 as EventId)).toBe(false);
    expect(queue.size).toBe(1);
  });

  it('compacts when most of a large heap is cancelled, without disturbing order', () => {
    const queue = new EventQueue<string>({ initialCapacity: 8 });
    const ids: EventId[] = [];
    for (let i = 0; i < 200; i++) ids.push(queue.push(i % 13, i % 3, 'h', i));
    const kept: number[] = [];
    for (let i = 0; i < 200; i++) {
      if (i % 4 === 0) kept.push(i);
      else expect(queue.cancel(ids[i]!)).toBe(true);
    }
    expect(queue.size).toBe(50);
    for (let i = 0; i < 200; i++) if (i % 4 !== 0) expect(queue.cancel(ids[i]!)).toBe(false);
    const byKey = [...kept].sort((x, y) => x % 13 - y % 13 || x % 3 - y % 3 || x - y);
    expect(drain(queue)).toEqual(byKey);
  });
});

describe('EventQueue size, peekTime and clear', () => {
  it('reports an empty queue', () => {
    const queue = new EventQueue<string>();
    expect(queue.size).toBe(0);
    expect(queue.peekTime()).toBe(Infinity);
    expect(queue.pop()).toBe(-1);
    expect(queue.scheduledCount).toBe(0);
  });

  it('counts live events and peeks at the earliest one', () => {
    const queue = new EventQueue<string>();
    const a = queue.push(5, 0, 'h', 'a');
    queue.push(9, 0, 'h', 'b');
    expect(queue.size).toBe(2);
    expect(queue.peekTime()).toBe(5);
    queue.cancel(a);
    expect(queue.size).toBe(1);
    expect(queue.peekTime()).toBe(9); // the cancelled top is skipped
    expect(queue.scheduledCount).toBe(2);
  });

  it('peekTime does not take anything', () => {
    const queue = new EventQueue<string>();
    queue.push(5, 0, 'h', 'a');
    expect(queue.peekTime()).toBe(5);
    expect(queue.peekTime()).toBe(5);
    expect(queue.size).toBe(1);
  });

  it('clear drops every pending event and makes their ids stale', () => {
    const queue = new EventQueue<string>({ initialCapacity: 2 });
    const ids = [queue.push(1, 0, 'h', 'a'), queue.push(2, 0, 'h', 'b'), queue.push(3, 0, 'h', 'c')];
    queue.cancel(ids[1]!);
    queue.clear();
    expect(queue.size).toBe(0);
    expect(queue.peekTime()).toBe(Infinity);
    expect(queue.pop()).toBe(-1);
    for (const id of ids) expect(queue.cancel(id)).toBe(false);
    // Still usable afterwards, and still FIFO.
    queue.push(4, 0, 'h', 'd');
    queue.push(4, 0, 'h', 'e');
    expect(drain(queue)).toEqual(['d', 'e']);
    expect(queue.scheduledCount).toBe(5);
  });
});

describe('EventQueue capacity', () => {
  it('grows past initialCapacity', () => {
    const queue = new EventQueue<string>({ initialCapacity: 2 });
    for (let i = 99; i >= 0; i--) queue.push(i, 0, 'h', i);
    expect(queue.size).toBe(100);
    expect(drain(queue)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('throws a RangeError when full at capacityLimit, and stays intact', () => {
    const queue = new EventQueue<string>({ initialCapacity: 1, capacityLimit: 4 });
    for (let i = 0; i < 4; i++) queue.push(10 - i, 0, 'h', i);
    expect(() => queue.push(0, 0, 'h', 'overflow')).toThrow(RangeError);
    expect(() => queue.push(0, 0, 'h', 'overflow')).toThrow(/event queue is full/);
    expect(queue.size).toBe(4);
    expect(drain(queue)).toEqual([3, 2, 1, 0]);
  });

  it('grows to a capacityLimit that is not a power of two', () => {
    const queue = new EventQueue<string>({ initialCapacity: 2, capacityLimit: 3 });
    for (let i = 0; i < 3; i++) queue.push(i, 0, 'h', i);
    expect(() => queue.push(3, 0, 'h', 3)).toThrow(RangeError);
    expect(drain(queue)).toEqual([0, 1, 2]);
  });

  it('compacts cancelled entries to make room before refusing', () => {
    const queue = new EventQueue<string>({ capacityLimit: 4 });
    const ids = [0, 1, 2, 3].map((i) => queue.push(i, 0, 'h', i));
    expect(queue.cancel(ids[2]!)).toBe(true); // not at the top: stays in the heap until compaction
    expect(() => queue.push(9, 0, 'h', 9)).not.toThrow();
    expect(queue.size).toBe(4);
    expect(() => queue.push(10, 0, 'h', 10)).toThrow(RangeError);
    expect(drain(queue)).toEqual([0, 1, 3, 9]);
  });

  it('frees a slot per pop, so a full queue accepts a push after a pop', () => {
    const queue = new EventQueue<string>({ capacityLimit: 2 });
    queue.push(1, 0, 'h', 'a');
    queue.push(2, 0, 'h', 'b');
    expect(popOne(queue)?.payload).toBe('a');
    queue.push(3, 0, 'h', 'c');
    expect(drain(queue)).toEqual(['b', 'c']);
  });

  it('validates its options', () => {
    expect(() => new EventQueue({ capacityLimit: 0 })).toThrow(RangeError);
    expect(() => new EventQueue({ capacityLimit: 1.5 })).toThrow(RangeError);
    expect(() => new EventQueue({ capacityLimit: QUEUE_CAPACITY_LIMIT + 1 })).toThrow(RangeError);
    expect(() => new EventQueue({ capacityLimit: QUEUE_CAPACITY_LIMIT, initialCapacity: 1 })).not.toThrow();
    expect(() => new EventQueue({ seqLimit: 1 })).toThrow(RangeError);
    expect(() => new EventQueue({ seqLimit: 12 })).toThrow(RangeError);
    expect(() => new EventQueue({ seqLimit: 2 ** 24 })).toThrow(RangeError);
    expect(() => new EventQueue({ seqLimit: 2 ** 23 })).not.toThrow();
    expect(() => new EventQueue({ seqLimit: 2 })).not.toThrow();
  });
});

describe('EventQueue seq renumbering', () => {
  it('keeps (time, priority, FIFO) order across renumbering with a tiny seqLimit', () => {
    const queue = new EventQueue<string>({ seqLimit: 4 });
    const fired: unknown[] = [];
    // Three pending at all times, pushed in waves, so each wave renumbers.
    queue.push(1, 0, 'h', 'a');
    queue.push(1, 0, 'h', 'b');
    queue.push(1, -1, 'h', 'urgent');
    fired.push(popOne(queue)?.payload); // urgent
    queue.push(1, 0, 'h', 'c'); // takes the last seq below the limit
    queue.push(1, 0, 'h', 'd'); // renumbers first
    fired.push(popOne(queue)?.payload, popOne(queue)?.payload);
    queue.push(1, 0, 'h', 'e'); // renumbers again
    queue.push(0, 5, 'h', 'early');
    fired.push(...drain(queue));
    expect(fired).toEqual(['urgent', 'a', 'b', 'early', 'c', 'd', 'e']);
  });

  it('refuses to renumber when more events are pending than seqLimit allows', () => {
    const queue = new EventQueue<string>({ seqLimit: 4 });
    for (let i = 0; i < 4; i++) queue.push(i, 0, 'h', i);
    expect(() => queue.push(9, 0, 'h', 9)).toThrow(/seqLimit 4 is below the 4 events pending/);
  });
});

describe('EventQueue.pop(limit)', () => {
  it('takes only events strictly before the limit', () => {
    const queue = new EventQueue<string>();
    queue.push(5, 0, 'h', 'a');
    queue.push(7, 0, 'h', 'b');
    expect(queue.pop(5)).toBe(-1);
    expect(queue.size).toBe(2);
    expect(popOne(queue, 6)).toEqual({ time: 5, handler: 'h', payload: 'a' });
    expect(queue.pop(7)).toBe(-1);
    expect(popOne(queue, 8)).toEqual({ time: 7, handler: 'h', payload: 'b' });
    expect(queue.pop(100)).toBe(-1);
  });

  it('leaves poppedTime alone when it takes nothing', () => {
    const queue = new EventQueue<string>();
    queue.push(3, 0, 'h', 'a');
    queue.push(8, 0, 'h', 'b');
    popOne(queue);
    expect(queue.poppedTime).toBe(3);
    expect(queue.pop(4)).toBe(-1);
    expect(queue.poppedTime).toBe(3);
  });

  it('a limit of 0 takes nothing, even an event at time 0', () => {
    const queue = new EventQueue<string>();
    queue.push(0, 0, 'h', 'a');
    expect(queue.pop(0)).toBe(-1);
    expect(popOne(queue, 1)?.payload).toBe('a');
  });

  it('skips cancelled entries before applying the limit', () => {
    const queue = new EventQueue<string>();
    const a = queue.push(1, 0, 'h', 'a');
    queue.push(10, 0, 'h', 'b');
    queue.cancel(a);
    expect(queue.pop(5)).toBe(-1);
    expect(queue.size).toBe(1);
    expect(popOne(queue)?.payload).toBe('b');
  });
});
