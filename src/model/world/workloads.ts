/**
 * The world's workloads: the disk workloads (each `queueDepth` issuers
 * that issue a request, follow it down the guest's stack and the disk's
 * front end, and wait for its completion until `count` are issued) and the
 * network traffic (network/network-workload.ts). Each workload draws from
 * random streams of its own, seeded by its group's name: workloads of one
 * group draw identical sequences (common random numbers).
 */
import { intern, RandomStreams, startProcess, type ProcessBody, type Simulation } from '../../engine/index.js';
import type { HostNetwork } from '../network/network-paths.js';
import { networkIssuer } from '../network/network-workload.js';
import { sectorsOf } from '../storage/ata-driver.js';
import { strand, type Strand, type Tracer } from '../tracer.js';
import type { WorkloadConfig, WorldConfig } from '../world-config.js';
import { frontEndOf, type VmDisk } from './front-ends.js';
import type { VmRuntime } from './vm-builder.js';

/** What the workloads need of the world (the `World` itself: a class instance, for V8, see world.ts). */
export interface WorkloadWorld {
  sim: Simulation;
  tracer: Tracer;
  config: WorldConfig;
  vms: ReadonlyMap<string, VmRuntime>;
  /** The host network, or null when no VM has a NIC. */
  network: HostNetwork | null;
  nextFlow(): number;
  onIssued(): void;
  /**
   * A workload's last issuer has stopped: it will issue no more. `unissued`
   * is what its count allowed and it did not issue (a duration workload's
   * window closed first; 0 for a workload that issued its count).
   */
  onIssuingEnded(unissued: number): void;
  /** A request ended: completed, or (a packet) `dropped` on its way. */
  onCompleted(dropped?: boolean): void;
  /** A VM's workload wrote `bytes`. */
  onWritten(vm: string, bytes: number): void;
  /** Where a request reaches a cluster's shared storage after its front end (a CSV may redirect it), or null. */
  sharedStorage: ((vm: string, op: 'read' | 'write', bytes: number, s: Strand) => ProcessBody<void>) | null;
}

export function startWorkloads(w: WorkloadWorld): void {
  const streamOf = (name: string) => new RandomStreams(w.config.seed).stream(name);
  (w.config.traffic ?? []).forEach((t, index) => {
    const vm = w.vms.get(t.vm);
    const nic = vm?.nics.get(t.nic);
    if (vm === undefined || nic === undefined) throw new RangeError(`traffic ${index}: no NIC '${t.nic}' on VM '${t.vm}'`);
    const config = { bytes: t.bytes, count: t.count, packetsPerSecond: t.packetsPerSecond, direction: t.direction, startNs: t.startNs, arrival: t.arrival, ...(t.to === undefined ? {} : { to: t.to }) };
    startProcess(
      w.sim,
      networkIssuer(nic, config, {
        sim: w.sim,
        tracer: w.tracer,
        app: vm.stack.places.app,
        wire: w.network!.places.nic,
        nextFlow: () => w.nextFlow(),
        rng: streamOf(`traffic.${t.stream ?? index}.arrivals`),
        onIssued: () => w.onIssued(),
        onCompleted: (dropped) => w.onCompleted(dropped),
        workload: index,
        gate: vm.life?.gates ?? null,
      }),
      `traffic ${index}`,
    );
  });
  w.config.workloads.forEach((load, index) => {
    const vm = w.vms.get(load.vm);
    const disk = vm?.disks.get(load.disk);
    if (vm === undefined || disk === undefined) throw new RangeError(`workload ${index}: no disk '${load.disk}' on VM '${load.vm}'`);
    // The workload's stream per path (a disk's path changes when its integration services load), made once, not per
    // request: here, for every path the disk has, not at a path's first request (V8: code a run reaches once has no
    // feedback in the issuer optimized in the first run on a thread, which the next run's first request deoptimized).
    const streams = new Map<string, string>();
    for (const front of disk.frontEnds.values()) streams.set(front.path, intern(`${load.vm}/${load.disk}/${front.path}`));
    const state = { issued: 0, streams, issuers: load.queueDepth };
    const group = load.stream ?? String(index);
    const lbaStream = streamOf(`workload.${group}.lba`);
    const opStream = streamOf(`workload.${group}.op`);
    const readFraction = (load.readPercent ?? 50) / 100;
    const opOf = (): 'read' | 'write' => (load.op !== 'mixed' ? load.op : opStream.uniform() < readFraction ? 'read' : 'write');
    const sectors = sectorsOf(load.bytes);
    // A sequential stream wraps to its first sector at the end of the disk. Validation keeps a counted stream
    // within the disk, so only a duration-bounded one (its count a cap, not a length) ever wraps.
    const wrapSectors = Math.max(sectors, Math.floor((disk.sectors - load.lba) / sectors) * sectors);
    const lbaOf = (n: number): number => {
      if (load.pattern === 'fixed') return load.lba;
      if (load.pattern === 'sequential') return load.lba + ((n * sectors) % wrapSectors);
      const slots = Math.floor((disk.sectors - sectors) / 8);
      return lbaStream.integer(0, Math.max(0, slots)) * 8; // 4 KiB aligned
    };
    const closesNs = load.durationNs === undefined ? Infinity : load.startNs + load.durationNs;
    for (let q = 0; q < load.queueDepth; q++) {
      startProcess(w.sim, issuer(w, vm, disk, load, index, state, lbaOf, opOf, load.startNs, closesNs), `workload ${index}.${q}`);
    }
  });
}

