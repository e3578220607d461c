/**
 * What the app's message bar tells a trainer about a finished run
 * (`runWarnings`): a migration the run cut short is said, as `hvsim run`
 * says it on stderr, and a run that finished its actions says nothing.
 */
import { describe, expect, it } from 'vitest';
import { parseScenarioText, runScenario } from '../../src/scenario/index.js';
import { runWarnings } from '../../src/ui/app-types.js';

function vmotionRun(until: string) {
  const text = JSON.stringify({
    version: 1,
    name: 'vmotion-warning',
    vms: [{ id: 'web', memoryMiB: 2048 }],
    cluster: { platform: 'vsphere-4', hosts: [{ id: 'esx1' }, { id: 'esx2' }], vms: [{ vm: 'web', host: 'esx1', dirtyRateMBps: 10 }], migrationNetwork: { gbps: 1 } },
    actions: [{ at: '1s', do: 'vmotion', vm: 'web', to: 'esx2' }],
    limits: { until },
  });
  const parsed = parseScenarioText(text, 'vmotion-warning.json');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return runScenario(parsed.scenario, { keepRecords: false });
}

describe('runWarnings', () => {
  it('names a vMotion the run cut short at limits.until', () => {
    const warning = runWarnings(vmotionRun('10s'), 'vmotion-warning.json');
    expect(warning.title).toContain("before the scenario's actions did");
    expect(warning.lines).toEqual([
      "vmotion-warning.json: the scenario's actions left 1 piece of work unfinished: the run stopped at limits.until (10 s); raise limits.until",
      'the vmotion migration of VM web from esx1 to esx2 had not finished its first pass of memory',
    ]);
  });

  it('says nothing of a run whose vMotion finished', () => {
    expect(runWarnings(vmotionRun('120s'), 'vmotion-warning.json').lines).toEqual([]);
  });
});
