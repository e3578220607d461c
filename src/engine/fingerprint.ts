/**
 * A stable fingerprint over a trace (OMNeT++'s cFingerprintCalculator idea):
 * a 64-bit hash, printed as 16 hex digits, of every record's fields in the
 * order the record holds them, each value by its type and content.
 * Two runs with the same fingerprint produced the same trace, bit for bit.
 * It is a regression check, not a cryptographic hash.
 */
import type { TraceRecord, TraceSink } from './trace.js';

/** One field of a record layout (see `Fingerprint.layouts`). */
interface FieldSlot {
  key: string;
  /** The key's id in the string table, or -1 when the table was full. */
  id: number;
  /** The last few strings this field held (at most `SLOT_WAYS`), with their ids at the same index: `place` and `stream` take turns between a few values. */
  texts: string[];
  ids: number[];
  /** The entry the next new string replaces, once `texts` is full. */
  next: number;
}

/** Strings a field slot remembers. */
const SLOT_WAYS = 4;

/** The id of `text` if `slot` remembers it, else -1. */
function slotId(slot: FieldSlot, text: string): number {
  const texts = slot.texts;
  for (let k = 0; k < texts.length; k++) if (texts[k] === text) return slot.ids[k]!;
  return -1;
}

/** Remembers `text` (id `id`) in `slot`, replacing its oldest string when full. */
function remember(slot: FieldSlot, text: string, id: number): void {
  if (slot.texts.length < SLOT_WAYS) {
    slot.texts.push(text);
    slot.ids.push(id);
    return;
  }
  slot.texts[slot.next] = text;
  slot.ids[slot.next] = id;
  slot.next = (slot.next + 1) % SLOT_WAYS;
}

/** The envelope `Fingerprint.addParts` reads: an hvsim record's envelope in one layout, `waitNs` 0 when it has none. */
export interface FingerprintEnvelope {
  readonly seq: number;
  readonly t: number;
  readonly kind: string;
  readonly place: string;
  readonly band: string;
  readonly stream: string;
  readonly flow: number;
  readonly cause: number;
  readonly costNs: number;
  readonly charge: string;
  readonly lp: number;
  readonly waitNs: number;
}

/** Type tags fed before each value, so `1`, `"1"`, `true` and `[1]` differ. */
const enum Tag {
  Null = 1,
  False,
  True,
  Int32,
  Float64,
  NewString,
  SeenString,
  RawString,
  Object,
  Array,
  End,
  NonFinite,
  Text,
  Undefined,
}

/**
 * Strings remembered by id (their first appearance is hashed by its
 * characters, later ones by the id). Beyond this many, a string not yet
 * remembered is hashed by its characters every time: memory stays bounded
 * on a run of any length, and which strings are remembered depends only on
 * the records, so the fingerprint stays deterministic.
 */
const MAX_INTERNED = 1 << 16;

/** A number's IEEE-754 bits, for floats. */
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

/**
 * Incremental 64-bit hash over a trace (two independent 32-bit lanes,
 * cyrb53-style mixing) of each record's structure: its fields in the order
 * the record has them (for a record, the order the model's code builds it
 * in, the same in Node and in the browser), each key and value with a type
 * tag; integers that fit in 32 bits as one word, other numbers as their
 * IEEE-754 bits, strings by their characters on first sight and by an id
 * after. It reads each value once and builds no text, so folding it beside
 * a run costs a few multiplications per field. (It used to hash each
 * record's canonical JSON text with sorted keys, character by character:
 * that took three times as long as the model itself.) Nested objects are
 * hashed with sorted keys.
 */
export class Fingerprint {
  private h1 = 0xdeadbeef;
  private h2 = 0x41c6ce57;
  private count = 0;

  /**
   * The fields of the last record of each `kind`, in order, each with its
   * key's string id and its last few string values' ids: a hit feeds
   * exactly what `string()` would, without the table lookup. Only a cache:
   * the hash is the same with or without it.
   */
  private readonly layouts = new Map<unknown, FieldSlot[]>();
  /** Strings seen so far, by id in order of first appearance (at most `MAX_INTERNED`). */
  private readonly strings = new Map<string, number>();

  private mix(word: number): void {
    this.h1 = Math.imul(this.h1 ^ word, 2654435761);
    this.h2 = Math.imul(this.h2 ^ word, 1597334677);
  }

  /** Folds the characters of `text` into the hash, then its length. */
  private chars(text: string): void {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    this.h1 = h1;
    this.h2 = h2;
    this.mix(text.length);
  }

