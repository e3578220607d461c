/**
 * VHD back ends through the whole model (reference §5.1–5.2): a fixed VHD is
 * close to pass-through; a first write into a new dynamic block pays the
 * parser's metadata writes; a differencing chain adds lookups per level; a
 * snapshot adds a link. Asserted from the trace, never from constants.
 */
import { describe, expect, it } from 'vitest';
import { ArraySink } from '../../src/engine/index.js';
import type { HvRecord } from '../../src/model/trace-events.js';
import { runWorld } from '../../src/model/world.js';
import type { VmDiskConfig, WorldConfig } from '../../src/model/world-config.js';
import { worldDefaults } from './worlds.js';

type Backend = VmDiskConfig['backend'];

/** One enlightened VM per back end, each on its own 15K disk, writing `count` 8 KiB blocks sequentially. */
function world(backends: Record<string, Omit<Backend, 'disk'>>, count = 4, actions: WorldConfig['actions'] = []): WorldConfig {
  const ids = Object.keys(backends);
  return {
    ...worldDefaults('backends', '2008'),
    host: { logicalProcessors: 8, disks: ids.map((id) => ({ id: `hdd-${id}`, kind: 'hdd' as const, sectors: 450 * 2097152, writeCache: false })) },
    vms: ids.map((id) => ({
      id,
      os: 'windows' as const,
      integrationServices: true,
      autoEoi: true,
      disks: [{ id: 'd', controller: 'scsi' as const, ideMode: 'dma' as const, backend: { ...backends[id]!, disk: `hdd-${id}` } as Backend }],
    })),
    workloads: ids.map((vm) => ({ vm, disk: 'd', op: 'write' as const, bytes: 8192, queueDepth: 1, count, pattern: 'sequential' as const, lba: 0, startNs: 0 })),
    actions,
    limits: { maxEvents: 10_000_000, untilNs: 60e9 },
  };
}

function run(config: WorldConfig): HvRecord[] {
  const sink = new ArraySink<HvRecord>();
  runWorld(config, sink);
  return sink.records;
}

const of = (records: HvRecord[], vm: string) => records.filter((r) => r.stream.startsWith(`${vm}/`));
const latencies = (records: HvRecord[], vm: string) => of(records, vm).flatMap((r) => (r.kind === 'io.request.completed' ? [r.latencyNs] : []));
const purposes = (records: HvRecord[], vm: string) => of(records, vm).flatMap((r) => (r.kind === 'vhd.offset.translated' && r.purpose !== undefined ? [r.purpose] : []));

describe('VHD back ends', () => {
  const records = run(world({ pass: { kind: 'passthrough' }, fixed: { kind: 'fixed-vhd' }, dynamic: { kind: 'dynamic-vhd' }, diff: { kind: 'differencing-vhd', base: 'dynamic', depth: 2 } }));

  it('a fixed VHD issues only data I/O, with no lookup', () => {
    expect(new Set(purposes(records, 'fixed'))).toEqual(new Set(['data']));
    expect(of(records, 'fixed').some((r) => r.kind === 'vhd.block.looked-up')).toBe(false);
  });

  it("a dynamic VHD's first write into a new block writes the bitmap, the footer and the BAT before the data (QEMU alloc_block order)", () => {
    const first = purposes(records, 'dynamic').slice(0, 5);
    expect(first).toEqual(['bitmap', 'footer', 'bat', 'bat', 'data']);
    expect(of(records, 'dynamic').filter((r) => r.kind === 'vhd.file.extended')).toHaveLength(1);
  });

  it('later writes into the same block cost only the data and the bitmap bits they set', () => {
    const later = purposes(records, 'dynamic').slice(5);
    expect(later.filter((p) => p === 'footer' || p === 'bat')).toEqual([]);
    expect(later.filter((p) => p === 'data')).toHaveLength(3);
  });

  it('latency: pass-through <= fixed < dynamic first write; a differencing chain looks up every level', () => {
    const [pass, fixed, dynamic] = [latencies(records, 'pass'), latencies(records, 'fixed'), latencies(records, 'dynamic')];
    expect(pass[0]!).toBeLessThanOrEqual(fixed[0]!);
    expect(dynamic[0]!).toBeGreaterThan(2 * fixed[0]!); // three synchronous metadata writes before the data
    const levels = of(records, 'diff').flatMap((r) => (r.kind === 'vhd.block.looked-up' ? [r.level] : []));
    expect(Math.max(...levels)).toBe(0); // a write lands in the child: one lookup there
  });

  it('reads of a differencing disk walk the chain down to where the data is', () => {
    const config = world({ diff: { kind: 'differencing-vhd', base: 'fixed', depth: 2 } }, 2);
    config.workloads = [{ ...config.workloads[0]!, op: 'read' }];
    const levels = run(config).flatMap((r) => (r.kind === 'vhd.block.looked-up' ? [r.level] : []));
    expect(levels).toContain(1); // the middle image was looked up before the fixed base served the read
  });
});

describe('snapshots', () => {
  it('a snapshot action adds a differencing link: the next write allocates in the new child', () => {
    const config = world({ vm: { kind: 'dynamic-vhd' } }, 6);
    config.workloads = [{ ...config.workloads[0]!, pattern: 'fixed' as const }];
    config.actions = [{ atNs: 5_000_000, do: 'snapshot', vm: 'vm', disk: 'd' }];
    const records = run(config);
    const snap = records.find((r) => r.kind === 'vhd.snapshot.taken')!;
    expect(snap).toBeDefined();
    const extendsAfter = records.filter((r) => r.kind === 'vhd.file.extended' && r.seq > snap.seq);
    expect(extendsAfter).toHaveLength(1);
    expect(extendsAfter[0]!.kind === 'vhd.file.extended' && extendsAfter[0]!.image).toMatch(/#1$/);
  });
});
