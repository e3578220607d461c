/**
 * Checks that span fields of a structurally valid scenario: ids are unique
 * and name things that exist, the synthetic controller has the drivers it
 * needs, each request fits its controller and its disk, and nothing is
 * scheduled past the run's end. It reports; it never throws or mutates.
 * Each finding names the exact field at fault, what it holds and what
 * would be allowed there.
 */
import { checkClaimSide } from './claim-references.js';
import { checkLifecycleActions, lifecycleFilesGiB } from './lifecycle-references.js';
import { quoted } from './errors.js';
import { checkPolicyFields } from './policy/fields.js';
import { checkScheduling } from './scheduling-references.js';
import { checkVmPlaces } from './vm-places.js';
import type { Scenario } from './schema.js';
import { checkCluster, isClusterAction } from './schema-cluster.js';
import { durationNs, sizeBytes, SECTOR_BYTES } from './units.js';

/** One cross-field problem, located at `path` in the scenario. */
export interface ReferenceIssue {
  path: (string | number)[];
  found: string;
  allowed: string;
}

export { DEFAULT_VHD_GIB, SECTORS_PER_GIB, sectorsOfGiB, vhdGiB } from './sizes.js';
import { sectorsOfGiB, vhdGiB } from './sizes.js';



/** All cross-field problems of `scenario` (empty when it is consistent). */
export function checkReferences(scenario: Scenario): ReferenceIssue[] {
  const issues: ReferenceIssue[] = [];
  const hostDisks = scenario.host?.disks ?? [];
  uniqueIds(hostDisks, ['host', 'disks'], 'host disk', issues);
  uniqueIds(scenario.host?.iscsiTargets ?? [], ['host', 'iscsiTargets'], 'iSCSI target', issues);
  uniqueIds(scenario.vms, ['vms'], 'VM', issues);
  scenario.vms.forEach((vm, v) => {
    uniqueIds(vm.disks, ['vms', v, 'disks'], `disk of VM '${vm.id}'`, issues);
    checkVm(scenario, v, issues);
  });
  checkVmPlaces(scenario, issues);
  scenario.workloads.forEach((_, w) => checkWorkload(scenario, w, issues));
  scenario.traffic.forEach((_, t) => checkTraffic(scenario, t, issues));
  const untilNs = nsOf(scenario.limits.until);
  issues.push(...checkCluster(scenario));
  scenario.actions.forEach((action, a) => {
    if (isClusterAction(action)) return; // checked by checkCluster
    const vm = scenario.vms.find((candidate) => candidate.id === action.vm);
    if (vm === undefined) {
      issues.push({ path: ['actions', a, 'vm'], found: `${JSON.stringify(action.vm)} (no VM has this id)`, allowed: `one of the VM ids: ${quoted(scenario.vms.map((v) => v.id))}` });
    } else {
      checkAction(vm, action, a, issues);
    }
    if (nsOf(action.at) >= untilNs) issues.push(pastTheEnd(['actions', a, 'at'], action.at, scenario.limits.until));
  });
  checkLifecycleActions(scenario, issues);
  checkHostDiskSpace(scenario, issues);
  checkNativeDisks(scenario, issues);
  checkIscsiTargetUse(scenario, issues);
  issues.push(...checkPolicyFields(scenario));
  checkScheduling(scenario, issues);
  scenario.claims.forEach((claim, c) => {
    checkClaimSide(scenario, claim.expect.left, ['claims', c, 'expect', 'left'], issues);
    checkClaimSide(scenario, claim.expect.right, ['claims', c, 'expect', 'right'], issues);
  });
  return issues;
}

