/**
 * A run kept in columns (the app's way) holds the same records as one
 * kept as objects: for every bundled scenario, each record rebuilt from
 * the store equals the one emitted, keys in the same order, and the run's
 * figures and fingerprint do not depend on how records are kept. The
 * tracer hands the store its records by parts (`writeParts`); this is the
 * check that the fast path lays them out as the generic one would.
 */
import { describe, expect, it } from 'vitest';
import { BUNDLED_SCENARIOS, parseScenarioText, RecordStore, runScenario } from '../../src/scenario/index.js';

describe('runs kept in columns', () => {
  for (const bundled of BUNDLED_SCENARIOS) {
    it(`${bundled.name}: every record comes back as emitted`, () => {
      const parsed = parseScenarioText(bundled.text);
      if (!parsed.ok) throw new Error(`${bundled.name} invalid`);
      const objects = runScenario(parsed.scenario);
      const columns = runScenario(parsed.scenario, { keepRecords: 'columns' });
      const store = columns.store!;
      expect(columns.records).toEqual([]);
      expect(store.length).toBe(objects.records.length);
      expect(columns.fingerprint).toBe(objects.fingerprint);
      expect(columns.paths).toEqual(objects.paths);
      expect(columns.figures).toEqual(objects.figures);
      // Every record of a small run; every 13th of a big one (and the last).
      const step = objects.records.length > 60_000 ? 13 : 1;
      for (let i = 0; i < objects.records.length; i += step) {
        const back = store.at(i)!;
        const original = objects.records[i]!;
        if (Object.keys(back).join() !== Object.keys(original).join()) expect(Object.keys(back), `record ${i}`).toEqual(Object.keys(original));
        expect(back).toStrictEqual(original);
      }
      const last = objects.records.length - 1;
      expect(store.at(last)).toStrictEqual(objects.records[last]);
      // The same records written the generic way lay out the same.
      if (objects.records.length <= 60_000) {
        const generic = RecordStore.of(objects.records);
        for (let i = 0; i < objects.records.length; i += 97) expect(generic.at(i)).toStrictEqual(store.at(i));
      }
    });
  }
});
