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
 *    the same shape: what the sequence of draws depends on. A workload
 *    draws request n's LBA and op in the order of n whatever its queue
 *    depth, so the shape is op, readPercent (mixed), size and pattern and
 *    lba (the range and use of the draws): not queueDepth, count (a longer
 *    run draws the same first requests) or start (a shift). Traffic draws
 *    only its Poisson gaps, scaled by its rate: its shape is arrival and
 *    packetsPerSecond. Pairs chain (a claim A-B and one B-C put A, B and C
 *    in one group); the group is named by its lowest index, so that member
 *    draws exactly what it drew on its own;
 * 3. otherwise its own index.
 * Identical draws give identical LBAs when the two disks have the same
 * size (the random pattern picks a slot in the disk's range). A claim that
 * compares two workloads (or flows) that do not share gets one line saying
 * why (`independentStreams`).
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

/** Two workloads (or flows) a claim compares that draw independent random numbers, and why. */
export interface IndependentStreams {
  /** The claim (index into `claims`). */
  claim: number;
  source: 'workload' | 'traffic' | 'workload and traffic';
  /** The left side's then the right side's index into its list, and each as `vm/disk` (or `vm/nic`). */
  indices: [number, number];
  members: [string, string];
  /** Why they do not share: `different shapes (size 8192 vs 4096)`, `workload 1 names stream 'x'`, … */
  why: string;
}

/** The fields a workload's draws depend on that differ between `a` and `b`, as `size 8192 vs 4096` (none: the same request stream under CRN). */
export function shapeDifferences(a: WorkloadConfig, b: WorkloadConfig): string[] {
  const readPercent = (w: WorkloadConfig): number | undefined => (w.op === 'mixed' ? (w.readPercent ?? 50) : undefined);
  const fields: [string, unknown, unknown][] = [
    ['op', a.op, b.op],
    ['readPercent', readPercent(a), readPercent(b)],
    ['size', a.bytes, b.bytes],
    ['pattern', a.pattern, b.pattern],
    ['lba', a.lba, b.lba],
  ];
  return fields.filter(([, x, y]) => x !== y).map(([name, x, y]) => `${name} ${String(x)} vs ${String(y)}`);
}

/** Whether two workloads draw the same sequence (see `shapeDifferences`). */
export function sameShape(a: WorkloadConfig, b: WorkloadConfig): boolean {
  return shapeDifferences(a, b).length === 0;
}

/** The fields a flow's draws depend on that differ: only Poisson arrivals draw, their gaps scaled by the rate. */
function trafficDifferences(a: TrafficConfig, b: TrafficConfig): string[] {
  const fields: [string, unknown, unknown][] = [
    ['arrival', a.arrival, b.arrival],
    ['packetsPerSecond', a.packetsPerSecond, b.packetsPerSecond],
  ];
  return fields.filter(([, x, y]) => x !== y).map(([name, x, y]) => `${name} ${String(x)} vs ${String(y)}`);
}

/** Whether a workload or flow draws at all: the random pattern's LBAs, a mixed one's ops, Poisson gaps. */
function draws(source: Source): boolean {
  return source.kind === 'workload' ? source.item.pattern === 'random' || source.item.op === 'mixed' : source.item.arrival === 'poisson';
}

type Source = { kind: 'workload'; index: number; item: WorkloadConfig } | { kind: 'traffic'; index: number; item: TrafficConfig };

/** The one workload or flow a claim side names (its VM, and its disk or NIC when given), or null when it names none or several. */
function sideSource(config: Streams, side: { vm?: string | undefined; disk?: string | undefined; value?: number | undefined }): Source | null {
  if (side.value !== undefined || side.vm === undefined) return null;
  const found: Source[] = [
    ...config.workloads.flatMap((item, index) => (item.vm === side.vm && (side.disk === undefined || item.disk === side.disk) ? [{ kind: 'workload' as const, index, item }] : [])),
    ...(config.traffic ?? []).flatMap((item, index) => (item.vm === side.vm && (side.disk === undefined || item.nic === side.disk) ? [{ kind: 'traffic' as const, index, item }] : [])),
  ];
  return found.length === 1 ? found[0]! : null;
}

interface Streams {
  workloads: readonly WorkloadConfig[];
  traffic?: readonly TrafficConfig[] | undefined;
}

/** What a scenario file names as a source's stream, if anything. */
function namedStream(scenario: Scenario, source: Source): string | undefined {
  return source.kind === 'workload' ? scenario.workloads[source.index]?.stream : scenario.traffic[source.index]?.stream;
}

/** The claims' pairs: those eligible for an automatic group, and those that compare two sources drawing independently (with why). */
function comparedPairs(scenario: Scenario, config: Streams): { pairs: { kind: Source['kind']; a: number; b: number; claim: number }[]; independent: IndependentStreams[] } {
  const pairs: { kind: Source['kind']; a: number; b: number; claim: number }[] = [];
  const independent: IndependentStreams[] = [];
  scenario.claims.forEach((claim, index) => {
    const a = sideSource(config, claim.expect.left);
    const b = sideSource(config, claim.expect.right);
    if (a === null || b === null || (a.kind === b.kind && a.index === b.index)) return;
    const apart = (why: string): void => {
      if (!draws(a) && !draws(b)) return; // neither draws: nothing to share
      const member = (s: Source): string => `${s.item.vm}/${s.kind === 'workload' ? s.item.disk : s.item.nic}`;
      independent.push({ claim: index, source: a.kind === b.kind ? a.kind : 'workload and traffic', indices: [a.index, b.index], members: [member(a), member(b)], why });
    };
    const [na, nb] = [namedStream(scenario, a), namedStream(scenario, b)];
    if (na !== undefined || nb !== undefined) {
      if (na !== nb) apart([na === undefined ? '' : `${a.kind} ${a.index} names stream '${na}'`, nb === undefined ? '' : `${b.kind} ${b.index} names stream '${nb}'`].filter(Boolean).join(', '));
      return;
    }
    if (!scenario.options.commonRandomNumbers) return apart('options.commonRandomNumbers is false');
    if (a.kind !== b.kind) return apart('a workload and a flow draw different things');
    const differences = a.kind === 'workload' ? shapeDifferences(a.item, b.item as WorkloadConfig) : trafficDifferences(a.item, b.item as TrafficConfig);
    if (differences.length > 0) return apart(`different shapes (${differences.join(', ')})`);
    pairs.push({ kind: a.kind, a: Math.min(a.index, b.index), b: Math.max(a.index, b.index), claim: index });
  });
  return { pairs, independent };
}

/** Each item's group: its named stream, else the lowest index of the pairs it chains into (undefined when alone). */
function groupNames(count: number, pairs: readonly { a: number; b: number }[], named: (i: number) => string | undefined): (string | undefined)[] {
  const parent = Array.from({ length: count }, (_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  for (const { a, b } of pairs) {
    const [ra, rb] = [root(a), root(b)];
    parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
  return parent.map((_, i) => {
    const name = named(i);
    if (name !== undefined) return name;
    const r = root(i);
    return r === i && !parent.some((_p, j) => j !== i && root(j) === i) ? undefined : String(r);
  });
}

/**
 * The stream group of each workload and flow (see the module comment):
 * `config` as converted for the model, `scenario` for the `stream` fields,
 * the claims and the option. Returns them with `stream` set on those that
 * share or name a group.
 */
export function assignStreams<W extends WorkloadConfig, T extends TrafficConfig>(scenario: Scenario, config: { workloads: readonly W[]; traffic: readonly T[] }): { workloads: W[]; traffic: T[] } {
  const { pairs } = comparedPairs(scenario, config);
  const assign = <X extends { stream?: string }>(items: readonly X[], kind: Source['kind'], named: (i: number) => string | undefined): X[] => {
    const names = groupNames(items.length, pairs.filter((p) => p.kind === kind), named);
    return items.map((item, i) => (names[i] === undefined ? item : { ...item, stream: names[i] }));
  };
  return {
    workloads: assign(config.workloads, 'workload', (i) => scenario.workloads[i]?.stream),
    traffic: assign(config.traffic, 'traffic', (i) => scenario.traffic[i]?.stream),
  };
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
export function commonRandomNumbers(scenario: Scenario, config: Streams): SharedStream[] {
  const { pairs } = comparedPairs(scenario, config);
  const out: SharedStream[] = [];
  const add = <T extends { vm: string; stream?: string }>(items: readonly T[], source: Source['kind'], device: (item: T) => string, named: (i: number) => string | undefined): void => {
    for (const [stream, g] of groups(items, device)) {
      if (g.indices.length < 2) continue;
      const automatic = g.indices.every((i) => named(i) === undefined);
      const claims = automatic ? [...new Set(pairs.filter((p) => p.kind === source && g.indices.includes(p.a)).map((p) => p.claim))].sort((x, y) => x - y) : [];
      out.push({ stream, source, ...g, automatic, claims });
    }
  };
  add(config.workloads, 'workload', (w) => w.disk, (i) => scenario.workloads[i]?.stream);
  add(config.traffic ?? [], 'traffic', (t) => t.nic, (i) => scenario.traffic[i]?.stream);
  return out;
}

/** The claims that compare two workloads (or flows) drawing independent numbers, with why (see `IndependentStreams`). */
export function independentStreams(scenario: Scenario, config: Streams): IndependentStreams[] {
  return comparedPairs(scenario, config).independent;
}

/** "claim 1 compares workloads 0 (v0/data) and 1 (v1/data), which draw independent streams: different shapes (size 8192 vs 4096)". */
export function independentStreamsLine(s: IndependentStreams): string {
  const kinds = s.source === 'workload' ? 'workloads' : s.source === 'traffic' ? 'traffic' : 'workload and traffic';
  return `claim ${s.claim + 1} compares ${kinds} ${s.indices[0]} (${s.members[0]}) and ${s.indices[1]} (${s.members[1]}), which draw independent streams: ${s.why}`;
}

/** One line per group: "workloads 0 (vm/data) and 1 (bare/data) share stream '0' (same shape, compared by claim 1)". */
export function sharedStreamLine(s: SharedStream): string {
  const names = s.indices.map((i, k) => `${i} (${s.members[k]})`);
  const list = names.length === 2 ? `${names[0]} and ${names[1]}` : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  const why = s.automatic ? `same shape, compared by claim${s.claims.length === 1 ? '' : 's'} ${s.claims.map((c) => c + 1).join(', ')}` : 'named in the file';
  return `${s.source === 'workload' ? 'workloads' : 'traffic'} ${list} share stream '${s.stream}' (${why})`;
}
