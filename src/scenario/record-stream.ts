/**
 * A run's records as a stream of 32-bit words through shared memory, from
 * the thread that runs the model to a thread that folds them (the figures,
 * the fingerprint, the request ledger: `run-sinks.ts`). The model's thread
 * then spends per record only the writing of its words, and the folding,
 * which costs about as much as the model itself, runs beside it
 * (`hvsim run` on a big scenario: `fold-thread.ts`).
 *
 * The stream is a ring of slots (`SLOTS` of `SLOT_WORDS` words by default);
 * a record may run across slots. `states[i]` is 0 while slot i is the
 * writer's, and the number of words it holds once handed to the reader,
 * which sets it back to 0 when done (`Atomics.wait`/`notify` on each side;
 * the writer waits only when the reader is a whole ring behind). The last
 * state is set when the reader fails, so the writer stops instead of
 * waiting for ever.
 *
 * A record is its envelope then its kind's own fields (`RecordEnvelope`,
 * `own`), read back as the same values in the same key order, so every
 * fold gives what it gives in the model's thread, the fingerprint included
 * (tested on every bundled scenario). Strings go by number after their
 * first appearance (at most `MAX_STRINGS` remembered, then by their
 * characters every time); a place's id and band go by the place's number
 * (`placeNo`); a kind's own keys go once, then by the kind's layout.
 */
import { MutableEnvelope, type EnvelopeSink, type HvRecord, type RecordEnvelope } from '../model/trace-events.js';

/** Words per slot (1 MiB) and slots in the ring (16 MiB in all): about 60 ms of a fast model's records. */
export const SLOT_WORDS = 1 << 18;
export const SLOTS = 16;
/**
 * Words a record's fixed part may take: the writer makes sure of this much
 * room in the current slot before a record, then writes its envelope and
 * its plain values without checking for the slot's end. A string seen for
 * the first time, an array or an object go word by word (`put`), may run
 * into the next slot, and leave this much room again after them
 * (`keepRoom`).
 */
const RECORD_ROOM = 1024;
/** Own fields a record may have for the fast path (3 words each at most, with the envelope's 30, within `RECORD_ROOM`). */
const FAST_FIELDS = 300;
const MAX_STRINGS = 1 << 16;
/** How long the writer waits for the reader to free a slot before it gives up. */
const STALL_MS = 60_000;

/** The shared memory of one stream. */
export interface RecordStreamBuffers {
  states: SharedArrayBuffer;
  words: SharedArrayBuffer;
}

/** A new, empty stream of `slots` slots of `slotWords` words (the defaults: `SLOTS`, `SLOT_WORDS`). */
export function createRecordStream(slots = SLOTS, slotWords = SLOT_WORDS): RecordStreamBuffers {
  if (!(slots >= 2 && slotWords >= 2 * RECORD_ROOM)) throw new RangeError(`a record stream needs 2 slots or more of ${2 * RECORD_ROOM} words or more`);
  return { states: new SharedArrayBuffer(4 * (slots + 1)), words: new SharedArrayBuffer(4 * slots * slotWords) };
}

/** What a word opens: a record, a change of a kind's own keys, the end. */
const enum Op {
  Record = 1,
  Layout,
  Place,
  End,
}

/** A value's tag. */
const enum V {
  Int = 1,
  Float,
  Str,
  NewStr,
  RawStr,
  True,
  False,
  Undefined,
  Null,
  Array,
  Object,
}

const F64 = new Float64Array(1);
const I32 = new Int32Array(F64.buffer);

/** Either end of a stream: its shared words and slot states, and the slot it is at. */
class StreamEnd {
  protected readonly states: Int32Array;
  protected readonly words: Int32Array;
  protected readonly slots: number;
  protected readonly slotWords: number;
  protected slot = 0;

  constructor(buffers: RecordStreamBuffers) {
    this.states = new Int32Array(buffers.states);
    this.words = new Int32Array(buffers.words);
    this.slots = this.states.length - 1;
    this.slotWords = this.words.length / this.slots;
  }
}

/**
 * A few strings with their ids, found by pointer compares in one small
 * array instead of a table lookup (the fingerprint's field slots do the
 * same: `engine/fingerprint.ts`); when full, a new one takes the place of
 * the one remembered longest ago.
 */
class TextCache {
  private readonly texts: string[] = [];
  private readonly ids: number[] = [];
  private next = 0;

  constructor(private readonly ways: number) {}

  /** The id of `text`, or -1. */
  find(text: string): number {
    const texts = this.texts;
    for (let k = 0; k < texts.length; k++) if (texts[k] === text) return this.ids[k]!;
    return -1;
  }

