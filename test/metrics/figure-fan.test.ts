/**
 * `FigureFan` sends each folder the records it reads: a folder with a
 * `kindPrefix` only the kinds that start with it, the others every
 * record, each in trace order.
 */
import { describe, expect, it } from 'vitest';
import { FigureFan, type FigureFolder } from '../../src/metrics/run-figures.js';
import type { HvRecord } from '../../src/model/trace-events.js';

class Recorder implements FigureFolder {
  readonly enabled = true;
  readonly seen: number[] = [];
  constructor(
    readonly part: string,
    readonly kindPrefix?: string,
  ) {}
  write(record: HvRecord): void {
    this.seen.push(record.seq);
  }
  result(): undefined {
    return undefined;
  }
}

const record = (seq: number, kind: string): HvRecord => ({ seq, t: seq, kind, place: 'p', band: 'hardware', stream: '', flow: -1, cause: -1, costNs: 0, charge: 'none', lp: -1 }) as unknown as HvRecord;

describe('FigureFan', () => {
  it('sends a prefixed folder only its kinds and the others every record, in order', () => {
    const all = new Recorder('all');
    const cluster = [new Recorder('a', 'cluster.'), new Recorder('b', 'cluster.')];
    const vm = new Recorder('vm', 'vm.');
    const fan = new FigureFan([all, ...cluster, vm]);
    const kinds = ['io.request.issued', 'cluster.formed', 'vm.state.changed', 'cluster.migration.started', 'clusterx', 'stack.layer.passed'];
    kinds.forEach((kind, seq) => fan.write(record(seq, kind)));
    expect(all.seen).toEqual([0, 1, 2, 3, 4, 5]);
    for (const folder of cluster) expect(folder.seen).toEqual([1, 3]);
    expect(vm.seen).toEqual([2]);
  });
});
