/**
 * Checks of claim sides against the scenario: a side must name exactly one
 * path the run can produce (a VM and a disk or NIC with work on it, and a
 * path that disk can take). Part of the cross-field checks of
 * references.ts, kept apart because it reasons about paths, not fields.
 */
import { FIGURE_FOLDERS, figureKeys } from '../metrics/run-figures.js';
import type { PathKind } from '../model/trace-events.js';
import type { ClaimSideSpec } from './claims.js';
import { quoted } from './errors.js';
import type { ReferenceIssue } from './references.js';
import type { Scenario } from './schema.js';

/**
 * The paths requests on `vm`'s disk `diskId` may take: a SCSI disk only the
 * synthetic path; an IDE disk its emulated mode, and also the fast path if
 * integration services are (or may be) loaded. A superset of what a run
 * shows, so a claim is never rejected for a path the run could take.
 */
export function possiblePaths(scenario: Scenario, vmId: string, diskId: string): PathKind[] {
  const vm = scenario.vms.find((candidate) => candidate.id === vmId);
  const nic = vm?.nics.find((candidate) => candidate.id === diskId);
  if (nic !== undefined) return [nic.kind === 'legacy' ? 'nic-legacy' : 'nic-synthetic'];
  const disk = vm?.disks.find((candidate) => candidate.id === diskId);
  if (vm === undefined || disk === undefined) return [];
  if (disk.backend.kind === 'iscsi' && disk.backend.attach === 'guest') return ['iscsi-guest'];
  if (disk.controller === 'scsi') return ['vmbus-scsi'];
  const emulated: PathKind = (disk.ideMode ?? 'dma') === 'dma' ? 'ide-dma' : 'ide-pio';
  const loads = vm.integrationServices || scenario.actions.some((action) => action.do === 'load-integration-services' && action.vm === vmId);
  return loads ? [emulated, 'ide-fastpath'] : [emulated];
}

/** A claim side must name exactly one path the run can produce: a VM and disk with a workload, and a path they can take. */
export function checkClaimSide(scenario: Scenario, side: ClaimSideSpec, at: (string | number)[], issues: ReferenceIssue[]): void {
  if (side.figure !== undefined) {
    checkFigureName(scenario, side.figure, [...at, 'figure'], issues);
    return;
  }
  if (side.value !== undefined || side.vm === undefined) return; // a constant (the schema checked its form)
  const path = (field: string): (string | number)[] => [...at, field];
  // A NIC with traffic stands where a disk would: its packets are the requests of path nic-*.
  const streams = [...scenario.workloads.map((w) => ({ vm: w.vm, disk: w.disk })), ...scenario.traffic.map((t) => ({ vm: t.vm, disk: t.nic }))];
  const withWork = [...new Set(streams.map((w) => w.vm))];
  const vmsWithWork = withWork.length > 0 ? `one of the VMs with a workload: ${quoted(withWork)}` : 'a VM with a workload, but the scenario has no workloads: add one';
  const vm = scenario.vms.find((candidate) => candidate.id === side.vm);
  if (vm === undefined) {
    issues.push({ path: path('vm'), found: `${JSON.stringify(side.vm)} (no VM has this id)`, allowed: vmsWithWork });
    return;
  }
  if (!withWork.includes(vm.id)) {
    issues.push({ path: path('vm'), found: `${JSON.stringify(side.vm)} (no workload runs on VM '${vm.id}')`, allowed: vmsWithWork });
    return;
  }
  const disks = [...new Set(streams.filter((w) => w.vm === vm.id).map((w) => w.disk))];
  const disksWithWork = `one of the disks of VM '${vm.id}' with a workload: ${quoted(disks)}`;
  if (side.disk !== undefined && !disks.includes(side.disk)) {
    const known = vm.disks.some((d) => d.id === side.disk) || vm.nics.some((n) => n.id === side.disk);
    const why = known ? `no workload or traffic runs on '${side.disk}' of VM '${vm.id}'` : `VM '${vm.id}' has no disk or NIC with this id`;
    issues.push({ path: path('disk'), found: `${JSON.stringify(side.disk)} (${why})`, allowed: disksWithWork });
    return;
  }
  const candidates = (side.disk === undefined ? disks : [side.disk]).flatMap((disk) => possiblePaths(scenario, vm.id, disk).map((kind) => ({ disk, kind })));
  const where = side.disk === undefined ? `VM '${vm.id}'` : `disk '${side.disk}' of VM '${vm.id}'`;
  if (side.path !== undefined) {
    const matching = candidates.filter((candidate) => candidate.kind === side.path);
    if (matching.length === 0) {
      const kinds = [...new Set(candidates.map((candidate) => candidate.kind))];
      issues.push({ path: path('path'), found: `${JSON.stringify(side.path)} (requests on ${where} cannot take this path)`, allowed: `one of the paths of ${where}: ${quoted(kinds)}` });
      return;
    }
    if (matching.length > 1) issues.push(severalDisks(path('disk'), vm.id, matching.map((candidate) => candidate.disk), `can take path '${side.path}'`));
    return;
  }
  if (side.disk === undefined && disks.length > 1) {
    issues.push(severalDisks(path('disk'), vm.id, disks, 'have workloads'));
    return;
  }
  if (candidates.length > 1) {
    issues.push({
      path: path('path'),
      found: `nothing (the field is missing)`,
      allowed: `one of ${quoted(candidates.map((candidate) => candidate.kind))} (requests on ${side.disk === undefined ? `disk '${candidates[0]!.disk}' of VM '${vm.id}'` : where} can take several paths)`,
    });
  }
}

