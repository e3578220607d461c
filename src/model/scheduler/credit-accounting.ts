/**
 * The credit scheduler's accounting for one LP's VPs (`lp-calendar.ts`
 * runs the queue; this is what each VP earns, spends and may run): Xen's
 * credits (xen common/sched/credit.c: the running VCPU debited as it runs,
 * `burn_credits`; every VCPU paid its share at each accounting period's
 * end, `csched_acct`) with Hyper-V's reserve, limit and weight on top
 * (HvPartitionPropertyCpuReserve, CpuCap, CpuWeight), and the priorities
 * the credits give (`CSCHED_PRI_TS_UNDER`, `CSCHED_PRI_TS_OVER`, BOOST).
 * Pure arithmetic on the VPs: no queue, no holder's run, no steps.
 */
import { DEFAULT_WEIGHT, Pri, type CpuVp } from './cpu-vp.js';

/** The start of the accounting period after the one `t` is in (periods of `periodNs`, one slice). */
export function nextPeriodNs(t: number, periodNs: number): number {
  return (Math.floor(t / periodNs) + 1) * periodNs;
}

/** UNDER with credit left (or none spent yet, or not yet accounted), else OVER. */
export function creditPri(vp: CpuVp): Pri {
  return (vp.creditNs ?? 0) >= 0 || vp.accounted !== true ? Pri.Under : Pri.Over;
}

/** A queued VP's priority now: BOOST if it was woken boosted, else by its credit (Xen re-sorts its run queue as credits change: `csched_runq_sort`). */
export function queuedPri(vp: CpuVp): Pri {
  return vp.boosted === true ? Pri.Boost : creditPri(vp);
}

/** When `h`, holding the LP from `t` on, reaches its limit in the period `t` is in (Infinity: not before the period ends). */
export function capEndNs(h: CpuVp, t: number, periodNs: number): number {
  if (h.capNs === undefined) return Infinity;
  const end = t + Math.max(0, h.capNs - (h.periodRunNs ?? 0));
  return end < nextPeriodNs(t, periodNs) ? end : Infinity;
}

/**
 * Credits from `from` to `t` (`from` < `t`): the holder spends what it runs, as
 * it runs (Xen debits the running VCPU on each tick, `burn_credits`); at
 * each accounting period's end (one slice, 30 ms: Xen's 3 ticks of 10 ms,
 * `CSCHED_TICKS_PER_ACCT`) every VP started and not off earns an equal
 * part of the period (`csched_acct`). Each stays within one period either
 * way. So a VP at its fair share is UNDER after it is paid and may be
 * OVER just before: it sometimes waits. Returns how many periods began.
 */
export function accrueCredits(vps: readonly CpuVp[], holder: CpuVp | null, from: number, t: number, period: number): number {
  const periods = Math.floor(t / period) - Math.floor(from / period);
  let weights = 0;
  let reserved = 0;
  for (const vp of vps) {
    if (vp.state === 'off' || vp.state === 'waiting-start') continue;
    weights += vp.weight ?? DEFAULT_WEIGHT;
    reserved += vp.reserveNs ?? 0;
  }
  // What the reserves leave of a period, split by weight (validation keeps an LP's reserves within it).
  const rest = Math.max(0, period - reserved);
  for (const vp of vps) {
    if (vp.state === 'off' || vp.state === 'waiting-start') continue;
    const spent = vp === holder ? t - from : 0;
    const earned = periods === 0 ? 0 : periods * ((vp.reserveNs ?? 0) + (rest * (vp.weight ?? DEFAULT_WEIGHT)) / weights);
    // Whole ns, so equal shares compare equal (three VPs' thirds of a period are not all exact floats).
    vp.creditNs = Math.min(period, Math.max(-period, Math.round((vp.creditNs ?? 0) + earned - spent)));
    if (periods > 0) vp.accounted = true;
    if (vp.capNs !== undefined) vp.periodRunNs = periods === 0 ? (vp.periodRunNs ?? 0) + spent : vp === holder ? t - Math.floor(t / period) * period : 0;
  }
  return periods;
}
