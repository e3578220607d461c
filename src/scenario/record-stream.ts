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
 * (`placeNo`); a kind's own keys go once, then by the kind's layout. A
 * kind with optional fields has a layout per set of keys its records
 * take; a record says where it leaves the layout its kind's last record
 * took (`V.Rekey`), so the writer checks the keys as it writes them.
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
  /**
   * Where a record's own fields leave its kind's layout (a kind whose
   * records take optional fields): the layout they follow from here on,
   * by number, then -1 when the reader knows it, else its keys. It stands
   * where the field that differs would be (or, for a record with more
   * fields than the layout, right after the record: no op is this word).
   */
  Rekey,
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

/** A kind's own keys in one order, their number in the stream, and per key the strings it held last. */
interface Layout {
  id: number;
  keys: string[];
  texts: TextCache[];
}

/** The layouts a kind's records have taken (most kinds: one), and the one its last record took. */
interface KindLayouts {
  last: Layout;
  all: Layout[];
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
  private readonly layouts = new Map<string, KindLayouts>();
  private nextLayout = 0;
  /** Place numbers already sent with their id and band. */
  private placesSent = new Uint8Array(64);
  /** The envelope's streams and charges last seen, with their ids. */
  private readonly streamTexts = new TextCache(ENVELOPE_WAYS);
  private readonly chargeTexts = new TextCache(ENVELOPE_WAYS);

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
    // The layout of the kind's last record, checked key by key as the
    // fields are written below (a record that leaves it says so there,
    // `V.Rekey`): a check in a loop of its own cost as much as the writing.
    let kindLayouts = this.layouts.get(e.kind);
    if (kindLayouts === undefined) kindLayouts = this.sendLayout(e.kind, own);
    let layout = kindLayouts.last;
    if (this.end - this.at < RECORD_ROOM) this.nextSlot();
    // The fixed part, straight into the slot (room checked above), `at` in
    // a local: each number and string is written inline when it is an
    // int32 or a string its cache knows (nearly all are). Measured on the
    // headline at 3 M events: the model with this writer 1.73 s before
    // (a call per value), 1.55 s now.
    const w = this.words;
    let at = this.at;
    w[at] = Op.Record;
    w[at + 1] = layout.id;
    at = writeNumber(w, at + 2, e.seq);
    at = writeNumber(w, at, e.t); // a float past 2.1 s of simulated time
    w[at++] = no;
    if (no < 0) {
      this.at = at;
      this.str(e.place);
      this.str(e.band);
      at = this.at;
    }
    let id = this.streamTexts.find(e.stream);
    if (id >= 0) {
      w[at] = V.Str;
      w[at + 1] = id;
      at += 2;
    } else at = this.newText(this.streamTexts, e.stream, at);
    at = writeNumber(w, at, e.flow);
    at = writeNumber(w, at, e.cause);
    at = writeNumber(w, at, e.costNs);
    at = writeNumber(w, at, e.waitNs);
    id = this.chargeTexts.find(e.charge);
    if (id >= 0) {
      w[at] = V.Str;
      w[at + 1] = id;
      at += 2;
    } else at = this.newText(this.chargeTexts, e.charge, at);
    at = writeNumber(w, at, e.lp);
    // `for…in`, not the layout's keys: V8 reads each field through the
    // object's enum cache, where `fields[keys[i]]` is a generic keyed load.
    // A layout of more than `FAST_FIELDS` keys goes through the checked
    // path (`value`), which makes room as it goes.
    const fields = own as Record<string, unknown>;
    let keys = layout.keys;
    let checked = keys.length > FAST_FIELDS;
    let i = 0;
    for (const key in fields) {
      if (keys[i] !== key) {
        this.at = at;
        layout = this.rekey(kindLayouts, own);
        keys = layout.keys;
        checked = keys.length > FAST_FIELDS;
        at = this.at;
      }
      const x = fields[key];
      if (checked) {
        this.at = at;
        this.value(x);
        at = this.at;
      } else if (typeof x === 'number') at = writeNumber(w, at, x);
      else if (typeof x === 'string' && (id = layout.texts[i]!.find(x)) >= 0) {
        w[at] = V.Str;
        w[at + 1] = id;
        at += 2;
      } else if (typeof x === 'string') at = this.newText(layout.texts[i]!, x, at);
      else {
        this.at = at;
        this.value(x);
        at = this.at;
      }
      i++;
    }
    this.at = at;
    if (i !== keys.length) this.rekey(kindLayouts, own);
  }

  /**
   * Writes `V.Rekey` where the record's own fields leave the layout its
   * kind's last record took: the layout of `own`'s keys (sent with its
   * keys the first time), which becomes the kind's last. Returns it.
   */
  private rekey(kindLayouts: KindLayouts, own: object): Layout {
    const keys = Object.keys(own);
    let layout = kindLayouts.all.find((l) => l.keys.length === keys.length && l.keys.every((k, i) => k === keys[i]));
    this.put(V.Rekey);
    if (layout === undefined) {
      layout = this.newLayout(keys);
      kindLayouts.all.push(layout);
      this.put(layout.id);
      this.put(keys.length);
      for (const key of keys) this.str(key);
    } else {
      this.put(layout.id);
      this.put(-1);
    }
    this.keepRoom();
    kindLayouts.last = layout;
    return layout;
  }

  /**
   * Writes string `text`, which `cache` does not know, at `at` (returns the
   * word after it): through the table, remembering it in `cache`. The
   * known case is inline at each call: as a call, it cost more than the
   * writing.
   */
  private newText(cache: TextCache, text: string, at: number): number {
    this.at = at;
    this.str(text);
    const id = this.strings.get(text);
    if (id !== undefined) cache.remember(text, id);
    return this.at;
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

  private newLayout(keys: string[]): Layout {
    return { id: this.nextLayout++, keys, texts: keys.map(() => new TextCache(FIELD_WAYS)) };
  }

  /** The first record of `kind`: its layout, sent (`Op.Layout`) with the kind and its keys. */
  private sendLayout(kind: string, own: object): KindLayouts {
    const keys = Object.keys(own);
    const layout = this.newLayout(keys);
    const kindLayouts: KindLayouts = { last: layout, all: [layout] };
    this.layouts.set(kind, kindLayouts);
    this.put(Op.Layout);
    this.put(layout.id);
    this.str(kind);
    this.put(keys.length);
    for (const key of keys) this.str(key);
    return kindLayouts;
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

/**
 * Writes number `v` at `w[at]` (2 words, or 3 for a float) and returns the
 * index after it. The caller has made room. Small enough for V8 to inline
 * at each of a record's dozen calls; the float's words are another
 * function's (with them inline, it was not, and the calls cost more than
 * the writing).
 */
function writeNumber(w: Int32Array, at: number, v: number): number {
  if (!isInt32(v)) return writeFloat(w, at, v);
  w[at] = V.Int;
  w[at + 1] = v;
  return at + 2;
}

/** `writeNumber` of a number that is not an int32. */
function writeFloat(w: Int32Array, at: number, v: number): number {
  F64[0] = v;
  w[at] = V.Float;
  w[at + 1] = I32[0]!;
  w[at + 2] = I32[1]!;
  return at + 3;
}

/** A layout as the reader keeps it: its kind, its keys, and the `own` object its records are read into. */
interface ReaderLayout {
  kind: string;
  keys: string[];
  own: Record<string, unknown>;
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
  /**
   * Each layout with its `own` object, refilled for every record of the
   * layout (as the envelope is): its keys are set in order once, so a
   * record costs stores into fields the object has, not a new object
   * growing field by field. A run's folding thread made a few hundred
   * bytes of garbage per record before, and its collections took the
   * model's thread's second core.
   */
  private readonly layouts: ReaderLayout[] = [];
  private readonly places: { place: string; band: string }[] = [];
  /** Refilled for each record, as the tracer does. */
  private readonly envelope = new MutableEnvelope();

  /**
   * Reads every record into `sink`; returns how many. The envelope and
   * `own` it hands over are refilled for the next record (a layout's `own`
   * is one object): a sink that keeps either copies it.
   */
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
        let { own, keys } = layout;
        let i = 0;
        for (;;) {
          while (i < keys.length) {
            const tag = this.take();
            if (tag === V.Rekey) ({ own, keys } = this.rekey(e.kind, own, i));
            else own[keys[i++]!] = this.valueAfter(tag);
          }
          // A record with more fields than its layout says so after them.
          if (this.peek() !== V.Rekey) break;
          this.take();
          ({ own, keys } = this.rekey(e.kind, own, i));
        }
        sink.writeWithEnvelope(null, e, own);
        records++;
      } else if (op === Op.Place) {
        const no = this.take();
        const place = this.str();
        this.places[no] = { place, band: this.str() };
      } else if (op === Op.Layout) {
        const id = this.take();
        const kind = this.str();
        this.readLayout(id, kind, this.take());
      } else if (op === Op.End) {
        this.release();
        return records;
      } else {
        throw new Error(`record stream: word ${op} where a record was due`);
      }
    }
  }

  /** Reads layout `id`'s `count` keys and makes its `own`. */
  private readLayout(id: number, kind: string, count: number): ReaderLayout {
    const keys: string[] = [];
    for (let n = count; n > 0; n--) keys.push(this.str());
    const own: Record<string, unknown> = {};
    for (const key of keys) own[key] = undefined;
    return (this.layouts[id] = { kind, keys, own });
  }

  /** After `V.Rekey`: the layout the record's fields follow from field `read` on (read with its keys when new), its `own` holding the `read` fields read so far (from `was`). */
  private rekey(kind: string, was: Record<string, unknown>, read: number): ReaderLayout {
    const id = this.take();
    const count = this.take();
    const layout = count < 0 ? this.layouts[id]! : this.readLayout(id, kind, count);
    for (let i = 0; i < read; i++) layout.own[layout.keys[i]!] = was[layout.keys[i]!];
    return layout;
  }

  /** The next word, left to be taken. */
  private peek(): number {
    const word = this.take();
    this.at--;
    return word;
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
    return this.valueAfter(this.take());
  }

  /** The value whose tag `tag` was just read. */
  private valueAfter(tag: number): unknown {
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
