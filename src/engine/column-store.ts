/**
 * A trace kept in columns: a sink that stores each record's fields in
 * typed arrays instead of keeping one object per record, so a million
 * records cost tens of megabytes of buffers and almost nothing of the JS
 * heap, and a scan over one field (every record's kind, its flow) reads
 * one array. `at(i)` rebuilds record `i` as an object, equal to the one
 * written, keys in the same order, for the few records a screen shows.
 *
 * The layout names the fields that get a column of their own: numbers
 * (`f64`, or `i32` for integers that fit) and strings (interned: each
 * distinct string once, the column holds its id); the trace's `seq` is the
 * record's index and takes no room. Every other field goes to the record's
 * payload, a run of int32 slots (ints, string ids, booleans; any other number as its float64 bits in two). Which
 * field goes where is the record's *shape*, found once per distinct set of
 * keys and value types (records of one kind share one or two) and kept by
 * id. A value that does not fit its column (a fraction in an `i32`
 * column, a missing field) goes to the payload instead: nothing is lost,
 * the column then holds a sentinel and the accessor reads the payload.
 *
 * Columns are filled in chunks of 65,536 rows, so growing never copies
 * what is written and memory grows with the trace, not in doublings. The
 * engine's only knowledge of a record is `TraceRecord`; the model names
 * its columns (`model/trace/record-store.ts`).
 */
import {
  isInt32,
  readFloat,
  writeFloat,
  TAG_BOOLEAN,
  TAG_F64_COLUMN,
  TAG_I32_COLUMN,
  TAG_INT,
  TAG_JSON,
  TAG_NULL,
  TAG_NUMBER,
  TAG_SEQ,
  TAG_STR_COLUMN,
  TAG_STRING,
  TAG_UNDEFINED,
} from './column-payload.js';
import type { TraceRecord, TraceSink } from './trace.js';
import { EMPTY_ROWS, RowGroups } from './row-groups.js';

export type NumberColumnType = 'f64' | 'i32';

/** Which fields get a column of their own. */
export interface ColumnLayout {
  /** Numeric fields and their column type. */
  numbers: Readonly<Record<string, NumberColumnType>>;
  /** String fields, interned. */
  strings: readonly string[];
}

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;
/** In an `i32` column: the value is in the payload (it did not fit, or the field is absent). */
export const I32_ELSEWHERE = -0x80000000;
/** In a Uint16 string column: the row has no string there (it is in the payload, or absent). */
const NO_STRING_16 = 0xffff;
/** Strings remembered per payload slot, so that interning a repeated one costs a few pointer compares, not a hash. */
const RECENT = 8;

/** One distinct set of keys and value types, and where each value lives. */
export interface ColumnShape {
  readonly id: number;
  readonly keys: readonly string[];
  readonly tags: Uint8Array;
  /** Per key: the column's index among the columns of its type (column tags) or the payload slot (payload tags). */
  readonly where: Int32Array;
  readonly payloadSize: number;
  /** Whether some column gets no value from it (then each column is first set to its sentinel). */
  readonly columnsMissing: boolean;
  /** Key → its index in `keys`. */
  readonly index: ReadonlyMap<string, number>;
  /** Per payload slot, the last RECENT strings written there and their ids (slot w's at w × RECENT…): a kind's strings repeat, a few values in turn. */
  readonly lastString: (string | undefined)[];
  readonly lastStringId: Int32Array;
  /** Per payload slot: where the next new string goes in its recent ones. */
  readonly lastStringNext: Uint8Array;
}

/** 65,536 rows of every column, and their payloads. */
export interface ColumnChunk {
  /** Number columns in layout order (each is also in `f64` or `i32`). */
  numbers: (Float64Array | Int32Array)[];
  f64: Float64Array[];
  i32: Int32Array[];
  /** String columns: ids as Uint16 until the table outgrows them, then Int32 (`wideStrings`). */
  strings: (Uint16Array | Int32Array)[];
  shape: Uint16Array;
  /** Start of each row's payload in `payload`. */
  offset: Int32Array;
  /** Int32 slots: an int, a string id, a boolean, or a float64's two halves (`TAG_NUMBER`). */
  payload: Int32Array;
  payloadUsed: number;
}