function checkAction(vm: Scenario['vms'][number], action: Scenario['actions'][number], a: number, issues: ReferenceIssue[]): void {
  if (action.do === 'load-integration-services' && vm.os === 'legacy') {
    issues.push({ path: ['actions', a, 'do'], found: `"load-integration-services" on VM '${vm.id}', whose os is legacy`, allowed: "'snapshot', or a VM whose OS has synthetic drivers (windows or linux)" });
  }
  if (action.do === 'load-integration-services' && action.disk !== undefined) {
    issues.push({ path: ['actions', a, 'disk'], found: JSON.stringify(action.disk), allowed: 'no disk: integration services load for the whole VM' });
  }
  if (action.do !== 'snapshot' || action.disk === undefined) return; // a snapshot of the whole VM: lifecycle-references.ts
  const disk = vm.disks.find((d) => d.id === action.disk);
  if (action.disk === undefined || disk === undefined) {
    issues.push({
      path: ['actions', a, 'disk'],
      found: action.disk === undefined ? 'nothing' : `${JSON.stringify(action.disk)} (VM '${vm.id}' has no disk with this id)`,
      allowed: `the VM disk to snapshot: one of ${quoted(vm.disks.map((d) => d.id))}`,
    });
  } else if (disk.backend.kind === 'iscsi') {
    issues.push({ path: ['actions', a, 'disk'], found: `${JSON.stringify(action.disk)} (an iscsi disk)`, allowed: 'a disk backed by a VHD: an iSCSI LUN cannot be snapshotted by Hyper-V' });
  } else if (disk.backend.kind === 'passthrough') {
    issues.push({ path: ['actions', a, 'disk'], found: `${JSON.stringify(action.disk)} (a passthrough disk)`, allowed: 'a disk backed by a VHD: a passthrough disk cannot be snapshotted' });
  }
}

/** A disk a native host owns cannot also back a VM's disk (the baseline runs without Hyper-V on that disk). */
function checkNativeDisks(scenario: Scenario, issues: ReferenceIssue[]): void {
  const owner = new Map<string, string>();
  scenario.vms.forEach((vm) => vm.native && vm.disks.forEach((d) => d.backend.disk !== undefined && owner.set(d.backend.disk, vm.id)));
  scenario.vms.forEach((vm, v) => {
    if (vm.native) return;
    vm.disks.forEach((d, i) => {
      const nativeOwner = d.backend.disk === undefined ? undefined : owner.get(d.backend.disk);
      if (nativeOwner !== undefined) {
        issues.push({ path: ['vms', v, 'disks', i, 'backend', 'disk'], found: `"${d.backend.disk}", the physical disk of native host '${nativeOwner}'`, allowed: 'a host disk no native host uses (give the baseline its own identical disk)' });
      }
    });
  });
}

/**
 * What a VHDX file holds beside its blocks, at most, in GiB (vhd.ts,
 * `VHDX_LAYOUT`): 1 MiB each of headers, log and metadata, its BAT (8 bytes
 * a block, in whole MiB), and a differencing image's 1 MiB sector bitmap
 * per 4 GiB. 0 for a VHD, whose metadata `* 1.001` covers.
 */
function vhdxMetadataGiB(backend: { kind: string; sizeGiB?: number | undefined; blockSizeMiB?: number | undefined }): number {
  if (!backend.kind.endsWith('-vhdx')) return 0;
  const gib = vhdGiB(backend);
  const batMiB = Math.ceil((((gib * 1024) / (backend.blockSizeMiB ?? 32)) * 2 * 8) / 2 ** 20);
  return (3 + batMiB + Math.ceil(gib / 4)) / 1024;
}

