import { describe, expect, it } from 'vitest';
import * as engine from '../../src/engine/index.js';
import * as eventQueue from '../../src/engine/event-queue.js';
import * as fingerprint from '../../src/engine/fingerprint.js';
import * as processModule from '../../src/engine/process.js';
import * as rng from '../../src/engine/rng.js';
import * as simTime from '../../src/engine/sim-time.js';
import * as simulation from '../../src/engine/simulation.js';
import * as trace from '../../src/engine/trace.js';
import * as columnStore from '../../src/engine/column-store.js';
import * as idPairs from '../../src/engine/id-pairs.js';
import * as columnPayload from '../../src/engine/column-payload.js';
import * as internModule from '../../src/engine/intern.js';
import * as rowGroups from '../../src/engine/row-groups.js';
import * as objectArrayModule from '../../src/engine/object-array.js';

describe('engine index', () => {
  it('re-exports every runtime export of every engine module, and nothing else', () => {
    const modules = { simTime, eventQueue, simulation, rng, processModule, trace, fingerprint, columnStore, columnPayload, idPairs, internModule, rowGroups, objectArrayModule };
    const expected: Record<string, unknown> = {};
    for (const mod of Object.values(modules)) Object.assign(expected, mod);
    expect(Object.keys(engine).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, value] of Object.entries(expected)) {
      expect((engine as Record<string, unknown>)[name], name).toBe(value);
    }
  });
});
