/**
 * Byte counts in words, one rule for the canvas and the panels: exact
 * KiB, MiB and GiB as whole numbers; a larger count that is not exact in
 * MiB or GiB, rounded (85.7 MiB, 1.25 GiB), never a nine-digit byte count.
 * Not a general number formatter: times are `formatNs`.
 */

const KIB = 1024;
const MIB = 1024 * KIB;
const GIB = 1024 * MIB;

/** Thousands separated, at most `digits` decimals ("89,852,872"). */
function grouped(x: number, digits: number): string {
  return x.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/**
 * A byte count: "4 KiB", "512 MiB", "2 GiB" when exact; from 1 MiB up
 * otherwise rounded, to a tenth below 10 MiB ("3.5 MiB"), to a whole MiB
 * up to 1 GiB ("86 MiB"), to a hundredth of a GiB above ("1.25 GiB");
 * below 1 MiB, the bytes ("1,500 bytes", "1 byte").
 */
export function formatBytes(n: number): string {
  if (n >= GIB && n % GIB === 0) return `${grouped(n / GIB, 0)} GiB`;
  if (n >= MIB && n % MIB === 0) return `${grouped(n / MIB, 0)} MiB`;
  if (n >= KIB && n % KIB === 0 && n < MIB) return `${n / KIB} KiB`;
  if (n >= GIB) return `${grouped(n / GIB, 2)} GiB`;
  if (n >= MIB) return `${(n / MIB).toFixed(n < 10 * MIB ? 1 : 0)} MiB`;
  const shown = grouped(n, 0);
  return `${shown} ${shown === '1' ? 'byte' : 'bytes'}`;
}
