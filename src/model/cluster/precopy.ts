/**
 * The pre-copy stop rules of the real implementations (row c.2), as the
 * simulation applies them pass by pass, and the closed form the same rules
 * give on paper (Clark et al. NSDI 2005; facts §7.1), which the run reports
 * beside the simulated figures and a test compares with them.
 *
 * Pass 1 copies all memory M. While a pass of duration t runs, the guest
 * dirties D·t bytes, but never more than its writable working set W; pass
 * i+1 copies what pass i left dirty. Pre-copy stops when the dirty
 * remainder could be sent within the stop window (it "converged"), or when
 * the pass cap is reached (it is "capped": Hyper-V R2 at 10 passes, WS2012
 * R2 at 5). Then the VM is paused and the remainder copied with its
 * processor and device state: the blackout. vMotion (vSphere 5) adds SDPS:
 * once a pass dirties as much as it sent, the vCPUs are slowed so the guest
 * dirties at most a share of the link rate.
 */
import { clusterDefault } from './cluster-costs.js';
import type { ClusterConfig, ClusterPlatform, MigrationMethod } from './cluster-config.js';

/** The parameters of one pre-copy. */
export interface PrecopyRule {
  /** Passes at most, the first full copy included. */
  maxPasses: number;
  /** Stop once the remainder takes at most this long to send. */
  stopWindowNs: number;
  /** Fixed time before the first pass (setup; vMotion's guest trace too). */
  setupNs: number;
  /** Blackout beyond the remainder: state, storage handles, resume, ARP. */
  switchoverNs: number;
  /** vMotion SDPS: the dirty rate is throttled to this share of the link once a pass does not shrink; null: no SDPS. */
  sdpsShare: number | null;
  /**
   * vMotion before SDPS (vSphere 4): a pass after the first that does not shrink the dirty set makes no forward
   * progress, and the vMotion fails; the VM runs on where it was. VMware's vSphere 5 vMotion paper gives this as
   * the case SDPS was made for (pre-copy "fails to make forward progress", aborting vMotion in vSphere 4.1 and
   * before: row c.2, R); ESXi 5.5 still fails a vMotion "to allow the VM to continue running on the source" when its
   * switchover would run too long (vCenter's error text, V). On vsphere-5 SDPS converges it instead: it never fails here.
   */
  failsWithoutProgress: boolean;
}

/** The stop rule of `method` on `platform`, with the cluster's network timings (`maxPasses` overrides the cap). */
export function precopyRule(
  method: Exclude<MigrationMethod, 'quick'>,
  platform: ClusterPlatform,
  network: { setupNs: number; switchoverNs: number; stopWindowNs: number },
  maxPasses: number | null,
): PrecopyRule {
  if (method === 'vmotion') {
    return {
      maxPasses: maxPasses ?? clusterDefault('vmotion_max_passes'),
      stopWindowNs: clusterDefault('vmotion_switchover_target'),
      setupNs: network.setupNs + clusterDefault('vmotion_trace'),
      switchoverNs: network.switchoverNs,
      sdpsShare: platform === 'vsphere-5' ? clusterDefault('vmotion_sdps_share') : null,
      failsWithoutProgress: platform !== 'vsphere-5',
    };
  }
  const cap = platform === 'hyperv-2012-r2' ? clusterDefault('lm_max_passes_2012r2') : clusterDefault('lm_max_passes_2008r2');
  return { maxPasses: maxPasses ?? cap, stopWindowNs: network.stopWindowNs, setupNs: network.setupNs, switchoverNs: network.switchoverNs, sdpsShare: null, failsWithoutProgress: false };
}

/** Time to send `bytes` at `bytesPerS`, in whole ns (rounded up). */
export function sendNs(bytes: number, bytesPerS: number): number {
  return Math.ceil((bytes * 1e9) / bytesPerS);
}

