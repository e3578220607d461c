/**
 * A stable fingerprint over a trace (OMNeT++'s cFingerprintCalculator idea):
 * a 64-bit hash, printed as 16 hex digits, of every record's fields in the
 * order the record holds them, each value by its type and content.
 * Two runs with the same fingerprint produced the same trace, bit for bit.
 * It is a regression check, not a cryptographic hash.
 */
import { IdPairs } from './id-pairs.js';
import type { TraceRecord, TraceSink } from './trace.js';

/** One field of a record layout (see `Fingerprint.layouts`). */
interface FieldSlot {
  key: string;
  /** The key's word (`keyWord`: its reference shifted past the tag), or -1 when the table was full when the key came (its characters are fed every time). */
  word: number;
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
  /**
   * A number naming `place` and `band` together for the whole trace (equal
   * numbers: equal place and band strings), or -1: the fingerprint keeps
   * their ids by it and finds them by index, not by comparing strings.
   * Only a cache key: the hash is the same whatever it is.
   */
  readonly placeNo: number;
  readonly stream: string;
  readonly flow: number;
  readonly cause: number;
  readonly costNs: number;
  readonly charge: string;
  readonly lp: number;
  readonly waitNs: number;
}

/** Type tags: the low 4 bits of a field's word, so `1`, `"1"`, `true` and `[1]` differ. */
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

/** A field word's reference for a key the table had no room for (its characters precede the word); 0 is an array item's (no key), 1… a remembered key's id + 1. */
const RAW_KEY = MAX_INTERNED + 1;

/** The two lanes' multipliers. */
const P1 = 2654435761;
const P2 = 1597334677;

/** The envelope's keys, in the order an hvsim record holds them (`addParts`). */
const ENVELOPE_KEYS = ['seq', 't', 'kind', 'place', 'band', 'stream', 'flow', 'cause', 'costNs', 'charge', 'lp'] as const;
/** Their values' tags on `addParts`'s fast path: integers and strings by id (`t`, when a float, changes its tag there). */
const ENVELOPE_TAGS = [Tag.Int32, Tag.Int32, Tag.SeenString, Tag.SeenString, Tag.SeenString, Tag.SeenString, Tag.Int32, Tag.Int32, Tag.Int32, Tag.SeenString, Tag.Int32];
/** `addParts`'s fast path's envelope values, in `ENVELOPE_KEYS` order (reused). */
const ENVELOPE_VALUES = new Int32Array(ENVELOPE_KEYS.length);

/** A number's IEEE-754 bits, for floats. */
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

/** The word of a field with key reference `ref` (shifted past the tag): or it with the value's `Tag`. */
function keyWord(ref: number): number {
  return ref << 4;
}

/**
 * Incremental 64-bit hash over a trace (two independent 32-bit lanes,
 * cyrb53-style mixing) of each record's structure: its fields in the order
 * the record has them (for a record, the order the model's code builds it
 * in, the same in Node and in the browser), undefined fields left out.
 * Each field is one word, its key's id in a string table with its value's
 * type tag, then the value: an integer that fits in 32 bits as one word,
 * another number as its IEEE-754 bits, a string by its id (its characters
 * on first sight). A key or string first seen is fed by its characters
 * and remembered. Nested objects are hashed with sorted keys, arrays in
 * order. It reads each value once and builds no text: an integer field
 * costs two multiplications per lane, the least a keyed, typed value can
 * (the key and the tag share a word; they were two words until the run's
 * fingerprint took a quarter of `hvsim run`). Before that, it hashed each
 * record's canonical JSON text, character by character: three times as
 * long as the model itself.
 */
export class Fingerprint {
  private h1 = 0xdeadbeef;
  private h2 = 0x41c6ce57;
  private count = 0;

  /**
   * The fields of the last record of each `kind`, in order, each with its
   * key's word and its last few string values' ids: a hit feeds exactly
   * what the general path would, without a table lookup. Only a cache:
   * the hash is the same with or without it.
   */
  private readonly layouts = new Map<unknown, FieldSlot[]>();
  /** Strings seen so far, by id in order of first appearance (at most `MAX_INTERNED`). */
  private readonly strings = new Map<string, number>();
  /** The words of `ENVELOPE_KEYS` with their fast path's tags (`ENVELOPE_TAGS`), once all are remembered (a word never changes): `addParts`'s fast path. */
  private envelopeWords: Int32Array | null = null;
  /** By place number (`FingerprintEnvelope.placeNo`): the string ids of its place id (`first`) and band (`second`). */
  private readonly places = new IdPairs();

