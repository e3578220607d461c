/**
 * A network workload: `count` packets of `bytes` through one VM NIC, sent
 * or received, at `packetsPerSecond` (open loop: a packet is issued on its
 * schedule whether or not earlier ones are done, as traffic arrives; the
 * NIC's rings and queues decide what waits). Each packet is a request in
 * the trace, with `io.request.issued` (`disk` = the NIC id, op `write` to
 * send and `read` to receive, `lba` 0) and `io.request.completed`, so the
 * metrics treat it like any I/O. Arrivals are evenly spaced or Poisson
 * (exponential gaps drawn from the workload's own random stream).
 */
import { startProcess, type ProcessBody, type RandomStream, type Simulation } from '../../engine/index.js';
import type { Place } from '../topology.js';
import { strand, type Strand, type Tracer } from '../tracer.js';
import type { VmNic } from './network-paths.js';

/** One network workload. */
export interface NetworkWorkloadConfig {
  /** Frame bytes per packet (1,514 for a full untagged frame). */
  bytes: number;
  count: number;
  packetsPerSecond: number;
  direction: 'send' | 'receive';
  /** When the first packet is issued. */
  startNs: number;
  /** Evenly spaced (default) or Poisson arrivals. */
  arrival?: 'constant' | 'poisson';
  /** Send only: destination port (`vm/nic`), default the physical NIC. */
  to?: string;
}

/** What the workload needs from the world. */
export interface NetworkWorkloadHooks {
  sim: Simulation;
  tracer: Tracer;
  /** Where a sent packet starts and every packet ends: the VM's application. */
  app: Place;
  /** Where a received packet starts: the physical NIC. */
  wire: Place;
  /** A fresh request id. */
  nextFlow(): number;
  /** Draws the Poisson gaps (required for `arrival: 'poisson'`). */
  rng?: RandomStream;
  /** The workload's index among the world's traffic (recorded on each packet's issue). */
  workload?: number;
  /** Called as each packet is issued and ends (the world's counters): delivered, or `dropped` on its way. */
  onIssued?(): void;
  onCompleted?(dropped: boolean): void;
  /** The VM's life-cycle gates (model/lifecycle/): a packet sent waits, held, while its VM is not running (a received one does not). */
  gate?: { admit(s: Strand): ProcessBody<void>; finish(s: Strand): ProcessBody<void> } | null;
}

/** The issuer: starts one process per packet on the workload's schedule. */
export function* networkIssuer(nic: VmNic, w: NetworkWorkloadConfig, hooks: NetworkWorkloadHooks): ProcessBody<void> {
  if (!(w.packetsPerSecond > 0)) throw new RangeError(`packetsPerSecond must be > 0, got ${w.packetsPerSecond}`);
  if (w.arrival === 'poisson' && hooks.rng === undefined) throw new RangeError('Poisson arrivals need a random stream');
  const gapNs = 1e9 / w.packetsPerSecond;
  if (w.startNs > 0) yield w.startNs;
  const first: number = hooks.sim.now;
  let due = first;
  for (let n = 0; n < w.count; n++) {
    startProcess(hooks.sim, packet(nic, w, hooks, n), `${nic.stream} packet ${n}`);
    if (n + 1 === w.count) break;
    due = w.arrival === 'poisson' ? due + hooks.rng!.exponential(gapNs) : first + (n + 1) * gapNs;
    const wait = Math.round(due) - hooks.sim.now;
    if (wait > 0) yield wait;
  }
}

/** One packet from issue to completion. */
function* packet(nic: VmNic, w: NetworkWorkloadConfig, hooks: NetworkWorkloadHooks, n: number): ProcessBody<void> {
  const { tracer, sim } = hooks;
  const s = strand(nic.stream, hooks.nextFlow());
  const started = sim.now;
  hooks.onIssued?.();
  const send = w.direction === 'send';
  yield tracer.emit(s, 'io.request.issued', send ? hooks.app : hooks.wire, 0, send ? 'guest' : 'none', {
    vm: nic.vmId,
    disk: nic.nicId,
    path: nic.path,
    op: send ? 'write' : 'read',
    bytes: w.bytes,
    lba: 0,
    workload: hooks.workload ?? 0,
    request: n,
  });
  // A sender waits while its VM is not running; frames from the wire do not wait for theirs (the network does
  // not know its state): the switch drops those for a VM that is not running (vswitch.ts `portConnected`).
  const gate = send ? hooks.gate : null;
  if (gate) yield* gate.admit(s);
  const delivered = send ? yield* nic.send(s, w.bytes, w.to) : yield* nic.receive(s, w.bytes);
  if (gate) yield* gate.finish(s);
  hooks.onCompleted?.(!delivered);
  // A dropped frame ends its request too, said as such: it is counted apart, never as a delivered packet.
  yield tracer.emit(s, 'io.request.completed', hooks.app, 0, 'guest', delivered ? { path: nic.path, latencyNs: sim.now - started } : { path: nic.path, latencyNs: sim.now - started, dropped: true });
}
