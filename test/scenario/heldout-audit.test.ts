/**
 * Held-out audit of the scenario format (I/O): cases a trainer writes from
 * DESIGN.md §5 and `hvsim schema` that the format refused or took silently.
 */
import { describe, expect, it } from 'vitest';
import { toWorldConfig } from '../../src/scenario/build.js';
import { hitLimits, runScenario } from '../../src/scenario/run.js';
import { edited, errorsOf, scenarioOf } from './helpers.js';

describe('integrationServices follows the VM when the file leaves it out', () => {
  it('a native baseline written without integrationServices is valid and not enlightened', () => {
    const s = scenarioOf(
      edited((s) => {
        s.vms[0].native = true;
        s.vms[0].disks[0].backend = { kind: 'passthrough', disk: 'd1' };
      }),
    );
    expect(s.vms[0]!.integrationServices).toBe(false);
  });

  it('an OS with no synthetic drivers (os legacy) written without integrationServices is valid and not enlightened', () => {
    const s = scenarioOf(
      edited((s) => {
        s.vms[0].os = 'legacy';
        s.vms[0].disks[0].controller = 'ide';
      }),
    );
    expect(s.vms[0]!.integrationServices).toBe(false);
  });

  it('still refuses integrationServices true written on a native or legacy VM, and defaults to true otherwise', () => {
    expect(errorsOf(edited((s) => {
      s.vms[0].os = 'legacy';
      s.vms[0].integrationServices = true;
      s.vms[0].disks[0].controller = 'ide';
    }))[0]).toMatchObject({ path: 'vms.0.integrationServices' });
    expect(scenarioOf(edited(() => {})).vms[0]!.integrationServices).toBe(true);
  });
});

describe('ideMode only on an IDE disk', () => {
  it('refuses ideMode on a SCSI disk, naming the field and the controller', () => {
    const [error, ...rest] = errorsOf(edited((s) => (s.vms[0].disks[0].ideMode = 'pio')));
    expect(rest).toEqual([]);
    expect(error).toMatchObject({ path: 'vms.0.disks.0.ideMode' });
    expect(error!.message).toMatch(/scsi/);
  });

  it('takes ideMode on an IDE disk and defaults an IDE disk to dma', () => {
    expect(scenarioOf(edited((s) => {
      s.vms[0].disks[0].controller = 'ide';
      s.vms[0].disks[0].ideMode = 'pio';
    })).vms[0]!.disks[0]!.ideMode).toBe('pio');
    expect(toWorldConfig(scenarioOf(edited((s) => (s.vms[0].disks[0].controller = 'ide')))).vms[0]!.disks[0]!.ideMode).toBe('dma');
  });
});

describe('a workload bounded by duration (DESIGN §5: "count or duration")', () => {
  const timed = (edit: (w: any) => void = () => {}) =>
    scenarioOf(
      edited((s) => {
        s.host.disks[0].kind = 'ssd';
        s.workloads[0] = { vm: 'vm1', disk: 'data', op: 'read', size: '4KiB', queueDepth: 4, pattern: 'random', duration: '2ms' };
        edit(s.workloads[0]);
      }),
    );

  it('is valid without a count, and issues requests only until start + duration, every one completing', () => {
    const run = runScenario(timed(), { keepRecords: true });
    const issued = run.records.filter((r) => r.kind === 'io.request.issued');
    expect(issued.length).toBeGreaterThan(20); // an NVMe read takes ~0.1 ms: dozens at queue depth 4 in 2 ms
    expect(issued.every((r) => r.t < 2_000_000)).toBe(true);
    expect(run.output.completed).toBe(issued.length);
    expect(run.stuck).toEqual([]);
    expect(run.notIssued).toEqual([]);
    expect(run.requested).toBe(issued.length);
    expect(hitLimits(run)).toBe(false);
  });

  it('counts its window from start, and a count still caps it', () => {
    const late = runScenario(timed((w) => (w.start = '1ms')), { keepRecords: true });
    const times = late.records.filter((r) => r.kind === 'io.request.issued').map((r) => r.t);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(1_000_000);
    expect(Math.max(...times)).toBeLessThan(3_000_000);
    const capped = runScenario(timed((w) => (w.count = 10)));
    expect(capped.output.completed).toBe(10);
    expect(capped.notIssued).toEqual([]);
  });

  it('wraps a sequential stream to its first sector at the end of the disk instead of refusing the file', () => {
    const s = timed((w) => {
      w.pattern = 'sequential';
      w.size = '1MiB';
      w.duration = '10ms';
    });
    expect(s.workloads[0]!.duration).toBe('10ms');
    s.vms[0]!.disks[0]!.backend.sizeGiB = 0.01; // 20,971 sectors: ten 1 MiB requests, then the stream wraps
    const run = runScenario(s, { keepRecords: true });
    const lbas = run.records.filter((r) => r.kind === 'io.request.issued').map((r) => (r as unknown as { lba: number }).lba);
    expect(lbas.length).toBeGreaterThan(10);
    expect(lbas.every((lba) => lba + 2048 <= 20_971)).toBe(true);
    expect(lbas.slice(0, 11)).toEqual([0, 2048, 4096, 6144, 8192, 10240, 12288, 14336, 16384, 18432, 0]);
    expect(run.stuck).toEqual([]);
  });

  it('refuses a duration of 0, which would issue nothing and leave the workload out of the run silently', () => {
    const [error, ...rest] = errorsOf(edited((s) => {
      s.workloads[0].duration = 0;
    }));
    expect(rest).toEqual([]);
    expect(error).toMatchObject({ path: 'workloads.0.duration' });
  });

  it('still reports a duration workload the run cut short at limits.until as not finished', () => {
    const s = timed((w) => (w.duration = '10ms'));
    const run = runScenario({ ...s, limits: { ...s.limits, until: '1ms' } });
    expect(run.notIssued.length + run.stuck.length).toBeGreaterThan(0);
  });
});
