/**
 * A run's trace in columns (`engine/column-store.ts`) with the envelope's
 * fields named: time, kind, place, band, stream, flow, cause, cost, charge
 * and logical processor each get a column; the kinds' own fields go to
 * each record's payload. The app keeps a run this way (issue 13 item 5: a
 * million records in tens of megabytes of buffers, not a million objects),
 * reads a field of any record without building it, and finds the records
 * of one kind or one flow at once. `at(i)` rebuilds a whole record.
 */
import {
  ColumnStore,
  IdPairs,
  lowerBound,
  payloadValueFits,
  I32_ELSEWHERE,
  TAG_F64_COLUMN,
  TAG_I32_COLUMN,
  TAG_INT,
  TAG_NUMBER,
  TAG_SEQ,
  TAG_STR_COLUMN,
  writeFloat,
  type ColumnChunk,
  type ColumnLayout,
  type ColumnShape,
} from '../../engine/index.js';
import type { HvRecord } from '../trace-events.js';
import { recordFromParts, type RecordEnvelope } from './record-basics.js';

/** The envelope's columns (record-basics.ts `Envelope`). */
export const RECORD_COLUMNS: ColumnLayout = {
  numbers: { t: 'f64', flow: 'i32', cause: 'i32', costNs: 'i32', lp: 'i32' },
  strings: ['kind', 'place', 'band', 'stream', 'charge'],
};

/** The envelope's keys in the order the tracer writes them (`tracer.ts`), and where each goes. */
const ENVELOPE_KEYS = ['seq', 't', 'kind', 'place', 'band', 'stream', 'flow', 'cause', 'costNs', 'charge', 'lp'] as const;
const ENVELOPE_TAGS = [TAG_SEQ, TAG_F64_COLUMN, TAG_STR_COLUMN, TAG_STR_COLUMN, TAG_STR_COLUMN, TAG_STR_COLUMN, TAG_I32_COLUMN, TAG_I32_COLUMN, TAG_I32_COLUMN, TAG_STR_COLUMN, TAG_I32_COLUMN];
const ENVELOPE = new Set<string>([...ENVELOPE_KEYS, 'waitNs']);

/** A kind's own fields as one call site of the tracer builds them, and the two shapes of its records: without and with `waitNs`. */
interface OwnLayout {
  /** The kind's string id (its records' kind column). */
  kindId: number;
  keys: string[];
  tags: number[];
  /** An own key is also an envelope key (the spread overwrote it): such records take the generic path. */
  collides: boolean;
  plain: ColumnShape | null;
  waited: ColumnShape | null;
}

export class RecordStore extends ColumnStore<HvRecord> {
  private readonly cT: number;
  private readonly cFlow: number;
  private readonly cCost: number;
  private readonly cKind: number;
  private readonly cPlace: number;
  private readonly cStream: number;
  private readonly cCharge: number;
  private readonly cBand: number;
  /** Slots of the number columns among their type's. */
  private readonly sT: number;
  private readonly sCost: number;
  private readonly sFlow: number;
  private readonly sCause: number;
  private readonly sLp: number;
  /** By place number (`RecordEnvelope.placeNo`): the ids of its id (`first`) and band (`second`). */
  private readonly places = new IdPairs();
  /** The own-field layouts seen per kind, the last matched first. */
  private readonly ownByKind = new Map<string, OwnLayout[]>();

  constructor(limit?: number) {
    super(RECORD_COLUMNS, limit);
    this.cT = this.numberColumnIndex('t');
    this.cFlow = this.numberColumnIndex('flow');
    this.cCost = this.numberColumnIndex('costNs');
    this.cKind = this.stringColumnIndex('kind');
    this.cPlace = this.stringColumnIndex('place');
    this.cStream = this.stringColumnIndex('stream');
    this.cCharge = this.stringColumnIndex('charge');
    this.cBand = this.stringColumnIndex('band');
    const slot = (name: string): number => this.numberSlot[this.numberColumnIndex(name)]!;
    this.sT = slot('t');
    this.sCost = slot('costNs');
    this.sFlow = slot('flow');
    this.sCause = slot('cause');
    this.sLp = slot('lp');
  }

