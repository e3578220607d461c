/** A scenario becomes the model's WorldConfig: defaults, units, costs and overrides resolved. */
import { describe, expect, it } from 'vitest';
import { COSTS, resolveCosts } from '../../src/model/costs.js';
import { bundledScenario, runScenario, toWorldConfig } from '../../src/scenario/index.js';
import { edited, scenarioOf } from './helpers.js';

describe('toWorldConfig', () => {
  it('builds emulated-vs-synthetic as the model expects it', () => {
    const config = toWorldConfig(scenarioOf(bundledScenario('emulated-vs-synthetic')!.text));
    expect(config).toMatchObject({ name: 'emulated-vs-synthetic', seed: 1, profile: '2008', stringIo: 'per-instruction', vmbusSignal: 'hypercall', ringBytes: 131072 });
    expect(config.costs).toEqual(resolveCosts('2008'));
    expect(config.host).toEqual({
      logicalProcessors: 4,
      disks: ['d-pio', 'd-dma', 'd-syn'].map((id) => ({ id, kind: 'hdd', sectors: 450 * 2_097_152, writeCache: true, physicalSectorBytes: 512, hba: undefined })),
    });
    expect(config.vms.map((vm) => [vm.id, vm.integrationServices, vm.autoEoi, vm.disks[0]!.controller, vm.disks[0]!.ideMode])).toEqual([
      ['legacy-pio', false, false, 'ide', 'pio'],
      ['legacy-dma', false, false, 'ide', 'dma'],
      ['enlightened', true, true, 'scsi', 'dma'],
    ]);
    for (const w of config.workloads) {
      expect(w).toMatchObject({ op: 'write', bytes: 10_240, queueDepth: 1, count: 1, pattern: 'fixed', lba: 1_000_000, startNs: 0 });
    }
    expect(config.actions).toEqual([]);
    expect(config.limits).toEqual({ maxEvents: 20_000_000, untilNs: 60_000_000_000 });
  });

  it('converts action times and workload starts to ns', () => {
    const config = toWorldConfig(scenarioOf(bundledScenario('fastpath-boot')!.text));
    expect(config.actions).toEqual([{ atNs: 600_000_000, do: 'load-integration-services', vm: 'boot' }]);
    expect(config.workloads.map((w) => [w.startNs, w.lba, w.bytes, w.pattern])).toEqual([
      [0, 0, 4096, 'sequential'],
      [700_000_000, 100_000, 4096, 'sequential'],
    ]);
  });

  it('applies cost overrides on top of the profile, and the seed and profile overrides', () => {
    const scenario = scenarioOf(edited((s) => (s.costs = { vmexit_roundtrip: 1234 })));
    const config = toWorldConfig(scenario, { seed: 99, profile: 'modern' });
    expect(config.seed).toBe(99);
    expect(config.profile).toBe('modern');
    expect(config.costs.vmexit_roundtrip).toBe(1234);
    expect(config.costs.hypercall_signal_event).toBe(COSTS.hypercall_signal_event.ns.modern);
  });

  it('lets autoEoi differ from integrationServices when set, and sizes host disks in sectors', () => {
    const config = toWorldConfig(scenarioOf(edited((s) => {
      s.vms[0].autoEoi = false;
      s.host.disks[0].sizeGiB = 1.5;
      s.vms[0].disks[0].backend.sizeGiB = 1; // the VHD must fit on the host disk
    })));
    expect(config.vms[0]!.autoEoi).toBe(false);
    expect(config.host.disks[0]!.sectors).toBe(3_145_728);
  });

  it('turns auto-EOI on for a guest whose integration services load during the run (reference §1.5), so its fast path traps no EOI', () => {
    const parsed = bundledScenario('fastpath-boot')!;
    const config = toWorldConfig(scenarioOf(parsed.text));
    expect(config.vms[0]!.integrationServices).toBe(false);
    expect(config.vms[0]!.autoEoi).toBe(true);
    const fast = runScenario(scenarioOf(parsed.text), { keepRecords: false }).paths.find((p) => p.path === 'ide-fastpath')!;
    expect(fast.perIo.vmExits).toBe(1); // the signal's hypercall; the completion's EOI is not trapped (it was 2)
  });
});
