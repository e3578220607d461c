/**
 * Claims as data: the `claims` field's errors, pinned with their exact
 * paths and messages; `evaluateClaims` on hand-made figures for every op,
 * held and not held, and for sides whose path did not run; and a run that
 * carries its claims.
 */
import { describe, expect, it } from 'vitest';
import {
  CLAIM_METRICS,
  evaluateClaims,
  formatFigure,
  formatMetric,
  metricValue,
  parseScenarioText,
  possiblePaths,
  runScenario,
  type ClaimPathFigures,
  type ScenarioClaim,
} from '../../src/scenario/index.js';
import { baseScenario, errorsOf, jsonText, scenarioOf } from './helpers.js';

/** The base scenario with one claim on its path (vm1/data/vmbus-scsi), then `edit` applied. */
function withClaim(edit: (s: any) => void = () => {}): string {
  const s: any = baseScenario();
  s.claims = [{ text: 'Few exits.', expect: { left: { vm: 'vm1', metric: 'perIo.vmExits' }, op: 'less-than', right: { value: 3 } } }];
  edit(s);
  return jsonText(s);
}

/** The errors of `withClaim(edit)` as `path: message` lines. */
const problems = (edit: (s: any) => void): string[] => errorsOf(withClaim(edit)).map((e) => `${e.path}: ${e.message}`);

const METRIC_LIST = CLAIM_METRICS.map((m) => `'${m}'`).join(', ');
const SIDE_FORMS = 'either vm and metric (a figure of a path), figure (a figure of the run) or value (a constant), only one';
const LEFT_FORMS = 'either vm and metric (a figure of a path) or figure (a figure of the run), not both';

