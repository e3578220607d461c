/**
 * The web app's entry point. Until the classroom app lands it shows what
 * hvsim is and proves the real engine runs in the page: a small hold model
 * is simulated here and its trace fingerprint shown.
 */
import { ArraySink, RandomStreams, Simulation, fingerprintOf, formatNs, type TraceRecord } from '../engine/index.js';

function demo(): { events: number; endNs: number; fingerprint: string } {
  const sim = new Simulation();
  const rng = new RandomStreams(1).stream('demo');
  const sink = new ArraySink<TraceRecord>();
  const tick = (n: number, s: Simulation): void => {
    sink.write({ seq: sink.records.length, t: s.now, kind: 'demo.fired' });
    if (n < 1000) s.schedule(Math.round(rng.exponential(1000)), tick, n + 1);
  };
  sim.schedule(0, tick, 0);
  sim.run({ maxEvents: 10_000 });
  return { events: sim.eventsProcessed, endNs: sim.now, fingerprint: fingerprintOf(sink.records) };
}

const root = document.getElementById('app')!;
const result = demo();
const p = document.createElement('p');
p.textContent = `Engine check: ${result.events} events simulated in ${formatNs(result.endNs)} of simulated time; trace fingerprint ${result.fingerprint}.`;
root.append(p);
