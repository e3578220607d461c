/** What the canvas is given to draw: a guest has VMBus places only if it can run integration services. */
import { describe, expect, it } from 'vitest';
import { NullSink } from '../../src/engine/index.js';
import type { HvRecord } from '../../src/model/trace-events.js';
import { World } from '../../src/model/world.js';
import { parseScenarioText, toWorldConfig } from '../../src/scenario/index.js';
import { BUNDLED_SCENARIOS } from '../../src/scenario/bundled.js';

function topologyOf(name: string) {
  const parsed = parseScenarioText(BUNDLED_SCENARIOS.find((s) => s.name === name)!.text);
  if (!parsed.ok) throw new Error(`${name} is invalid`);
  return new World(toWorldConfig(parsed.scenario), new NullSink<HvRecord>()).topology;
}

const vmbusPlaces = (places: readonly { id: string; partition: string; role: string }[], vm: string) =>
  places.filter((p) => p.partition === vm && (p.role === 'ring' || p.role === 'vsc' || p.id === `${vm}.vmbus`)).map((p) => p.id);

describe('VMBus places in the topology', () => {
  it('a guest without integration services has no VMBus driver, storflt or ring', () => {
    const t = topologyOf('emulated-vs-synthetic');
    expect(vmbusPlaces(t.places, 'legacy-pio')).toEqual([]);
    expect(vmbusPlaces(t.places, 'legacy-dma')).toEqual([]);
    expect(vmbusPlaces(t.places, 'enlightened')).toEqual(expect.arrayContaining(['enlightened.vmbus', 'enlightened.ring.data']));
  });

  it('a guest whose integration services load later has them (the IDE disk moves to the fast path)', () => {
    const t = topologyOf('fastpath-boot');
    expect(vmbusPlaces(t.places, 'boot')).toEqual(expect.arrayContaining(['boot.vmbus', 'boot.ring.system', 'boot.storflt.system']));
  });

  it('in every bundled scenario, exactly the guests that run or load integration services have VMBus places', () => {
    for (const bundled of BUNDLED_SCENARIOS) {
      const parsed = parseScenarioText(bundled.text);
      if (!parsed.ok) throw new Error(`${bundled.name} is invalid`);
      const t = topologyOf(bundled.name);
      for (const vm of parsed.scenario.vms) {
        const loads = parsed.scenario.actions.some((a) => a.do === 'load-integration-services' && a.vm === vm.id);
        // A VM that only runs CPU loads (no disks, NICs or actions) is drawn as its load alone, with no VMBus.
        const cpuOnly = vm.disks.length === 0 && vm.nics.length === 0 && parsed.scenario.cpu.some((c) => c.vm === vm.id) && !parsed.scenario.actions.some((a) => 'vm' in a && a.vm === vm.id);
        const hasVmbus = vm.os !== 'legacy' && vm.native !== true && (vm.integrationServices || loads) && !cpuOnly;
        expect(t.places.some((p) => p.id === `${vm.id}.vmbus`), `${bundled.name}: ${vm.id}`).toBe(hasVmbus);
        if (!hasVmbus) expect(vmbusPlaces(t.places, vm.id), `${bundled.name}: ${vm.id}`).toEqual([]);
      }
    }
  });
});
