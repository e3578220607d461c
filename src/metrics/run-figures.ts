/**
 * Figures of a run beyond its I/O paths: VM life (states, save and restore,
 * snapshots), virtual-processor scheduling, the cluster (migrations,
 * failovers, backups). Each part of the model that has such figures gives a
 * `FigureFolder`: a trace sink that folds the records as they are emitted
 * (as `PathMetricsFolder` does for the paths) and, at the end, a tree of
 * figures under its own name (`part`). The run collects the trees into one
 * `RunFigures` object, which `hvsim run --json` prints as `figures` and
 * which claims and lesson answers read by a dotted name such as
 * `vms.mail.saveNs` or `migrations[0].blackoutNs`.
 *
 * A folder is registered once in `FIGURE_FOLDERS` below; nothing else needs
 * to change for its figures to be printed, claimed and asked about.
 */
import type { TraceSink } from '../engine/trace.js';
import type { HvRecord, RecordEnvelope } from '../model/trace-events.js';
import { RecordHead } from './record-head.js';
import { VM_LIFE_FIGURES } from './vm-life-figures.js';
import { SchedulerFigureFolder } from './scheduler-figures.js';
import { CLUSTER_FIGURE_FOLDERS } from './cluster-figures.js';

/** A tree of figures: numbers (and the words or flags that say what they are). */
export interface FigureTree {
  readonly [key: string]: FigureLeaf | FigureTree | readonly (FigureLeaf | FigureTree)[];
}
export type FigureLeaf = number | string | boolean | null;

/** A part's figures: a tree, or a list of trees (one per migration, per backup, …: `migrations[0].blackoutNs`). */
export type FigurePart = FigureTree | readonly FigureTree[];

/** Every part's figures by its name; a part with nothing to say is absent. */
export type RunFigures = { readonly [part: string]: FigurePart };

/** Folds the records of a run into one part of `RunFigures`. */
export interface FigureFolder extends TraceSink<HvRecord> {
  /** The part's name: the first word of every figure it gives (`vms`, `cluster`, …). */
  readonly part: string;
  /**
   * When set, the folder reads only records whose kind starts with this
   * (`cluster.`) or one of these (disjoint: no kind starts with two), and
   * `FigureFan` sends it only those. Without it, the
   * folder gets every record. A speed-up only: a folder's figures are the
   * same either way.
   */
  readonly kindPrefix?: string | readonly string[];
  /**
   * `write`, with the record's envelope already read into `head` (a run's
   * folders share one read: `RecordHead`, or the tracer's envelope) and
   * `own`, the kind's own fields (or the whole record): the folder reads
   * the envelope's fields from `head` and its kinds' from `own`, and needs
   * no record object. Optional: a speed-up only, the fold is the same as
   * `write`'s.
   */
  writeRead?(own: object, head: RecordEnvelope): void;
  /** The figures once the run is over, or undefined when the run had nothing for this part. */
  result(): FigurePart | undefined;
}

/** A registered folder: its part name (known before any run, for validating names) and how to make a fresh one. */
export interface FigureFolderKind {
  readonly part: string;
  /** What the part holds, for error messages and the schema's description. */
  readonly description: string;
  create(): FigureFolder;
}

/**
 * Every part of `RunFigures`. A new part adds one line here.
 * The order is the order `hvsim run` prints them.
 */
export const FIGURE_FOLDERS: readonly FigureFolderKind[] = [
  VM_LIFE_FIGURES,
  { part: 'scheduler', description: 'virtual processors on logical processors: ratio, per-LP use, per-VP ready time, VP wait per I/O, HLT exits', create: () => new SchedulerFigureFolder() },
  ...CLUSTER_FIGURE_FOLDERS,
];

/** The part names a figure may start with. */
export function figureParts(): string[] {
  return FIGURE_FOLDERS.map((kind) => kind.part);
}

/** Fresh folders, one per registered part. */
export function createFigureFolders(): FigureFolder[] {
  return FIGURE_FOLDERS.map((kind) => kind.create());
}

/**
 * One sink over the folders of a run: a folder with a `kindPrefix` gets
 * only the records whose kind starts with it (one test per prefix and
 * record, shared by the folders with that prefix), so a part that reads a
 * handful of kinds (the cluster's six) costs next to nothing on the
 * millions of records of an I/O path; the others get every record. Each
 * folder sees the records it reads in trace order, as if it were a sink
 * of its own.
 */