/** Interned strings: each distinct string once, by id. */
export class StringTable {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];

  id(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(s);
      this.ids.set(s, id);
    }
    return id;
  }

  /** The id of `s`, or -1 if it was never interned (no record holds it). */
  find(s: string): number {
    return this.ids.get(s) ?? -1;
  }

  get size(): number {
    return this.values.length;
  }
}

export class ColumnStore<R extends TraceRecord> implements TraceSink<R> {
  readonly enabled = true;
  /** Records written. */
  length = 0;
  readonly strings = new StringTable();
  protected readonly numberNames: string[];
  protected readonly numberTypes: NumberColumnType[];
  /** Per number column: its index among the columns of its type. */
  protected readonly numberSlot: number[];
  protected readonly stringNames: string[];
  protected readonly numberColumn = new Map<string, number>();
  protected readonly stringColumn = new Map<string, number>();
  protected readonly chunks: ColumnChunk[] = [];
  protected readonly shapes: ColumnShape[] = [];
  private readonly shapeByKey = new Map<string, ColumnShape>();
  /** The shapes seen per kind, the last matched first: most records match the first. */
  private readonly shapeByKind = new Map<string, ColumnShape[]>();
  /** Whether string columns hold Int32 ids (the table outgrew Uint16), and the value that says a row has no string there. */
  private wideStrings = false;
  protected noString = NO_STRING_16;
  /** Per string column, the last RECENT strings written and their ids (column k's at k × RECENT…; places and streams take turns), and where the next new one goes. */
  protected readonly lastString: (string | undefined)[];
  protected readonly lastStringId: Int32Array;
  private readonly lastStringNext: Uint8Array;
  /** The rows by each value of a column, built when first asked (`rowsWithString`, `rowsWithNumber`). */
  private readonly groups = new RowGroups();

  constructor(
    layout: ColumnLayout,
    /** The most records it keeps (then `write` throws, so a runaway run cannot exhaust memory). */
    readonly limit = 10_000_000,
  ) {
    this.numberNames = Object.keys(layout.numbers);
    this.numberTypes = this.numberNames.map((n) => layout.numbers[n]!);
    this.numberSlot = this.numberTypes.map((t, k) => this.numberTypes.slice(0, k).filter((u) => u === t).length);
    this.stringNames = [...layout.strings];
    this.numberNames.forEach((n, i) => this.numberColumn.set(n, i));
    this.stringNames.forEach((n, i) => this.stringColumn.set(n, i));
    if (!this.stringColumn.has('kind')) throw new Error('a column store needs a string column for kind');
    this.lastString = new Array<string | undefined>(this.stringNames.length * RECENT).fill(undefined);
    this.lastStringId = new Int32Array(this.stringNames.length * RECENT);
    this.lastStringNext = new Uint8Array(this.stringNames.length);
  }

  /** Appends one record (the trace sink's side). */
  write(record: R): void {
    const row = this.length;
    const chunk = this.chunkFor(row);
    const c = row & MASK;
    // Most records have the shape their kind had last: try the kind's shapes, most recent first, then find or make the exact one.
    const known = this.shapeByKind.get(record.kind);
    if (known !== undefined) {
      for (let k = 0; k < known.length; k++) {
        const shape = known[k]!;
        if (this.writeAs(shape, record, chunk, c, row)) {
          if (k > 0) {
            known[k] = known[0]!;
            known[0] = shape;
          }
          this.length = row + 1;
          return;
        }
      }
    }
    if (!this.writeAs(this.shapeFor(record, row), record, chunk, c, row)) throw new Error(`a record of kind ${record.kind} does not match the shape made from it`);
    this.length = row + 1;
  }