/** Bytes dirtied while a pass of `ns` runs, capped by the working set. */
export function dirtiedBytes(ns: number, dirtyBytesPerS: number, workingSetBytes: number): number {
  return Math.min(workingSetBytes, Math.floor((dirtyBytesPerS * ns) / 1e9));
}

/** Whether `remainder` bytes fit in the stop window. */
export function fitsWindow(remainder: number, bytesPerS: number, stopWindowNs: number): boolean {
  return sendNs(remainder, bytesPerS) <= stopWindowNs;
}

/** The figures of one pre-copy, simulated or on paper. */
export interface PrecopyFigures {
  passes: { bytes: number; ns: number }[];
  /** Bytes copied while the VM was paused (the last remainder). */
  finalBytes: number;
  blackoutNs: number;
  totalNs: number;
  totalBytes: number;
  converged: boolean;
  capped: boolean;
  /** The rule gave up (`failsWithoutProgress`): pass 2 left as much dirty as it sent; no blackout, the VM stays. */
  failed: boolean;
}

/**
 * The closed form of the same rule (facts §7.1), without stepping: with
 * ρ = D/B, pass 1 sends M; pass 2 sends m = min(W, ρM); pass k ≥ 2 sends
 * m·ρ^(k−2) while ρ < 1, or W every pass when ρ ≥ 1. The pass count n is
 * the first k whose successor fits the window, from the logarithm, capped
 * at maxPasses; total = setup + (M + Σ)/B + remainder/B + switchover.
 * Real-valued throughout: the simulation must agree with it. With SDPS
 * (vSphere 5) see `sdpsClosedForm`.
 */
export function closedFormPrecopy(memoryBytes: number, dirtyBytesPerS: number, workingSetBytes: number, bytesPerS: number, rule: PrecopyRule): PrecopyFigures {
  const M = memoryBytes;
  const B = bytesPerS;
  const rho = dirtyBytesPerS / B;
  const threshold = (B * rule.stopWindowNs) / 1e9;
  const m = Math.min(workingSetBytes, rho * M);
  const share = rule.sdpsShare;
  if (share !== null && rho >= 1 && share < 1 && m > threshold) return sdpsClosedForm(M, workingSetBytes, B, threshold, share, rule);
  // vSphere 4: from ρ ≥ 1 pass 2 sends m and leaves min(W, ρ·m) = m or more dirty: no forward progress, it fails there.
  if (rule.failsWithoutProgress && rho >= 1 && m > threshold && rule.maxPasses >= 2) {
    const passes = [
      { bytes: M, ns: (M * 1e9) / B },
      { bytes: m, ns: (m * 1e9) / B },
    ];
    return { passes, finalBytes: 0, blackoutNs: 0, totalNs: rule.setupNs + ((M + m) * 1e9) / B, totalBytes: M + m, converged: false, capped: false, failed: true };
  }
  // Passes n: the smallest n ≥ 1 with remainder_n ≤ threshold, where remainder_n = m·ρ^(n−1) (ρ < 1) or m (ρ ≥ 1).
  let n: number;
  if (m <= threshold) n = 1;
  else if (rho >= 1 || rho === 0) n = rule.maxPasses;
  else n = Math.min(rule.maxPasses, 1 + Math.ceil(Math.log(threshold / m) / Math.log(rho)));
  const remainder = n === 1 ? m : rho >= 1 ? m : m * rho ** (n - 1);
  const dirtySum = n === 1 ? 0 : rho >= 1 ? m * (n - 1) : (m * (1 - rho ** (n - 1))) / (1 - rho);
  const passes: { bytes: number; ns: number }[] = [];
  for (let k = 1; k <= n; k++) {
    const bytes = k === 1 ? M : rho >= 1 ? m : m * rho ** (k - 2);
    passes.push({ bytes, ns: (bytes * 1e9) / B });
  }
  return precopyFigures(passes, M + dirtySum, remainder, B, threshold, rule);
}