  /**
   * Appends the record the tracer builds from `envelope` and `own` (the
   * kind's fields, spread in after the envelope), with `waitNs` when it
   * waited (`envelope.waitNs` above 0): the same row `write` makes of that
   * record (`recordFromParts`), found faster and without the record. The
   * envelope is read by name and only `own`, a few fields, is walked; a
   * record that breaks the contract (a gap in seq, a fraction in flow, an
   * own field named like the envelope's) is built and takes the generic
   * path.
   */
  writeParts(envelope: RecordEnvelope, own: object): void {
    const row = this.length;
    const t = envelope.t;
    const flow = envelope.flow;
    const cause = envelope.cause;
    const lp = envelope.lp;
    const cost = envelope.costNs;
    const waited = envelope.waitNs > 0;
    if (
      envelope.seq !== row ||
      (flow | 0) !== flow ||
      flow === I32_ELSEWHERE ||
      (cause | 0) !== cause ||
      cause === I32_ELSEWHERE ||
      (lp | 0) !== lp ||
      lp === I32_ELSEWHERE ||
      typeof t !== 'number' ||
      t !== t ||
      (cost | 0) !== cost ||
      cost === I32_ELSEWHERE
    ) {
      this.write(recordFromParts<HvRecord>(envelope, own));
      return;
    }
    const chunk = this.chunkFor(row);
    const c = row & 0xffff;
    const base = chunk.payloadUsed;
    // One pass over `own` through the kind's last layout, checking each key
    // and value as it writes them; only a record of another layout walks
    // `own` again (`ownLayout` finds or makes its layout). Payload written
    // past `payloadUsed` by a pass that stops is overwritten by the next.
    const known = this.ownByKind.get(envelope.kind);
    let layout = known === undefined || known[0]!.collides ? null : known[0]!;
    let shape = layout === null ? null : waited ? layout.waited : layout.plain;
    if (shape === null || !this.writeOwn(chunk, base, shape, layout!, own)) {
      layout = this.ownLayout(envelope.kind, own, row);
      shape = layout === null ? null : waited ? layout.waited : layout.plain;
      if (shape === null) {
        // Undo nothing: no column of the row was written yet.
        this.write(recordFromParts<HvRecord>(envelope, own));
        return;
      }
      this.writeOwn(chunk, base, shape, layout!, own);
    }
    if (waited) {
      if (base + shape.payloadSize > chunk.payload.length) this.growPayload(chunk, base + shape.payloadSize);
      writeFloat(chunk.payload, base + shape.where[shape.keys.length - 1]!, envelope.waitNs);
    }
    chunk.f64[this.sT]![c] = t;
    chunk.i32[this.sCost]![c] = cost;
    chunk.i32[this.sFlow]![c] = flow;
    chunk.i32[this.sCause]![c] = cause;
    chunk.i32[this.sLp]![c] = lp;
    // Interned before the column is read: interning may widen the columns.
    const kind = layout!.kindId;
    // A numbered place's ids, once known, by its number.
    const no = envelope.placeNo;
    let place = no >= 0 && no < this.places.first.length ? this.places.first[no]! : -1;
    let band: number;
    if (place >= 0) band = this.places.second[no]!;
    else {
      place = this.internColumn(this.cPlace, envelope.place);
      band = this.internColumn(this.cBand, envelope.band);
      if (no >= 0) this.places.note(no, place, band);
    }
    const stream = this.internColumn(this.cStream, envelope.stream);
    const charge = this.internColumn(this.cCharge, envelope.charge);
    const strings = chunk.strings;
    strings[this.cKind]![c] = kind;
    strings[this.cPlace]![c] = place;
    strings[this.cBand]![c] = band;
    strings[this.cStream]![c] = stream;
    strings[this.cCharge]![c] = charge;
    chunk.shape[c] = shape.id;
    chunk.offset[c] = base;
    chunk.payloadUsed = base + shape.payloadSize;
    this.length = row + 1;
  }