  /** Feeds a string: its id when seen before, else its characters (remembering it while the table has room). Returns its id, or -1. */
  private string(text: string): number {
    const id = this.strings.get(text);
    if (id !== undefined) {
      this.mix(Tag.SeenString);
      this.mix(id);
      return id;
    }
    if (this.strings.size < MAX_INTERNED) {
      const next = this.strings.size;
      this.strings.set(text, next);
      this.mix(Tag.NewString);
      this.chars(text);
      return next;
    }
    this.mix(Tag.RawString);
    this.chars(text);
    return -1;
  }

  private number(v: number): void {
    if ((v | 0) === v) {
      this.mix(Tag.Int32);
      this.mix(v);
    } else if (Number.isFinite(v)) {
      F64[0] = v;
      this.mix(Tag.Float64);
      this.mix(U32[0]!);
      this.mix(U32[1]!);
    } else {
      this.mix(Tag.NonFinite);
      this.mix(Number.isNaN(v) ? 0 : v > 0 ? 1 : 2);
    }
  }

  /** Any value: objects with their keys sorted and undefined fields left out, arrays in order. */
  private value(v: unknown): void {
    switch (typeof v) {
      case 'number':
        this.number(v);
        return;
      case 'string':
        this.string(v);
        return;
      case 'boolean':
        this.mix(v ? Tag.True : Tag.False);
        return;
      case 'undefined':
        this.mix(Tag.Undefined);
        return;
      case 'object':
        break;
      default:
        this.string(String(v));
        return;
    }
    if (v === null) {
      this.mix(Tag.Null);
      return;
    }
    if (Array.isArray(v)) {
      this.mix(Tag.Array);
      for (const item of v) this.value(item);
      this.mix(Tag.End);
      return;
    }
    const obj = v as Record<string, unknown>;
    this.mix(Tag.Object);
    for (const key of Object.keys(obj).sort()) {
      if (obj[key] === undefined) continue;
      this.string(key);
      this.value(obj[key]);
    }
    this.mix(Tag.End);
  }

  /** Feeds a string (not a record: `records` does not count it). */
  addText(text: string): this {
    this.mix(Tag.Text);
    this.chars(text);
    return this;
  }

