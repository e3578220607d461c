/**
 * Two ids per small number, -1 where none is noted: what a sink keeps of a
 * numbered thing's strings (a place's id and band, by the number the
 * tracer hands beside them), read by index instead of by comparing
 * strings. The arrays grow (doubling) as larger numbers come.
 */
export class IdPairs {
  first = new Int32Array(0);
  second = new Int32Array(0);

  /** Notes ids `a` and `b` for number `no`. */
  note(no: number, a: number, b: number): void {
    if (no >= this.first.length) {
      const size = Math.max(no + 1, this.first.length * 2, 64);
      const first = new Int32Array(size).fill(-1);
      const second = new Int32Array(size).fill(-1);
      first.set(this.first);
      second.set(this.second);
      this.first = first;
      this.second = second;
    }
    this.first[no] = a;
    this.second[no] = b;
  }
}