  /**
   * Writes `own`'s values to the payload of the row at `base` as `layout`
   * (and `shape`, one of its two shapes) lays them out. False at the first
   * key or value that is not the layout's: the row is not written then
   * (its payload is past `payloadUsed`), though strings met on the way are
   * interned, which only decides their ids.
   */
  private writeOwn(chunk: ColumnChunk, base: number, shape: ColumnShape, layout: OwnLayout, own: object): boolean {
    if (base + shape.payloadSize > chunk.payload.length) this.growPayload(chunk, base + shape.payloadSize);
    const payload = chunk.payload;
    const where = shape.where;
    const keys = layout.keys;
    const tags = layout.tags;
    const o = own as Record<string, unknown>;
    let j = 0;
    for (const key in o) {
      if (key !== keys[j]) return false;
      if (!this.writePayload(shape, payload, base, where[ENVELOPE_KEYS.length + j]!, tags[j]!, o[key])) return false;
      j++;
    }
    return j === keys.length;
  }

  /**
   * The layout `own` has (its keys in order, each value of the layout's
   * type), among its kind's, the last matched first; made when new. Null
   * when `own` cannot go this way (a key of the envelope's, a value of no
   * payload type).
   */
  private ownLayout(kind: string, own: object, row: number): OwnLayout | null {
    let known = this.ownByKind.get(kind);
    if (known === undefined) this.ownByKind.set(kind, (known = []));
    for (let k = 0; k < known.length; k++) {
      const layout = known[k]!;
      if (!ownMatches(layout, own)) continue;
      if (k > 0) {
        known[k] = known[0]!;
        known[0] = layout;
      }
      return layout.collides ? null : layout;
    }
    const keys: string[] = [];
    const tags: number[] = [];
    let collides = false;
    const o = own as Record<string, unknown>;
    for (const key in o) {
      keys.push(key);
      let tag = this.tagFor(key, o[key], row);
      // A field another layout of the kind holds as any number stays so: an int here, a fraction there, would take turns between two layouts.
      if (tag === TAG_INT && known.some((l) => l.keys[keys.length - 1] === key && l.tags[keys.length - 1] === TAG_NUMBER)) tag = TAG_NUMBER;
      // An own key the store keeps in a column (or the envelope's): the generic path lays it out.
      if (ENVELOPE.has(key) || tag === TAG_SEQ || tag === TAG_F64_COLUMN || tag === TAG_I32_COLUMN || tag === TAG_STR_COLUMN) collides = true;
      tags.push(tag);
    }
    const make = (wait: boolean): ColumnShape => this.registerShape([...ENVELOPE_KEYS, ...keys, ...(wait ? ['waitNs'] : [])], [...ENVELOPE_TAGS, ...tags, ...(wait ? [TAG_NUMBER] : [])]);
    const layout: OwnLayout = { kindId: this.internColumn(this.cKind, kind), keys, tags, collides, plain: collides ? null : make(false), waited: collides ? null : make(true) };
    known.unshift(layout);
    return collides ? null : layout;
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

/** Whether `own` has exactly `layout`'s keys, in order, each value of the layout's type. */
function ownMatches(layout: OwnLayout, own: object): boolean {
  const { keys, tags } = layout;
  const o = own as Record<string, unknown>;
  let j = 0;
  for (const key in o) {
    if (key !== keys[j] || !payloadValueFits(tags[j]!, o[key])) return false;
    j++;
  }
  return j === keys.length;
}

/** The first value of ascending `rows` at or after `from`, or -1. */
export function firstAtOrAfter(rows: Int32Array, from: number): number {
  const k = lowerBound(rows, from);
  return k < rows.length ? rows[k]! : -1;
}
