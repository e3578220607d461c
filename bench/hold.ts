/**
 * The hold model (a standard priority-queue workload): N events pending;
 * each firing schedules one more at now + Exp(mean 1 µs), drawn from a
 * seeded stream. We time M firings once the N are pending, three ways:
 * the engine with a callback handler, the engine with generator processes,
 * and a bare typed-array binary heap doing the same pops and pushes in plain
 * JS (the reference line). Time is measured here, never in tests.
 */
import { RandomStreams, Simulation, startProcess, type ProcessBody, type RandomStream } from '../src/engine/index.js';

export type HoldStyle = 'callback' | 'process' | 'bare-heap';

const MEAN_NS = 1000;

/** Runs one hold measurement and returns events per second. */
export function holdEventsPerSecond(style: HoldStyle, pending: number, firings: number, seed = 1): number {
  const rng = new RandomStreams(seed).stream('hold');
  switch (style) {
    case 'callback':
      return holdCallback(rng, pending, firings);
    case 'process':
      return holdProcess(rng, pending, firings);
    case 'bare-heap':
      return holdBareHeap(rng, pending, firings);
  }
}

/** The idiomatic engine handler: a module-level function; its state comes in the payload. */
function fire(rng: RandomStream, sim: Simulation): void {
  sim.schedule(Math.round(rng.exponential(MEAN_NS)), fire, rng);
}

function holdCallback(rng: RandomStream, pending: number, firings: number): number {
  const sim = new Simulation({ initialCapacity: pending });
  for (let i = 0; i < pending; i++) sim.schedule(Math.round(rng.exponential(MEAN_NS)), fire, rng);
  const start = performance.now();
  const { events } = sim.run({ maxEvents: firings });
  return events / ((performance.now() - start) / 1000);
}

function holdProcess(rng: RandomStream, pending: number, firings: number): number {
  const sim = new Simulation({ initialCapacity: pending });
  function* holder(): ProcessBody<void> {
    for (;;) yield Math.round(rng.exponential(MEAN_NS));
  }
  for (let i = 0; i < pending; i++) startProcess(sim, holder());
  sim.run({ maxEvents: pending }); // each process's first step: now N holds are pending
  const start = performance.now();
  const { events } = sim.run({ maxEvents: firings });
  return events / ((performance.now() - start) / 1000);
}

/**
 * The reference: the least a heap-based event list can do. A binary heap in
 * two typed arrays (time, event id), ties in no particular order, no
 * handler, no cancellation, no bounds.
 */
function holdBareHeap(rng: RandomStream, pending: number, firings: number): number {
  const heapTime = new Float64Array(pending + 1);
  const heapId = new Int32Array(pending + 1);
  let size = 0;
  const push = (t: number, id: number): void => {
    let i = size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = heapTime[parent]!;
      if (pt <= t) break;
      heapTime[i] = pt;
      heapId[i] = heapId[parent]!;
      i = parent;
    }
    heapTime[i] = t;
    heapId[i] = id;
  };
  const popInto = (): number => {
    const topId = heapId[0]!;
    const t = heapTime[--size]!;
    const id = heapId[size]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      let ct = heapTime[child]!;
      const right = child + 1;
      if (right < size && heapTime[right]! < ct) {
        child = right;
        ct = heapTime[right]!;
      }
      if (t <= ct) break;
      heapTime[i] = ct;
      heapId[i] = heapId[child]!;
      i = child;
    }
    heapTime[i] = t;
    heapId[i] = id;
    return topId;
  };
  for (let i = 0; i < pending; i++) push(Math.round(rng.exponential(MEAN_NS)), i);
  const start = performance.now();
  let check = 0;
  for (let n = 0; n < firings; n++) {
    const now = heapTime[0]!;
    const id = popInto();
    check ^= id;
    push(now + Math.round(rng.exponential(MEAN_NS)), id);
  }
  const elapsed = performance.now() - start;
  if (check === -1) throw new Error('unreachable'); // keeps the ids live
  return firings / (elapsed / 1000);
}