/**
 * The closed form under SDPS (vSphere 5). SDPS engages only when a pass
 * does not shrink the dirty set, which (the working set W at most the
 * memory M) happens only for ρ = D/B ≥ 1: after pass a = 1 if W = M (the
 * first pass already left all memory dirty), else a = 2 (pass 2 sent W and
 * left W dirty). From then on the guest dirties at s·B (s the SDPS share),
 * so pass a + i sends W·s^(i−1) and leaves W·s^i: it stops at the first
 * j ≥ 1 with W·s^j within the stop window, or at the pass cap.
 */
function sdpsClosedForm(M: number, W: number, B: number, threshold: number, s: number, rule: PrecopyRule): PrecopyFigures {
  const a = Math.min(W >= M ? 1 : 2, rule.maxPasses);
  const passes: { bytes: number; ns: number }[] = [{ bytes: M, ns: (M * 1e9) / B }];
  if (a === 2) passes.push({ bytes: W, ns: (W * 1e9) / B });
  let remainder = W;
  if (a < rule.maxPasses) {
    const j = Math.min(rule.maxPasses - a, Math.max(1, Math.ceil(Math.log(threshold / W) / Math.log(s))));
    for (let i = 1; i <= j; i++) {
      const bytes = W * s ** (i - 1);
      passes.push({ bytes, ns: (bytes * 1e9) / B });
    }
    remainder = W * s ** j;
  }
  return precopyFigures(passes, passes.reduce((sum, p) => sum + p.bytes, 0), remainder, B, threshold, rule);
}

/** The figures of a pre-copy whose passes sent `passBytes` in all and left `remainder` for the stop-and-copy. */
function precopyFigures(passes: { bytes: number; ns: number }[], passBytes: number, remainder: number, B: number, threshold: number, rule: PrecopyRule): PrecopyFigures {
  const blackoutNs = (remainder * 1e9) / B + rule.switchoverNs;
  return {
    passes,
    finalBytes: remainder,
    blackoutNs,
    totalNs: rule.setupNs + (passBytes * 1e9) / B + blackoutNs,
    totalBytes: passBytes + remainder,
    converged: remainder <= threshold,
    capped: remainder > threshold,
    failed: false,
  };
}

/** The time-weighted mean of the passes' dirty rates (the closed form of a migration whose rate came from its workloads). */
export function meanRate(rates: readonly { rate: number; ns: number }[]): number {
  const ns = rates.reduce((sum, r) => sum + r.ns, 0);
  return ns === 0 ? 0 : rates.reduce((sum, r) => sum + r.rate * r.ns, 0) / ns;
}

/**
 * Quick migration on paper (facts §7.2: M / B_write + T_lun + M / B_read): save + LUN move (or owner move) +
 * provision + restore, all offline. Through the life cycle the restore's own partition creation is the
 * provisioning, so no separate provision term, and the memory goes to the state file on a host disk, so B is
 * that disk's rated rate (`stateDiskBytesPerS`: its media or data path, at most its HBA's link); otherwise
 * the storage's declared rates, which the chunks use.
 */
export function quickFormula(memoryBytes: number, config: Pick<ClusterConfig, 'storage'>, throughLifecycle = false, stateDiskBytesPerS: number | null = null): { totalNs: number; blackoutNs: number } {
  const { storage } = config;
  const move = storage.kind === 'csv' ? clusterDefault('csv_owner_move') : storage.lunMoveNs;
  const provision = throughLifecycle ? 0 : clusterDefault('vm_provision');
  const write = throughLifecycle && stateDiskBytesPerS !== null ? stateDiskBytesPerS : storage.writeBytesPerS;
  const read = throughLifecycle && stateDiskBytesPerS !== null ? stateDiskBytesPerS : storage.readBytesPerS;
  const totalNs = (memoryBytes * 1e9) / write + move + provision + (memoryBytes * 1e9) / read;
  return { totalNs, blackoutNs: totalNs };
}
