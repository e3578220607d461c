/**
 * How the sweep panel names and places its x axis: a varied field in words
 * with the list items on its path named from the scenario
 * (`ui/sweep/field-label.ts`), and whether its values are categories,
 * which get points without a line (`plotSeries`'s `categorical`).
 */
import { describe, expect, it } from 'vitest';
import { bundledScenario, parseScenarioText } from '../../src/scenario/index.js';
import { camelWords, fieldLabel } from '../../src/ui/sweep/field-label.js';
import { fitText } from '../../src/ui/sweep/sweep-chart.js';
import { plotSeries, type SweepData, type SweepPath } from '../../src/ui/sweep/sweep-data.js';

const queueDepthText = bundledScenario('queue-depth')!.text;
const raw: unknown = JSON.parse(queueDepthText);
const parsed = parseScenarioText(queueDepthText);
if (!parsed.ok) throw new Error('queue-depth does not parse');
const validated = parsed.scenario;

describe('a varied field in words', () => {
  it('names the list item a field is in from the scenario, as read or validated', () => {
    for (const scenario of [raw, validated]) {
      expect(fieldLabel('workloads[3].queueDepth', scenario)).toBe('queue depth (workload 3: qd32/data)');
      expect(fieldLabel('workloads.3.queueDepth', scenario)).toBe('queue depth (workload 3: qd32/data)');
      expect(fieldLabel('host.disks[1].kind', scenario)).toBe('disk kind (disk 1: ssd-4)');
      expect(fieldLabel('vms[0].disks[0].backend.kind', scenario)).toBe('backend kind (VM 0: qd1, disk 0: data)');
      expect(fieldLabel('vms[2].integrationServices', scenario)).toBe('integration services (VM 2: qd16)');
    }
  });

  it('names an item by its index alone when the scenario is not at hand or has no such item', () => {
    expect(fieldLabel('workloads[3].queueDepth')).toBe('queue depth (workload 3)');
    expect(fieldLabel('workloads[9].queueDepth', raw)).toBe('queue depth (workload 9)');
    expect(fieldLabel('vms[0].affinity[1]', raw)).toBe('affinity 1 (VM 0: qd1)');
  });

  it('says the whole fields, costs and switches in words, with their units', () => {
    expect(fieldLabel('profile')).toBe('cost profile');
    expect(fieldLabel('seed')).toBe('seed');
    expect(fieldLabel('costs.vmexit_roundtrip')).toBe('VM exit + entry (ns)');
    expect(fieldLabel('costs.apic_virtualization')).toBe('APIC virtualization (0 off, 1 on)');
    expect(fieldLabel('options.vmbusSignal')).toBe('VMBus signal');
    expect(fieldLabel('options.ringBytes')).toBe('ring (bytes)');
    expect(fieldLabel('limits.maxEvents')).toBe('max events');
    expect(fieldLabel('workloads[0].readPercent')).toBe('read % (workload 0)');
    expect(camelWords('sizeGiB')).toBe('size (GiB)');
    expect(camelWords('dirtyRateMBps')).toBe('dirty rate (MB/s)');
    expect(camelWords('limitPct')).toBe('limit %');
    expect(camelWords('bytes')).toBe('bytes');
  });

  it('keeps what a file may hold as text: names every object inherits, a path that is no field path', () => {
    expect(fieldLabel('toString', raw)).toBe('to string');
    expect(fieldLabel('costs.toString')).toBe('cost to string');
    expect(fieldLabel('workloads[0].hasOwnProperty', raw)).toBe('has own property (workload 0: qd1/data)');
    expect(fieldLabel('a..b')).toBe('a..b');
    expect(fieldLabel('<b>x</b>')).toBe('<b>x</b>');
  });

  it('cuts a label to the room it has, with an ellipsis', () => {
    expect(fitText('modern', 6)).toBe('modern');
    expect(fitText('modern', 5)).toBe('mode…');
    expect(fitText('abc', 0)).toBe('a…');
  });
});

describe('categories along x', () => {
  const paths: SweepPath[] = [{ stream: 'a/d/vmbus-scsi', vm: 'a', disk: 'd', path: 'vmbus-scsi', latencyNs: { mean: 1 } }];
  const sweep = (values: SweepData['vary'][number]['values']): SweepData => ({ scenario: 's', vary: [{ field: 'f', values }], points: values.map((v) => ({ values: { f: v }, paths })) });

  it('are text or true/false values, or the one position of a replicated run; numbers alone are a line', () => {
    expect(plotSeries(sweep([1, 8, 32]), 'f', 'latencyNs.mean').categorical).toBe(false);
    expect(plotSeries(sweep([2008, 'modern']), 'f', 'latencyNs.mean').categorical).toBe(true);
    expect(plotSeries(sweep(['ssd', 'hdd']), 'f', 'latencyNs.mean').categorical).toBe(true);
    expect(plotSeries(sweep([true, false]), 'f', 'latencyNs.mean').categorical).toBe(true);
    // A number written in quotes on the command line is text ("123"): a category.
    expect(plotSeries(sweep(['1', '2']), 'f', 'latencyNs.mean').categorical).toBe(true);
    expect(plotSeries({ scenario: 's', vary: [], replications: 3, points: [{ values: {}, paths }] }, '', 'latencyNs.mean')).toMatchObject({ categorical: true, xLabels: ['3 runs'] });
  });
});

describe('a numeric axis ascends', () => {
  it('left to right, whatever order the sweep lists its values in (an audit saw 1 left of 0)', () => {
    // Each point's latency is its own value, so a point plotted at the wrong x shows.
    const pathOf = (v: number): SweepPath[] => [{ stream: 'a/d/vmbus-scsi', vm: 'a', disk: 'd', path: 'vmbus-scsi', latencyNs: { mean: 100 + v } }];
    const data: SweepData = { scenario: 's', vary: [{ field: 'f', values: [1, 0, 8] }], points: [1, 0, 8].map((v) => ({ values: { f: v }, paths: pathOf(v) })) };
    const plot = plotSeries(data, 'f', 'latencyNs.mean');
    expect(plot.xLabels).toEqual(['0', '1', '8']);
    expect(plot.categorical).toBe(false);
    expect(plot.series[0]!.y).toEqual([100, 101, 108]);
  });
});