function severalDisks(path: (string | number)[], vmId: string, disks: readonly string[], what: string): ReferenceIssue {
  return { path, found: 'nothing (the field is missing)', allowed: `one of the disks of VM '${vmId}': ${quoted(disks)} (several of its disks ${what})` };
}

/**
 * A run figure's name must start with a part some folder gives
 * (`metrics/run-figures.ts`); the rest depends on the run, so a name that
 * the run does not produce makes its claim "cannot be checked", saying what
 * the run has instead. What validation can know it checks here: no name
 * reaches what every object inherits (`constructor`, `toString`), and the
 * parts keyed by VM (`vms.<vm>`, `scheduler.vms.<vm>`) name a VM of the
 * scenario.
 */
function checkFigureName(scenario: Scenario, name: string, at: (string | number)[], issues: ReferenceIssue[]): void {
  const keys = figureKeys(name);
  const part = keys?.[0];
  if (keys === undefined || typeof part !== 'string' || !FIGURE_FOLDERS.some((kind) => kind.part === part)) {
    const parts = FIGURE_FOLDERS.map((kind) => `${kind.part} (${kind.description})`);
    issues.push({
      path: at,
      found: `${JSON.stringify(name)} (no part of the run's figures is called '${String(part)}')`,
      allowed: parts.length === 0 ? 'no figures beyond the paths yet: use vm and metric' : `a name starting with one of: ${parts.join('; ')}`,
    });
    return;
  }
  const inherited = keys.find((key) => typeof key === 'string' && INHERITED_NAMES.has(key));
  if (inherited !== undefined) {
    issues.push({ path: at, found: `${JSON.stringify(name)} ('${String(inherited)}' is not a figure: every object has it, the run gives no figure of that name)`, allowed: 'a figure the run gives, as `hvsim run --json` lists under figures' });
    return;
  }
  const vmKey = part === 'vms' ? 1 : part === 'scheduler' && keys[1] === 'vms' ? 2 : -1;
  if (vmKey < 0 || keys.length <= vmKey) return;
  const vmIds = [...(part === 'scheduler' ? ['root'] : []), ...scenario.vms.map((vm) => vm.id)];
  if (!vmIds.includes(String(keys[vmKey]))) {
    issues.push({
      path: at,
      found: `${JSON.stringify(name)} (no VM has the id '${String(keys[vmKey])}')`,
      allowed: `'${keys.slice(0, vmKey).join('.')}.' and then one of the ${part === 'scheduler' ? 'root or the ' : ''}VM ids: ${quoted(vmIds)}`,
    });
  }
}

/** Names every object or list inherits (Object.prototype's, `length`): never a figure. */
const INHERITED_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), 'length']);