  /**
   * Writes `record` to row `c` of `chunk` as `shape` lays it out, checking
   * as it goes that the record has exactly that shape's keys in order with
   * values of its types; false (the row's payload not taken) at the first
   * difference. One `for…in` pass: V8 reads each value by the object's
   * cached layout, with no array built and no keyed lookup.
   */
  private writeAs(shape: ColumnShape, record: R, chunk: ColumnChunk, c: number, row: number): boolean {
    const base = chunk.payloadUsed;
    if (base + shape.payloadSize > chunk.payload.length) chunk.payload = grow(chunk.payload, base + shape.payloadSize);
    const payload = chunk.payload;
    if (shape.columnsMissing) {
      for (let k = 0; k < chunk.f64.length; k++) chunk.f64[k]![c] = NaN;
      for (let k = 0; k < chunk.i32.length; k++) chunk.i32[k]![c] = I32_ELSEWHERE;
      for (let k = 0; k < chunk.strings.length; k++) chunk.strings[k]![c] = this.noString;
    }
    const { keys, tags, where } = shape;
    const r = record as unknown as Record<string, unknown>;
    let j = 0;
    for (const key in r) {
      if (key !== keys[j]) return false;
      const v = r[key];
      const w = where[j]!;
      switch (tags[j]) {
        case TAG_SEQ:
          if (v !== row) return false;
          break;
        case TAG_F64_COLUMN:
          if (typeof v !== 'number' || v !== v) return false;
          chunk.f64[w]![c] = v;
          break;
        case TAG_I32_COLUMN:
          if (typeof v !== 'number' || (v | 0) !== v || v === I32_ELSEWHERE) return false;
          chunk.i32[w]![c] = v;
          break;
        case TAG_STR_COLUMN: {
          if (typeof v !== 'string') return false;
          const id = this.internColumn(w, v);
          chunk.strings[w]![c] = id;
          break;
        }
        default:
          if (!this.writePayload(shape, payload, base, w, tags[j]!, v)) return false;
      }
      j++;
    }
    if (j !== keys.length) return false;
    chunk.shape[c] = shape.id;
    chunk.offset[c] = base;
    chunk.payloadUsed = base + shape.payloadSize;
    return true;
  }

  /**
   * Writes `v`, a payload field of type `tag`, to slot `w` of the row whose
   * payload starts at `base` (as `shape` lays it out); false, writing
   * nothing, when `v` is not of that type. Undefined and null take no slot:
   * the shape says them. Every writer of rows (`writeAs`, and a subclass's
   * own fast path) goes through it, so a type is written one way.
   */
  protected writePayload(shape: ColumnShape, payload: Int32Array, base: number, w: number, tag: number, v: unknown): boolean {
    switch (tag) {
      case TAG_INT:
        if (!isInt32(v)) return false;
        payload[base + w] = v;
        return true;
      case TAG_NUMBER:
        if (typeof v !== 'number') return false;
        writeFloat(payload, base + w, v);
        return true;
      case TAG_STRING:
        if (typeof v !== 'string') return false;
        payload[base + w] = this.internPayload(shape, w, v);
        return true;
      case TAG_BOOLEAN:
        if (typeof v !== 'boolean') return false;
        payload[base + w] = v ? 1 : 0;
        return true;
      case TAG_UNDEFINED:
        return v === undefined;
      case TAG_NULL:
        return v === null;
      case TAG_JSON:
        if (typeof v !== 'object' || v === null) return false;
        payload[base + w] = this.strings.id(JSON.stringify(v));
        return true;
      default:
        return false;
    }
  }

  /** The id of `v` in string column `k`, through the column's recent strings (a run's places and streams take turns among a few). */
  protected internColumn(k: number, v: string): number {
    const at = k * RECENT;
    const recent = this.lastString;
    for (let r = at; r < at + RECENT; r++) if (recent[r] === v) return this.lastStringId[r]!;
    const id = this.strings.id(v);
    if (id >= NO_STRING_16 && !this.wideStrings) this.widenStrings();
    const r = at + this.lastStringNext[k]!;
    this.lastStringNext[k] = (this.lastStringNext[k]! + 1) % RECENT;
    recent[r] = v;
    this.lastStringId[r] = id;
    return id;
  }

  /** Widens every string column to Int32 (the table passed 65,535 strings): once, copying what is written. */
  private widenStrings(): void {
    this.wideStrings = true;
    this.noString = -1;
    for (const chunk of this.chunks) {
      chunk.strings = chunk.strings.map((col) => {
        const wide = new Int32Array(col.length);
        for (let c = 0; c < col.length; c++) wide[c] = col[c] === NO_STRING_16 ? -1 : col[c]!;
        return wide;
      });
    }
  }

