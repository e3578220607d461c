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
 * Envelope fields equal to the last record's are left out (`Same`), and
 * `t` goes as its step from the last record's.
 *
 * This file is the format both ends share; the ends are
 * `record-stream-writer.ts` (the model's thread) and
 * `record-stream-reader.ts` (the fold thread).
 */

/** Words per slot (1 MiB) and slots in the ring (16 MiB in all): about 400,000 records, 0.2 s of a fast model's. */
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
export const RECORD_ROOM = 1024;
/** Own fields a record may have for the fast path (3 words each at most, with the envelope's 30, within `RECORD_ROOM`). */
export const FAST_FIELDS = 300;
/** Strings remembered by number; past them, a new string goes by its characters every time. */
export const MAX_STRINGS = 1 << 16;
/** How long the writer waits for the reader to free a slot before it gives up. */
export const STALL_MS = 60_000;

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
export const enum Op {
  Record = 1,
  Layout,
  Place,
  End,
}

/**
 * Which of a record's envelope fields are left out (bits above the op's
 * four): those equal to the last record's (for `cause`: the last record's
 * `seq`, the step that led here; for `seq`: one more than the last), and a
 * `waitNs` of 0. Both ends start from `MutableEnvelope`'s values. Most
 * records repeat their stream, flow, LP and charge: on the headline at
 * 3 M events a record's envelope fell from 22 words to about 9, and
 * `hvsim run` from 2.39 s to 2.30 s.
 */
export const enum Same {
  Seq = 1 << 4,
  T = 1 << 5,
  Place = 1 << 6,
  Stream = 1 << 7,
  Flow = 1 << 8,
  Cause = 1 << 9,
  NoWait = 1 << 10,
  Charge = 1 << 11,
  Lp = 1 << 12,
  /** `t` goes as one untagged word: its step from the last record's, an int32. */
  TDelta = 1 << 13,
  /** The layout's number is the next word, not this word's top bits (`LAYOUT_SHIFT`). */
  LongLayout = 1 << 14,
}

/** The op in a record's first word (the rest are `Same` bits and the layout's number). */
export const OP_BITS = 15;
/**
 * Where a record's first word holds its layout's number, below
 * `MAX_WORD_LAYOUT` (kinds and their sets of keys: a few hundred); a
 * larger one takes a word of its own (`Same.LongLayout`).
 */
export const LAYOUT_SHIFT = 15;
export const MAX_WORD_LAYOUT = 1 << (32 - LAYOUT_SHIFT);
/** A value's tag: a word's low four bits. */
export const TAG_BITS = 15;
/** Small ints (`V.Small`) and string numbers (`V.Str`) go in a value's own word, above its tag. */
export const TAG_SHIFT = 4;

/**
 * A value's tag, in a word's low four bits (`TAG_BITS`). A string already
 * sent (`Str`) and an int of 28 bits (`Small`) are one word, the number
 * above the tag (`TAG_SHIFT`); on queue-depth at 3 M events this and
 * `Same.TDelta` took a record from 18.6 words to 9.8 (the headline: 6.9).
 */
export const enum V {
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
  Small,
}

/** A number's two words (`writeFloat`, and the reader's floats). */
export const F64 = new Float64Array(1);
export const I32 = new Int32Array(F64.buffer);

/** Either end of a stream: its shared words and slot states, and the slot it is at. */
export abstract class StreamEnd {
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

/** Whether `v` is an int32 other than -0 (which goes as a float, so it reads back as -0). */
export function isInt32(v: number): boolean {
  return (v | 0) === v && (v !== 0 || 1 / v > 0);
}

/**
 * Writes number `v` at `w[at]` (2 words, or 3 for a float) and returns the
 * index after it. The caller has made room. Small enough for V8 to inline
 * at each of a record's dozen calls; the float's words are another
 * function's (with them inline, it was not, and the calls cost more than
 * the writing).
 */
export function writeNumber(w: Int32Array, at: number, v: number): number {
  // `v << 4 >> 4 === v`: an int of 28 bits (a float, or a wider int, loses bits), and not -0.
  const shifted = v << 4;
  if (shifted >> 4 === v && (v !== 0 || 1 / v > 0)) {
    w[at] = shifted | V.Small;
    return at + 1;
  }
  return writeWide(w, at, v);
}

/** `writeNumber` of a number that is not a small int: an int32 in two words, else a float in three. */
function writeWide(w: Int32Array, at: number, v: number): number {
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