/** Every VHD file must fit on its host disk: a VHD can grow to its virtual size, and each differencing level as much again. */
function checkHostDiskSpace(scenario: Scenario, issues: ReferenceIssue[]): void {
  for (const hostDisk of scenario.host?.disks ?? []) {
    let needGiB = 0;
    // A snapshot of the disk or of its whole VM, and each revert, adds a differencing image.
    const snapshots = (vmId: string, diskId: string): number =>
      scenario.actions.filter((x) => 'vm' in x && x.vm === vmId && ((x.do === 'snapshot' && (x.disk === diskId || x.disk === undefined)) || x.do === 'revert')).length;
    for (const vm of scenario.vms) {
      for (const d of vm.disks) {
        if (d.backend.disk !== hostDisk.id || d.backend.kind === 'passthrough') continue;
        const differencing = d.backend.kind === 'differencing-vhd' || d.backend.kind === 'differencing-vhdx';
        const images = 1 + (differencing ? (d.backend.depth ?? 1) : 0) + snapshots(vm.id, d.id);
        needGiB += (vhdGiB(d.backend) * 1.001 + vhdxMetadataGiB(d.backend)) * images; // + BAT, bitmaps and footer
      }
      // Saved state and snapshot files sit beside the VM's first VHD (model/world.ts).
      const firstVhd = vm.disks.find((d) => d.backend.kind !== 'passthrough' && d.backend.kind !== 'iscsi') ?? vm.disks.find((d) => d.backend.kind !== 'iscsi');
      if ((firstVhd?.backend.disk ?? scenario.host?.disks[0]?.id) === hostDisk.id) needGiB += lifecycleFilesGiB(scenario, vm);
    }
    if (needGiB > hostDisk.sizeGiB) {
      const h = (scenario.host?.disks ?? []).indexOf(hostDisk);
      issues.push({
        path: ['host', 'disks', h, 'sizeGiB'],
        found: `${hostDisk.sizeGiB} GiB, but its VHD files can grow to ${Math.ceil(needGiB)} GiB`,
        allowed: 'a size that holds every VHD file placed on it (or smaller VHDs: backend.sizeGiB)',
      });
    }
  }
}

function nsOf(value: number | string): number {
  const converted = durationNs(value);
  return converted.ok ? converted.value : 0;
}

function pastTheEnd(path: (string | number)[], value: number | string, until: number | string): ReferenceIssue {
  return { path, found: `${JSON.stringify(value)} (not before limits.until, ${JSON.stringify(until)})`, allowed: 'a time before limits.until (raise limits.until to run longer)' };
}

function uniqueIds(items: readonly { id: string }[], path: (string | number)[], what: string, issues: ReferenceIssue[]): void {
  const first = new Map<string, number>();
  items.forEach((item, i) => {
    const earlier = first.get(item.id);
    if (earlier === undefined) first.set(item.id, i);
    else issues.push({ path: [...path, i, 'id'], found: `${JSON.stringify(item.id)} (already the id of ${path.join('.')}.${earlier})`, allowed: `an id no other ${what} has` });
  });
}

