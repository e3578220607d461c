/**
 * A scenario's claims checked across replications. Replications are paired
 * by seed (replication i of each path is the run with seed s+i), so a claim
 * that compares two figures is judged on the quantity it tests in each
 * replication: the difference l − r for less-than and greater-than, the
 * ratio l / r for a factor, the relative difference (l − r) / |r| for
 * within; its mean gets its own Student-t 95 % interval, and the claim
 * holds only if it holds at both ends. This is the paired-t comparison of
 * Law & Kelton (Simulation Modeling and Analysis, §10.2.1): valid whether or
 * not the paths share random numbers, and with common random numbers the
 * seed-to-seed swing both paths share drops out of the difference, where
 * two marginal intervals would each carry it. A claim against a constant
 * keeps its figure's interval. A figure that is not a number in every
 * replication (a yes/no figure, or one some runs lack) has no interval: a
 * claim on it holds only if it held in every replication. Pure, as
 * `replications.ts`.
 */
import { claimHolds, formatFigure, formatMetricValue, formatNumber, metricWords, resolveClaimSide, type ClaimResult, type ClaimSideResult, type ClaimSideSpec } from '../claims.js';
import type { ScenarioClaim } from '../schema.js';
import { figureIntervalOf, formatWithInterval, intervalOf, meanWithInterval, type Ci95, type Ci95Tree, type ReplicatedPath } from './replications.js';
import type { RunFigures } from '../../metrics/run-figures.js';

/** The per-replication quantity a claim comparing two figures is judged on. */
export interface PairedQuantity {
  /** `difference` l − r (or l − r / factor, l − r × factor when r is not positive in every run), `ratio` l / r, `relative-difference` (l − r) / |r| in percent. */
  quantity: 'difference' | 'ratio' | 'relative-difference';
  /** Its mean over the replications and the 95 % interval of that mean. */
  mean: number;
  ci95: Ci95 | null;
}

/** A claim checked across replications: the usual result (the figures are means) plus the intervals, how it was judged, and how many single runs it held in. */
export type ReplicatedClaimResult = ClaimResult & {
  left: ClaimSideResult & { ci95: Ci95 | null };
  right: ClaimSideResult & { ci95: Ci95 | null };
  /** In how many of the replications the claim held on its own. */
  heldIn: { runs: number; of: number };
  /**
   * How it was judged: `paired` on the per-replication quantity (`paired`),
   * `interval` a figure's interval against a constant, `every-run` held only
   * if it held in every replication (a figure that is not a number in each).
   */
  basis: 'paired' | 'interval' | 'every-run';
  /** The per-replication quantity and its interval, for the `paired` basis; null otherwise. */
  paired: PairedQuantity | null;
};

const point = (value: number): Ci95 => ({ low: value, high: value, halfWidth: 0 });

/** The quantity of each replication's pair `(l, r)` a claim tests, and the test on that quantity's interval; null when the within claim's right side is 0 in some replication (no relative difference). */
function pairedTest(expect: ScenarioClaim['expect'], pairs: readonly [number, number][]): { quantity: PairedQuantity['quantity']; values: number[]; holds: (ci: Ci95) => boolean; bound: string } | null {
  if (expect.op === 'within') {
    if (pairs.some(([, r]) => r === 0)) return null;
    const p = expect.percent;
    return { quantity: 'relative-difference', values: pairs.map(([l, r]) => ((l - r) / Math.abs(r)) * 100), holds: (ci) => ci.low >= -p && ci.high <= p, bound: `within ±${formatNumber(p)}%` };
  }
  const factor = expect.factor ?? 1;
  const less = expect.op === 'less-than';
  if (factor !== 1 && pairs.every(([, r]) => r > 0)) {
    const limit = less ? 1 / factor : factor;
    return { quantity: 'ratio', values: pairs.map(([l, r]) => l / r), holds: (ci) => (less ? ci.high < limit : ci.low > limit), bound: `${less ? 'below' : 'above'} ${less ? `1/${formatNumber(factor)}` : formatNumber(factor)}` };
  }
  // l < r / factor ⇔ l − r / factor < 0 whatever the sign of r.
  const scaled = (r: number): number => (less ? r / factor : r * factor);
  return { quantity: 'difference', values: pairs.map(([l, r]) => l - scaled(r)), holds: (ci) => (less ? ci.high < 0 : ci.low > 0), bound: `${less ? 'below' : 'above'} 0` };
}