/**
 * One of a workload's `queueDepth` issuers: issue, wait for completion, repeat until `count` are issued or,
 * for a workload with a duration, until its window (`startNs` to `closesNs`) has closed (DESIGN §5: a
 * workload runs for a count or a duration; as fio's `runtime` stops issuing and lets what is in flight
 * complete). The window comes from the caller and the start is waited for inside the loop, for V8: what a
 * generator does once before its loop runs before V8 keeps feedback for it, so the issuers of the next run
 * on the thread would deoptimize the optimized issuer there (see storvsp's worker).
 */
function* issuer(
  w: WorkloadWorld,
  vm: VmRuntime,
  disk: VmDisk,
  load: WorkloadConfig,
  index: number,
  state: { issued: number; streams: Map<string, string>; issuers: number },
  lbaOf: (n: number) => number,
  opOf: () => 'read' | 'write',
  startNs: number,
  closesNs: number,
): ProcessBody<void> {
  let delay = startNs;
  for (;;) {
    if (delay > 0) {
      yield delay;
      delay = 0;
    }
    if (!(state.issued < load.count && w.sim.now < closesNs)) break;
    const n = state.issued++;
    const lba = lbaOf(n);
    const op = opOf();
    // The path a new request on this disk takes, decided when it is issued.
    const front = frontEndOf(disk);
    const path = front.path;
    const flow = w.nextFlow();
    let stream = state.streams.get(path);
    if (stream === undefined) {
      stream = intern(`${load.vm}/${load.disk}/${path}`);
      state.streams.set(path, stream);
    }
    const s = strand(stream, flow);
    const started = w.sim.now;
    w.onIssued();
    if (op === 'write') w.onWritten(load.vm, load.bytes);
    yield w.tracer.emit(s, 'io.request.issued', vm.stack.places.app, 0, 'guest', { vm: load.vm, disk: load.disk, path, op, bytes: load.bytes, lba, workload: index, request: n });
    if (vm.life !== null) yield* vm.life.gates.admit(s, op);
    yield* vm.stack.down(s);
    yield* front.request(s, { op, lba, bytes: load.bytes });
    if (w.sharedStorage !== null && path !== 'native' && path !== 'iscsi-guest') yield* w.sharedStorage(load.vm, op, load.bytes, s);
    if (vm.life !== null) yield* vm.life.gates.finish(s, op);
    yield* vm.stack.up(s);
    w.onCompleted();
    yield w.tracer.emit(s, 'io.request.completed', vm.stack.places.app, 0, 'guest', { path, latencyNs: w.sim.now - started });
  }
  // The last issuer out says how many of the count were never issued, so the world knows what it still waits for.
  if (--state.issuers === 0) w.onIssuingEnded(load.count - state.issued);
}
