/**
 * The iSCSI fields of a scenario: targets on the host, VM disks of kind
 * iscsi attached by the guest or the root, and the cross-field checks,
 * each error at its exact field. Also builds the bundled scenario and
 * checks the paths it maps to.
 */
import { describe, expect, it } from 'vitest';
import { bundledScenario } from '../../src/scenario/bundled.js';
import { toWorldConfig } from '../../src/scenario/build.js';
import { possiblePaths } from '../../src/scenario/claim-references.js';
import { errorsOf, jsonText, scenarioOf } from './helpers.js';

/** One VM with a synthetic NIC and a guest-attached LUN, one with a root-attached LUN. */
function iscsiScenario(): Record<string, any> {
  return {
    version: 1,
    name: 'iscsi',
    host: { disks: [{ id: 'boot', kind: 'hdd' }], iscsiTargets: [{ id: 'tgt-a', disk: { kind: 'hdd' } }, { id: 'tgt-b', disk: { kind: 'ssd', sizeGiB: 100 } }] },
    vms: [
      { id: 'g', nics: [{ id: 'net', kind: 'synthetic' }], disks: [{ id: 'lun', controller: 'scsi', backend: { kind: 'iscsi', target: 'tgt-a', attach: 'guest' } }] },
      { id: 'r', disks: [{ id: 'lun', controller: 'scsi', backend: { kind: 'iscsi', target: 'tgt-b', attach: 'root' } }] },
    ],
    workloads: [
      { vm: 'g', disk: 'lun', size: '8KiB' },
      { vm: 'r', disk: 'lun', size: '8KiB' },
    ],
  };
}

const errors = (edit: (s: Record<string, any>) => void) => {
  const s = iscsiScenario();
  edit(s);
  return errorsOf(jsonText(s));
};

