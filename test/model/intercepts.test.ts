/**
 * Issue 10 item 1: intercepts go through the hypervisor. Worker processes
 * claim port ranges in the hypervisor's table; a guest's port instruction
 * is routed to the claimant by the worker's one VID → vmwp → emulator
 * sequence; an unclaimed port reads all ones, drops writes and is counted.
 */
import { describe, expect, it } from 'vitest';
import { ArraySink, Simulation, startProcess, type ProcessBody } from '../../src/engine/index.js';
import { resolveCosts } from '../../src/model/costs.js';
import { LogicalProcessors } from '../../src/model/hardware/logical-processors.js';
import { Hypervisor } from '../../src/model/hypervisor/hypervisor.js';
import { allOnes, InterceptTable, type IoAccess } from '../../src/model/hypervisor/intercepts.js';
import { WorkerProcess, type PortIoDevice } from '../../src/model/partition/worker-process.js';
import { ATA_ALTSTATUS, ATA_DATA, BM_COMMAND, BM_PRD, channelPort, IDE_CHANNELS, primaryPort } from '../../src/model/storage/ide-protocol.js';
import { TopologyBuilder } from '../../src/model/topology.js';
import type { HvRecord } from '../../src/model/trace-events.js';
import { strand, Tracer } from '../../src/model/tracer.js';
import { runWorld } from '../../src/model/world.js';
import type { WorldConfig } from '../../src/model/world-config.js';
import { parseScenarioText } from '../../src/scenario/parse.js';
import { toWorldConfig } from '../../src/scenario/build.js';
import { readdirSync, readFileSync } from 'node:fs';

function bundled(name: string): WorldConfig {
  const parsed = parseScenarioText(readFileSync(`scenarios/${name}.json`, 'utf8'));
  if (!parsed.ok) throw new Error(`${name}: ${JSON.stringify(parsed.errors)}`);
  return toWorldConfig(parsed.scenario);
}

function rig() {
  const sim = new Simulation();
  const sink = new ArraySink<HvRecord>();
  const tracer = new Tracer(sim, sink, new LogicalProcessors(2, ['vm']));
  const t = new TopologyBuilder();
  const costs = resolveCosts('2008');
  const hv = new Hypervisor(t.place('hv', 'Hypervisor', 'hypervisor', 'hypervisor', 'hypervisor'), t.place('hv.synic', 'SynIC', 'hypervisor', 'hypervisor', 'synic'), costs, tracer);
  const worker = new WorkerProcess('vm', t.place('root.vmwp.vm', 'vmwp.exe (vm)', 'root', 'root-user', 'worker'), t.place('root.vid', 'VID.sys', 'root', 'root-kernel', 'vid'), hv, costs, tracer);
  return { sim, sink, hv, worker };
}

/** Runs `body` to completion and returns what it returned. */
function run<T>(sim: Simulation, body: ProcessBody<T>): T {
  let out: T | undefined;
  startProcess(
    sim,
    (function* () {
      out = yield* body;
    })(),
    'test',
  );
  sim.run({});
  return out as T;
}

const read = (address: number, size: 1 | 2 | 4 = 1): IoAccess => ({ address, access: 'read', value: 0, size, count: 1 });

describe('the intercept table', () => {
  it('finds the range that claims an address, per partition and space', () => {
    const table = new InterceptTable();
    const h = function* () {
      return 0;
    };
    table.registerPortIo('a', 'ide primary channel', 0x1f0, 0x1f7, h);
    table.registerMmio('a', 'bar', 0xfebf_0000, 0x1000, h);
    expect(table.lookup('a', 'io-port', 0x1f7)?.name).toBe('ide primary channel');
    expect(table.lookup('a', 'io-port', 0x1f8)).toBeUndefined();
    expect(table.lookup('b', 'io-port', 0x1f0)).toBeUndefined();
    expect(table.lookup('a', 'mmio', 0xfebf_0fff)?.name).toBe('bar');
    expect(table.lookup('a', 'io-port', 0xfebf_0000)).toBeUndefined();
  });

  it('refuses a second claim on a claimed port, naming both', () => {
    const table = new InterceptTable();
    const h = function* () {
      return 0;
    };
    table.registerPortIo('a', 'ide primary channel', 0x1f0, 0x1f7, h);
    table.registerPortIo('b', 'ide primary channel', 0x1f0, 0x1f7, h); // another partition: fine
    expect(() => table.registerPortIo('a', 'other', 0x1f4, 0x1f4, h)).toThrow(/'other' 0x1f4\.\.0x1f4 overlaps 'ide primary channel' 0x1f0\.\.0x1f7/);
    expect(() => table.registerPortIo('a', 'empty', 0x20, 0x1f, h)).toThrow(/empty or invalid/);
  });

  it('reads all ones in the width of the access', () => {
    expect([allOnes(1), allOnes(2), allOnes(4)]).toEqual([0xff, 0xffff, 0xffff_ffff]);
  });
});

