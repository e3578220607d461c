/**
 * Common random numbers (CRN): paths compared in one scenario draw the same
 * request stream, so a difference between their figures comes from the
 * paths, not from the draws (Law & Kelton's first variance-reduction
 * technique). Each workload draws from a named stream group
 * (`workload.<group>.lba`, `.op`; traffic `traffic.<group>.arrivals`);
 * workloads of one group get separate streams seeded alike, so each sees
 * the identical sequence.
 *
 * The group of a workload is, in this order:
 * 1. its `stream` field, when the file names one;
 * 2. with `options.commonRandomNumbers` (the default), the group it shares
 *    with another workload when a claim compares the two: each side of the
 *    claim names exactly one workload (its VM, and its disk when given),
 *    the two are different workloads with no `stream` field, and they have
 *    the same shape: op, readPercent (mixed), size, pattern, lba, count,
 *    queueDepth and start. Pairs chain (a claim A-B and one B-C put A, B
 *    and C in one group); the group is named by its lowest workload index,
 *    so that workload draws exactly what it drew on its own;
 * 3. otherwise its own index.
 * Identical draws give identical LBAs when the two disks have the same
 * size (the random pattern picks a slot in the disk's range).
 * Traffic shares only through its `stream` field.
 */
import type { TrafficConfig, WorkloadConfig } from '../model/world-config.js';
import type { Scenario } from './schema.js';

/** Workloads (or traffic) that draw the same random numbers. */
export interface SharedStream {
  /** The stream group: a name from the file, or the lowest member's index for an automatic group. */
  stream: string;
  source: 'workload' | 'traffic';
  /** Indices into the scenario's `workloads` (or `traffic`), ascending. */
  indices: number[];
  /** Each member as `vm/disk` (or `vm/nic`), in `indices` order. */
  members: string[];
  /** True when the claims' rule made the group (no member names a stream). */
  automatic: boolean;
  /** The claims (indices into `claims`) that compare members of an automatic group; empty otherwise. */
  claims: number[];
}

/** The fields a workload's draws and their use depend on: equal shapes, equal request streams under CRN. */
export function sameShape(a: WorkloadConfig, b: WorkloadConfig): boolean {
  const readPercent = (w: WorkloadConfig): number | undefined => (w.op === 'mixed' ? (w.readPercent ?? 50) : undefined);
  return (
    a.op === b.op &&
    readPercent(a) === readPercent(b) &&
    a.bytes === b.bytes &&
    a.pattern === b.pattern &&
    a.lba === b.lba &&
    a.count === b.count &&
    a.queueDepth === b.queueDepth &&
    a.startNs === b.startNs
  );
}

/** The one workload a claim side names (its VM, and its disk when given), or -1 when it names none or several. */
function sideWorkload(workloads: readonly WorkloadConfig[], side: { vm?: string | undefined; disk?: string | undefined; value?: number | undefined }): number {
  if (side.value !== undefined || side.vm === undefined) return -1;
  let found = -1;
  for (let i = 0; i < workloads.length; i++) {
    const w = workloads[i]!;
    if (w.vm !== side.vm || (side.disk !== undefined && w.disk !== side.disk)) continue;
    if (found >= 0) return -1;
    found = i;
  }
  return found;
}

/** Pairs of workloads compared by a claim and eligible for an automatic group, with the claim's index. */
function comparedPairs(scenario: Scenario, workloads: readonly WorkloadConfig[]): { a: number; b: number; claim: number }[] {
  if (!scenario.options.commonRandomNumbers) return [];
  const pairs: { a: number; b: number; claim: number }[] = [];
  scenario.claims.forEach((claim, index) => {
    const a = sideWorkload(workloads, claim.expect.left);
    const b = sideWorkload(workloads, claim.expect.right);
    if (a < 0 || b < 0 || a === b) return;
    if (scenario.workloads[a]?.stream !== undefined || scenario.workloads[b]?.stream !== undefined) return;
    if (sameShape(workloads[a]!, workloads[b]!)) pairs.push({ a: Math.min(a, b), b: Math.max(a, b), claim: index });
  });
  return pairs;
}

/**
 * The stream group of each workload (see the module comment): `workloads`
 * as converted for the model, `scenario` for the `stream` fields, the
 * claims and the option. Returns the workloads with `stream` set on those
 * that share or name a group.
 */
export function assignStreams(scenario: Scenario, workloads: readonly WorkloadConfig[]): WorkloadConfig[] {
  const parent = workloads.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  for (const { a, b } of comparedPairs(scenario, workloads)) {
    const [ra, rb] = [root(a), root(b)];
    parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
  return workloads.map((w, i) => {
    const named = scenario.workloads[i]?.stream;
    if (named !== undefined) return { ...w, stream: named };
    const r = root(i);
    return r === i && !parent.some((p, j) => j !== i && root(j) === i) ? w : { ...w, stream: String(r) };
  });
}

function groups<T extends { vm: string; stream?: string }>(items: readonly T[], device: (item: T) => string): Map<string, { indices: number[]; members: string[] }> {
  const out = new Map<string, { indices: number[]; members: string[] }>();
  items.forEach((item, i) => {
    const name = item.stream ?? String(i);
    const group = out.get(name) ?? { indices: [], members: [] };
    group.indices.push(i);
    group.members.push(`${item.vm}/${device(item)}`);
    out.set(name, group);
  });
  return out;
}

/** Every group of two or more workloads (then traffic) drawing the same numbers in the run of `config`, built from `scenario`. */
export function commonRandomNumbers(scenario: Scenario, config: { workloads: readonly WorkloadConfig[]; traffic?: readonly TrafficConfig[] }): SharedStream[] {
  const pairs = comparedPairs(scenario, config.workloads);
  const out: SharedStream[] = [];
  for (const [stream, g] of groups(config.workloads, (w) => w.disk)) {
    if (g.indices.length < 2) continue;
    const automatic = g.indices.every((i) => scenario.workloads[i]?.stream === undefined);
    const claims = automatic ? [...new Set(pairs.filter((p) => g.indices.includes(p.a)).map((p) => p.claim))].sort((x, y) => x - y) : [];
    out.push({ stream, source: 'workload', ...g, automatic, claims });
  }
  for (const [stream, g] of groups(config.traffic ?? [], (t) => t.nic)) {
    if (g.indices.length >= 2) out.push({ stream, source: 'traffic', ...g, automatic: false, claims: [] });
  }
  return out;
}

/** One line per group: "workloads 0 (vm/data) and 1 (bare/data) share stream '0' (same shape, compared by claim 1)". */
export function sharedStreamLine(s: SharedStream): string {
  const names = s.indices.map((i, k) => `${i} (${s.members[k]})`);
  const list = names.length === 2 ? `${names[0]} and ${names[1]}` : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  const why = s.automatic ? `same shape, compared by claim${s.claims.length === 1 ? '' : 's'} ${s.claims.map((c) => c + 1).join(', ')}` : 'named in the file';
  return `${s.source === 'workload' ? 'workloads' : 'traffic'} ${list} share stream '${s.stream}' (${why})`;
}