  remember(text: string, id: number): void {
    const k = this.texts.length < this.ways ? this.texts.length : this.next++ % this.ways;
    this.texts[k] = text;
    this.ids[k] = id;
  }
}

/** A kind's own keys as the writer last saw them, their number in the stream, and per key the strings it held last. */
interface Layout {
  id: number;
  keys: string[];
  texts: TextCache[];
}

/** Envelope strings (streams, charges) the writer remembers, and strings per own field. */
const ENVELOPE_WAYS = 16;
const FIELD_WAYS = 4;

/** The model's side: an `EnvelopeSink` that writes each record into the stream. */
export class RecordStreamWriter extends StreamEnd implements EnvelopeSink<HvRecord> {
  readonly enabled = true;
  readonly needsRecords = false;
  /** Next word of the ring (slot * SLOT_WORDS + offset) and the end of the current slot. */
  private at = 0;
  private end = 0;
  private readonly strings = new Map<string, number>();
  private readonly layouts = new Map<string, Layout>();
  private nextLayout = 0;
  /** Place numbers already sent with their id and band. */
  private placesSent = new Uint8Array(64);
  /** The envelope's streams and charges last seen, with their ids. */
  private readonly envelopeTexts = new TextCache(ENVELOPE_WAYS);

  constructor(buffers: RecordStreamBuffers) {
    super(buffers);
    this.end = this.slotWords;
  }

  write(): void {
    throw new Error('RecordStreamWriter takes records with their envelope (writeWithEnvelope)');
  }

  writeWithEnvelope(_record: HvRecord | null, e: RecordEnvelope, own: object): void {
    const no = e.placeNo;
    if (no >= 0 && (no >= this.placesSent.length || this.placesSent[no] === 0)) this.sendPlace(no, e.place, e.band);
    let layout = this.layouts.get(e.kind);
    if (layout === undefined || !sameKeys(layout.keys, own)) layout = this.sendLayout(e.kind, own);
    if (this.end - this.at < RECORD_ROOM) this.nextSlot();
    // The fixed part, straight into the slot (room checked above).
    const w = this.words;
    let at = this.at;
    w[at++] = Op.Record;
    w[at++] = layout.id;
    at = writeNumber(w, at, e.seq);
    at = writeNumber(w, at, e.t);
    w[at++] = no;
    this.at = at;
    if (no < 0) {
      this.str(e.place);
      this.str(e.band);
    }
    this.cachedText(this.envelopeTexts, e.stream);
    at = this.at;
    at = writeNumber(w, at, e.flow);
    at = writeNumber(w, at, e.cause);
    at = writeNumber(w, at, e.costNs);
    at = writeNumber(w, at, e.waitNs);
    this.at = at;
    this.cachedText(this.envelopeTexts, e.charge);
    this.at = writeNumber(w, this.at, e.lp);
    // `for…in`, not the layout's keys: V8 reads each field through the
    // object's enum cache, where `fields[keys[i]]` is a generic keyed load.
    const fields = own as Record<string, unknown>;
    if (layout.keys.length > FAST_FIELDS) {
      for (const key in fields) this.value(fields[key]);
      return;
    }
    let i = 0;
    for (const key in fields) {
      const v = fields[key];
      if (typeof v === 'number') this.at = writeNumber(w, this.at, v);
      else if (typeof v === 'string') this.cachedText(layout.texts[i]!, v);
      else this.value(v);
      i++;
    }
  }

  /** Writes `text` by its id when `cache` has it (two words, within the record's room), else through the table, remembering it in `cache`. */
  private cachedText(cache: TextCache, text: string): void {
    const known = cache.find(text);
    if (known >= 0) {
      this.words[this.at++] = V.Str;
      this.words[this.at++] = known;
      return;
    }
    this.str(text);
    const id = this.strings.get(text);
    if (id !== undefined) cache.remember(text, id);
  }

  /** Writes the end and hands the last slot over. */
  close(): void {
    this.put(Op.End);
    this.publish();
  }

  private sendPlace(no: number, place: string, band: string): void {
    if (no >= this.placesSent.length) {
      const grown = new Uint8Array(Math.max(no + 1, 2 * this.placesSent.length));
      grown.set(this.placesSent);
      this.placesSent = grown;
    }
    this.placesSent[no] = 1;
    this.put(Op.Place);
    this.put(no);
    this.str(place);
    this.str(band);
  }