describe('the hypervisor routes port I/O', () => {
  it('an unclaimed port: exit, all ones, no trip to the root, counted', () => {
    const { sim, sink, hv } = rig();
    const value = run(sim, hv.portIo(strand('s', 0), 'vm', read(0x2f8)));
    expect(value).toBe(0xff);
    run(sim, hv.portIo(strand('s', 0), 'vm', { address: 0x2f8, access: 'write', value: 0x41, size: 1, count: 1 }));
    expect(sink.records.map((r) => r.kind)).toEqual([
      'hv.intercept.exited',
      'hv.intercept.unclaimed',
      'hv.intercept.resumed',
      'hv.intercept.exited',
      'hv.intercept.unclaimed',
      'hv.intercept.resumed',
    ]);
    expect(hv.intercepts.unclaimed('vm')).toBe(2);
    expect(hv.intercepts.unclaimed('other')).toBe(0);
  });

  it('a claimed port: forwarded, VID, vmwp, the device, back through VID; the device sees the access', () => {
    const { sim, sink, hv, worker } = rig();
    const seen: IoAccess[] = [];
    const device: PortIoDevice = {
      *portIo(_s, a) {
        seen.push(a);
        return 0x50;
      },
    };
    worker.registerPortIo('test device', 0x300, 0x307, device);
    const value = run(sim, hv.portIo(strand('s', 0), 'vm', read(0x304)));
    expect(value).toBe(0x50);
    expect(seen).toEqual([read(0x304)]);
    expect(sink.records.map((r) => r.kind)).toEqual([
      'hv.intercept.exited',
      'hv.intercept.forwarded',
      'vid.intercept.dispatched',
      'cpu.context.switched',
      'cpu.mode.switched',
      'cpu.mode.switched',
      'vid.intercept.completed',
      'cpu.context.switched',
      'hv.intercept.resumed',
    ]);
    expect(hv.intercepts.unclaimed()).toBe(0);
    // Another partition's access to the same port is not this worker's.
    expect(run(sim, hv.portIo(strand('s', 0), 'other', read(0x304, 4)))).toBe(0xffff_ffff);
  });
});

describe('IDE channels', () => {
  it('move the primary registers to the secondary ports and back', () => {
    const [primary, secondary] = IDE_CHANNELS;
    for (const reg of [ATA_DATA, ATA_DATA + 7, ATA_ALTSTATUS, BM_COMMAND, BM_PRD]) {
      expect(channelPort(primary!, reg)).toBe(reg);
      expect(primaryPort(secondary!, channelPort(secondary!, reg))).toBe(reg);
    }
    expect(channelPort(secondary!, ATA_DATA)).toBe(0x170);
    expect(channelPort(secondary!, ATA_ALTSTATUS)).toBe(0x376);
  });
});

describe('every port access of a bundled run reaches a registered emulator', () => {
  it.each(['emulated-vs-synthetic', 'nic-legacy-vs-synthetic'])('%s: every I/O-port exit is forwarded, none unclaimed', (name) => {
    const config = bundled(name);
    const sink = new ArraySink<HvRecord>();
    runWorld({ ...config, limits: { ...config.limits, maxEvents: 400_000 } }, sink);
    const exits = sink.records.filter((r) => r.kind === 'hv.intercept.exited' && r.reason === 'io-port').length;
    const forwarded = sink.records.filter((r) => r.kind === 'hv.intercept.forwarded' && r.reason === 'io-port').length;
    expect(exits).toBeGreaterThan(100);
    expect(forwarded).toBe(exits);
    expect(sink.records.filter((r) => r.kind === 'hv.intercept.unclaimed')).toEqual([]);
  });

  it('a second IDE disk sits on the secondary channel, at its own ports', () => {
    const config = bundled('emulated-only-guest');
    const vm = config.vms.find((v) => v.disks.some((d) => d.controller === 'ide'))!;
    const ide = vm.disks.find((d) => d.controller === 'ide')!;
    const second = { ...ide, id: `${ide.id}-2`, backend: { ...ide.backend } };
    const workload = config.workloads.find((w) => w.vm === vm.id && w.disk === ide.id)!;
    const cfg: WorldConfig = {
      ...config,
      vms: config.vms.map((v) => (v === vm ? { ...v, disks: [...v.disks, second] } : v)),
      workloads: [{ ...workload, disk: second.id, count: 2, queueDepth: 1 }],
      traffic: [],
      actions: [],
    };
    const sink = new ArraySink<HvRecord>();
    const out = runWorld(cfg, sink);
    expect(out.completed).toBe(2);
    const ports = new Set(sink.records.flatMap((r) => (r.kind === 'ide.register.accessed' ? [r.port] : [])));
    expect(ports.has(0x177)).toBe(true);
    expect(ports.has(0x1f7)).toBe(false);
    expect(sink.records.filter((r) => r.kind === 'hv.intercept.unclaimed')).toEqual([]);
  });
});

describe('one VID → vmwp → emulator sequence', () => {
  it('is written once, in the worker process, for every emulated device', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : []));
    const emitters = files('src/model').filter((f) => /emit\([^)]*'vid\.intercept\.(dispatched|completed)'/.test(readFileSync(f, 'utf8')));
    expect(emitters).toEqual(['src/model/partition/worker-process.ts']);
  });
});
