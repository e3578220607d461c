/**
 * The first stage of `layout.ts`: which boxes go where, before any size.
 * The partitions become columns (children in topology order, then the
 * root), each band's places fall into cells (partition × band; one cell for
 * a spanning band), a column's frame and title go on its first band, each
 * band's label finds a free end of its strip or a slot in a left gutter,
 * and the root lies across the width when no band mixes its places with a
 * child's (`ROOT_WIDE`). Pure, as the rest of the layout.
 */
import type { Band, PartitionInfo, Topology } from '../model/topology.js';
import type { LayoutMetrics } from './layout.js';

/** The bands, top to bottom (`BANDS` in model/topology.ts; a type-only import cannot read the value). */
export const BAND_ORDER = ['guest-user', 'guest-kernel', 'vmbus', 'root-user', 'root-kernel', 'hypervisor', 'hardware'] as const satisfies readonly Band[];

/** Compile-time check that BAND_ORDER names every band. */
type MissingBand = Exclude<Band, (typeof BAND_ORDER)[number]>;
const everyBandListed: MissingBand extends never ? true : false = true;
void everyBandListed;

/** Band names as the canvas shows them. */
export const BAND_LABELS: Readonly<Record<Band, string>> = {
  'guest-user': 'Guest user',
  'guest-kernel': 'Guest kernel',
  vmbus: 'VMBus',
  'root-user': 'Root user',
  'root-kernel': 'Root kernel',
  hypervisor: 'Hypervisor',
  hardware: 'Hardware',
};

/** Bands that always span the whole width. */
const SPANNING: ReadonlySet<Band> = new Set<Band>(['hypervisor', 'hardware']);

/** Average advance of a glyph as a fraction of the font size (a conservative sans-serif estimate). */
export const CHAR_WIDTH = 0.58;

/** Estimated width (px) of `text` at `fontSize`. */
export function estimateTextWidth(text: string, fontSize: number): number {
  return text.length * fontSize * CHAR_WIDTH;
}

/**
 * The column of a root cell laid across the width. When no band holds both the root's places and a child's
 * (Hyper-V's root bands, root user and root kernel, hold only the root's), the root needs no column beside the
 * VMs: below them it takes the whole width after its band label, and beside them only the width of the guest
 * bands' labels. Eight VMs then share the width instead of the width left by the root partition.
 */
export const ROOT_WIDE = -2;

export interface Cell {
  band: Band;
  /** Column index, -1 for a spanning band, or ROOT_WIDE for the root's own band laid across the width. */
  column: number;
  places: number[];
  /**
   * Size of the cell's groups when all are equal, else 1. A group is a place
   * and the places whose ids extend its id (`root.vmwp.vm1`, `root.vmwp.vm1.ide`);
   * grid rows then hold whole groups, so a VM's worker and emulator share a row.
   */
  group: number;
}

export interface BandPlan {
  band: Band;
  spanning: boolean;
  cells: Cell[];
  /** Whether a column's title row sits at the top of this band. */
  header: boolean;
  labelWidth: number;
  /** For partition bands: where the label can go without a reserved slot. */
  labelSide: 'left' | 'right' | null;
}

/** What goes where (`planBands`). */
export interface BoxPlan {
  /** Children (and any unknown partition that owns places in partition bands), then the root. */
  columns: PartitionInfo[];
  children: PartitionInfo[];
  root: PartitionInfo | undefined;
  /** The root's column, or -1. */
  rootColumn: number;
  /** Whether the root lies across the width (`ROOT_WIDE`). */
  rootWide: boolean;
  /** One per band, in `BAND_ORDER`. */
  plans: BandPlan[];
  /** Per column, the bands (indices in `BAND_ORDER`) its frame covers. */
  frameBands: number[][];
  /** Whether every band's label takes a slot in a gutter at the left, of width `gutter` (else 0). */
  gutterMode: boolean;
  gutter: number;
}

/** The group size of a cell's places (see Cell.group). */
function groupSize(ids: readonly string[]): number {
  const sizes: number[] = [];
  let head = '';
  for (const id of ids) {
    if (head !== '' && id.startsWith(head + '.')) sizes[sizes.length - 1]!++;
    else {
      head = id;
      sizes.push(1);
    }
  }
  return sizes.length > 1 && sizes.every((n) => n === sizes[0]) ? sizes[0]! : 1;
}

