/**
 * Rows grouped by a small integer key, for a column store's "which rows
 * hold this value" (`ColumnStore.rowsWithString`, `rowsWithNumber`): a
 * counting sort over every row once, then each value's rows are a slice.
 * Each grouping is kept under a name and built again when rows have come
 * since. Also `lowerBound`, the search over such ascending rows.
 */

/** One grouping: for key k (less `base`), its rows, ascending, are `rows[offsets[k] .. offsets[k + 1]]`; built over `length` rows. */
export interface RowGroup {
  length: number;
  offsets: Int32Array;
  rows: Int32Array;
  base: number;
}

/** No rows (shared: do not write to it). */
export const EMPTY_ROWS = new Int32Array(0);

/** The groupings of one store, by name. */
export class RowGroups {
  private readonly groups = new Map<string, RowGroup>();

  /** Grouping `name` if it was built over `length` rows (and, when given, `size` keys). */
  cached(name: string, length: number, size?: number): RowGroup | undefined {
    const g = this.groups.get(name);
    return g !== undefined && g.length === length && (size === undefined || g.offsets.length === size + 1) ? g : undefined;
  }

  /**
   * Grouping `name` of `length` rows by keys `base .. base + size - 1`,
   * built now (counting sort) unless kept from before: `fill` writes each
   * row's key; a key outside the range leaves its row out.
   */
  group(name: string, length: number, base: number, size: number, fill: (keys: Int32Array) => void): RowGroup {
    const kept = this.cached(name, length, size);
    if (kept !== undefined) return kept;
    const offsets = new Int32Array(size + 1);
    const keys = new Int32Array(length);
    fill(keys);
    for (let i = 0; i < length; i++) {
      const k = keys[i]! - base;
      keys[i] = k;
      if (k >= 0 && k < size) offsets[k + 1]!++;
    }
    for (let k = 0; k < size; k++) offsets[k + 1]! += offsets[k]!;
    const next = offsets.slice(0, size);
    const rows = new Int32Array(offsets[size]!);
    for (let i = 0; i < length; i++) {
      const k = keys[i]!;
      if (k >= 0 && k < size) rows[next[k]!++] = i;
    }
    const g = { length, offsets, rows, base };
    this.groups.set(name, g);
    return g;
  }

  /** The rows of key `value` in `g` (`EMPTY_ROWS` when it has none). */
  static rowsOf(g: RowGroup, value: number): Int32Array {
    const slot = value - g.base;
    return slot < 0 || slot >= g.offsets.length - 1 || !Number.isInteger(slot) ? EMPTY_ROWS : g.rows.subarray(g.offsets[slot]!, g.offsets[slot + 1]!);
  }

  /** Bytes the groupings hold. */
  get bytes(): number {
    let n = 0;
    for (const g of this.groups.values()) n += g.offsets.byteLength + g.rows.byteLength;
    return n;
  }
}

/** The first position in ascending `rows` whose value is at least `x` (`rows.length` when none is). */
export function lowerBound(rows: Int32Array, x: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
