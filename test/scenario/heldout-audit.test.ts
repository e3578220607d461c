/**
 * Held-out audit of the scenario format (I/O): cases a trainer writes from
 * DESIGN.md §5 and `hvsim schema` that the format refused or took silently.
 */
import { describe, expect, it } from 'vitest';
import { toWorldConfig } from '../../src/scenario/build.js';
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
