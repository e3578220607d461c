/**
 * A validated `Scenario` to the model's `WorldConfig`: defaults resolved,
 * costs taken from the profile with the file's overrides, durations in
 * integer ns, sizes in bytes, host disks in sectors. Pure: it builds no
 * world and runs nothing.
 */
import { resolveCosts, type ProfileName } from '../model/costs.js';
import type { WorldConfig } from '../model/world-config.js';
import { assignStreams } from './common-random.js';
import { sectorsOfGiB, vhdGiB } from './sizes.js';
import type { Scenario } from './schema.js';
import { isClusterAction, toClusterConfig } from './cluster-build.js';
import { canonicalInteger, durationNs, sizeBytes, type Converted } from './units.js';

/** What a run may change without editing the file. */
export interface ScenarioOverrides {
  seed?: number;
  profile?: ProfileName;
}

function exact(converted: Converted, what: string): number {
  // Validation has already accepted every value, so this only guards callers that skip it.
  if (!converted.ok) throw new RangeError(`${what}: ${converted.why}`);
  return canonicalInteger(converted.value);
}

/** The model configuration of `scenario`; `overrides` replace its seed or profile. */
export function toWorldConfig(scenario: Scenario, overrides: ScenarioOverrides = {}): WorldConfig {
  const profile = overrides.profile ?? scenario.profile;
  return {
    name: scenario.name,
    seed: overrides.seed ?? scenario.seed,
    profile,
    costs: resolveCosts(profile, scenario.costs ?? {}),
    stringIo: scenario.options.stringIo,
    vmbusSignal: scenario.options.vmbusSignal,
    ringBytes: scenario.options.ringBytes,
    host: {
      logicalProcessors: scenario.host?.logicalProcessors ?? 4,
      disks: (scenario.host?.disks ?? []).map((d) => ({ id: d.id, kind: d.kind, sectors: sectorsOfGiB(d.sizeGiB), writeCache: d.writeCache, physicalSectorBytes: physicalSectorBytes(d.sectorFormat), hba: d.hba })),
      ...((scenario.host?.iscsiTargets ?? []).length === 0
        ? {}
        : { iscsiTargets: scenario.host!.iscsiTargets.map((t) => ({ id: t.id, disk: { kind: t.disk.kind, sectors: sectorsOfGiB(t.disk.sizeGiB), writeCache: t.disk.writeCache, physicalSectorBytes: physicalSectorBytes(t.disk.sectorFormat) } })) }),
    },
    vms: scenario.vms.map((vm) => ({
      id: vm.id,
      os: vm.os,
      integrationServices: vm.integrationServices,
      native: vm.native,
      // The guest's VMBus driver turns auto-EOI on when the host recommends it (reference §1.5), whenever
      // its integration services load: at boot, or by a later load-integration-services action.
      autoEoi: vm.autoEoi ?? (vm.integrationServices || scenario.actions.some((a) => a.do === 'load-integration-services' && a.vm === vm.id)),
      disks: vm.disks.map((d) => ({
        id: d.id,
        controller: d.controller,
        ideMode: d.ideMode ?? 'dma',
        backend: {
          kind: d.backend.kind,
          disk: d.backend.disk ?? '',
          ...(d.backend.kind === 'iscsi'
            ? { target: d.backend.target ?? '', attach: d.backend.attach ?? 'guest', ...(d.backend.nic === undefined ? {} : { nic: d.backend.nic }) }
            : {}),
          virtualSectors: sectorsOfGiB(vhdGiB(d.backend)),
          zeroFillNewBlocks: d.backend.zeroFillNewBlocks ?? false,
          ...(d.backend.blockSizeMiB === undefined ? {} : { blockSizeMiB: d.backend.blockSizeMiB }),
          base: d.backend.base ?? 'dynamic',
          depth: d.backend.depth ?? 1,
        },
      })),
      nics: vm.nics.map((n) => ({ id: n.id, kind: n.kind })),
      memoryMiB: vm.memoryMiB,
      vcpus: vm.vcpus,
      ...(vm.initialState === 'off' ? { initialState: 'off' as const } : {}),
      ...(vm.affinity === undefined ? {} : { affinity: vm.affinity }),
      ...(vm.cpu === undefined ? {} : { cpu: { reservePct: vm.cpu.reservePct, limitPct: vm.cpu.limitPct, weight: vm.cpu.weight } }),
    })),
    ...assignStreams(scenario, {
      workloads: scenario.workloads.map((w, i) => ({
        vm: w.vm,
        disk: w.disk,
        op: w.op,
        ...(w.readPercent === undefined ? {} : { readPercent: w.readPercent }),
        bytes: exact(sizeBytes(w.size), `workloads.${i}.size`),
        queueDepth: w.queueDepth,
        count: w.count,
        pattern: w.pattern,
        lba: w.lba,
        startNs: exact(durationNs(w.start), `workloads.${i}.start`),
        ...(w.duration === undefined ? {} : { durationNs: exact(durationNs(w.duration), `workloads.${i}.duration`) }),
      })),
      traffic: scenario.traffic.map((t, i) => ({
        vm: t.vm,
        nic: t.nic,
        direction: t.direction,
        bytes: t.bytes,
        count: t.count,
        packetsPerSecond: t.packetsPerSecond,
        arrival: t.arrival,
        ...(t.to === undefined ? {} : { to: t.to }),
        startNs: exact(durationNs(t.start), `traffic.${i}.start`),
      })),
    }),
    actions: scenario.actions.flatMap((a, i) => (isClusterAction(a) ? [] : [{ atNs: exact(durationNs(a.at), `actions.${i}.at`), do: a.do, vm: a.vm, ...(a.disk === undefined ? {} : { disk: a.disk }) }])),
    ...schedulerOf(scenario),
    ...(scenario.cluster === undefined ? {} : { cluster: toClusterConfig(scenario)! }),
    limits: { maxEvents: scenario.limits.maxEvents, untilNs: exact(durationNs(scenario.limits.until), 'limits.until') },
  };
}

