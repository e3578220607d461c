/**
 * Plain-text tables for the terminal: columns padded to their widest cell,
 * text left-aligned and numbers right-aligned, two spaces between columns.
 * Also the small number formats the tables use. No colour, no box drawing,
 * so the output pastes cleanly into notes and slides.
 */
import { grouped } from '../engine/index.js';

/** One column: its heading and how its cells align. */
export interface Column {
  heading: string;
  align: 'left' | 'right';
}

/** The table's lines (heading first), without trailing spaces. */
export function formatTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string[] {
  const widths = columns.map((column, i) => Math.max(column.heading.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    columns
      .map((column, i) => {
        const cell = cells[i] ?? '';
        return column.align === 'right' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!);
      })
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.heading)), ...rows.map(line)];
}

/** A count or ratio with at most `digits` decimals, trailing zeros dropped: `46`, `2.5`, `0.33`. */
export function formatCount(value: number, digits = 2): string {
  const scale = 10 ** digits;
  return (Math.round(value * scale) / scale).toString();
}

/** An integer with thousands separators: `12,345`. */
export function formatInteger(value: number): string {
  return grouped(Math.round(value));
}
