/**
 * The model's end of a record stream (`record-stream.ts`, the format):
 * `RecordStreamWriter`, the tracer's `EnvelopeSink` that writes each
 * record's words into the ring, in the model's thread. Its hot path writes
 * a record's envelope and plain fields inline; strings go through small
 * caches of the ids they were given, and a kind's layouts are checked as
 * the fields are written.
 */
import { MutableEnvelope, type EnvelopeSink, type HvRecord, type RecordEnvelope } from '../model/trace-events.js';
import { FAST_FIELDS, isInt32, LAYOUT_SHIFT, MAX_STRINGS, MAX_WORD_LAYOUT, Op, RECORD_ROOM, Same, STALL_MS, StreamEnd, TAG_SHIFT, V, writeNumber, type RecordStreamBuffers } from './record-stream.js';

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

/**
 * Envelope strings (streams, charges) the writer remembers, and strings per
 * own field: eight, as a field that cycles through five values (a storage
 * stack's layers) missed every time with four, the oldest being replaced.
 */
const ENVELOPE_WAYS = 16;
const FIELD_WAYS = 8;

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
  /** The last record's envelope fields, as the reader has them (`Same`); both start from `MutableEnvelope`'s values. */
  private readonly last = new MutableEnvelope();
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
    // The envelope, straight into the slot (room checked above), `at` in a
    // local, each number inline when it is an int32 (on the headline at 3 M
    // events the model with this writer took 1.73 s with a call per value,
    // 1.55 s without); fields equal to the last record's are left out (`Same`).
    const last = this.last;
    const dt = e.t - last.t;
    const same =
      (Object.is(e.seq, last.seq + 1) ? Same.Seq : 0) |
      (Object.is(e.t, last.t) ? Same.T : isInt32(dt) && Object.is(last.t + dt, e.t) ? Same.TDelta : 0) |
      (no >= 0 && no === last.placeNo ? Same.Place : 0) |
      (e.stream === last.stream ? Same.Stream : 0) |
      (Object.is(e.flow, last.flow) ? Same.Flow : 0) |
      (Object.is(e.cause, last.seq) ? Same.Cause : 0) |
      (Object.is(e.waitNs, 0) ? Same.NoWait : 0) |
      (e.charge === last.charge ? Same.Charge : 0) |
      (Object.is(e.lp, last.lp) ? Same.Lp : 0);
    const w = this.words;
    let at = this.at;
    if (layout.id < MAX_WORD_LAYOUT) w[at++] = Op.Record | same | (layout.id << LAYOUT_SHIFT);
    else {
      w[at] = Op.Record | same | Same.LongLayout;
      w[at + 1] = layout.id;
      at += 2;
    }
    if ((same & Same.Seq) === 0) at = writeNumber(w, at, e.seq);
    // `t` by its step from the last record's: past 2.1 s of simulated time it is a float of three words.
    if ((same & Same.TDelta) !== 0) w[at++] = dt;
    else if ((same & Same.T) === 0) at = writeNumber(w, at, e.t);
    if ((same & Same.Place) === 0) {
      w[at++] = no;
      if (no < 0) {
        this.at = at;
        this.str(e.place);
        this.str(e.band);
        at = this.at;
      }
    }
    if ((same & Same.Stream) === 0) at = this.text(this.streamTexts, e.stream, at);
    if ((same & Same.Flow) === 0) at = writeNumber(w, at, e.flow);
    if ((same & Same.Cause) === 0) at = writeNumber(w, at, e.cause);
    at = writeNumber(w, at, e.costNs);
    if ((same & Same.NoWait) === 0) at = writeNumber(w, at, e.waitNs);
    if ((same & Same.Charge) === 0) at = this.text(this.chargeTexts, e.charge, at);
    if ((same & Same.Lp) === 0) at = writeNumber(w, at, e.lp);
    last.seq = e.seq;
    last.t = e.t;
    last.placeNo = no;
    last.stream = e.stream;
    last.flow = e.flow;
    last.charge = e.charge;
    last.lp = e.lp;
    // `for…in`, not the layout's keys: V8 reads each field through the
    // object's enum cache, where `fields[keys[i]]` is a generic keyed load.
    // A layout of more than `FAST_FIELDS` keys goes through the checked
    // path (`value`), which makes room as it goes.
    const fields = own as Record<string, unknown>;
    let keys = layout.keys;
    let checked = keys.length > FAST_FIELDS;
    let i = 0;
    let id = -1;
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
        // `text`, inline: this loop runs for every field of every record.
        w[at++] = (id << TAG_SHIFT) | V.Str;
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

  /** Writes string `text` at `at` (returns the word after it): by its id when `cache` knows it, else through `newText`. */
  private text(cache: TextCache, text: string, at: number): number {
    const id = cache.find(text);
    if (id < 0) return this.newText(cache, text, at);
    this.words[at] = (id << TAG_SHIFT) | V.Str;
    return at + 1;
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
      this.put((id << TAG_SHIFT) | V.Str);
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