export class FigureFan implements TraceSink<HvRecord> {
  readonly enabled = true;
  /** The folders without a prefix: those with `writeRead`, and those without. */
  private readonly everyRead: FigureFolder[];
  private readonly every: FigureFolder[];
  private readonly prefixes: string[] = [];
  private readonly byPrefix: FigureFolder[][] = [];
  /** The prefixed folders each kind goes to (null: none), found once per kind. */
  private readonly routes = new Map<string, FigureFolder[] | null>();
  /** 1 at the char code of each prefix's first character (below 128); a kind starting with any other goes to no prefixed folder. */
  private readonly firstChars = new Uint8Array(128);
  private readonly head = new RecordHead();

  /**
   * `buildRecord` makes the record a folder without `writeRead` (or with a
   * `kindPrefix`) gets when `writeRead` is given none: the model's
   * `recordFromParts` (metrics imports the model's types only, so the run
   * hands it in). Without it, such a call throws.
   */
  constructor(
    readonly folders: readonly FigureFolder[],
    private readonly buildRecord: ((head: RecordEnvelope, own: object) => HvRecord) | null = null,
  ) {
    this.everyRead = folders.filter((folder) => folder.kindPrefix === undefined && folder.writeRead !== undefined);
    this.every = folders.filter((folder) => folder.kindPrefix === undefined && folder.writeRead === undefined);
    for (const folder of folders) {
      if (folder.kindPrefix === undefined) continue;
      for (const prefix of typeof folder.kindPrefix === 'string' ? [folder.kindPrefix] : folder.kindPrefix) {
        let at = this.prefixes.indexOf(prefix);
        if (at < 0) {
          at = this.prefixes.push(prefix) - 1;
          this.byPrefix.push([]);
        }
        this.byPrefix[at]!.push(folder);
      }
    }
    for (const prefix of this.prefixes) {
      if (prefix === '') this.firstChars.fill(1); // every kind starts with ''
      else if (prefix.charCodeAt(0) < 128) this.firstChars[prefix.charCodeAt(0)] = 1;
    }
  }

  write(record: HvRecord): void {
    this.writeRead(record, this.head.read(record), record);
  }

  /**
   * `write`, with the record's envelope already read into `head`
   * (`RecordHead`, or the tracer's envelope) and `own`, the kind's own
   * fields (or the whole record). The folders with `writeRead` take those;
   * the others get `record`, or when it is null or absent the record built
   * from `head` and `own` (`buildRecord`), once, and only when one of them
   * takes this record's kind.
   */
  writeRead(own: object, head: RecordEnvelope, record: HvRecord | null = null): void {
    const everyRead = this.everyRead;
    for (let i = 0; i < everyRead.length; i++) everyRead[i]!.writeRead!(own, head);
    const every = this.every;
    if (every.length !== 0) {
      if (record === null) record = this.recordOf(head, own);
      for (let i = 0; i < every.length; i++) every[i]!.write(record);
    }
    const kind = head.kind;
    // Most kinds start with a letter no prefix starts with: one load from a table, no map lookup.
    const first = kind.charCodeAt(0);
    if (first >= 128 ? this.prefixes.length === 0 : this.firstChars[first] === 0) return;
    let to = this.routes.get(kind);
    if (to === undefined) {
      to = this.route(kind);
      this.routes.set(kind, to);
    }
    if (to === null) return;
    if (record === null) record = this.recordOf(head, own);
    for (let i = 0; i < to.length; i++) to[i]!.write(record);
  }

  /** The record of `head` and `own`, for a folder that reads whole records. */
  private recordOf(head: RecordEnvelope, own: object): HvRecord {
    if (this.buildRecord === null) throw new Error(`FigureFan: a folder needs the ${head.kind} record #${head.seq}, and the fan has no buildRecord to make it from its envelope`);
    return this.buildRecord(head, own);
  }

  /** The prefixed folders records of `kind` go to, in the order the prefixes were first named (as a test per prefix would), or null. */
  private route(kind: string): FigureFolder[] | null {
    const to: FigureFolder[] = [];
    for (let p = 0; p < this.prefixes.length; p++) if (kind.startsWith(this.prefixes[p]!)) to.push(...this.byPrefix[p]!);
    return to.length === 0 ? null : to;
  }
}

