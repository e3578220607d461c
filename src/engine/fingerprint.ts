/**
 * A stable fingerprint over a trace (OMNeT++'s cFingerprintCalculator idea):
 * a 64-bit hash, printed as 16 hex digits, of every record's fields in a
 * canonical form (keys sorted, numbers in JS's shortest round-trip form).
 * Two runs with the same fingerprint produced the same trace, bit for bit.
 * It is a regression check, not a cryptographic hash.
 */
import type { TraceRecord, TraceSink } from './trace.js';

/** Canonical text of a JSON-like value: object keys sorted, `undefined` fields omitted. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return JSON.stringify(String(value));
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** A record's keys in insertion order and the same keys sorted, each with its `"key":` text (and `,"key":`). */
interface KeyOrder {
  keys: string[];
  sorted: { key: string; first: string; next: string }[];
}

/** A string JSON.stringify would escape (quote, backslash, control character, lone surrogate). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Incremental 64-bit hash (two independent 32-bit lanes, cyrb53-style mixing). */
export class Fingerprint {
  private h1 = 0xdeadbeef;
  private h2 = 0x41c6ce57;
  private count = 0;

  /** Sorted key orders remembered per record `kind` (see `add`). */
  private readonly orders = new Map<unknown, KeyOrder>();

  /** Folds the characters of `text` into the hash, with no separator. */
  private feed(text: string): void {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    this.h1 = h1;
    this.h2 = h2;
  }

  /** Ends one text: a separator so that ["ab","c"] and ["a","bc"] differ. */
  private separate(): void {
    this.h1 = Math.imul(this.h1 ^ 0x1f, 2654435761);
    this.h2 = Math.imul(this.h2 ^ 0x1f, 1597334677);
  }

  /** Feeds a string. */
  addText(text: string): this {
    this.feed(text);
    this.separate();
    return this;
  }

  /**
   * Feeds one record in canonical form: the same hash as
   * `addText(canonicalJson(record))`, computed without building the text.
   * The hash folds characters in order, so feeding the canonical text piece
   * by piece is feeding it whole. For an object, the sorted key order is
   * remembered per `kind` and reused while a record of that kind has the
   * same keys in the same insertion order (checked key by key), so a run's
   * records mostly skip the sort and the key quoting.
   */
  add(record: unknown): this {
    this.count++;
    if (record === null || typeof record !== 'object' || Array.isArray(record)) return this.addText(canonicalJson(record));
    const obj = record as Record<string, unknown>;
    const keys = Object.keys(obj);
    const kind = obj['kind'];
    let order = this.orders.get(kind);
    if (order === undefined || !sameKeys(order.keys, keys)) {
      order = { keys, sorted: [...keys].sort().map((key) => ({ key, first: `{${JSON.stringify(key)}:`, next: `,${JSON.stringify(key)}:` })) };
      this.orders.set(kind, order);
    }
    let first = true;
    for (const { key, first: opening, next } of order.sorted) {
      const v = obj[key];
      if (v === undefined) continue;
      this.feed(first ? opening : next);
      first = false;
      if (typeof v === 'string' && !NEEDS_ESCAPE.test(v)) {
        this.feed('"');
        this.feed(v);
        this.feed('"');
      } else if (typeof v === 'number' && Number.isFinite(v)) {
        this.feed(String(v)); // JSON.stringify's form of a finite number
      } else {
        this.feed(canonicalJson(v));
      }
    }
    this.feed(first ? '{}' : '}');
    this.separate();
    return this;
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
