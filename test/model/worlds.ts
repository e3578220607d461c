/** World configurations shared by the model tests (plain data; the scenario layer builds the same from files). */
import { resolveCosts, type ProfileName } from '../../src/model/costs.js';
import type { WorldConfig } from '../../src/model/world-config.js';

const GIB_SECTORS = 2097152;

/** The fields every test world shares: its name, seed 1, a cost profile with its default costs, and the default options. */
export function worldDefaults(
  name: string,
  profile: ProfileName = '2008',
  stringIo: WorldConfig['stringIo'] = 'per-instruction',
): Pick<WorldConfig, 'name' | 'seed' | 'profile' | 'costs' | 'stringIo' | 'vmbusSignal' | 'ringBytes'> {
  return { name, seed: 1, profile, costs: resolveCosts(profile), stringIo, vmbusSignal: 'hypercall', ringBytes: 131072 };
}

/** The headline: one 10 KiB write from a legacy PIO guest, a legacy DMA guest and an enlightened guest. */
export function headline(profile: ProfileName = '2008', stringIo: WorldConfig['stringIo'] = 'per-instruction', count = 1): WorldConfig {
  const kind = profile === '2008' ? ('hdd' as const) : ('ssd' as const);
  const disk = (id: string) => ({ id, kind, sectors: 450 * GIB_SECTORS, writeCache: false });
  const vm = (id: string, controller: 'ide' | 'scsi', ideMode: 'pio' | 'dma', disk: string, is: boolean) => ({
    id,
    os: 'windows' as const,
    integrationServices: is,
    autoEoi: is,
    disks: [{ id: 'd', controller, ideMode, backend: { kind: 'fixed-vhd' as const, disk } }],
  });
  return {
    ...worldDefaults('headline', profile, stringIo),
    host: { logicalProcessors: 4, disks: [disk('d1'), disk('d2'), disk('d3')] },
    vms: [vm('legacy-pio', 'ide', 'pio', 'd1', false), vm('legacy-dma', 'ide', 'dma', 'd2', false), vm('enlightened', 'scsi', 'dma', 'd3', true)],
    workloads: ['legacy-pio', 'legacy-dma', 'enlightened'].map((v) => ({
      vm: v,
      disk: 'd',
      op: 'write' as const,
      bytes: 10240,
      queueDepth: 1,
      count,
      pattern: 'fixed' as const,
      lba: 1_000_000,
      startNs: 0,
    })),
    actions: [],
    limits: { maxEvents: 50_000_000, untilNs: 600e9 },
  };
}

/** Synthetic writes at several queue depths, one enlightened VM and NVMe disk per depth. */
export function queueDepths(qds: number[], count = 2000): WorldConfig {
  return {
    ...worldDefaults('queue-depth', 'modern'),
    host: { logicalProcessors: 4, disks: qds.map((q) => ({ id: `d${q}`, kind: 'ssd' as const, sectors: 450 * GIB_SECTORS, writeCache: false })) },
    vms: qds.map((q) => ({
      id: `qd${q}`,
      os: 'windows' as const,
      integrationServices: true,
      autoEoi: true,
      disks: [{ id: 'd', controller: 'scsi' as const, ideMode: 'dma' as const, backend: { kind: 'fixed-vhd' as const, disk: `d${q}` } }],
    })),
    workloads: qds.map((q) => ({ vm: `qd${q}`, disk: 'd', op: 'write' as const, bytes: 4096, queueDepth: q, count, pattern: 'random' as const, lba: 0, startNs: 0 })),
    actions: [],
    limits: { maxEvents: 50_000_000, untilNs: 600e9 },
  };
}