describe('the claims field', () => {
  it('is optional and defaults to no claims', () => {
    expect(scenarioOf(jsonText(baseScenario())).claims).toEqual([]);
  });

  it('accepts a path metric against a path metric or a constant, with factor or percent', () => {
    const scenario = scenarioOf(
      withClaim((s) => {
        s.claims.push({ text: 'Close.', expect: { left: { vm: 'vm1', disk: 'data', path: 'vmbus-scsi', metric: 'latencyNs.p99' }, op: 'within', right: { vm: 'vm1', metric: 'latencyNs.p50' }, percent: 50 } });
        s.claims.push({ text: 'Big.', expect: { left: { vm: 'vm1', metric: 'timeByBandNs.hardware' }, op: 'greater-than', right: { value: 0 }, factor: 2.5 } });
      }),
    );
    expect(scenario.claims.map((c) => c.expect.op)).toEqual(['less-than', 'within', 'greater-than']);
    expect(scenario.claims[1]!.expect).toMatchObject({ percent: 50, left: { disk: 'data', path: 'vmbus-scsi' } });
  });

  it('pins the line and column of a claim error', () => {
    expect(errorsOf(withClaim((s) => (s.claims[0].expect.left.vm = 'nope'))) ).toEqual([
      {
        path: 'claims.0.expect.left.vm',
        message: `found "nope" (no VM has this id), allowed one of the VMs with a workload: 'vm1'`,
        found: '"nope" (no VM has this id)',
        allowed: "one of the VMs with a workload: 'vm1'",
        line: 39,
        column: 11,
      },
    ]);
  });

  it('names a metric not in the list and suggests the closest', () => {
    expect(problems((s) => (s.claims[0].expect.left.metric = 'perIo.vmexit'))).toEqual([
      `claims.0.expect.left.metric: found "perIo.vmexit", allowed a metric of a path (did you mean 'perIo.vmExits'?): one of ${METRIC_LIST}`,
    ]);
    expect(problems((s) => (s.claims[0].expect.left.metric = 'latency'))).toEqual([`claims.0.expect.left.metric: found "latency", allowed a metric of a path: one of ${METRIC_LIST}`]);
    expect(problems((s) => (s.claims[0].expect.left.metric = 'timeByBandNs.root-usr'))[0]).toContain("(did you mean 'timeByBandNs.root-user'?)");
  });

  it('names a bad or missing op, and the field each op needs or forbids', () => {
    expect(problems((s) => (s.claims[0].expect.op = 'equals'))).toEqual([
      `claims.0.expect.op: found "equals", allowed one of 'less-than', 'greater-than', 'within' (how left compares with right)`,
    ]);
    expect(problems((s) => delete s.claims[0].expect.op)).toEqual([`claims.0.expect.op: missing, allowed one of 'less-than', 'greater-than', 'within' (how left compares with right)`]);
    expect(problems((s) => (s.claims[0].expect.op = 'within'))).toEqual(['claims.0.expect.percent: missing, allowed a number greater than 0 and at most 1,000']);
    expect(
      problems((s) => {
        s.claims[0].expect.op = 'within';
        s.claims[0].expect.percent = 5;
        s.claims[0].expect.factor = 2;
      }),
    ).toEqual(["claims.0.expect.factor: found an unknown field 'factor', allowed one of the fields left, op, right, percent"]);
    expect(problems((s) => (s.claims[0].expect.percent = 5))).toEqual([
      "claims.0.expect.percent: found an unknown field 'percent', allowed one of the fields left, op, right, factor",
    ]);
    expect(problems((s) => (s.claims[0].expect = 3))).toEqual(['claims.0.expect: found 3, allowed an object with the fields left, op, right and factor or percent']);
  });

  it('bounds factor and percent', () => {
    expect(problems((s) => (s.claims[0].expect.factor = 0.5))).toEqual(['claims.0.expect.factor: found 0.5, allowed a number 1..1,000,000']);
    for (const percent of [0, -1, 1001]) {
      expect(problems((s) => Object.assign(s.claims[0].expect, { op: 'within', percent }))).toEqual([
        `claims.0.expect.percent: found ${percent}, allowed a number greater than 0 and at most 1,000`,
      ]);
    }
    expect(scenarioOf(withClaim((s) => Object.assign(s.claims[0].expect, { op: 'within', percent: 1000 }))).claims[0]!.expect).toMatchObject({ percent: 1000 });
  });

  it('takes either a path metric or a constant on the right, never both, and only a path metric on the left', () => {
    expect(problems((s) => (s.claims[0].expect.right = { value: 3, vm: 'vm1' }))).toEqual([`claims.0.expect.right.vm: found "vm1", allowed no vm next to value (${SIDE_FORMS})`]);
    expect(problems((s) => (s.claims[0].expect.right = {}))).toEqual([
      `claims.0.expect.right.vm: missing, allowed the id of a VM, or value for a constant (${SIDE_FORMS})`,
      `claims.0.expect.right.metric: missing, allowed a metric of a path, or value for a constant (${SIDE_FORMS})`,
    ]);
    expect(problems((s) => (s.claims[0].expect.right = { vm: 'vm1' }))).toEqual([
      `claims.0.expect.right.metric: missing, allowed a metric of a path, or value for a constant (${SIDE_FORMS})`,
    ]);
    expect(problems((s) => (s.claims[0].expect.right = { value: 'ten' }))).toEqual(['claims.0.expect.right.value: found "ten", allowed a finite number']);
    expect(problems((s) => (s.claims[0].expect.left = { vm: 'vm1', metric: 'iops', value: 3 }))).toEqual([
      "claims.0.expect.left.value: found an unknown field 'value', allowed one of the fields vm, disk, path, metric, figure",
    ]);
  });

  it('takes a run figure by name on either side, alone', () => {
    expect(problems((s) => (s.claims[0].expect.left = { figure: 'vms.vm1.saveNs', vm: 'vm1' }))).toEqual([
      `claims.0.expect.left.vm: found "vm1", allowed no vm next to figure (${LEFT_FORMS})`,
    ]);
    expect(problems((s) => (s.claims[0].expect.left = {}))).toEqual([
      `claims.0.expect.left.vm: missing, allowed the id of a VM, or figure for a figure of the run (${LEFT_FORMS})`,
      `claims.0.expect.left.metric: missing, allowed a metric of a path, or figure for a figure of the run (${LEFT_FORMS})`,
    ]);
    expect(problems((s) => (s.claims[0].expect.right = { figure: 'vms.vm1.saveNs', value: 3 }))).toEqual([
      `claims.0.expect.right.figure: found "vms.vm1.saveNs", allowed no figure next to value (${SIDE_FORMS})`,
    ]);
    expect(problems((s) => (s.claims[0].expect.left = { figure: 'vms..saveNs' }))).toEqual([
      'claims.0.expect.left.figure: found "vms..saveNs", allowed a figure name: words joined by dots, [n] for a list item (e.g. vms.mail.saveNs)',
    ]);
  });

  it('names claim text and list problems', () => {
    expect(problems((s) => (s.claims[0].text = ''))).toEqual(['claims.0.text: found "", allowed a sentence of 1 to 1,000 characters']);
    expect(problems((s) => (s.claims = {}))).toEqual(['claims: found an object, allowed a list of 0 to 64 claims']);
  });
});