function checkVm(scenario: Scenario, v: number, issues: ReferenceIssue[]): void {
  const vm = scenario.vms[v]!;
  const hostDiskIds = (scenario.host?.disks ?? []).map((d) => d.id);
  if (vm.native) {
    if (vm.integrationServices) issues.push({ path: ['vms', v, 'integrationServices'], found: 'true on a native host', allowed: 'false: a native host runs no hypervisor, so there is nothing to integrate with' });
    vm.nics.forEach((_, n) => issues.push({ path: ['vms', v, 'nics', n], found: 'a NIC on a native host', allowed: 'no nics: the network paths are for VMs' }));
    vm.disks.forEach((disk, d) => {
      if (disk.backend.kind !== 'passthrough') {
        issues.push({ path: ['vms', v, 'disks', d, 'backend', 'kind'], found: `"${disk.backend.kind}" on a native host`, allowed: "'passthrough': a native host uses the physical disk itself" });
      }
    });
    if (scenario.actions.some((a) => 'vm' in a && a.vm === vm.id)) {
      const a = scenario.actions.findIndex((x) => 'vm' in x && x.vm === vm.id);
      issues.push({ path: ['actions', a, 'vm'], found: `'${vm.id}', a native host`, allowed: 'a VM: actions (integration services, snapshots) need a hypervisor and VHDs' });
    }
  }
  if (vm.os === 'legacy' && vm.integrationServices) {
    issues.push({
      path: ['vms', v, 'integrationServices'],
      found: 'true on a VM whose os is legacy',
      allowed: 'false: an OS with no synthetic drivers runs emulated devices only',
    });
  }
  if (vm.autoEoi === true && !vm.integrationServices && !scenario.actions.some((a) => a.do === 'load-integration-services' && a.vm === vm.id)) {
    issues.push({
      path: ['vms', v, 'autoEoi'],
      found: 'true on a VM that never runs integration services',
      allowed: 'false or no autoEoi (auto-EOI is an enlightenment; it needs integration services, at boot or loaded by an action)',
    });
  }
  vm.nics.forEach((nic, n) => {
    if (nic.kind === 'synthetic' && !vm.integrationServices && !scenario.actions.some((a) => a.do === 'load-integration-services' && a.vm === vm.id)) {
      issues.push({
        path: ['vms', v, 'nics', n, 'kind'],
        found: `"synthetic" on VM '${vm.id}', which never runs integration services`,
        allowed: `'legacy', or integrationServices true (netvsc needs the guest's VMBus drivers)`,
      });
    }
  });
  uniqueIds(vm.nics, ['vms', v, 'nics'], `NIC of VM '${vm.id}'`, issues);
  vm.disks.forEach((disk, d) => {
    const b = disk.backend;
    const at = (field: string): (string | number)[] => ['vms', v, 'disks', d, 'backend', field];
    const notFor = (field: string, value: unknown, allowed: string): void => {
      issues.push({ path: at(field), found: `${JSON.stringify(value)} on a ${b.kind} disk`, allowed });
    };
    if (b.kind === 'passthrough' && b.sizeGiB !== undefined) notFor('sizeGiB', b.sizeGiB, 'no sizeGiB: a passthrough disk is the whole host disk');
    if (b.kind !== 'iscsi') {
      for (const field of ['target', 'attach', 'nic'] as const) {
        if (b[field] !== undefined) notFor(field, b[field], `${field} only on an iscsi disk`);
      }
    }
    const sparse = b.kind === 'dynamic-vhd' || b.kind === 'differencing-vhd' || b.kind === 'dynamic-vhdx' || b.kind === 'differencing-vhdx';
    const differencing = b.kind === 'differencing-vhd' || b.kind === 'differencing-vhdx';
    if (!sparse && b.zeroFillNewBlocks !== undefined) {
      notFor('zeroFillNewBlocks', b.zeroFillNewBlocks, 'zeroFillNewBlocks only on a dynamic or differencing VHD or VHDX (they allocate blocks)');
    }
    if (b.blockSizeMiB !== undefined && b.kind !== 'dynamic-vhdx' && b.kind !== 'differencing-vhdx') {
      notFor('blockSizeMiB', b.blockSizeMiB, "blockSizeMiB only on a dynamic-vhdx or differencing-vhdx (a VHD's blocks are 2 MiB; a fixed disk has none to allocate)");
    }
    if (!differencing && b.base !== undefined) notFor('base', b.base, 'base only on a differencing-vhd or differencing-vhdx');
    if (!differencing && b.depth !== undefined) notFor('depth', b.depth, 'depth only on a differencing-vhd or differencing-vhdx');
    if (b.kind === 'iscsi') {
      checkIscsiDisk(scenario, v, d, issues);
    } else if (disk.backend.disk === undefined) {
      issues.push({
        path: ['vms', v, 'disks', d, 'backend', 'disk'],
        found: 'nothing (the field is missing)',
        allowed: hostDiskIds.length > 0 ? `the host disk behind a ${b.kind} disk: one of ${quoted(hostDiskIds)}` : 'the id of a host disk, but the scenario has none: add host.disks',
      });
    } else if (!hostDiskIds.includes(disk.backend.disk)) {
      issues.push({
        path: ['vms', v, 'disks', d, 'backend', 'disk'],
        found: `${JSON.stringify(disk.backend.disk)} (no host disk has this id)`,
        allowed: hostDiskIds.length > 0 ? `one of the host disk ids: ${quoted(hostDiskIds)}` : 'the id of a host disk, but the scenario has none: add host.disks',
      });
    }
    if (disk.controller !== 'ide' && disk.ideMode !== undefined) {
      // The transfer mode is the guest ATA driver's; a SCSI disk has none, so the field would be ignored silently.
      issues.push({
        path: ['vms', v, 'disks', d, 'ideMode'],
        found: `${JSON.stringify(disk.ideMode)} on a ${disk.controller} disk`,
        allowed: "no ideMode: it is the transfer mode of the guest's ATA driver, only on a disk with controller 'ide'",
      });
    }
    if (disk.controller === 'scsi' && !vm.integrationServices && !vm.native && !(b.kind === 'iscsi' && b.attach === 'guest')) {
      issues.push({
        path: ['vms', v, 'disks', d, 'controller'],
        found: `"scsi" on VM '${vm.id}', which has integrationServices false`,
        allowed: `'ide', or integrationServices true on the VM (the synthetic SCSI controller needs the guest's VMBus drivers)`,
      });
    }
  });
}