  private sendLayout(kind: string, own: object): Layout {
    const keys = Object.keys(own);
    const layout: Layout = { id: this.nextLayout++, keys, texts: keys.map(() => new TextCache(FIELD_WAYS)) };
    this.layouts.set(kind, layout);
    this.put(Op.Layout);
    this.put(layout.id);
    this.str(kind);
    this.put(keys.length);
    for (const key of keys) this.str(key);
    return layout;
  }

  private put(word: number): void {
    if (this.at === this.end) this.nextSlot();
    this.words[this.at++] = word;
  }

  /** Hands the current slot to the reader and waits until the next one is free. */
  private nextSlot(): void {
    this.publish();
    this.slot = (this.slot + 1) % this.slots;
    const states = this.states;
    const started = Date.now();
    for (let full = Atomics.load(states, this.slot); full !== 0; full = Atomics.load(states, this.slot)) {
      if (Atomics.load(states, this.slots) !== 0) throw new Error('the fold thread failed (see its message)');
      if (Date.now() - started > STALL_MS) throw new Error(`the fold thread has taken no records for ${STALL_MS / 1000} s`);
      Atomics.wait(states, this.slot, full, 1000);
    }
    this.at = this.slot * this.slotWords;
    this.end = this.at + this.slotWords;
  }

  private publish(): void {
    const used = this.at - this.slot * this.slotWords;
    Atomics.store(this.states, this.slot, used);
    Atomics.notify(this.states, this.slot);
  }

  /** A number outside a record's room (in an array or an object): three words of room, then `writeNumber`. */
  private num(v: number): void {
    if (this.end - this.at < 3) this.nextSlot();
    this.at = writeNumber(this.words, this.at, v);
  }

  private str(text: string): void {
    const id = this.strings.get(text);
    if (id !== undefined) {
      this.put(V.Str);
      this.put(id);
      return;
    }
    const remembered = this.strings.size < MAX_STRINGS;
    if (remembered) this.strings.set(text, this.strings.size);
    this.put(remembered ? V.NewStr : V.RawStr);
    this.put(text.length);
    for (let i = 0; i < text.length; i++) this.put(text.charCodeAt(i));
    this.keepRoom();
  }

  /**
   * After words that went one by one (and may have filled most of a slot):
   * the room the record's direct writes count on, in the next slot if this
   * one has too little (a record may run across slots).
   */
  private keepRoom(): void {
    if (this.end - this.at < RECORD_ROOM) this.nextSlot();
  }

  private value(v: unknown): void {
    switch (typeof v) {
      case 'number':
        this.num(v);
        return;
      case 'string':
        this.str(v);
        return;
      case 'boolean':
        this.put(v ? V.True : V.False);
        return;
      case 'undefined':
        this.put(V.Undefined);
        return;
      case 'object':
        break;
      default:
        throw new TypeError(`a record field holds a ${typeof v}, which a record stream cannot carry`);
    }
    if (v === null) {
      this.put(V.Null);
      return;
    }
    if (Array.isArray(v)) {
      this.put(V.Array);
      this.put(v.length);
      for (const item of v) this.value(item);
      this.keepRoom();
      return;
    }
    const obj = v as Record<string, unknown>;
    const keys = Object.keys(obj);
    this.put(V.Object);
    this.put(keys.length);
    for (const key of keys) {
      this.str(key);
      this.value(obj[key]);
    }
    this.keepRoom();
  }
}

/** Whether `v` is an int32 other than -0 (which goes as a float, so it reads back as -0). */
function isInt32(v: number): boolean {
  return (v | 0) === v && (v !== 0 || 1 / v > 0);
}

/** Writes number `v` at `w[at]` (2 words, or 3 for a float) and returns the index after it. The caller has made room. */
function writeNumber(w: Int32Array, at: number, v: number): number {
  if (isInt32(v)) {
    w[at] = V.Int;
    w[at + 1] = v;
    return at + 2;
  }
  F64[0] = v;
  w[at] = V.Float;
  w[at + 1] = I32[0]!;
  w[at + 2] = I32[1]!;
  return at + 3;
}

/** Whether `own` has exactly `keys`, in that order. */
function sameKeys(keys: readonly string[], own: object): boolean {
  let i = 0;
  for (const key in own) if (keys[i++] !== key) return false;
  return i === keys.length;
}

/**
 * The folding side: `drain` reads records until the end, handing each to
 * `sink` as the tracer would (`writeWithEnvelope(null, envelope, own)`).
 * It blocks while the writer is behind (`Atomics.wait`): call it on a
 * worker thread, or after the writer has closed the stream.
 */
export class RecordStreamReader extends StreamEnd {
  private at = 0;
  private end = 0;
  private readonly strings: string[] = [];
  private readonly layouts: { kind: string; keys: string[] }[] = [];
  private readonly places: { place: string; band: string }[] = [];
  /** Refilled for each record, as the tracer does. */
  private readonly envelope = new MutableEnvelope();