describe('claim references', () => {
  it('names a VM with no workload', () => {
    expect(
      problems((s) => {
        s.vms.push({ id: 'vm2' });
        s.claims[0].expect.left.vm = 'vm2';
      }),
    ).toEqual([`claims.0.expect.left.vm: found "vm2" (no workload runs on VM 'vm2'), allowed one of the VMs with a workload: 'vm1'`]);
  });

  it('checks the right side too', () => {
    expect(problems((s) => (s.claims[0].expect.right = { vm: 'vm9', metric: 'perIo.vmExits' }))).toEqual([
      `claims.0.expect.right.vm: found "vm9" (no VM has this id), allowed one of the VMs with a workload: 'vm1'`,
    ]);
  });

  it('names a disk the VM lacks, or one with no workload', () => {
    expect(problems((s) => (s.claims[0].expect.left.disk = 'logs'))).toEqual([
      `claims.0.expect.left.disk: found "logs" (VM 'vm1' has no disk or NIC with this id), allowed one of the disks of VM 'vm1' with a workload: 'data'`,
    ]);
    expect(
      problems((s) => {
        s.vms[0].disks.push({ id: 'logs', controller: 'scsi', backend: { kind: 'fixed-vhd', disk: 'd1' } });
        s.claims[0].expect.left.disk = 'logs';
      }),
    ).toEqual([`claims.0.expect.left.disk: found "logs" (no workload or traffic runs on 'logs' of VM 'vm1'), allowed one of the disks of VM 'vm1' with a workload: 'data'`]);
  });

  it('names a path the disk cannot take', () => {
    expect(problems((s) => (s.claims[0].expect.left.path = 'ide-pio'))).toEqual([
      `claims.0.expect.left.path: found "ide-pio" (requests on VM 'vm1' cannot take this path), allowed one of the paths of VM 'vm1': 'vmbus-scsi'`,
    ]);
  });

  it('asks for path when the disk can take several, and for disk when the VM has workloads on several', () => {
    // An IDE disk on an enlightened VM starts emulated and moves to the fast path once its channel opens.
    const ide = (s: any): void => {
      s.vms[0].disks[0].controller = 'ide';
    };
    expect(problems(ide)).toEqual([
      `claims.0.expect.left.path: missing, allowed one of 'ide-dma', 'ide-fastpath' (requests on disk 'data' of VM 'vm1' can take several paths)`,
    ]);
    expect(scenarioOf(withClaim((s) => (ide(s), (s.claims[0].expect.left.path = 'ide-fastpath')))).claims).toHaveLength(1);
    const twoDisks = (s: any): void => {
      s.vms[0].disks.push({ id: 'logs', controller: 'scsi', backend: { kind: 'fixed-vhd', disk: 'd1' } });
      s.workloads.push({ vm: 'vm1', disk: 'logs', size: '4KiB' });
    };
    expect(problems(twoDisks)).toEqual([`claims.0.expect.left.disk: missing, allowed one of the disks of VM 'vm1': 'data', 'logs' (several of its disks have workloads)`]);
    expect(problems((s) => (twoDisks(s), (s.claims[0].expect.left.path = 'vmbus-scsi')))).toEqual([
      `claims.0.expect.left.disk: missing, allowed one of the disks of VM 'vm1': 'data', 'logs' (several of its disks can take path 'vmbus-scsi')`,
    ]);
    expect(scenarioOf(withClaim((s) => (twoDisks(s), (s.claims[0].expect.left.disk = 'logs')))).claims).toHaveLength(1);
  });

  it('predicts the paths of a disk: emulated until integration services may load', () => {
    const scenario = scenarioOf(
      jsonText({
        version: 1,
        name: 'paths',
        host: { disks: [{ id: 'd1', kind: 'hdd' }] },
        vms: [
          { id: 'old', integrationServices: false, disks: [{ id: 'a', controller: 'ide', ideMode: 'pio', backend: { kind: 'fixed-vhd', disk: 'd1' } }] },
          { id: 'boot', integrationServices: false, disks: [{ id: 'a', controller: 'ide', backend: { kind: 'fixed-vhd', disk: 'd1' } }] },
          { id: 'new', disks: [{ id: 'a', controller: 'scsi', backend: { kind: 'fixed-vhd', disk: 'd1' } }] },
        ],
        actions: [{ at: '1ms', do: 'load-integration-services', vm: 'boot' }],
      }),
    );
    expect(possiblePaths(scenario, 'old', 'a')).toEqual(['ide-pio']);
    expect(possiblePaths(scenario, 'boot', 'a')).toEqual(['ide-dma', 'ide-fastpath']);
    expect(possiblePaths(scenario, 'new', 'a')).toEqual(['vmbus-scsi']);
    expect(possiblePaths(scenario, 'new', 'zz')).toEqual([]);
  });
});