/** The fields of an iscsi disk: no host disk, a known target, who attaches it, and for the guest a synthetic NIC. */
function checkIscsiDisk(scenario: Scenario, v: number, d: number, issues: ReferenceIssue[]): void {
  const vm = scenario.vms[v]!;
  const disk = vm.disks[d]!;
  const b = disk.backend;
  const at = (field: string): (string | number)[] => ['vms', v, 'disks', d, field === 'controller' ? field : 'backend', ...(field === 'controller' ? [] : [field])];
  const targets = (scenario.host?.iscsiTargets ?? []).map((t) => t.id);
  const targetsAllowed = targets.length > 0 ? `one of the iSCSI target ids: ${quoted(targets)}` : 'the id of an iSCSI target, but the scenario has none: add host.iscsiTargets';
  if (b.disk !== undefined) issues.push({ path: at('disk'), found: `${JSON.stringify(b.disk)} on an iscsi disk`, allowed: 'no disk: an iscsi disk names its target (backend.target), whose own disk holds the LUN' });
  if (b.sizeGiB !== undefined) issues.push({ path: at('sizeGiB'), found: `${JSON.stringify(b.sizeGiB)} on an iscsi disk`, allowed: "no sizeGiB: the LUN is the whole of the target's disk (host.iscsiTargets[].disk.sizeGiB)" });
  if (b.target === undefined) issues.push({ path: at('target'), found: 'nothing (the field is missing)', allowed: targetsAllowed });
  else if (!targets.includes(b.target)) issues.push({ path: at('target'), found: `${JSON.stringify(b.target)} (no iSCSI target has this id)`, allowed: targetsAllowed });
  const attachAllowed = "'guest' (the guest's own initiator over its synthetic NIC) or 'root' (the root's initiator, the LUN passed through to the VM)";
  if (b.attach === undefined) {
    issues.push({ path: at('attach'), found: 'nothing (the field is missing)', allowed: attachAllowed });
    return;
  }
  if (b.attach === 'root') {
    if (b.nic !== undefined) issues.push({ path: at('nic'), found: `${JSON.stringify(b.nic)} on a root-attached iscsi disk`, allowed: "no nic: the root's initiator uses the root's own NIC (nic only with attach 'guest')" });
    return;
  }
  if (disk.controller !== 'scsi') {
    issues.push({ path: at('controller'), found: `"${disk.controller}" on a guest-attached iscsi disk`, allowed: "'scsi': the guest's iSCSI initiator presents a SCSI disk (no Hyper-V controller is involved)" });
  }
  const synthetic = vm.nics.filter((n) => n.kind === 'synthetic');
  if (b.nic !== undefined) {
    const nic = vm.nics.find((n) => n.id === b.nic);
    if (nic === undefined || nic.kind !== 'synthetic') {
      issues.push({
        path: at('nic'),
        found: nic === undefined ? `${JSON.stringify(b.nic)} (VM '${vm.id}' has no NIC with this id)` : `${JSON.stringify(b.nic)}, a legacy NIC`,
        allowed: synthetic.length > 0 ? `one of the synthetic NICs of VM '${vm.id}': ${quoted(synthetic.map((n) => n.id))}` : `a synthetic NIC of VM '${vm.id}', but it has none: add one to its nics`,
      });
    }
  } else if (synthetic.length === 0) {
    issues.push({
      path: at('attach'),
      found: `"guest" on VM '${vm.id}', which has no synthetic NIC`,
      allowed: `'root', or a NIC of kind synthetic in the VM's nics (the guest's initiator sends its iSCSI traffic through netvsc)`,
    });
  }
}