  private mix(word: number): void {
    this.h1 = Math.imul(this.h1 ^ word, P1);
    this.h2 = Math.imul(this.h2 ^ word, P2);
  }

  /** Folds the characters of `text` into the hash, then its length. */
  private chars(text: string): void {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, P1);
      h2 = Math.imul(h2 ^ c, P2);
    }
    this.h1 = h1;
    this.h2 = h2;
    this.mix(text.length);
  }

  /**
   * The word of a field whose key is `key` (to be or-ed with its value's
   * tag). A key not yet remembered is fed first by its characters
   * (`NewString`, and remembered while the table has room; else
   * `RawString`, every time).
   */
  private keyOf(key: string): number {
    const id = this.strings.get(key);
    if (id !== undefined) return keyWord(id + 1);
    if (this.strings.size < MAX_INTERNED) {
      const next = this.strings.size;
      this.strings.set(key, next);
      this.mix(Tag.NewString);
      this.chars(key);
      return keyWord(next + 1);
    }
    this.mix(Tag.RawString);
    this.chars(key);
    return keyWord(RAW_KEY);
  }

  /** Feeds a string field (word `word`): its id when seen before, else its characters (remembering it while the table has room). Returns its id, or -1. */
  private text(word: number, text: string): number {
    const id = this.strings.get(text);
    if (id !== undefined) {
      this.mix(word | Tag.SeenString);
      this.mix(id);
      return id;
    }
    if (this.strings.size < MAX_INTERNED) {
      const next = this.strings.size;
      this.strings.set(text, next);
      this.mix(word | Tag.NewString);
      this.chars(text);
      return next;
    }
    this.mix(word | Tag.RawString);
    this.chars(text);
    return -1;
  }

  /** Feeds a number field (word `word`). */
  private number(word: number, v: number): void {
    if ((v | 0) === v) {
      this.mix(word | Tag.Int32);
      this.mix(v);
    } else if (Number.isFinite(v)) {
      F64[0] = v;
      this.mix(word | Tag.Float64);
      this.mix(U32[0]!);
      this.mix(U32[1]!);
    } else {
      this.mix(word | Tag.NonFinite);
      this.mix(Number.isNaN(v) ? 0 : v > 0 ? 1 : 2);
    }
  }

  /** Feeds any value as a field with word `word` (0: an array item or a whole record that is not an object): objects with their keys sorted and undefined fields left out, arrays in order. */
  private value(word: number, v: unknown): void {
    switch (typeof v) {
      case 'number':
        this.number(word, v);
        return;
      case 'string':
        this.text(word, v);
        return;
      case 'boolean':
        this.mix(word | (v ? Tag.True : Tag.False));
        return;
      case 'undefined':
        this.mix(word | Tag.Undefined);
        return;
      case 'object':
        break;
      default:
        this.text(word, String(v));
        return;
    }
    if (v === null) {
      this.mix(word | Tag.Null);
      return;
    }
    if (Array.isArray(v)) {
      this.mix(word | Tag.Array);
      for (const item of v) this.value(0, item);
      this.mix(Tag.End);
      return;
    }
    const obj = v as Record<string, unknown>;
    this.mix(word | Tag.Object);
    for (const key of Object.keys(obj).sort()) {
      if (obj[key] === undefined) continue;
      this.value(this.keyOf(key), obj[key]);
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
      this.value(0, record);
      return this;
    }
    const obj = record as Record<string, unknown>;
    if (kind === undefined) kind = obj['kind'];
    const slots = this.layoutOf(kind);
    this.mix(Tag.Object);
    this.fields(obj, slots, 0);
    this.mix(Tag.End);
    return this;
  }

  /**
   * Feeds the fields of `obj` in its order (undefined ones left out), the
   * first through `slots[at]`; returns the index of the slot after the
   * last. The hot loop keeps the lanes in locals and mixes inline; the
   * rare cases (a new key or string, a float, a nested value) go through
   * the methods.
   */
  private fields(obj: Record<string, unknown>, slots: FieldSlot[], at: number): number {
    let h1 = this.h1;
    let h2 = this.h2;
    let i = at;
    let id = -1;
    for (const key in obj) {
      const v = obj[key];
      if (v === undefined) continue;
      let slot = slots[i++];
      let word: number;
      if (slot !== undefined && slot.key === key && slot.word >= 0) word = slot.word;
      else {
        this.h1 = h1;
        this.h2 = h2;
        word = this.slotWord(slots, i - 1, key);
        slot = slots[i - 1]!;
        h1 = this.h1;
        h2 = this.h2;
      }
      if (typeof v === 'number' && (v | 0) === v) {
        h1 = Math.imul(Math.imul(h1 ^ (word | Tag.Int32), P1) ^ v, P1);
        h2 = Math.imul(Math.imul(h2 ^ (word | Tag.Int32), P2) ^ v, P2);
      } else if (typeof v === 'string' && (id = slotId(slot, v)) >= 0) {
        h1 = Math.imul(Math.imul(h1 ^ (word | Tag.SeenString), P1) ^ id, P1);
        h2 = Math.imul(Math.imul(h2 ^ (word | Tag.SeenString), P2) ^ id, P2);
      } else {
        this.h1 = h1;
        this.h2 = h2;
        if (typeof v === 'string') {
          const seen = this.text(word, v);
          if (seen >= 0) remember(slot, v, seen);
        } else this.value(word, v);
        h1 = this.h1;
        h2 = this.h2;
      }
    }
    this.h1 = h1;
    this.h2 = h2;
    return i;
  }

  /**
   * Feeds the record an hvsim tracer builds from `envelope` and `own`
   * without building it: the same hash as `add` of that record, whose
   * fields are the envelope's in the record's order (`ENVELOPE_KEYS`),
   * then `own`'s in its order (undefined ones left out), then `waitNs`
   * when above 0. `own` must not hold a key of the envelope's.
   */
  addParts(envelope: FingerprintEnvelope, own: object): this {
    const slots = this.layoutOf(envelope.kind);
    const words = this.envelopeWords;
    if (words === null || slots.length < ENVELOPE_KEYS.length) return this.addPartsSlow(envelope, own, slots);
    // Everything the fast path needs is checked first: integers that fit
    // in 32 bits (`t` may be any finite number: past 2.1 s of simulated
    // time it is a float), and an id for each string, a place's and band's
    // by the place's number. Anything else (a string its slot does not
    // remember, a place first seen) takes the general path for the whole
    // record. One call out, not one per field: the fast path is straight
    // code that V8 compiles quickly and in one piece.
    const { seq, t, flow, cause, costNs, lp } = envelope;
    const kind = slotId(slots[2]!, envelope.kind);
    const stream = slotId(slots[5]!, envelope.stream);
    const charge = slotId(slots[9]!, envelope.charge);
    const no = envelope.placeNo;
    const pairs = this.places;
    const known = no >= 0 && no < pairs.first.length;
    let place = known ? pairs.first[no]! : -1;
    if (place < 0) place = slotId(slots[3]!, envelope.place);
    let band = known ? pairs.second[no]! : -1;
    if (band < 0) band = slotId(slots[4]!, envelope.band);
    if (
      (kind | stream | charge | place | band) < 0 ||
      (seq | 0) !== seq ||
      (flow | 0) !== flow ||
      (cause | 0) !== cause ||
      (costNs | 0) !== costNs ||
      (lp | 0) !== lp ||
      !Number.isFinite(t)
    ) {
      return this.addPartsSlow(envelope, own, slots);
    }
    this.count++;
    const v = ENVELOPE_VALUES;
    v[0] = seq;
    v[1] = t;
    v[2] = kind;
    v[3] = place;
    v[4] = band;
    v[5] = stream;
    v[6] = flow;
    v[7] = cause;
    v[8] = costNs;
    v[9] = charge;
    v[10] = lp;
    let h1 = Math.imul(this.h1 ^ Tag.Object, P1);
    let h2 = Math.imul(this.h2 ^ Tag.Object, P2);
    for (let i = 0; i < ENVELOPE_KEYS.length; i++) {
      const w = words[i]!;
      if (i === 1 && (t | 0) !== t) {
        // Past 2.1 s of simulated time, `t` is a float: its two halves.
        F64[0] = t;
        const lo = U32[0]!;
        const hi = U32[1]!;
        const wf = w - Tag.Int32 + Tag.Float64;
        h1 = Math.imul(Math.imul(Math.imul(h1 ^ wf, P1) ^ lo, P1) ^ hi, P1);
        h2 = Math.imul(Math.imul(Math.imul(h2 ^ wf, P2) ^ lo, P2) ^ hi, P2);
        continue;
      }
      const x = v[i]!;
      h1 = Math.imul(Math.imul(h1 ^ w, P1) ^ x, P1);
      h2 = Math.imul(Math.imul(h2 ^ w, P2) ^ x, P2);
    }
    this.h1 = h1;
    this.h2 = h2;
    this.closeParts(envelope, own, slots);
    return this;
  }

  /** After the envelope: `own`'s fields, `waitNs` when above 0, and the record's end. */
  private closeParts(envelope: FingerprintEnvelope, own: object, slots: FieldSlot[]): void {
    const i = this.fields(own as Record<string, unknown>, slots, ENVELOPE_KEYS.length);
    if (envelope.waitNs > 0) this.number(this.slotWord(slots, i, 'waitNs'), envelope.waitNs);
    this.mix(Tag.End);
  }

  /**
   * `addParts` field by field through the general methods: each kind's
   * first record (which makes its slots), every record until the
   * envelope's keys are all remembered, which it then notes, and any
   * record the fast path cannot take; it notes the ids of the record's
   * place and band by the place's number.
   */
  private addPartsSlow(envelope: FingerprintEnvelope, own: object, slots: FieldSlot[]): this {
    this.count++;
    this.mix(Tag.Object);
    this.number(this.slotWord(slots, 0, 'seq'), envelope.seq);
    this.number(this.slotWord(slots, 1, 't'), envelope.t);
    this.slotText(slots, 2, 'kind', envelope.kind);
    this.slotText(slots, 3, 'place', envelope.place);
    this.slotText(slots, 4, 'band', envelope.band);
    this.slotText(slots, 5, 'stream', envelope.stream);
    this.number(this.slotWord(slots, 6, 'flow'), envelope.flow);
    this.number(this.slotWord(slots, 7, 'cause'), envelope.cause);
    this.number(this.slotWord(slots, 8, 'costNs'), envelope.costNs);
    this.slotText(slots, 9, 'charge', envelope.charge);
    this.number(this.slotWord(slots, 10, 'lp'), envelope.lp);
    this.closeParts(envelope, own, slots);
    const no = envelope.placeNo;
    if (no >= 0) this.places.note(no, this.strings.get(envelope.place) ?? -1, this.strings.get(envelope.band) ?? -1);
    if (this.envelopeWords === null && ENVELOPE_KEYS.every((k) => this.strings.has(k))) {
      this.envelopeWords = Int32Array.from(ENVELOPE_KEYS, (k, i) => keyWord(this.strings.get(k)! + 1) | ENVELOPE_TAGS[i]!);
    }
    return this;
  }

  /** The word of the `i`th field, key `key`, through its slot (made or replaced when it is for another key), feeding the key's characters when it is not remembered. */
  private slotWord(slots: FieldSlot[], i: number, key: string): number {
    const slot = slots[i];
    if (slot !== undefined && slot.key === key && slot.word >= 0) return slot.word;
    const word = this.keyOf(key);
    if (slot === undefined || slot.key !== key) slots[i] = { key, word: word === keyWord(RAW_KEY) ? -1 : word, texts: [], ids: [], next: 0 };
    return word;
  }

  /** The `i`th field, key `key`, a string: through its slot's remembered ids. */
  private slotText(slots: FieldSlot[], i: number, key: string, v: string): void {
    const word = this.slotWord(slots, i, key);
    const slot = slots[i]!;
    const id = slotId(slot, v);
    if (id >= 0) {
      this.mix(word | Tag.SeenString);
      this.mix(id);
      return;
    }
    const seen = this.text(word, v);
    if (seen >= 0) remember(slot, v, seen);
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