  /** Reads every record into `sink`; returns how many. */
  drain(sink: EnvelopeSink<HvRecord>): number {
    let records = 0;
    const e = this.envelope;
    for (;;) {
      const op = this.take();
      if (op === Op.Record) {
        const layout = this.layouts[this.take()]!;
        e.kind = layout.kind;
        e.seq = this.num();
        e.t = this.num();
        const no = this.take();
        e.placeNo = no;
        if (no >= 0) {
          const p = this.places[no]!;
          e.place = p.place;
          e.band = p.band;
        } else {
          e.place = this.str();
          e.band = this.str();
        }
        e.stream = this.str();
        e.flow = this.num();
        e.cause = this.num();
        e.costNs = this.num();
        e.waitNs = this.num();
        e.charge = this.str();
        e.lp = this.num();
        const own: Record<string, unknown> = {};
        for (const key of layout.keys) own[key] = this.value();
        sink.writeWithEnvelope(null, e, own);
        records++;
      } else if (op === Op.Place) {
        const no = this.take();
        const place = this.str();
        this.places[no] = { place, band: this.str() };
      } else if (op === Op.Layout) {
        const id = this.take();
        const kind = this.str();
        const keys: string[] = [];
        for (let n = this.take(); n > 0; n--) keys.push(this.str());
        this.layouts[id] = { kind, keys };
      } else if (op === Op.End) {
        this.release();
        return records;
      } else {
        throw new Error(`record stream: word ${op} where a record was due`);
      }
    }
  }

  /** Marks the stream failed, so the writer stops waiting for this side. */
  fail(): void {
    Atomics.store(this.states, this.slots, 1);
    for (let i = 0; i < this.slots; i++) Atomics.notify(this.states, i);
  }

  private take(): number {
    if (this.at === this.end) this.nextSlot();
    return this.words[this.at++]!;
  }

  private nextSlot(): void {
    if (this.end !== 0) {
      this.release();
      this.slot = (this.slot + 1) % this.slots;
    }
    const states = this.states;
    let used = Atomics.load(states, this.slot);
    while (used === 0) {
      Atomics.wait(states, this.slot, 0);
      used = Atomics.load(states, this.slot);
    }
    this.at = this.slot * this.slotWords;
    this.end = this.at + used;
  }

  /** Gives the current slot back to the writer. */
  private release(): void {
    Atomics.store(this.states, this.slot, 0);
    Atomics.notify(this.states, this.slot);
  }

  private num(): number {
    return this.numberAfter(this.take());
  }

  private str(): string {
    return this.stringAfter(this.take());
  }

  /** The number whose tag `tag` was just read. */
  private numberAfter(tag: number): number {
    if (tag === V.Int) return this.take();
    if (tag !== V.Float) throw new Error(`record stream: tag ${tag} where a number was due`);
    I32[0] = this.take();
    I32[1] = this.take();
    return F64[0]!;
  }

  /** The string whose tag `tag` was just read (remembered when new). */
  private stringAfter(tag: number): string {
    if (tag === V.Str) return this.strings[this.take()]!;
    if (tag !== V.NewStr && tag !== V.RawStr) throw new Error(`record stream: tag ${tag} where a string was due`);
    const text = this.chars(this.take());
    if (tag === V.NewStr) this.strings.push(text);
    return text;
  }

  private chars(length: number): string {
    let text = '';
    for (let i = 0; i < length; i += 4096) {
      const n = Math.min(4096, length - i);
      const codes = new Array<number>(n);
      for (let k = 0; k < n; k++) codes[k] = this.take();
      text += String.fromCharCode(...codes);
    }
    return text;
  }

  private value(): unknown {
    const tag = this.take();
    switch (tag) {
      case V.Int:
      case V.Float:
        return this.numberAfter(tag);
      case V.Str:
      case V.NewStr:
      case V.RawStr:
        return this.stringAfter(tag);
      case V.True:
        return true;
      case V.False:
        return false;
      case V.Undefined:
        return undefined;
      case V.Null:
        return null;
      case V.Array: {
        const items: unknown[] = [];
        for (let n = this.take(); n > 0; n--) items.push(this.value());
        return items;
      }
      case V.Object: {
        const obj: Record<string, unknown> = {};
        for (let n = this.take(); n > 0; n--) {
          const key = this.str();
          obj[key] = this.value();
        }
        return obj;
      }
      default:
        throw new Error(`record stream: tag ${tag} where a value was due`);
    }
  }
}
