/**
 * Cross-field checks of the scheduling fields (issue 14 item 3): each VM's
 * `affinity` names one LP per VP, all on the host; each CPU load names a VM
 * (or `root`, whose VP j runs on LP j) and one of its VPs; CPU loads need
 * the credit scheduler, and bursts of at least 1 µs; processor controls
 * (reserve, limit, weight) fit their LPs. Reports, never
 * throws, in the manner of `references.ts`.
 */
import { vpPlacement } from '../model/hardware/logical-processors.js';
import { quoted } from './errors.js';
import type { ReferenceIssue } from './references.js';
import type { Scenario } from './schema.js';
import { durationNs } from './units.js';

/**
 * The time slices the stand-in scheduler takes: Xen credit's own bounds
 * (xen/include/public/sysctl.h, V: `XEN_SYSCTL_CSCHED_TSLICE_MAX 1000` ms;
 * its least, `XEN_SYSCTL_SCHED_RATELIMIT_MIN 100` µs, the least a VCPU runs
 * before it is preempted, below `XEN_SYSCTL_CSCHED_TSLICE_MIN 1` ms so that
 * vTurbo's 0.1 ms I/O core, row a.2, can be tried). Below it the run crawls:
 * an audit's 1 ns slice ran 100,000 events in 20 s and reached 33 µs of
 * simulated time, so a run of 20 M events gave no answer for hours.
 */
const SLICE_MIN_NS = 100_000;
const SLICE_MAX_NS = 1_000_000_000;

/** The scheduling problems of `scenario`, appended to `issues`. */
export function checkScheduling(scenario: Scenario, issues: ReferenceIssue[]): void {
  const lps = scenario.host?.logicalProcessors ?? 4;
  scenario.vms.forEach((vm, v) => {
    if (vm.affinity === undefined) return;
    if (vm.affinity.length !== vm.vcpus) {
      issues.push({ path: ['vms', v, 'affinity'], found: `${vm.affinity.length} LP ${vm.affinity.length === 1 ? 'number' : 'numbers'} for ${vm.vcpus} ${vm.vcpus === 1 ? 'VP' : 'VPs'}`, allowed: `one LP number per virtual processor: ${vm.vcpus}` });
    }
    vm.affinity.forEach((lp, j) => {
      if (lp >= lps) issues.push({ path: ['vms', v, 'affinity', j], found: `LP ${lp}`, allowed: `an LP of the host: 0..${lps - 1} (host.logicalProcessors is ${lps})` });
    });
  });
  const kind = scenario.host?.scheduler?.kind;
  const slice = scenario.host?.scheduler === undefined ? undefined : durationNs(scenario.host.scheduler.slice);
  if (slice !== undefined && slice.ok && (slice.value < SLICE_MIN_NS || slice.value > SLICE_MAX_NS)) {
    issues.push({
      path: ['host', 'scheduler', 'slice'],
      found: JSON.stringify(scenario.host!.scheduler!.slice),
      allowed: 'a time slice from 100 µs to 1,000 ms, such as "30ms" (Xen credit takes 1 to 1,000 ms, and runs a VCPU at least its 100 µs rate limit; vTurbo\'s I/O core used 0.1 ms)',
    });
  }
  scenario.cpu.forEach((load, c) => checkCpuLoad(scenario, c, lps, issues));
  if (kind === 'dedicated' && scenario.cpu.length > 0) {
    issues.push({ path: ['host', 'scheduler', 'kind'], found: `"dedicated" with ${scenario.cpu.length} CPU ${scenario.cpu.length === 1 ? 'load' : 'loads'}`, allowed: "'credit' (or no kind): CPU loads compete for LPs, which needs a scheduler with time slices" });
  }
  checkProcessorControls(scenario, lps, kind, issues);
}

/**
 * Each VM's processor controls (`vms[].cpu`): not on a native host, a
 * reserve no larger than the limit (Hyper-V Manager refuses one too), only
 * under the credit scheduler, and on each LP the reserves of the VPs placed
 * there within the LP: Hyper-V does not start a VM whose reserve it cannot
 * guarantee (`Msvm_ProcessorPool.CalculatePossibleReserve`, row a.2), and
 * here each VP stays on its LP.
 */