/** A path's figures, all zero but for what the test sets. */
function figures(vm: string, disk: string, path: ClaimPathFigures['path'], set: { requests?: number; mean?: number; vmExits?: number; hardwareNs?: number } = {}): ClaimPathFigures {
  const counts = {
    registerAccesses: 0,
    dataWords: 0,
    vmExits: set.vmExits ?? 0,
    hypercalls: 0,
    interrupts: 0,
    eois: 0,
    eoiTraps: 0,
    contextSwitches: 0,
    rootUserTransitions: 0,
    ringPackets: 0,
    ringSignalsToHost: 0,
    ringSignalsToGuest: 0,
    hltExits: 0,
    metadataIos: 0,
  };
  const mean = set.mean ?? 0;
  return {
    vm,
    disk,
    path,
    requests: set.requests ?? 10,
    latencyNs: { count: set.requests ?? 10, mean, p50: mean, p95: mean, p99: mean, min: mean, max: mean },
    perIo: counts,
    cpuNsPerIo: { guest: 0, root: 0, hypervisor: 0, total: 0 },
    deviceNsPerIo: 0,
    iops: 0,
    throughputBytesPerS: 0,
    timeByBandNs: { 'guest-user': 0, 'guest-kernel': 0, vmbus: 0, 'root-user': 0, 'root-kernel': 0, hypervisor: 0, hardware: set.hardwareNs ?? 0 },
  };
}

const PATHS: ClaimPathFigures[] = [
  figures('pio', 'data', 'ide-pio', { vmExits: 154, mean: 42_570_000 }),
  figures('dma', 'data', 'ide-dma', { vmExits: 27, mean: 2_885_047 }),
  figures('syn', 'data', 'vmbus-scsi', { vmExits: 1, mean: 2_525_297, hardwareNs: 2_490_000 }),
  figures('boot', 'system', 'ide-dma', { mean: 2_424_358 }),
  figures('boot', 'system', 'ide-fastpath', { mean: 2_067_795 }),
  figures('idle', 'data', 'vmbus-scsi', { requests: 0 }),
];

const claim = (expectation: ScenarioClaim['expect'], text = 'A claim.'): ScenarioClaim => ({ text, expect: expectation });
const side = (vm: string, metric: ScenarioClaim['expect']['left']['metric'], more: { disk?: string; path?: 'ide-dma' | 'ide-fastpath' } = {}) => ({ vm, metric, ...more });
const evaluate = (expectation: ScenarioClaim['expect']) => evaluateClaims([claim(expectation)], PATHS)[0]!;

