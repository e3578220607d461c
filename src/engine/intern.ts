/**
 * Strings made one with their equals: V8 keeps one copy of every string
 * used as a property name ("internalized"), and two internalized strings
 * compare by identity, without reading their characters, where two
 * equal-length strings that are not compare character by character and a
 * cons string (the result of a `+` or a template) is read through its
 * parts. Optimized code also keeps a pointer compare only while every
 * string a `===` has seen was internalized. A run compares the names its
 * records carry millions of times (every sink's cache of the strings it
 * has seen, the fingerprint's and the record stream's, every `switch` on
 * a field), so a model interns the names it is given and the ones it
 * builds, when it builds them, never per record.
 */

/** `text` as the engine's one copy of it (a property key's, which the engine keeps internalized). */
export function intern(text: string): string {
  const holder: Record<string, true> = { [text]: true };
  for (const key in holder) return key;
  return text; // unreachable: the holder has one key
}

/**
 * A copy of `value` with every string in it interned, through plain
 * objects and arrays (any other object is kept as it is, by reference).
 * Numbers, booleans and the rest are kept.
 */
export function internStrings<T>(value: T): T {
  if (typeof value === 'string') return intern(value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item: unknown) => internStrings(item)) as T;
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) copy[key] = internStrings(item);
  return copy as T;
}