function checkProcessorControls(scenario: Scenario, lps: number, kind: string | undefined, issues: ReferenceIssue[]): void {
  scenario.vms.forEach((vm, v) => {
    if (vm.cpu === undefined) return;
    if (vm.native) issues.push({ path: ['vms', v, 'cpu'], found: `processor controls on '${vm.id}', a native host`, allowed: 'none: a native host has no virtual processors to reserve, limit or weigh' });
    if (vm.cpu.reservePct > vm.cpu.limitPct) {
      issues.push({ path: ['vms', v, 'cpu', 'reservePct'], found: `${vm.cpu.reservePct} (above its limitPct, ${vm.cpu.limitPct})`, allowed: `a reserve no larger than the limit: 0..${vm.cpu.limitPct}` });
    }
    if (kind === 'dedicated') {
      issues.push({ path: ['host', 'scheduler', 'kind'], found: `"dedicated" with processor controls on VM '${vm.id}'`, allowed: "'credit' (or no kind): a reserve, limit or weight acts where VPs share LPs, which the dedicated scheduler never makes them do" });
    }
  });
  const scheduled = scenario.vms.filter((vm) => !vm.native);
  let placement: Map<string, number[]>;
  try {
    placement = vpPlacement(lps, scheduled);
  } catch {
    return; // an affinity off the host, reported above
  }
  const reserved = new Map<number, { vm: string; pct: number }[]>();
  for (const vm of scheduled) {
    const pct = vm.cpu?.reservePct ?? 0;
    if (pct === 0) continue;
    for (const lp of placement.get(vm.id) ?? []) {
      const list = reserved.get(lp) ?? [];
      list.push({ vm: vm.id, pct });
      reserved.set(lp, list);
    }
  }
  for (const [lp, list] of [...reserved].sort((a, b) => a[0] - b[0])) {
    const total = list.reduce((n, r) => n + r.pct, 0);
    if (total <= 100) continue;
    const v = scenario.vms.findIndex((vm) => vm.id === list[list.length - 1]!.vm);
    // Per VM, in the order placed: a VM with two VPs on the LP reserves twice there.
    const vms = [...new Set(list.map((r) => r.vm))].map((vm) => {
      const mine = list.filter((r) => r.vm === vm);
      return mine.length === 1 ? `'${vm}' ${mine[0]!.pct} %` : `'${vm}' ${mine.length} VPs at ${mine[0]!.pct} %`;
    });
    issues.push({
      path: ['vms', v, 'cpu', 'reservePct'],
      found: `${total} % of LP ${lp} reserved (${vms.join(', ')})`,
      allowed: `reserves of the VPs on one LP adding up to at most 100 % (Hyper-V does not start a VM whose reserve it cannot guarantee); lower a reserve, or place the VPs on other LPs (affinity)`,
    });
  }
}

/**
 * The shortest burst a CPU load may ask for. Each burst of a load with a
 * duty cycle under 100 % ends in an HLT exit and a wake (`hlt_exit`,
 * `vp_wake`: 1-5 µs each), so bursts shorter than those costs make a run
 * of nothing but scheduler records that reaches limits.maxEvents long
 * before its I/O is done; 1 µs is also below any real time slice's grain.
 */
export const CPU_BURST_MIN_NS = 1_000;

/** One CPU load: its VM (or the root) and VP, its burst, its end, and no second load on the same VP. */
function checkCpuLoad(scenario: Scenario, c: number, lps: number, issues: ReferenceIssue[]): void {
  const load = scenario.cpu[c]!;
  if (load.vm === 'root') {
    // The root has one VP per LP.
    if (load.vp !== undefined && load.vp >= lps) issues.push({ path: ['cpu', c, 'vp'], found: `VP ${load.vp}`, allowed: `a VP of the root: 0..${lps - 1} (one per logical processor)` });
  } else {
    const vm = scenario.vms.find((candidate) => candidate.id === load.vm);
    if (vm === undefined) {
      issues.push({ path: ['cpu', c, 'vm'], found: `${JSON.stringify(load.vm)} (no VM has this id)`, allowed: `root, or one of the VM ids: ${quoted(scenario.vms.map((x) => x.id))}` });
      return;
    }
    if (vm.native) issues.push({ path: ['cpu', c, 'vm'], found: `'${vm.id}', a native host`, allowed: 'a VM: a native host has no virtual processors to schedule' });
    if (load.vp !== undefined && load.vp >= vm.vcpus) {
      issues.push({ path: ['cpu', c, 'vp'], found: `VP ${load.vp}`, allowed: `a VP of VM '${vm.id}': 0..${vm.vcpus - 1} (its vcpus is ${vm.vcpus})` });
    }
  }
  const burst = durationNs(load.burst);
  if (burst.ok && burst.value < CPU_BURST_MIN_NS) {
    issues.push({
      path: ['cpu', c, 'burst'],
      found: JSON.stringify(load.burst),
      allowed: `a burst of at least 1 µs, such as "10ms" (each burst ends in an HLT exit and a wake of a few µs; shorter bursts fill the run with scheduler records)`,
    });
  }
  if (load.duration === undefined && scenario.workloads.length === 0 && scenario.traffic.length === 0) {
    issues.push({ path: ['cpu', c, 'duration'], found: 'nothing, in a scenario with no workloads or traffic', allowed: 'a duration such as "2s": a load without one runs until the I/O is done, and here there is none' });
  }
  // A load without vp runs on every VP of its VM (or the root), so it shares each with any other load there.
  const twice = scenario.cpu.findIndex((other, o) => o < c && other.vm === load.vm && (other.vp === undefined || load.vp === undefined || other.vp === load.vp));
  const whose = load.vm === 'root' ? 'the root partition' : `VM '${load.vm}'`;
  if (twice >= 0) issues.push({ path: ['cpu', c], found: `a second load on a VP of ${whose} (cpu.${twice} has one there)`, allowed: 'one CPU load per virtual processor' });
}
