/** The LP lanes: the view state's fold of `vp.*` records, and the text each lane shows. */
import { describe, expect, it } from 'vitest';
import { lpLaneText, lpOfPlace } from '../../src/render/lp-lanes.js';
import { labelForms } from '../../src/render/labels.js';
import { applyRecord, initialViewState } from '../../src/render/view-state.js';
import type { HvRecord } from '../../src/model/trace-events.js';
import { BUNDLED_SCENARIOS, parseScenarioText, runScenario } from '../../src/scenario/index.js';

let seq = 0;
const rec = (kind: string, lp: number, fields: object): HvRecord =>
  ({ seq: seq++, t: seq, kind, place: 'hv.scheduler', band: 'hypervisor', stream: '', flow: -1, cause: -1, costNs: 0, charge: 'hypervisor', lp, ...fields }) as HvRecord;

describe('LP lanes', () => {
  const tags = new Map([
    ['io', '①'],
    ['burn', '②'],
  ]);

  it('show the holder, an I/O VP woken over it, and the VPs waiting', () => {
    const s = initialViewState();
    for (const r of [
      rec('vp.placed', 1, { vm: 'io', vp: 0 }),
      rec('vp.placed', 1, { vm: 'burn', vp: 0 }),
      rec('vp.placed', 1, { vm: 'burn', vp: 1 }),
      rec('vp.dispatched', 1, { vm: 'burn', vp: 0, readyNs: 0 }),
    ])
      applyRecord(s, r);
    expect(lpLaneText(s.lps[1], tags)).toBe('②');
    applyRecord(s, rec('vp.descheduled', 1, { vm: 'burn', vp: 0, why: 'preempted', ranNs: 30e6 }));
    applyRecord(s, rec('vp.dispatched', 1, { vm: 'burn', vp: 1, readyNs: 30e6 }));
    expect(lpLaneText(s.lps[1], tags)).toBe('②/1+1');
    applyRecord(s, rec('vp.woken', 1, { vm: 'io', vp: 0, via: 'synic', haltedNs: 1e6 }));
    expect(lpLaneText(s.lps[1], tags)).toBe('①+1');
    applyRecord(s, rec('vp.halted', 1, { vm: 'io', vp: 0 }));
    expect(lpLaneText(s.lps[1], tags)).toBe('②/1+1');
    applyRecord(s, rec('vp.woken', 1, { vm: 'root', vp: 1, via: 'device', haltedNs: 1e6 }));
    expect(lpLaneText(s.lps[1], tags)).toBe('root+1');
    expect(lpLaneText(initialViewState().lps[3], tags)).toBe('');
  });

  it('are the places hw.lp.<k>, labelled LP<k> or just <k> when narrow', () => {
    expect(lpOfPlace('hw.lp.12')).toBe(12);
    expect(lpOfPlace('hw.disk.d1')).toBeNull();
    expect(labelForms('LP3', new Map(), 'cpu')).toEqual(['LP3', '3']);
  });

  it('fold the oversubscription run: at its end every LP is idle again, and on the way the 8:1 LP has 7 waiting', () => {
    const parsed = parseScenarioText(BUNDLED_SCENARIOS.find((b) => b.name === 'oversubscription')!.text);
    if (!parsed.ok) throw new Error('invalid');
    const { records } = runScenario(parsed.scenario);
    const s = initialViewState();
    let most = 0;
    for (const r of records) {
      applyRecord(s, r);
      // Between a preemption and the dispatch that follows at the same time, all eight wait for a moment.
      if (r.kind !== 'vp.descheduled') most = Math.max(most, s.lps[4]?.waiting.length ?? 0);
    }
    expect(most).toBe(7);
    for (const lp of Object.values(s.lps)) expect(lp.holder).toBeNull();
  });
});
