/**
 * A pool of numbered buffer sections (netvsc's send-buffer sections,
 * netvsp's receive-buffer ranges): `take` waits, first come first served,
 * until a section is free and returns its number; `free` returns one. A
 * bitmap in the drivers (`send_section_map`); a counted resource here.
 */
import { Resource, type ProcessBody } from '../../engine/index.js';

export class SectionPool {
  private readonly units: Resource;
  private readonly free: number[];

  constructor(
    readonly count: number,
    readonly name: string,
  ) {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`${name}: section count must be an integer >= 1, got ${count}`);
    this.units = new Resource(count, name);
    // Lowest numbers first, as for_each_clear_bit finds them.
    this.free = Array.from({ length: count }, (_, i) => count - 1 - i);
  }

  /** Sections free now. */
  get available(): number {
    return this.free.length;
  }

  /** Waits for a free section and returns its number. */
  *take(): ProcessBody<number> {
    yield this.units;
    const section = this.free.pop();
    if (section === undefined) throw new Error(`${this.name}: unit granted with no free section`);
    return section;
  }

  /** Returns `section` to the pool. */
  release(section: number): void {
    this.free.push(section);
    this.units.release();
  }
}
