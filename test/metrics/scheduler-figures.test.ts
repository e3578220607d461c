/** The `scheduler` figures, folded from hand-made vp.* records. */
import { describe, expect, it } from 'vitest';
import { SchedulerFigureFolder } from '../../src/metrics/scheduler-figures.js';
import { createFigureFolders, lookupFigure, figureUnit } from '../../src/metrics/run-figures.js';
import type { HvRecord } from '../../src/model/trace-events.js';

let seq = 0;
const rec = (t: number, kind: string, lp: number, fields: object, extra: Partial<HvRecord> = {}): HvRecord =>
  ({ seq: seq++, t, kind, place: 'hv.scheduler', band: 'hypervisor', stream: '', flow: -1, cause: -1, costNs: 0, charge: 'hypervisor', lp, ...fields, ...extra }) as HvRecord;

describe('scheduler figures', () => {
  it('is absent from a run with no vp records (the dedicated scheduler)', () => {
    const folder = new SchedulerFigureFolder();
    folder.write(rec(0, 'io.request.issued', 1, { vm: 'a', disk: 'd', path: 'vmbus-scsi', op: 'read', bytes: 512, lba: 0 }, { charge: 'guest' }));
    expect(folder.result()).toBeUndefined();
  });

  it('gives the ratio, each LP\'s VPs and use, each VP\'s ready and run time, and the VP wait per I/O', () => {
    const folder = new SchedulerFigureFolder();
    const records = [
      rec(0, 'vp.placed', 0, { vm: 'root', vp: 0 }),
      rec(0, 'vp.placed', 1, { vm: 'root', vp: 1 }),
      rec(0, 'vp.placed', 1, { vm: 'io', vp: 0 }),
      rec(0, 'vp.placed', 1, { vm: 'cpu', vp: 0 }),
      rec(0, 'vp.dispatched', 1, { vm: 'cpu', vp: 0, readyNs: 0 }),
      rec(10, 'vp.waited', 1, { vm: 'io', vp: 0, why: 'queued' }, { waitNs: 20, stream: 'io/d/vmbus-scsi', flow: 1 }),
      // A second step waiting for the same dispatch: its request waited, but the VP's ready time is counted once.
      rec(12, 'vp.waited', 1, { vm: 'io', vp: 0, why: 'turn' }, { waitNs: 18, stream: 'io/d/vmbus-scsi', flow: 2 }),
      rec(30, 'vp.descheduled', 1, { vm: 'cpu', vp: 0, why: 'preempted', ranNs: 30 }),
      rec(30, 'io.request.completed', 1, { path: 'vmbus-scsi', latencyNs: 30 }, { stream: 'io/d/vmbus-scsi', flow: 1, charge: 'guest' }),
      rec(35, 'vp.halted', 1, { vm: 'io', vp: 0 }, { costNs: 5, stream: 'io/d/vmbus-scsi' }),
      rec(40, 'vp.woken', 1, { vm: 'io', vp: 0, via: 'synic', haltedNs: 5 }, { costNs: 10 }),
    ];
    for (const r of records) folder.write(r);
    const tree = folder.result() as any;
    expect(tree.lpCount).toBe(2);
    expect(tree.guestVps).toBe(2);
    expect(tree.ratio).toBe(1);
    expect(tree.lps.lp1).toEqual({ vps: 2, busyNs: 45, busyPercent: 90 });
    expect(tree.lps.lp0.vps).toBe(0);
    expect(tree.vms.io).toMatchObject({ requests: 1, vpWaitNs: 38, vpWaitPerIoNs: 38, hltExits: 1, wakes: 1, vp0: { lp: 1, readyNs: 20, runNs: 0, hltExits: 1, wakes: 1 } });
    expect(tree.vms.cpu.vp0).toMatchObject({ runNs: 30, readyNs: 0 });
  });

  it('is registered as the part `scheduler`, so claims can name its figures with their units', () => {
    const folders = createFigureFolders();
    expect(folders.map((f) => f.part)).toContain('scheduler');
    const folder = folders.find((f) => f.part === 'scheduler')!;
    folder.write(rec(0, 'vp.placed', 1, { vm: 'io', vp: 0 }));
    expect(lookupFigure({ scheduler: folder.result()! }, 'scheduler.lps.lp1.vps')).toEqual({ ok: true, value: 1 });
    expect(figureUnit('scheduler.vms.io.vpWaitPerIoNs')).toBe('ns');
    expect(figureUnit('scheduler.lps.lp1.busyPercent')).toBe('percent');
  });
});
