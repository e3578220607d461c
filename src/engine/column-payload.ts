/**
 * What a column store's shapes say of each key: where its value lives (a
 * column, or the row's payload) and of what type (`TAG_*`), and how a
 * payload slot holds a number: an int32 in one, any other number as its
 * float64 bits in two. `column-store.ts` lays rows out with these; a
 * subclass matching its own layouts (`RecordStore`) checks values with
 * `payloadValueFits`.
 */

// Where a shape keeps each key.
export const TAG_SEQ = 0;
export const TAG_F64_COLUMN = 1;
export const TAG_I32_COLUMN = 2;
export const TAG_STR_COLUMN = 3;
export const TAG_NUMBER = 4;
export const TAG_STRING = 5;
export const TAG_BOOLEAN = 6;
export const TAG_UNDEFINED = 7;
export const TAG_NULL = 8;
export const TAG_JSON = 9;
/** A number that fits in an int32 (and is not -0): one payload slot. `TAG_NUMBER` takes any number in two (its float64 bits). */
export const TAG_INT = 10;

/** Scratch for a float64's two int32 halves in the payload. */
const F64 = new Float64Array(1);
const I32 = new Int32Array(F64.buffer);

/** Whether `v` is a number a `TAG_INT` slot holds exactly. */
export function isInt32(v: unknown): v is number {
  return typeof v === 'number' && (v | 0) === v && (v !== 0 || 1 / v > 0);
}

/** Whether `v` is of payload tag `tag`'s type (a subclass matching its own layouts checks with it; the store's `writePayload` checks as it writes). */
export function payloadValueFits(tag: number, v: unknown): boolean {
  switch (tag) {
    case TAG_INT:
      return isInt32(v);
    case TAG_NUMBER:
      return typeof v === 'number';
    case TAG_STRING:
      return typeof v === 'string';
    case TAG_BOOLEAN:
      return typeof v === 'boolean';
    case TAG_UNDEFINED:
      return v === undefined;
    case TAG_NULL:
      return v === null;
    case TAG_JSON:
      return typeof v === 'object' && v !== null;
    default:
      return false;
  }
}

/** Writes `v`'s float64 bits to payload slots `at` and `at + 1`. */
export function writeFloat(payload: Int32Array, at: number, v: number): void {
  F64[0] = v;
  payload[at] = I32[0]!;
  payload[at + 1] = I32[1]!;
}

/** The float64 in payload slots `at` and `at + 1`. */
export function readFloat(payload: Int32Array, at: number): number {
  I32[0] = payload[at]!;
  I32[1] = payload[at + 1]!;
  return F64[0]!;
}