/** The paired quantity in words: `left − right per replication 30.02 µs ± 0 ns`. */
function pairedText(expect: ScenarioClaim['expect'], paired: PairedQuantity): string {
  const factor = expect.op === 'within' ? 1 : (expect.factor ?? 1);
  const unit = (v: number): string => (expect.left.figure !== undefined ? formatFigure(expect.left.figure, v) : formatMetricValue(expect.left.metric ?? '', v));
  const format = (v: number): string => (paired.quantity === 'difference' ? unit(v) : paired.quantity === 'ratio' ? formatNumber(v) : `${formatNumber(Number(v.toPrecision(3)))}%`);
  const name =
    paired.quantity === 'ratio' ? 'left / right' : paired.quantity === 'relative-difference' ? '(left − right) / right' : factor === 1 ? 'left − right' : `left − right ${expect.op === 'less-than' ? '/' : '×'} ${formatNumber(factor)}`;
  return `${name} per replication ${format(paired.mean)}${paired.ci95 === null ? '' : ` ± ${format(paired.ci95.halfWidth)}`}`;
}

/** Whether the claim holds at both ends of the left side's interval against a constant. */
function holdsAgainstConstant(expect: ScenarioClaim['expect'], left: Ci95, constant: number): boolean {
  return [left.low, left.high].every((l) => claimHolds(expect, l, constant));
}

/**
 * A scenario's claims checked across replications. `paths` are the
 * replicated paths (`replicatePaths`), `perRun` each replication's own
 * claim results (their two figures are the pairs, and "held in k of N").
 * A side that cannot be read does not hold, as in a single run.
 */
