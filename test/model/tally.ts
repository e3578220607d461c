/** Counts a stream's records by what the model tests assert on (kept independent of src/metrics on purpose). */
import type { HvRecord } from '../../src/model/trace-events.js';

export interface Tally {
  requests: number;
  latencyNs: number[];
  registerAccesses: number;
  exits: Record<string, number>;
  guestExits: number;
  interrupts: number;
  ringPackets: number;
  signalsToHost: number;
  signalsToGuest: number;
  rootUserTransitions: number;
}

export function tally(records: readonly HvRecord[], stream: string): Tally {
  const t: Tally = { requests: 0, latencyNs: [], registerAccesses: 0, exits: {}, guestExits: 0, interrupts: 0, ringPackets: 0, signalsToHost: 0, signalsToGuest: 0, rootUserTransitions: 0 };
  for (const r of records) {
    if (r.stream !== stream) continue;
    switch (r.kind) {
      case 'io.request.completed':
        t.requests++;
        t.latencyNs.push(r.latencyNs);
        break;
      case 'ide.register.accessed':
        t.registerAccesses++;
        break;
      case 'hv.intercept.exited':
        t.exits[r.reason] = (t.exits[r.reason] ?? 0) + 1;
        t.guestExits++;
        break;
      case 'hv.interrupt.injected':
        if (r.target !== 'root') t.interrupts++;
        break;
      case 'vmbus.ring.written':
        t.ringPackets++;
        break;
      case 'vmbus.signal.sent':
        if (r.direction === 'to-host') t.signalsToHost++;
        else t.signalsToGuest++;
        break;
      case 'cpu.mode.switched':
        if (r.partition === 'root' && r.to === 'user') t.rootUserTransitions++;
        break;
    }
  }
  return t;
}
