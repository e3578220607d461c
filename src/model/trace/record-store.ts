/**
 * A run's trace in columns (`engine/column-store.ts`) with the envelope's
 * fields named: time, kind, place, band, stream, flow, cause, cost, charge
 * and logical processor each get a column; the kinds' own fields go to
 * each record's payload. The app keeps a run this way (issue 13 item 5: a
 * million records in tens of megabytes of buffers, not a million objects),
 * reads a field of any record without building it, and finds the records
 * of one kind or one flow at once. `at(i)` rebuilds a whole record.
 */
import { ColumnStore, type ColumnLayout } from '../../engine/index.js';
import type { HvRecord } from '../trace-events.js';

/** The envelope's columns (record-basics.ts `Envelope`). */
export const RECORD_COLUMNS: ColumnLayout = {
  numbers: { t: 'f64', flow: 'i32', cause: 'i32', costNs: 'f64', lp: 'i32' },
  strings: ['kind', 'place', 'band', 'stream', 'charge'],
};

export class RecordStore extends ColumnStore<HvRecord> {
  private readonly cT: number;
  private readonly cFlow: number;
  private readonly cCost: number;
  private readonly cKind: number;
  private readonly cPlace: number;
  private readonly cStream: number;
  private readonly cCharge: number;

  constructor(limit?: number) {
    super(RECORD_COLUMNS, limit);
    this.cT = this.numberColumnIndex('t');
    this.cFlow = this.numberColumnIndex('flow');
    this.cCost = this.numberColumnIndex('costNs');
    this.cKind = this.stringColumnIndex('kind');
    this.cPlace = this.stringColumnIndex('place');
    this.cStream = this.stringColumnIndex('stream');
    this.cCharge = this.stringColumnIndex('charge');
  }

  /** A store holding `records` (tests, and traces read back). */
  static of(records: readonly HvRecord[]): RecordStore {
    const store = new RecordStore(Math.max(records.length, 1));
    for (const r of records) store.write(r);
    store.trim();
    return store;
  }

  tAt(i: number): number {
    return this.number(this.cT, i);
  }

  flowAt(i: number): number {
    return this.number(this.cFlow, i);
  }

  costNsAt(i: number): number {
    return this.number(this.cCost, i);
  }

  /** The queueing time a record carries (`waitNs`), or 0. */
  waitNsAt(i: number): number {
    const w = this.field(i, 'waitNs');
    return typeof w === 'number' ? w : 0;
  }

  kindAt(i: number): string {
    return this.string(this.cKind, i);
  }

  /** The interned id of record `i`'s kind (compare with `idOf`). */
  kindIdAt(i: number): number {
    return this.stringId(this.cKind, i);
  }

  placeAt(i: number): string {
    return this.string(this.cPlace, i);
  }

  placeIdAt(i: number): number {
    return this.stringId(this.cPlace, i);
  }

  streamAt(i: number): string {
    return this.string(this.cStream, i);
  }

  streamIdAt(i: number): number {
    return this.stringId(this.cStream, i);
  }

  chargeAt(i: number): string {
    return this.string(this.cCharge, i);
  }

  chargeIdAt(i: number): number {
    return this.stringId(this.cCharge, i);
  }

  /** The id a string was interned with (kinds, places, streams), or -1 when no record holds it. */
  idOf(s: string): number {
    return this.strings.find(s);
  }

  /** The indices of the records of `kind`, ascending (shared: do not write). */
  ofKind(kind: string): Int32Array {
    return this.rowsWithString(this.cKind, kind);
  }

  /** The indices of the records at `place`, ascending. */
  atPlace(place: string): Int32Array {
    return this.rowsWithString(this.cPlace, place);
  }

  /** The indices of the records of request (or action) `flow`, ascending. */
  ofFlow(flow: number): Int32Array {
    return this.rowsWithNumber(this.cFlow, flow);
  }

  /** Every kind present with its count, in first-seen order of the string table. */
  kindCounts(): Map<string, number> {
    const out = new Map<string, number>();
    for (const s of this.strings.values) {
      const n = this.ofKind(s).length;
      if (n > 0) out.set(s, n);
    }
    return out;
  }

  /** The index of the first record at or after `from` whose kind is `kind`, or -1. */
  nextOfKind(from: number, kind: string): number {
    return firstAtOrAfter(this.ofKind(kind), from);
  }

  /** The index of the first record at or after `from` at `place`, or -1. */
  nextAtPlace(from: number, place: string): number {
    return firstAtOrAfter(this.atPlace(place), from);
  }

  /** The cursor at which simulated time first reaches `timeNs` (all records with t <= timeNs applied). */
  cursorAtTime(timeNs: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tAt(mid) <= timeNs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** The first value of ascending `rows` at or after `from`, or -1. */
export function firstAtOrAfter(rows: Int32Array, from: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < rows.length ? rows[lo]! : -1;
}