/** The figures the folders found, by part. */
export function collectFigures(folders: readonly FigureFolder[]): RunFigures {
  const figures: Record<string, FigurePart> = {};
  for (const folder of folders) {
    const tree = folder.result();
    if (tree !== undefined) figures[folder.part] = tree;
  }
  return figures;
}

/** The keys of a figure name: `migrations[0].blackoutNs` → `migrations`, 0, `blackoutNs`; undefined when it is not a name. */
export function figureKeys(name: string): (string | number)[] | undefined {
  if (!/^[A-Za-z_][\w-]*(\.[\w-]+|\[\d+\])*$/.test(name)) return undefined;
  const keys: (string | number)[] = [];
  for (const match of name.matchAll(/([\w-]+)|\[(\d+)\]/g)) keys.push(match[2] !== undefined ? Number(match[2]) : /^\d+$/.test(match[1]!) ? Number(match[1]) : match[1]!);
  return keys;
}

/**
 * The child of a figure tree at `key`, or undefined: only a tree's own
 * fields and a list's items count, never what every object or array
 * inherits (`constructor`, `toString`, `__proto__`, a list's `length`),
 * which are not figures.
 */
function figureChild(node: object, key: string | number): unknown {
  if (Array.isArray(node)) return typeof key === 'number' && key < node.length ? node[key] : undefined;
  return Object.hasOwn(node, key) ? (node as Record<string | number, unknown>)[key] : undefined;
}

/** What a tree or list holds, for "it has: …". */
function figureChildren(node: object): string {
  if (Array.isArray(node)) return node.length === 0 ? 'no items' : node.length === 1 ? 'item 0' : `items 0..${node.length - 1}`;
  return Object.keys(node).join(', ') || 'nothing';
}

/** The number a figure name points at, or why there is none. */
export function lookupFigure(figures: RunFigures, name: string): { ok: true; value: number } | { ok: false; why: string } {
  const keys = figureKeys(name);
  if (keys === undefined) return { ok: false, why: `'${name}' is not a figure name (words joined by dots, [n] for a list item)` };
  let node: unknown = figures;
  const walked: string[] = [];
  for (const key of keys) {
    if (node === null || typeof node !== 'object') return { ok: false, why: `'${walked.join('.')}' is a value, not a group of figures` };
    const next = figureChild(node, key);
    if (next === undefined) {
      const where = walked.length === 0 ? 'the run' : `'${walked.join('.')}'`;
      return { ok: false, why: `${where} has no '${String(key)}' (it has: ${figureChildren(node)})` };
    }
    walked.push(typeof key === 'number' ? `[${key}]` : key);
    node = next;
  }
  if (typeof node === 'boolean') return { ok: true, value: node ? 1 : 0 }; // a flag compares as 1 (true) or 0 (false)
  if (typeof node !== 'number') return { ok: false, why: `'${name}' is ${node === null ? 'empty' : `not a number (${typeof node})`}` };
  return { ok: true, value: node };
}

/**
 * The unit a figure's name gives it: `…Ns` nanoseconds, `…BytesPerS`,
 * `…Bytes`, `…Percent`, `…code`/`…Code` a code (a WMI return code, a VM's
 * EnabledState: a name, not an amount, so never `4,097`); otherwise a count.
 */
export function figureUnit(name: string): 'ns' | 'bytes' | 'bytes-per-s' | 'percent' | 'code' | 'count' {
  if (/(^|\.|[a-z])[cC]ode$/.test(name)) return 'code';
  if (/Ns$/.test(name)) return 'ns';
  if (/BytesPerS$/.test(name)) return 'bytes-per-s';
  if (/Bytes$/.test(name)) return 'bytes';
  if (/Percent$/.test(name)) return 'percent';
  return 'count';
}

/** Every number in a figure tree with its full name, depth first (`vms.mail.saveNs`, 1.2e9), for tables and CSV. */
export function flattenFigures(figures: RunFigures): [string, FigureLeaf][] {
  const out: [string, FigureLeaf][] = [];
  const walk = (node: unknown, name: string): void => {
    if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${name}[${i}]`));
    else if (node !== null && typeof node === 'object') for (const [key, value] of Object.entries(node)) walk(value, name === '' ? key : `${name}.${key}`);
    else out.push([name, node as FigureLeaf]);
  };
  walk(figures, '');
  return out;
}