describe('iSCSI scenario fields', () => {
  it('accepts both attachments and maps them to the model', () => {
    const scenario = scenarioOf(jsonText(iscsiScenario()));
    const config = toWorldConfig(scenario);
    expect(config.host.iscsiTargets).toEqual([
      { id: 'tgt-a', disk: { kind: 'hdd', sectors: 450 * 2097152, writeCache: false, physicalSectorBytes: 512 } },
      { id: 'tgt-b', disk: { kind: 'ssd', sectors: 100 * 2097152, writeCache: false, physicalSectorBytes: 512 } },
    ]);
    expect(config.vms[0]!.disks[0]!.backend).toMatchObject({ kind: 'iscsi', target: 'tgt-a', attach: 'guest' });
    expect(config.vms[1]!.disks[0]!.backend).toMatchObject({ kind: 'iscsi', target: 'tgt-b', attach: 'root' });
    expect(possiblePaths(scenario, 'g', 'lun')).toEqual(['iscsi-guest']);
    expect(possiblePaths(scenario, 'r', 'lun')).toEqual(['vmbus-scsi']);
  });

  it('takes a 512e disk for a host disk or a target, and refuses it on a flash disk, saying why', () => {
    const s = iscsiScenario();
    s.host.disks[0].sectorFormat = '512e';
    s.host.iscsiTargets[0].disk.sectorFormat = '512e';
    const config = toWorldConfig(scenarioOf(jsonText(s)));
    expect(config.host.disks[0]!.physicalSectorBytes).toBe(4096);
    expect(config.host.iscsiTargets![0]!.disk.physicalSectorBytes).toBe(4096);
    const allowed = '512n with kind ssd (512e is modelled for an hdd only: its read-modify-write is the mechanism\'s extra revolution)';
    expect(errors((t) => (t.host.iscsiTargets[1].disk.sectorFormat = '512e'))[0]).toMatchObject({ path: 'host.iscsiTargets.1.disk.sectorFormat', found: '"512e"', allowed });
    expect(errors((t) => (t.host.disks = [{ id: 'boot', kind: 'ssd', sectorFormat: '512e' }]))[0]).toMatchObject({ path: 'host.disks.0.sectorFormat', allowed });
    expect(errors((t) => (t.host.disks[0].sectorFormat = '4Kn'))[0]).toMatchObject({ path: 'host.disks.0.sectorFormat', allowed: "one of '512n', '512e'" });
  });

  it('requires a known target', () => {
    expect(errors((s) => delete s.vms[0].disks[0].backend.target)[0]).toMatchObject({
      path: 'vms.0.disks.0.backend.target',
      message: "missing, allowed one of the iSCSI target ids: 'tgt-a', 'tgt-b'",
    });
    expect(errors((s) => (s.vms[0].disks[0].backend.target = 'tgt-z'))[0]).toMatchObject({
      path: 'vms.0.disks.0.backend.target',
      message: `found "tgt-z" (no iSCSI target has this id), allowed one of the iSCSI target ids: 'tgt-a', 'tgt-b'`,
    });
    expect(errors((s) => delete s.host.iscsiTargets)[0]).toMatchObject({
      path: 'vms.0.disks.0.backend.target',
      allowed: 'the id of an iSCSI target, but the scenario has none: add host.iscsiTargets',
    });
  });

  it('requires attach, and no host disk or size on an iscsi disk', () => {
    expect(errors((s) => delete s.vms[1].disks[0].backend.attach)[0]).toMatchObject({
      path: 'vms.1.disks.0.backend.attach',
      message: "missing, allowed 'guest' (the guest's own initiator over its synthetic NIC) or 'root' (the root's initiator, the LUN passed through to the VM)",
    });
    expect(errors((s) => (s.vms[1].disks[0].backend.disk = 'boot'))[0]).toMatchObject({ path: 'vms.1.disks.0.backend.disk', found: '"boot" on an iscsi disk' });
    expect(errors((s) => (s.vms[1].disks[0].backend.sizeGiB = 10))[0]).toMatchObject({ path: 'vms.1.disks.0.backend.sizeGiB' });
    expect(errors((s) => (s.vms[1].disks[0].backend.attach = 'both'))[0]).toMatchObject({ path: 'vms.1.disks.0.backend.attach', allowed: "one of 'guest', 'root'" });
  });

  it('guest attach needs a synthetic NIC on that VM', () => {
    expect(errors((s) => (s.vms[0].nics = []))[0]).toMatchObject({
      path: 'vms.0.disks.0.backend.attach',
      message: `found "guest" on VM 'g', which has no synthetic NIC, allowed 'root', or a NIC of kind synthetic in the VM's nics (the guest's initiator sends its iSCSI traffic through netvsc)`,
    });
    expect(errors((s) => (s.vms[0].nics = [{ id: 'net', kind: 'legacy' }]))[0]).toMatchObject({ path: 'vms.0.disks.0.backend.attach' });
    expect(errors((s) => (s.vms[0].disks[0].backend.nic = 'eth9'))[0]).toMatchObject({
      path: 'vms.0.disks.0.backend.nic',
      message: `found "eth9" (VM 'g' has no NIC with this id), allowed one of the synthetic NICs of VM 'g': 'net'`,
    });
    expect(
      errors((s) => {
        s.vms[0].nics.push({ id: 'old', kind: 'legacy' });
        s.vms[0].disks[0].backend.nic = 'old';
      })[0],
    ).toMatchObject({ path: 'vms.0.disks.0.backend.nic', found: '"old", a legacy NIC' });
    expect(errors((s) => (s.vms[0].disks[0].controller = 'ide'))[0]).toMatchObject({ path: 'vms.0.disks.0.controller', found: '"ide" on a guest-attached iscsi disk' });
  });

  it('root attach takes no nic; iscsi fields are rejected on other kinds', () => {
    expect(errors((s) => (s.vms[1].disks[0].backend.nic = 'net'))[0]).toMatchObject({ path: 'vms.1.disks.0.backend.nic', found: '"net" on a root-attached iscsi disk' });
    expect(
      errors((s) => {
        s.vms[1].disks[0].backend = { kind: 'passthrough', disk: 'boot', target: 'tgt-b' };
      })[0],
    ).toMatchObject({ path: 'vms.1.disks.0.backend.target', allowed: 'target only on an iscsi disk' });
    expect(errors((s) => (s.vms[1].disks[0].backend = { kind: 'fixed-vhd' }))[0]).toMatchObject({
      path: 'vms.1.disks.0.backend.disk',
      message: "missing, allowed the host disk behind a fixed-vhd disk: one of 'boot'",
    });
  });

  it('one LUN backs one VM disk; target ids are unique; a LUN cannot be snapshotted', () => {
    expect(errors((s) => (s.vms[1].disks[0].backend.target = 'tgt-a'))[0]).toMatchObject({
      path: 'vms.1.disks.0.backend.target',
      message: 'found "tgt-a" (already the LUN of vms.0.disks.0), allowed a target no other VM disk uses (give each disk its own target)',
    });
    expect(errors((s) => (s.host.iscsiTargets[1].id = 'tgt-a')).map((e) => e.path)).toContain('host.iscsiTargets.1.id');
    expect(errors((s) => (s.actions = [{ at: '1ms', do: 'snapshot', vm: 'r', disk: 'lun' }]))[0]).toMatchObject({ path: 'actions.0.disk', found: '"lun" (an iscsi disk)' });
  });

  it("checks a workload's extent against the target's disk", () => {
    expect(
      errors((s) => {
        s.workloads[1].pattern = 'fixed';
        s.workloads[1].lba = 100 * 2097152;
      })[0],
    ).toMatchObject({ path: 'workloads.1.lba' });
  });

  it('the bundled iscsi-guest-vs-root scenario is valid and names the two paths', () => {
    const bundled = bundledScenario('iscsi-guest-vs-root');
    expect(bundled).toBeDefined();
    const scenario = scenarioOf(bundled!.text);
    expect(possiblePaths(scenario, 'in-guest', 'lun')).toEqual(['iscsi-guest']);
    expect(possiblePaths(scenario, 'by-root', 'lun')).toEqual(['vmbus-scsi']);
  });
});