export function evaluateClaimsAcross(
  claims: readonly ScenarioClaim[],
  paths: readonly ReplicatedPath[],
  perRun: readonly (readonly ClaimResult[])[],
  runFigures: { figures: RunFigures; ci95: Ci95Tree } = { figures: {}, ci95: {} },
): ReplicatedClaimResult[] {
  return claims.map((claim, index) => {
    const { expect } = claim;
    const heldIn = { runs: perRun.filter((results) => results[index]?.holds === true).length, of: perRun.length };
    const left = resolveClaimSide(expect.left, paths, runFigures.figures);
    const right = resolveClaimSide(expect.right, paths, runFigures.figures);
    const sideOf = (side: typeof left, spec: ClaimSideSpec) => {
      const figures = side.figures as ReplicatedPath | undefined;
      const value = side.resolved.ok ? side.resolved.value : null;
      if (spec.figure !== undefined) return { label: spec.figure, value, ci95: side.resolved.ok ? figureIntervalOf(runFigures.ci95, spec.figure) : null };
      const label = spec.value !== undefined ? 'constant' : `${figures === undefined ? [spec.vm, spec.disk, spec.path].filter(Boolean).join('/') : `${figures.vm}/${figures.disk}/${figures.path}`} ${spec.metric ?? ''}`;
      const ci95 = !side.resolved.ok ? null : spec.value !== undefined ? point(spec.value) : figures === undefined ? null : intervalOf(figures.ci95, spec.metric ?? '');
      return { label, value, ci95 };
    };
    const base = {
      text: claim.text,
      op: expect.op,
      ...(expect.op === 'within' ? { percent: expect.percent } : { factor: expect.factor ?? 1 }),
      left: sideOf(left, expect.left),
      right: sideOf(right, expect.right),
      heldIn,
    };
    const runs = `held in ${heldIn.runs} of ${heldIn.of} replications`;
    if (!left.resolved.ok || !right.resolved.ok) {
      const why = [left.resolved, right.resolved].flatMap((side) => (side.ok ? [] : [side.why]));
      return { ...base, basis: 'every-run', paired: null, holds: false, detail: `cannot be checked: ${why.join('; ')}` };
    }
    const verdict = judge(expect, base.left, base.right, perRun.map((results) => results[index]), heldIn);
    const sideText = (spec: ClaimSideSpec, value: number, ci95: Ci95 | null, unitOf: ClaimSideSpec): string => {
      if (spec.figure !== undefined) return `${formatFigure(spec.figure, value)}${ci95 === null ? '' : ` ± ${formatFigure(spec.figure, ci95.halfWidth)}`} ${spec.figure}`;
      if (spec.value !== undefined) return unitOf.figure !== undefined ? formatFigure(unitOf.figure, value) : formatMetricValue(unitOf.metric ?? '', value);
      const metric = spec.metric ?? '';
      return `${formatWithInterval(metric, value, ci95)} ${metricWords(metric)}`;
    };
    const leftText = expect.left.figure !== undefined ? sideText(expect.left, left.resolved.value, base.left.ci95, expect.left) : `${left.resolved.name}: ${sideText(expect.left, left.resolved.value, base.left.ci95, expect.left)}`;
    const rightText =
      expect.right.value !== undefined || expect.right.figure !== undefined
        ? sideText(expect.right, right.resolved.value, base.right.ci95, expect.left)
        : `${sideText(expect.right, right.resolved.value, base.right.ci95, expect.left)} on ${right.resolved.name}`;
    const { holds } = verdict;
    const relation =
      expect.op === 'within'
        ? `${holds ? 'is' : 'is not'} within ${expect.percent}% of`
        : `${expect.op === 'less-than' ? (holds ? '<' : 'not <') : holds ? '>' : 'not >'} ${(expect.factor ?? 1) === 1 ? '' : expect.op === 'less-than' ? `1/${expect.factor} × ` : `${expect.factor} × `}`;
    return { ...base, basis: verdict.basis, paired: verdict.paired, holds, detail: `${leftText} ${relation.trimEnd()} ${rightText} (${verdict.how}; ${runs})` };
  });
}

type Side = ClaimSideResult & { ci95: Ci95 | null };

/** The verdict on a claim whose two sides were read: by which basis, and that basis in words. */
function judge(
  expect: ScenarioClaim['expect'],
  left: Side,
  right: Side,
  perRun: readonly (ClaimResult | undefined)[],
  heldIn: { runs: number; of: number },
): { holds: boolean; basis: ReplicatedClaimResult['basis']; paired: PairedQuantity | null; how: string } {
  const everyRun = (why: string) => ({ holds: heldIn.runs === heldIn.of, basis: 'every-run' as const, paired: null, how: `${why}: held only if it held in every replication` });
  const missing = (side: 'left' | 'right'): boolean => perRun.some((result) => result === undefined || result[side].value === null);
  for (const [side, name] of [[left, 'left'], [right, 'right']] as const) {
    if (name === 'right' && expect.right.value !== undefined) continue;
    if (missing(name)) return everyRun(`${side.label} is missing in some replication`);
    if (side.ci95 === null) return everyRun(`${side.label} is a yes/no figure, with no interval`);
  }
  if (expect.right.value !== undefined) {
    const holds = holdsAgainstConstant(expect, left.ci95!, expect.right.value);
    return { holds, basis: 'interval', paired: null, how: `${holds ? 'at' : 'not at'} both ends of its 95 % interval` };
  }
  const pairs = perRun.map((result) => [result!.left.value!, result!.right.value!] as [number, number]);
  const test = pairedTest(expect, pairs);
  if (test === null) return everyRun('the right side is 0 in some replication, so there is no relative difference');
  const { mean, ci95 } = meanWithInterval(test.values);
  const paired: PairedQuantity = { quantity: test.quantity, mean, ci95 };
  const holds = test.holds(ci95 ?? point(mean));
  return { holds, basis: 'paired', paired, how: `paired by seed: ${pairedText(expect, paired)}, ${holds ? '' : 'not '}${test.bound} at both ends of its 95 % interval` };
}
