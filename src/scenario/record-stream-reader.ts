/**
 * The folding end of a record stream (`record-stream.ts`, the format):
 * `RecordStreamReader.drain` reads the words back into an envelope and a
 * kind's own fields, in the writer's key order, and hands each record to
 * a sink as the tracer would, on the fold thread (`cli/fold-worker.ts`).
 */
import { MutableEnvelope, type EnvelopeSink, type HvRecord } from '../model/trace-events.js';
import { F64, I32, LAYOUT_SHIFT, Op, OP_BITS, Same, StreamEnd, TAG_BITS, TAG_SHIFT, V } from './record-stream.js';

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
      const word = this.take();
      const op = word & OP_BITS;
      if (op === Op.Record) {
        // The envelope holds the last record's fields: those the writer left out stay (`Same`).
        const same = word;
        const layout = this.layouts[(same & Same.LongLayout) !== 0 ? this.take() : word >>> LAYOUT_SHIFT]!;
        e.kind = layout.kind;
        const lastSeq = e.seq;
        e.seq = (same & Same.Seq) !== 0 ? lastSeq + 1 : this.num();
        if ((same & Same.TDelta) !== 0) e.t += this.take();
        else if ((same & Same.T) === 0) e.t = this.num();
        if ((same & Same.Place) === 0) {
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
        }
        if ((same & Same.Stream) === 0) e.stream = this.str();
        if ((same & Same.Flow) === 0) e.flow = this.num();
        e.cause = (same & Same.Cause) !== 0 ? lastSeq : this.num();
        e.costNs = this.num();
        e.waitNs = (same & Same.NoWait) !== 0 ? 0 : this.num();
        if ((same & Same.Charge) === 0) e.charge = this.str();
        if ((same & Same.Lp) === 0) e.lp = this.num();
        let { own, keys } = layout;
        let i = 0;
        for (;;) {
          while (i < keys.length) {
            const word = this.take();
            if (word === V.Rekey) ({ own, keys } = this.rekey(e.kind, own, i));
            else own[keys[i++]!] = this.valueAfter(word);
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
        throw new Error(`record stream: word ${word} where a record was due`);
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

  /** The number whose tagged word `word` was just read. */
  private numberAfter(word: number): number {
    const tag = word & TAG_BITS;
    if (tag === V.Small) return word >> TAG_SHIFT;
    if (tag === V.Int) return this.take();
    if (tag !== V.Float) throw new Error(`record stream: tag ${tag} where a number was due`);
    I32[0] = this.take();
    I32[1] = this.take();
    return F64[0]!;
  }

  /** The string whose tagged word `word` was just read (remembered when new). */
  private stringAfter(word: number): string {
    const tag = word & TAG_BITS;
    if (tag === V.Str) return this.strings[word >>> TAG_SHIFT]!;
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

  /** The value whose tagged word `word` was just read. */
  private valueAfter(word: number): unknown {
    switch (word & TAG_BITS) {
      case V.Small:
        return word >> TAG_SHIFT;
      case V.Int:
      case V.Float:
        return this.numberAfter(word);
      case V.Str:
        return this.strings[word >>> TAG_SHIFT]!;
      case V.NewStr:
      case V.RawStr:
        return this.stringAfter(word);
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
        throw new Error(`record stream: tag ${word & TAG_BITS} where a value was due`);
    }
  }
}
