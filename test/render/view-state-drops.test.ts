/** The view state counts a dropped packet apart from the delivered requests (its request ends all the same). */
import { describe, expect, it } from 'vitest';
import type { HvRecord } from '../../src/model/trace-events.js';
import { applyRecord, initialViewState } from '../../src/render/view-state.js';

const at = (seq: number, kind: string, flow: number, fields: object): HvRecord =>
  ({ seq, t: seq, kind, place: 'vm.app', band: 'guest-user', stream: 'vm/net/nic-legacy', flow, cause: -1, costNs: 0, charge: 'guest', lp: 0, ...fields }) as HvRecord;

describe('view state and dropped packets', () => {
  it('ends a dropped packet without counting it as completed', () => {
    const s = initialViewState();
    const issue = { vm: 'vm', disk: 'net', path: 'nic-legacy', op: 'read', bytes: 60, lba: 0 };
    applyRecord(s, at(0, 'io.request.issued', 1, issue));
    applyRecord(s, at(1, 'io.request.issued', 2, issue));
    applyRecord(s, at(2, 'io.request.completed', 1, { path: 'nic-legacy', latencyNs: 5000 }));
    applyRecord(s, at(3, 'io.request.completed', 2, { path: 'nic-legacy', latencyNs: 4000, dropped: true }));
    expect(s).toMatchObject({ issued: 2, completed: 1, dropped: 1 });
    expect(Object.keys(s.packets)).toEqual([]);
  });
});
