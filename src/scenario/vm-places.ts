/**
 * Checks on what a VM's id and disks become in the built world, which the
 * model would otherwise trip over only at run time, or not at all: a VM's
 * places are named `<vm id>.<part>` beside the host's own (`root.…`,
 * `hv`, `hw.…`, `cluster.…`), and `Topology.place()` hands back an existing
 * place for an id it has seen, so a VM named `root` would share the root
 * partition's places and silently mix their figures; the emulated IDE
 * controller takes one disk per channel. Reports, never throws, in the
 * manner of `references.ts`.
 */
import { IDE_CHANNELS } from '../model/storage/ide-protocol.js';
import { quoted } from './errors.js';
import type { ReferenceIssue } from './references.js';
import type { Scenario } from './schema.js';

/**
 * The first parts of the host's place ids (model/world.ts, world/host-parts.ts,
 * hypervisor, hardware, cluster) and the root partition's id: a VM id equal
 * to one would name its places into the host's. `root` is also what a CPU
 * load's `vm` names for the root partition.
 */
export const RESERVED_VM_IDS = ['root', 'hv', 'hw', 'cluster'] as const;

/** The problems of each VM's id and IDE disks, appended to `issues`. */
export function checkVmPlaces(scenario: Scenario, issues: ReferenceIssue[]): void {
  scenario.vms.forEach((vm, v) => {
    if ((RESERVED_VM_IDS as readonly string[]).includes(vm.id)) {
      issues.push({
        path: ['vms', v, 'id'],
        found: `${JSON.stringify(vm.id)}, a name the host's own places use`,
        allowed: `an id other than ${quoted(RESERVED_VM_IDS)} (a VM's places are named after it, and these are the root partition's, the hypervisor's, the hardware's and the cluster's)`,
      });
    }
    checkIdeDisks(vm, v, issues);
  });
}

/**
 * The emulated IDE controller as the model builds it (world/front-ends.ts):
 * one disk on each of its channels, in the order the disks are listed. A
 * native host has no IDE emulation and a guest-attached iSCSI disk is the
 * guest's own, so neither counts.
 */
function checkIdeDisks(vm: Scenario['vms'][number], v: number, issues: ReferenceIssue[]): void {
  if (vm.native) return;
  let ide = 0;
  vm.disks.forEach((disk, d) => {
    if (disk.controller !== 'ide' || (disk.backend.kind === 'iscsi' && disk.backend.attach === 'guest')) return;
    ide++;
    if (ide > IDE_CHANNELS.length) {
      issues.push({
        path: ['vms', v, 'disks', d, 'controller'],
        found: `"ide" (disk '${disk.id}' would be IDE disk ${ide} of VM '${vm.id}')`,
        allowed: `'scsi': the model puts one disk on each of the ${IDE_CHANNELS.length} IDE channels, so a VM has at most ${IDE_CHANNELS.length} IDE disks`,
      });
    }
  });
}