/** One LUN, one VM disk: a target's LUN backs at most one VM disk (no shared-LUN clustering here). */
function checkIscsiTargetUse(scenario: Scenario, issues: ReferenceIssue[]): void {
  const first = new Map<string, string>();
  scenario.vms.forEach((vm, v) =>
    vm.disks.forEach((disk, d) => {
      if (disk.backend.kind !== 'iscsi' || disk.backend.target === undefined) return;
      const earlier = first.get(disk.backend.target);
      if (earlier === undefined) first.set(disk.backend.target, `vms.${v}.disks.${d}`);
      else issues.push({ path: ['vms', v, 'disks', d, 'backend', 'target'], found: `${JSON.stringify(disk.backend.target)} (already the LUN of ${earlier})`, allowed: 'a target no other VM disk uses (give each disk its own target)' });
    }),
  );
}

/** The largest frame the legacy card (DEC 21140) takes: 1,518 bytes with its FCS. */
const LEGACY_FRAME_MAX = 1518;

function checkTraffic(scenario: Scenario, t: number, issues: ReferenceIssue[]): void {
  const traffic = scenario.traffic[t]!;
  const at = (field: string): (string | number)[] => ['traffic', t, field];
  const vm = scenario.vms.find((candidate) => candidate.id === traffic.vm);
  if (vm === undefined) {
    issues.push({ path: at('vm'), found: `${JSON.stringify(traffic.vm)} (no VM has this id)`, allowed: `one of the VM ids: ${quoted(scenario.vms.map((v) => v.id))}` });
    return;
  }
  const nic = vm.nics.find((n) => n.id === traffic.nic);
  if (nic === undefined) {
    issues.push({ path: at('nic'), found: `${JSON.stringify(traffic.nic)} (VM '${vm.id}' has no NIC with this id)`, allowed: vm.nics.length > 0 ? `one of the NICs of VM '${vm.id}': ${quoted(vm.nics.map((n) => n.id))}` : `a NIC of VM '${vm.id}', but it has none: add one to its nics` });
    return;
  }
  if (nic.kind === 'legacy' && traffic.bytes > LEGACY_FRAME_MAX) {
    issues.push({ path: at('bytes'), found: `${traffic.bytes} on legacy NIC '${nic.id}'`, allowed: `at most ${LEGACY_FRAME_MAX} bytes: the emulated DEC 21140 has no jumbo frames` });
  }
  if (traffic.to !== undefined) {
    const [toVm, toNic] = traffic.to.split('/');
    const target = scenario.vms.find((v) => v.id === toVm)?.nics.find((n) => n.id === toNic);
    if (traffic.direction !== 'send') issues.push({ path: at('to'), found: JSON.stringify(traffic.to), allowed: 'no to on receive traffic (frames arrive from the physical network)' });
    else if (target === undefined) {
      // The sending NIC itself is no destination (below): it is not offered.
      const others = scenario.vms.flatMap((v) => v.nics.map((n) => `${v.id}/${n.id}`)).filter((x) => x !== `${vm.id}/${nic.id}`);
      issues.push({
        path: at('to'),
        found: `${JSON.stringify(traffic.to)} (no such NIC)`,
        allowed: others.length > 0 ? `one of ${quoted(others)}, or no to: frames go out to the physical network` : 'the NIC of another VM (add one), or no to: frames go out to the physical network',
      });
    } else if (target.kind === 'legacy' && nic.kind !== 'legacy' && traffic.bytes > LEGACY_FRAME_MAX) {
      issues.push({ path: at('bytes'), found: `${traffic.bytes} to legacy NIC '${traffic.to}'`, allowed: `at most ${LEGACY_FRAME_MAX} bytes: the emulated DEC 21140 receives no jumbo frames` });
    } else if (toVm === vm.id && toNic === nic.id) {
      // The virtual switch forwards a frame to another port; a NIC sending to itself has no path in the model.
      const others = scenario.vms.flatMap((v) => v.nics.map((n) => `${v.id}/${n.id}`)).filter((x) => x !== traffic.to);
      issues.push({ path: at('to'), found: `${JSON.stringify(traffic.to)}, the sending NIC itself`, allowed: others.length > 0 ? `another NIC: one of ${quoted(others)}` : 'the NIC of another VM (add one), or no to: frames go out to the physical network' });
    }
  }
  const untilNs = nsOf(scenario.limits.until);
  if (nsOf(traffic.start) >= untilNs) issues.push(pastTheEnd(at('start'), traffic.start, scenario.limits.until));
}