  /**
   * Feeds one record: its fields in their own order (`for…in`, which V8
   * walks from the object's cached layout), undefined fields left out.
   * `kind`, when the caller has the record's `kind` at hand, saves reading
   * it from the record (it only picks the layout cache: any value gives
   * the same hash).
   */
  add(record: unknown, kind?: unknown): this {
    this.count++;
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      this.value(record);
      return this;
    }
    const obj = record as Record<string, unknown>;
    if (kind === undefined) kind = obj['kind'];
    const slots = this.layoutOf(kind);
    // The hot loop keeps the lanes in locals and mixes inline; the rare cases (a new key or string, a float, a nested value) go through the methods.
    let h1 = Math.imul(this.h1 ^ Tag.Object, 2654435761);
    let h2 = Math.imul(this.h2 ^ Tag.Object, 1597334677);
    let i = 0;
    let id = -1;
    for (const key in obj) {
      const v = obj[key];
      if (v === undefined) continue;
      let slot = slots[i++];
      if (slot !== undefined && slot.key === key && slot.id >= 0) {
        h1 = Math.imul(Math.imul(h1 ^ Tag.SeenString, 2654435761) ^ slot.id, 2654435761);
        h2 = Math.imul(Math.imul(h2 ^ Tag.SeenString, 1597334677) ^ slot.id, 1597334677);
      } else {
        this.h1 = h1;
        this.h2 = h2;
        if (slot === undefined || slot.key !== key) {
          slot = { key, id: this.string(key), texts: [], ids: [], next: 0 };
          slots[i - 1] = slot;
        } else this.string(key);
        h1 = this.h1;
        h2 = this.h2;
      }
      if (typeof v === 'number' && (v | 0) === v) {
        h1 = Math.imul(Math.imul(h1 ^ Tag.Int32, 2654435761) ^ v, 2654435761);
        h2 = Math.imul(Math.imul(h2 ^ Tag.Int32, 1597334677) ^ v, 1597334677);
      } else if (typeof v === 'string' && (id = slotId(slot, v)) >= 0) {
        h1 = Math.imul(Math.imul(h1 ^ Tag.SeenString, 2654435761) ^ id, 2654435761);
        h2 = Math.imul(Math.imul(h2 ^ Tag.SeenString, 1597334677) ^ id, 1597334677);
      } else {
        this.h1 = h1;
        this.h2 = h2;
        if (typeof v === 'string') {
          const seen = this.string(v);
          if (seen >= 0) remember(slot, v, seen);
        } else this.value(v);
        h1 = this.h1;
        h2 = this.h2;
      }
    }
    this.h1 = Math.imul(h1 ^ Tag.End, 2654435761);
    this.h2 = Math.imul(h2 ^ Tag.End, 1597334677);
    return this;
  }

  /**
   * Feeds the record an hvsim tracer builds from `envelope` and `own`
   * without building it: the same hash as `add` of that record, whose
   * fields are the envelope's in the record's order (`seq`, `t`, `kind`,
   * `place`, `band`, `stream`, `flow`, `cause`, `costNs`, `charge`, `lp`),
   * then `own`'s in its order (undefined ones left out), then `waitNs`
   * when above 0. `own` must not hold a key of the envelope's.
   */
  addParts(envelope: FingerprintEnvelope, own: object): this {
    this.count++;
    const slots = this.layoutOf(envelope.kind);
    this.h1 = Math.imul(this.h1 ^ Tag.Object, 2654435761);
    this.h2 = Math.imul(this.h2 ^ Tag.Object, 1597334677);
    // The envelope's numbers go to `number` as numbers (no value boxed on the way), its strings to `text` with their slot.
    this.key(slots, 0, 'seq');
    this.number(envelope.seq);
    this.key(slots, 1, 't');
    this.number(envelope.t);
    this.text(this.key(slots, 2, 'kind'), envelope.kind);
    this.text(this.key(slots, 3, 'place'), envelope.place);
    this.text(this.key(slots, 4, 'band'), envelope.band);
    this.text(this.key(slots, 5, 'stream'), envelope.stream);
    this.key(slots, 6, 'flow');
    this.number(envelope.flow);
    this.key(slots, 7, 'cause');
    this.number(envelope.cause);
    this.key(slots, 8, 'costNs');
    this.number(envelope.costNs);
    this.text(this.key(slots, 9, 'charge'), envelope.charge);
    this.key(slots, 10, 'lp');
    this.number(envelope.lp);
    let i = 11;
    const o = own as Record<string, unknown>;
    for (const key in o) {
      const v = o[key];
      if (v === undefined) continue;
      const slot = this.key(slots, i++, key);
      if (typeof v === 'string') this.text(slot, v);
      else this.value(v);
    }
    if (envelope.waitNs > 0) {
      this.key(slots, i, 'waitNs');
      this.number(envelope.waitNs);
    }
    this.h1 = Math.imul(this.h1 ^ Tag.End, 2654435761);
    this.h2 = Math.imul(this.h2 ^ Tag.End, 1597334677);
    return this;
  }

  /** The field slots of records of `kind` (see `layouts`). */
  private layoutOf(kind: unknown): FieldSlot[] {
    let slots = this.layouts.get(kind);
    if (slots === undefined) {
      slots = [];
      this.layouts.set(kind, slots);
    }
    return slots;
  }

  /** Feeds the key of a record's `i`th field, as `add`'s loop does, through its layout's slot; returns the slot. */
  private key(slots: FieldSlot[], i: number, key: string): FieldSlot {
    const slot = slots[i];
    if (slot !== undefined && slot.key === key && slot.id >= 0) {
      this.h1 = Math.imul(Math.imul(this.h1 ^ Tag.SeenString, 2654435761) ^ slot.id, 2654435761);
      this.h2 = Math.imul(Math.imul(this.h2 ^ Tag.SeenString, 1597334677) ^ slot.id, 1597334677);
      return slot;
    }
    if (slot !== undefined && slot.key === key) {
      this.string(key);
      return slot;
    }
    const made: FieldSlot = { key, id: this.string(key), texts: [], ids: [], next: 0 };
    slots[i] = made;
    return made;
  }

  /** Feeds a string value of the field `slot` is for, as `add`'s loop does (by the slot's id for it when it has one). */
  private text(slot: FieldSlot, v: string): void {
    const id = slotId(slot, v);
    if (id >= 0) {
      this.h1 = Math.imul(Math.imul(this.h1 ^ Tag.SeenString, 2654435761) ^ id, 2654435761);
      this.h2 = Math.imul(Math.imul(this.h2 ^ Tag.SeenString, 1597334677) ^ id, 1597334677);
      return;
    }
    const seen = this.string(v);
    if (seen >= 0) remember(slot, v, seen);
  }

  /** Records fed so far. */
  get records(): number {
    return this.count;
  }

  /** The fingerprint: 16 lowercase hex digits. Does not reset the state. */
  digest(): string {
    let h1 = this.h1;
    let h2 = this.h2;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    const hex = (x: number): string => (x >>> 0).toString(16).padStart(8, '0');
    return hex(h2) + hex(h1);
  }
}

/** The fingerprint of a whole trace. */
export function fingerprintOf(records: Iterable<unknown>): string {
  const fp = new Fingerprint();
  for (const r of records) fp.add(r);
  return fp.digest();
}

/** A sink that folds records into a fingerprint as they are written, keeping none. */
export class FingerprintSink<R extends TraceRecord = TraceRecord> implements TraceSink<R> {
  readonly enabled = true;
  readonly fingerprint = new Fingerprint();

  write(record: R): void {
    this.fingerprint.add(record);
  }
}