describe('evaluateClaims', () => {
  it('greater-than with a factor: held and not held, with both figures', () => {
    expect(evaluate({ left: side('pio', 'perIo.vmExits'), op: 'greater-than', right: side('syn', 'perIo.vmExits'), factor: 10 })).toEqual({
      text: 'A claim.',
      holds: true,
      op: 'greater-than',
      factor: 10,
      left: { label: 'pio/data/ide-pio perIo.vmExits', value: 154 },
      right: { label: 'syn/data/vmbus-scsi perIo.vmExits', value: 1 },
      detail: 'pio/data/ide-pio: 154 VM exits/IO > 10 × 1 VM exit/IO on syn/data/vmbus-scsi',
    });
    const notHeld = evaluate({ left: side('dma', 'perIo.vmExits'), op: 'greater-than', right: side('syn', 'perIo.vmExits'), factor: 30 });
    expect(notHeld).toMatchObject({ holds: false, factor: 30, left: { value: 27 }, right: { value: 1 } });
    expect(notHeld.detail).toBe('dma/data/ide-dma: 27 VM exits/IO ≤ 30 × 1 VM exit/IO on syn/data/vmbus-scsi');
  });

  it('greater-than is strict, and factor defaults to 1', () => {
    const same = evaluate({ left: side('dma', 'perIo.vmExits'), op: 'greater-than', right: { value: 27 } });
    expect(same).toMatchObject({ holds: false, factor: 1, right: { label: 'constant', value: 27 }, detail: 'dma/data/ide-dma: 27 VM exits/IO ≤ 27 VM exits/IO' });
  });

  it('less-than, with and without a factor, against a path or a constant', () => {
    const fast = evaluate({ left: side('boot', 'latencyNs.mean', { path: 'ide-fastpath' }), op: 'less-than', right: side('boot', 'latencyNs.mean', { path: 'ide-dma' }) });
    expect(fast).toMatchObject({ holds: true, left: { label: 'boot/system/ide-fastpath latencyNs.mean', value: 2_067_795 }, right: { label: 'boot/system/ide-dma latencyNs.mean', value: 2_424_358 } });
    expect(fast.detail).toBe('boot/system/ide-fastpath: 2.07 ms mean latency < 2.42 ms mean latency on boot/system/ide-dma');
    const quarter = evaluate({ left: side('syn', 'perIo.vmExits'), op: 'less-than', right: side('dma', 'perIo.vmExits'), factor: 4 });
    expect(quarter).toMatchObject({ holds: true, detail: 'syn/data/vmbus-scsi: 1 VM exit/IO < 1/4 × 27 VM exits/IO on dma/data/ide-dma' });
    const tooMuch = evaluate({ left: side('syn', 'perIo.vmExits'), op: 'less-than', right: side('dma', 'perIo.vmExits'), factor: 27 });
    expect(tooMuch).toMatchObject({ holds: false, detail: 'syn/data/vmbus-scsi: 1 VM exit/IO ≥ 1/27 × 27 VM exits/IO on dma/data/ide-dma' });
    expect(evaluate({ left: side('syn', 'timeByBandNs.hardware'), op: 'less-than', right: { value: 3_000_000 } })).toMatchObject({
      holds: true,
      detail: 'syn/data/vmbus-scsi: 2.49 ms hardware time/IO < 3 ms hardware time/IO',
    });
  });

  it('within: |left − right| against percent of |right|, held and not held', () => {
    const close = evaluate({ left: side('dma', 'latencyNs.mean'), op: 'within', right: side('syn', 'latencyNs.mean'), percent: 15 });
    expect(close).toMatchObject({ holds: true, op: 'within', percent: 15 });
    expect(close).not.toHaveProperty('factor');
    expect(close.detail).toBe('dma/data/ide-dma: 2.89 ms mean latency is within 15% of 2.53 ms mean latency on syn/data/vmbus-scsi (14.2% apart)');
    const far = evaluate({ left: side('dma', 'latencyNs.mean'), op: 'within', right: side('syn', 'latencyNs.mean'), percent: 5 });
    expect(far).toMatchObject({ holds: false, detail: 'dma/data/ide-dma: 2.89 ms mean latency is not within 5% of 2.53 ms mean latency on syn/data/vmbus-scsi (14.2% apart)' });
    expect(evaluate({ left: side('dma', 'perIo.vmExits'), op: 'within', right: { value: 27 }, percent: 0.001 })).toMatchObject({ holds: true });
    expect(evaluate({ left: side('dma', 'perIo.vmExits'), op: 'within', right: { value: 0 }, percent: 1000 })).toMatchObject({
      holds: false,
      detail: 'dma/data/ide-dma: 27 VM exits/IO is not within 1,000% of 0 VM exits/IO (the right side is 0, so only 0 is within)',
    });
  });

  it('a side whose path did not run, completed nothing, or is ambiguous: not held, and says why', () => {
    const missing = evaluate({ left: side('ghost', 'perIo.vmExits'), op: 'less-than', right: side('syn', 'perIo.vmExits') });
    expect(missing).toEqual({
      text: 'A claim.',
      holds: false,
      op: 'less-than',
      factor: 1,
      left: { label: 'ghost perIo.vmExits', value: null },
      right: { label: 'syn/data/vmbus-scsi perIo.vmExits', value: 1 },
      detail: "cannot be checked: no request ran on VM 'ghost'",
    });
    const idle = evaluate({ left: side('syn', 'perIo.vmExits'), op: 'less-than', right: side('idle', 'perIo.vmExits') });
    expect(idle).toMatchObject({ holds: false, right: { label: 'idle/data/vmbus-scsi perIo.vmExits', value: null }, detail: 'cannot be checked: idle/data/vmbus-scsi completed no requests' });
    const both = evaluate({ left: side('boot', 'latencyNs.mean'), op: 'within', right: side('nope', 'latencyNs.mean', { disk: 'x', path: 'ide-dma' }), percent: 5 });
    expect(both.holds).toBe(false);
    expect(both.detail).toBe(
      "cannot be checked: VM 'boot' ran on several paths (boot/system/ide-dma, boot/system/ide-fastpath); name one with disk and path; no request ran on VM 'nope' disk 'x' path 'ide-dma'",
    );
  });

  it('evaluates each claim in order and never throws', () => {
    expect(evaluateClaims([], PATHS)).toEqual([]);
    const results = evaluateClaims(
      [
        claim({ left: side('pio', 'perIo.vmExits'), op: 'greater-than', right: side('dma', 'perIo.vmExits') }, 'first'),
        claim({ left: side('pio', 'perIo.vmExits'), op: 'less-than', right: side('dma', 'perIo.vmExits') }, 'second'),
      ],
      [],
    );
    expect(results.map((r) => [r.text, r.holds])).toEqual([
      ['first', false],
      ['second', false],
    ]);
  });

  it('reads every listed metric out of path figures', () => {
    const full = figures('vm', 'd', 'vmbus-scsi');
    for (const metric of CLAIM_METRICS) expect(metricValue(full, metric), metric).toBe(0);
    expect(metricValue(full, 'perIo.nope')).toBeUndefined();
  });
});