  /** The id of `v` in payload slot `w` of `shape`, through the slot's one-entry cache (a kind's strings repeat). */
  protected internPayload(shape: ColumnShape, w: number, v: string): number {
    const at = w * RECENT;
    const recent = shape.lastString;
    for (let k = at; k < at + RECENT; k++) if (recent[k] === v) return shape.lastStringId[k]!;
    const id = this.strings.id(v);
    const k = at + shape.lastStringNext[w]!;
    shape.lastStringNext[w] = (shape.lastStringNext[w]! + 1) % RECENT;
    recent[k] = v;
    shape.lastStringId[k] = id;
    return id;
  }

  /** Makes room for at least `need` payload slots in `chunk` (doubling, so growing stays rare). */
  protected growPayload(chunk: ColumnChunk, need: number): void {
    chunk.payload = grow(chunk.payload, need);
  }

  /** The chunk row `row` goes to (made when the row starts one); throws past the limit. */
  protected chunkFor(row: number): ColumnChunk {
    if (row >= this.limit) throw new RangeError(`trace limit reached: more than ${this.limit} records`);
    if ((row & MASK) === 0) this.chunks.push(this.newChunk());
    return this.chunks[row >>> CHUNK_BITS]!;
  }

  /** Record `i` as an object equal to the one written (a new object each call), or undefined out of range (as `Array.prototype.at`, without negative indices). */
  at(i: number): R | undefined {
    if (!(i >= 0 && i < this.length)) return undefined;
    const chunk = this.chunks[i >>> CHUNK_BITS]!;
    const c = i & MASK;
    const shape = this.shapes[chunk.shape[c]!]!;
    const base = chunk.offset[c]!;
    const out: Record<string, unknown> = {};
    const { keys, tags, where } = shape;
    for (let j = 0; j < keys.length; j++) out[keys[j]!] = this.valueOf(chunk, c, base, tags[j]!, where[j]!, i);
    return out as unknown as R;
  }

  /** Field `name` of record `i` without building the record (undefined when the record has no such field). */
  field(i: number, name: string): unknown {
    const chunk = this.chunks[i >>> CHUNK_BITS]!;
    const c = i & MASK;
    const shape = this.shapes[chunk.shape[c]!]!;
    const j = shape.index.get(name);
    return j === undefined ? undefined : this.valueOf(chunk, c, chunk.offset[c]!, shape.tags[j]!, shape.where[j]!, i);
  }

  /** The index of number column `name` (for `number`), or -1. */
  numberColumnIndex(name: string): number {
    return this.numberColumn.get(name) ?? -1;
  }

  /** The index of string column `name` (for `stringId`, `string`), or -1. */
  stringColumnIndex(name: string): number {
    return this.stringColumn.get(name) ?? -1;
  }

  /** Number column `k` of record `i` (NaN when the record has no such number). */
  number(k: number, i: number): number {
    const v = this.chunks[i >>> CHUNK_BITS]!.numbers[k]![i & MASK]!;
    if (v === I32_ELSEWHERE || v !== v) {
      const f = this.field(i, this.numberNames[k]!);
      return typeof f === 'number' ? f : NaN;
    }
    return v;
  }

  /** The interned id of string column `k` of record `i`, or -1 when the record has no such string. */
  stringId(k: number, i: number): number {
    const id = this.chunks[i >>> CHUNK_BITS]!.strings[k]![i & MASK]!;
    if (id !== this.noString) return id;
    const f = this.field(i, this.stringNames[k]!);
    return typeof f === 'string' ? this.strings.find(f) : -1;
  }

  /** String column `k` of record `i` ('' when the record has no such string). */
  string(k: number, i: number): string {
    const id = this.stringId(k, i);
    return id < 0 ? '' : this.strings.values[id]!;
  }

  /**
   * The rows whose string column `k` holds `value`, ascending (a shared
   * array: do not write to it). Built for every value of that column in one
   * pass the first time it is asked, then answered at once.
   */
  rowsWithString(k: number, value: string): Int32Array {
    const id = this.strings.find(value);
    if (id < 0) return EMPTY_ROWS;
    return RowGroups.rowsOf(this.groups.group(`s${k}`, this.length, 0, this.strings.size, (keys) => this.fillStringIds(k, keys)), id);
  }

