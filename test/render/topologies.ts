/** Real topologies for the render tests: built by the model from world configurations with 1–6 VMs. */
import { ArraySink } from '../../src/engine/index.js';
import type { HvRecord } from '../../src/model/trace-events.js';
import type { Topology } from '../../src/model/topology.js';
import type { WorldConfig } from '../../src/model/world-config.js';
import { World } from '../../src/model/world.js';
import { headline } from '../model/worlds.js';

/**
 * A host with `vms` guests, alternating legacy IDE (PIO, DMA) and
 * enlightened SCSI guests, each with `disksPerVm` disks: the busiest shape a
 * classroom scenario is likely to show.
 */
export function manyVms(vms: number, disksPerVm = 1): WorldConfig {
  const base = headline();
  const kinds = [
    { controller: 'ide' as const, ideMode: 'pio' as const, is: false },
    { controller: 'ide' as const, ideMode: 'dma' as const, is: false },
    { controller: 'scsi' as const, ideMode: 'dma' as const, is: true },
  ];
  const disks = Array.from({ length: vms * disksPerVm }, (_, i) => ({ id: `d${i}`, kind: 'hdd' as const, sectors: 1 << 30, writeCache: false }));
  return {
    ...base,
    name: `vms-${vms}`,
    host: { logicalProcessors: 4, disks },
    vms: Array.from({ length: vms }, (_, v) => {
      const k = kinds[v % kinds.length]!;
      return {
        id: `vm-${k.controller}-${k.ideMode}-${v + 1}`,
        os: 'windows' as const,
        integrationServices: k.is,
        autoEoi: k.is,
        disks: Array.from({ length: disksPerVm }, (_, d) => ({
          id: `disk${d}`,
          controller: k.controller,
          ideMode: k.ideMode,
          backend: { kind: 'fixed-vhd' as const, disk: `d${v * disksPerVm + d}` },
        })),
      };
    }),
    workloads: [],
  };
}

/** The topology the model emits for `config`. */
export function topologyOf(config: WorldConfig): Topology {
  return new World(config, new ArraySink<HvRecord>()).topology;
}
