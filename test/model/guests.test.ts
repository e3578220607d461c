/**
 * Guests (issue 5): Windows with and without integration services, Linux
 * with them, and an OS with no synthetic drivers, asserted from the trace.
 */
import { describe, expect, it } from 'vitest';
import { ArraySink } from '../../src/engine/index.js';
import type { HvRecord } from '../../src/model/trace-events.js';
import { World } from '../../src/model/world.js';
import type { VmConfig, WorldConfig } from '../../src/model/world-config.js';
import { worldDefaults } from './worlds.js';

function world(vms: VmConfig[], actions: WorldConfig['actions'] = []): { records: HvRecord[]; world: World } {
  const config: WorldConfig = {
    ...worldDefaults('guests', '2008'),
    host: { logicalProcessors: 4, disks: vms.map((v) => ({ id: `d-${v.id}`, kind: 'hdd' as const, sectors: 450 * 2097152, writeCache: false })) },
    vms,
    workloads: vms.map((v) => ({ vm: v.id, disk: 'boot', op: 'write' as const, bytes: 4096, queueDepth: 1, count: 3, pattern: 'sequential' as const, lba: 0, startNs: 0 })),
    actions,
    limits: { maxEvents: 5_000_000, untilNs: 60e9 },
  };
  const sink = new ArraySink<HvRecord>();
  const w = new World(config, sink);
  w.run();
  return { records: sink.records, world: w };
}

const ideVm = (id: string, os: VmConfig['os'], is: boolean): VmConfig => ({
  id,
  os,
  integrationServices: is,
  autoEoi: os === 'linux' && is,
  disks: [{ id: 'boot', controller: 'ide', ideMode: 'dma', backend: { kind: 'fixed-vhd', disk: `d-${id}` } }],
});

describe('guests', () => {
  const { records, world: w } = world([ideVm('win', 'windows', true), ideVm('lin', 'linux', true), ideVm('old', 'legacy', false)]);
  const paths = (vm: string) => new Set(records.flatMap((r) => (r.kind === 'io.request.issued' && r.vm === vm ? [r.path] : [])));
  const layers = (vm: string) => new Set(records.flatMap((r) => (r.kind === 'stack.layer.passed' && r.place.startsWith(`${vm}.`) ? [r.layer] : [])));

  it('Windows and Linux with integration services carry an IDE disk over VMBus; the legacy OS stays emulated', () => {
    expect(paths('win')).toEqual(new Set(['ide-fastpath']));
    expect(paths('lin')).toEqual(new Set(['ide-fastpath']));
    expect(paths('old')).toEqual(new Set(['ide-dma']));
  });

  it("Linux's stack is ext4, the block layer and sd; its storvsc binds the IDE disk itself (no storflt)", () => {
    expect(layers('lin')).toEqual(new Set(['ext4', 'block', 'sd']));
    expect(layers('win')).toEqual(new Set(['ntfs', 'volume', 'disk']));
    const places = w.topology.places.map((p) => p.id);
    expect(places).toContain('lin.storvsc-ide.boot');
    expect(places).toContain('win.storflt.boot');
  });

  it('Linux takes auto-EOI for VMBus interrupts (no EOI exit); Windows here traps its EOI', () => {
    const eoiTraps = (vm: string) => records.filter((r) => r.kind === 'guest.eoi.written' && r.stream.startsWith(`${vm}/`) && r.trapped).length;
    expect(eoiTraps('lin')).toBe(0);
    expect(eoiTraps('win')).toBe(3);
  });

  it('an OS with no synthetic drivers cannot load integration services', () => {
    expect(() => world([ideVm('old', 'legacy', false)], [{ atNs: 1000, do: 'load-integration-services', vm: 'old' }])).toThrow(/no synthetic drivers/);
  });
});