/** The scheduler and CPU loads: absent (dedicated, as before there were any) unless the scenario names a scheduler, has CPU loads or sets a VM's processor controls. */
function schedulerOf(scenario: Scenario): Pick<WorldConfig, 'scheduler' | 'cpu'> {
  const spec = scenario.host?.scheduler;
  // Processor controls act only where VPs share LPs by credits: they ask for the credit scheduler, as CPU loads do.
  const controlled = scenario.vms.some((vm) => vm.cpu !== undefined && vm.native !== true);
  if (spec === undefined && scenario.cpu.length === 0 && !controlled) return {};
  const kind = spec?.kind ?? (scenario.cpu.length > 0 || controlled ? 'credit' : 'dedicated');
  const cpu = scenario.cpu.flatMap((c, i) => {
    const vm = scenario.vms.find((v) => v.id === c.vm);
    // The root has one VP per LP; a VM has its vcpus.
    const count = c.vm === 'root' ? (scenario.host?.logicalProcessors ?? 4) : (vm?.vcpus ?? 1);
    const vps = c.vp !== undefined ? [c.vp] : Array.from({ length: count }, (_, j) => j);
    return vps.map((vp) => ({
      vm: c.vm,
      vp,
      dutyPercent: c.dutyPercent,
      burstNs: exact(durationNs(c.burst), `cpu.${i}.burst`),
      startNs: exact(durationNs(c.start), `cpu.${i}.start`),
      ...(c.duration === undefined ? {} : { durationNs: exact(durationNs(c.duration), `cpu.${i}.duration`) }),
    }));
  });
  return { scheduler: { kind, sliceNs: exact(durationNs(spec?.slice ?? '30ms'), 'host.scheduler.slice'), wakeBoost: spec?.wakeBoost ?? true }, cpu };
}

/** The media's sector size of a disk's sector format: 512e has 4 KiB physical sectors behind 512-byte logical ones. */
function physicalSectorBytes(format: '512n' | '512e'): 512 | 4096 {
  return format === '512e' ? 4096 : 512;
}