/** Grid columns for `n` places in `rows` rows, whole groups per row where more than one column. */
export function gridColumns(n: number, group: number, rows: number): number {
  const cols = Math.max(1, Math.ceil(n / Math.max(1, rows)));
  return cols === 1 || group <= 1 ? cols : Math.min(n, Math.ceil(cols / group) * group);
}

/** The columns, cells, frames and band labels of `topology` at text size `m.fontSize`. */
export function planBands(topology: Topology, m: LayoutMetrics): BoxPlan {
  const f = m.fontSize;
  const partitions = new Map(topology.partitions.map((p) => [p.id, p]));
  const children: PartitionInfo[] = topology.partitions.filter((p) => p.kind === 'child');
  const root = topology.partitions.find((p) => p.kind === 'root');
  for (const place of topology.places) {
    if (SPANNING.has(place.band) || partitions.has(place.partition)) continue;
    if (!children.some((c) => c.id === place.partition)) children.push({ id: place.partition, label: place.partition, kind: 'child' });
  }
  const columns: PartitionInfo[] = root === undefined ? children : [...children, root];
  const columnOf = new Map(columns.map((c, i) => [c.id, i]));

  // Cells.
  const plans: BandPlan[] = BAND_ORDER.map((band) => {
    const indices = topology.places.flatMap((p, i) => (p.band === band ? [i] : []));
    const spanning = SPANNING.has(band) || (indices.length > 0 && indices.every((i) => !columnOf.has(topology.places[i]!.partition)));
    const cells: Cell[] = [];
    if (spanning) {
      if (indices.length > 0) cells.push({ band, column: -1, places: indices, group: 1 });
    } else {
      const byColumn = new Map<number, number[]>();
      for (const i of indices) {
        // A place of a partition with no column (not expected) joins the last column.
        const col = columnOf.get(topology.places[i]!.partition) ?? columns.length - 1;
        const list = byColumn.get(col) ?? [];
        list.push(i);
        byColumn.set(col, list);
      }
      for (const [column, places] of [...byColumn].sort((a, b) => a[0] - b[0])) {
        cells.push({ band, column, places, group: groupSize(places.map((i) => topology.places[i]!.id)) });
      }
    }
    return { band, spanning, cells, header: false, labelWidth: estimateTextWidth(BAND_LABELS[band], f) + 2 * m.boxPad, labelSide: null };
  });

  // Frames: a column's frame covers its bands with places, apart from the VMBus strip (unless that is all it has).
  const frameBands = columns.map((_, col) => {
    const all = plans.filter((p) => p.cells.some((c) => c.column === col)).map((p) => BAND_ORDER.indexOf(p.band));
    const own = all.filter((b) => BAND_ORDER[b] !== 'vmbus');
    return own.length > 0 ? own : all;
  });
  for (const bands of frameBands) if (bands.length > 0) plans[Math.min(...bands)]!.header = true;

  // Band labels: in the free end of a partition band, else every band gets a left slot (gutter mode).
  for (const plan of plans) {
    if (plan.spanning || plan.cells.length === 0) continue;
    const used = new Set(plan.cells.map((c) => c.column));
    if (!used.has(columns.length - 1)) plan.labelSide = 'right';
    else if (!used.has(0)) plan.labelSide = 'left';
  }
  const rootColumn = root === undefined ? -1 : columns.length - 1;
  const rootWide =
    rootColumn > 0 && plans.every((p) => p.spanning || !p.cells.some((c) => c.column === rootColumn) || p.cells.every((c) => c.column === rootColumn));
  if (rootWide) for (const plan of plans) for (const cell of plan.cells) if (cell.column === rootColumn) cell.column = ROOT_WIDE;
  const gutterMode = columns.length > 0 && plans.some((p) => !p.spanning && p.cells.length > 0 && p.labelSide === null);
  const gutter = gutterMode ? Math.max(...plans.map((p) => p.labelWidth)) : 0;
  return { columns, children, root, rootColumn, rootWide, plans, frameBands, gutterMode, gutter };
}