describe('figures with their units', () => {
  it('say a count that reads 1 in the singular, every other count in the plural', () => {
    const perIo = CLAIM_METRICS.filter((metric) => metric.startsWith('perIo.'));
    // Each is a count of something (exits, interrupts, I/Os): its words at 1 are not those at 2.
    for (const metric of perIo) expect(formatMetric(metric, 1), metric).not.toBe(`1 ${formatMetric(metric, 2).slice('2 '.length)}`);
    expect(formatMetric('perIo.interrupts', 1)).toBe('1 interrupt/IO');
    expect(formatMetric('perIo.interrupts', 0.9999)).toBe('1 interrupt/IO');
    expect(formatMetric('perIo.metadataIos', 1)).toBe('1 VHD metadata I/O/IO');
    expect(formatMetric('perIo.eois', 1)).toBe('1 EOI/IO');
    expect(formatMetric('perIo.registerAccesses', 1)).toBe('1 register access/IO');
    expect(formatMetric('perIo.ringSignalsToHost', 1)).toBe('1 signal to the host/IO');
    expect(formatMetric('perIo.interrupts', 0)).toBe('0 interrupts/IO');
    expect(formatMetric('iops', 1)).toBe('1 IOPS');
    expect(formatMetric('latencyNs.mean', 1)).toBe('1 ns mean latency');
    expect(formatFigure('vms.a.savedBytes', 1)).toBe('1 byte');
    expect(formatFigure('vms.a.savedBytes', 512)).toBe('512 bytes');
  });
});

describe('a run carries its claims', () => {
  it('checks the claims against the measured paths', () => {
    const scenario = scenarioOf(
      withClaim((s) => {
        s.workloads[0].count = 3;
        s.claims.push({ text: 'Impossible.', expect: { left: { vm: 'vm1', metric: 'latencyNs.mean' }, op: 'less-than', right: { value: 1 } } });
      }),
    );
    const run = runScenario(scenario);
    expect(run.claims.map((c) => c.holds)).toEqual([true, false]);
    expect(run.claims[0]!.left).toEqual({ label: 'vm1/data/vmbus-scsi perIo.vmExits', value: run.paths[0]!.perIo.vmExits });
    expect(run.claims[1]!.left.value).toBe(run.paths[0]!.latencyNs.mean);
  });

  it('a scenario without claims runs with none', () => {
    const parsed = parseScenarioText(jsonText(baseScenario()));
    expect(parsed.ok && runScenario(parsed.scenario).claims).toEqual([]);
  });
});