  /** The rows whose `i32` column `k` holds `value`, ascending (as `rowsWithString`; the column's values must span no more than a few times the row count). */
  rowsWithNumber(k: number, value: number): Int32Array {
    if (this.length === 0) return EMPTY_ROWS;
    const key = `n${k}`;
    let g = this.groups.cached(key, this.length);
    if (g === undefined) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < this.length; i++) {
        const v = this.number(k, i);
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (!(hi - lo < 4 * this.length + 1024)) throw new RangeError(`column ${this.numberNames[k]} spans too wide a range to index`);
      g = this.groups.group(key, this.length, lo, hi - lo + 1, (keys) => {
        // A row without the number (NaN) gets a key below every slot.
        for (let i = 0; i < this.length; i++) {
          const v = this.number(k, i);
          keys[i] = v === v ? v : -0x80000000;
        }
      });
    }
    return RowGroups.rowsOf(g, value);
  }

  /** Bytes held by the columns and payloads (typed arrays, outside the JS heap). */
  get bytes(): number {
    let n = 0;
    for (const chunk of this.chunks) {
      for (const col of chunk.numbers) n += col.byteLength;
      for (const col of chunk.strings) n += col.byteLength;
      n += chunk.shape.byteLength + chunk.offset.byteLength + chunk.payload.byteLength;
    }
    return n + this.groups.bytes;
  }

  /** Gives back the room the last chunk did not use (call when no more records come). */
  trim(): void {
    const last = this.chunks[this.chunks.length - 1];
    if (last === undefined) return;
    const rows = this.length - ((this.chunks.length - 1) << CHUNK_BITS);
    last.numbers = last.numbers.map((col) => col.slice(0, rows));
    Object.assign(last, byType(last.numbers));
    last.strings = last.strings.map((col) => col.slice(0, rows));
    last.shape = last.shape.slice(0, rows);
    last.offset = last.offset.slice(0, rows);
    // A payload more than an eighth empty is copied to its size (the last chunk's, mostly).
    for (const chunk of this.chunks) if (chunk.payload.length - chunk.payloadUsed > chunk.payload.length / 8) chunk.payload = chunk.payload.slice(0, chunk.payloadUsed);
  }

  protected newChunk(): ColumnChunk {
    // Size the payload as the last chunk's was: growing it copies.
    const last = this.chunks[this.chunks.length - 1];
    const payload = last === undefined ? CHUNK * 2 : Math.ceil(last.payloadUsed * 1.05) + 64;
    const numbers: (Float64Array | Int32Array)[] = this.numberTypes.map((t) => (t === 'i32' ? new Int32Array(CHUNK) : new Float64Array(CHUNK)));
    return {
      numbers,
      ...byType(numbers),
      strings: this.stringNames.map(() => (this.wideStrings ? new Int32Array(CHUNK) : new Uint16Array(CHUNK))),
      shape: new Uint16Array(CHUNK),
      offset: new Int32Array(CHUNK),
      payload: new Int32Array(payload),
      payloadUsed: 0,
    };
  }

  private valueOf(chunk: ColumnChunk, c: number, base: number, tag: number, where: number, row: number): unknown {
    switch (tag) {
      case TAG_SEQ:
        return row;
      case TAG_F64_COLUMN:
        return chunk.f64[where]![c];
      case TAG_I32_COLUMN:
        return chunk.i32[where]![c];
      case TAG_STR_COLUMN:
        return this.strings.values[chunk.strings[where]![c]!];
      case TAG_INT:
        return chunk.payload[base + where];
      case TAG_NUMBER:
        return readFloat(chunk.payload, base + where);
      case TAG_STRING:
        return this.strings.values[chunk.payload[base + where]!];
      case TAG_BOOLEAN:
        return chunk.payload[base + where] === 1;
      case TAG_NULL:
        return null;
      case TAG_JSON:
        return JSON.parse(this.strings.values[chunk.payload[base + where]!]!);
      default:
        return undefined;
    }
  }

  /** The exact shape of `record` (found by its keys and value types, or made), put first among its kind's. */
  private shapeFor(record: R, row: number): ColumnShape {
    const r = record as unknown as Record<string, unknown>;
    const keys: string[] = [];
    const tags: number[] = [];
    for (const key in r) {
      keys.push(key);
      tags.push(this.tagFor(key, r[key], row));
    }
    const shape = this.registerShape(keys, tags);
    let known = this.shapeByKind.get(record.kind);
    if (known === undefined) this.shapeByKind.set(record.kind, (known = []));
    const at = known.indexOf(shape);
    if (at >= 0) known.splice(at, 1);
    known.unshift(shape);
    return shape;
  }

  /** The shape with these keys and tags, found or made (a subclass writing rows its own way lays them out with it). */
  protected registerShape(keys: readonly string[], tags: readonly number[]): ColumnShape {
    const fullKey = keys.map((k, j) => `${k}:${tags[j]}`).join(',');
    let shape = this.shapeByKey.get(fullKey);
    if (shape === undefined) {
      if (this.shapes.length >= 0xffff) throw new RangeError('a column store holds at most 65,535 record shapes');
      const where = new Int32Array(keys.length);
      let payload = 0;
      let columns = 0;
      keys.forEach((k, j) => {
        const tag = tags[j]!;
        if (tag === TAG_F64_COLUMN || tag === TAG_I32_COLUMN) where[j] = this.numberSlot[this.numberColumn.get(k)!]!;
        else if (tag === TAG_STR_COLUMN) where[j] = this.stringColumn.get(k)!;
        else if (tag === TAG_SEQ || tag === TAG_UNDEFINED || tag === TAG_NULL) where[j] = -1;
        else {
          where[j] = payload;
          payload += tag === TAG_NUMBER ? 2 : 1;
        }
        if (tag === TAG_F64_COLUMN || tag === TAG_I32_COLUMN || tag === TAG_STR_COLUMN) columns++;
      });
      shape = {
        id: this.shapes.length,
        keys: [...keys],
        tags: Uint8Array.from(tags),
        where,
        payloadSize: payload,
        columnsMissing: columns < this.numberNames.length + this.stringNames.length,
        index: new Map(keys.map((k, j) => [k, j])),
        lastString: new Array<string | undefined>(payload * RECENT).fill(undefined),
        lastStringId: new Int32Array(payload * RECENT),
        lastStringNext: new Uint8Array(payload),
      };
      this.shapes.push(shape);
      this.shapeByKey.set(fullKey, shape);
    }
    return shape;
  }

  /** Where a key's value goes: its column when it has one and the value fits, else the payload by type. */
  protected tagFor(key: string, v: unknown, row: number): number {
    if (key === 'seq' && v === row) return TAG_SEQ;
    const n = this.numberColumn.get(key);
    if (n !== undefined && typeof v === 'number' && fits(this.numberTypes[n]!, v)) return this.numberTypes[n] === 'i32' ? TAG_I32_COLUMN : TAG_F64_COLUMN;
    if (this.stringColumn.has(key) && typeof v === 'string') return TAG_STR_COLUMN;
    if (typeof v === 'number') return isInt32(v) ? TAG_INT : TAG_NUMBER;
    if (typeof v === 'string') return TAG_STRING;
    if (typeof v === 'boolean') return TAG_BOOLEAN;
    if (v === undefined) return TAG_UNDEFINED;
    if (v === null) return TAG_NULL;
    return TAG_JSON;
  }

  /** String column `k`'s id of every row into `keys` (-1: none), a chunk at a time. */
  private fillStringIds(k: number, keys: Int32Array): void {
    const none = this.noString;
    for (let n = 0; n < this.chunks.length; n++) {
      const col = this.chunks[n]!.strings[k]!;
      const first = n << CHUNK_BITS;
      const rows = Math.min(CHUNK, this.length - first);
      for (let c = 0; c < rows; c++) {
        const id = col[c]!;
        keys[first + c] = id !== none ? id : this.stringId(k, first + c);
      }
    }
  }
}

/** Number columns split by type, in layout order within each. */
function byType(numbers: readonly (Float64Array | Int32Array)[]): { f64: Float64Array[]; i32: Int32Array[] } {
  const f64: Float64Array[] = [];
  const i32: Int32Array[] = [];
  for (const col of numbers) {
    if (col instanceof Int32Array) i32.push(col);
    else f64.push(col);
  }
  return { f64, i32 };
}

function fits(type: NumberColumnType, v: number): boolean {
  return type === 'f64' ? v === v : (v | 0) === v && v !== I32_ELSEWHERE;
}

function grow(a: Int32Array, need: number): Int32Array {
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}
