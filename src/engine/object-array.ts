/**
 * Empty arrays made for objects, for V8. An empty array literal (`[]`) starts
 * with V8's small-integer elements kind and changes kind (its map) at its
 * first object. An array made once per run (a class field: a ring's queue,
 * an interrupt line's waiters) does that early in each run, often before V8
 * keeps feedback for the code that pushes, so the code optimized in the
 * first run on a thread has seen only arrays of objects, and the next run's
 * fresh array deoptimizes it ('wrong map', 'not a Smi'). This is not about
 * results: only the array's kind differs.
 */

/** An empty array whose elements kind (V8) is already that of an array of objects. */
export function objectArray<T>(): T[] {
  const array: unknown[] = [null];
  array.pop();
  return array as T[];
}