function checkWorkload(scenario: Scenario, w: number, issues: ReferenceIssue[]): void {
  const workload = scenario.workloads[w]!;
  const path = (field: string): (string | number)[] => ['workloads', w, field];
  const vm = scenario.vms.find((candidate) => candidate.id === workload.vm);
  if (vm === undefined) {
    issues.push({ path: path('vm'), found: `${JSON.stringify(workload.vm)} (no VM has this id)`, allowed: `one of the VM ids: ${quoted(scenario.vms.map((v) => v.id))}` });
    return;
  }
  const disk = vm.disks.find((candidate) => candidate.id === workload.disk);
  if (disk === undefined) {
    issues.push({
      path: path('disk'),
      found: `${JSON.stringify(workload.disk)} (VM '${vm.id}' has no disk with this id)`,
      allowed: vm.disks.length > 0 ? `one of the disks of VM '${vm.id}': ${quoted(vm.disks.map((d) => d.id))}` : `a disk of VM '${vm.id}', but it has none: add one to its disks`,
    });
    return;
  }
  const untilNs = nsOf(scenario.limits.until);
  if (nsOf(workload.start) >= untilNs) issues.push(pastTheEnd(path('start'), workload.start, scenario.limits.until));
  if (workload.duration !== undefined && durationNs(workload.duration).ok && nsOf(workload.duration) === 0) {
    // A window of no time issues nothing: the workload would vanish from the run without a word.
    issues.push({ path: path('duration'), found: `${JSON.stringify(workload.duration)} (a workload that issues no request)`, allowed: 'a duration above 0, or count instead' });
  }
  const bytes = sizeBytes(workload.size);
  if (!bytes.ok) return;
  const sectors = bytes.value / SECTOR_BYTES;
  // An IDE request of more than 256 sectors, or past LBA 2^28, is valid: the guest's ATA driver uses the 48-bit EXT commands (ata-driver.ts).
  if (workload.readPercent !== undefined && workload.op !== 'mixed') {
    issues.push({ path: path('readPercent'), found: `${workload.readPercent} on a ${workload.op} workload`, allowed: "readPercent only with op 'mixed'" });
  }
  const hostDisk =
    disk.backend.kind === 'iscsi' ? scenario.host?.iscsiTargets.find((t) => t.id === disk.backend.target)?.disk : scenario.host?.disks.find((d) => d.id === disk.backend.disk);
  if (hostDisk === undefined) return; // reported at the VM's backend.disk or backend.target
  // The guest sees its VHD's virtual size, or the whole disk when it is passed through (or is an iSCSI LUN).
  const capacity = disk.backend.kind === 'passthrough' || disk.backend.kind === 'iscsi' ? sectorsOfGiB(hostDisk.sizeGiB) : sectorsOfGiB(vhdGiB(disk.backend));
  if (workload.pattern === 'random') {
    if (sectors > capacity) {
      issues.push({ path: path('size'), found: `${JSON.stringify(workload.size)} (${sectors} sectors)`, allowed: `at most the ${capacity} sectors of disk '${disk.id}'` });
    }
    return;
  }
  // A duration workload's sequential stream wraps at the end of the disk (model/world/workloads.ts); its count is a cap.
  const extent = workload.pattern === 'sequential' && workload.duration === undefined ? sectors * workload.count : sectors;
  if (workload.lba + extent > capacity) {
    const what = workload.pattern === 'sequential' ? `${workload.count} requests of ${sectors} sectors` : `${sectors} sectors`;
    issues.push({
      path: path('lba'),
      found: `${workload.lba} (+ ${what} ends at sector ${workload.lba + extent})`,
      allowed: `a start sector that keeps the requests within disk '${disk.id}' (${capacity} sectors): at most ${Math.max(0, capacity - extent)}`,
    });
  }
}
