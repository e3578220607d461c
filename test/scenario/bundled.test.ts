/**
 * The bundled scenarios: each validates, points editors at the schema,
 * explains itself in plain text, and is embedded byte for byte as the
 * file in scenarios/ (so error line numbers match the file a trainer opens).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_SCENARIOS, bundledScenario, parseScenarioText } from '../../src/scenario/index.js';

const SCENARIOS_DIR = join(import.meta.dirname, '..', '..', 'scenarios');

describe('bundled scenarios', () => {
  it('are exactly the scenario files in scenarios/', () => {
    const files = readdirSync(SCENARIOS_DIR).filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'));
    expect(BUNDLED_SCENARIOS.map((s) => `${s.name}.json`).sort()).toEqual(files.sort());
  });

  for (const bundled of BUNDLED_SCENARIOS) {
    describe(bundled.name, () => {
      it('embeds the file text unchanged', () => {
        expect(bundled.text).toBe(readFileSync(join(SCENARIOS_DIR, `${bundled.name}.json`), 'utf8'));
      });

      it('validates, names itself after its file, and points at the schema', () => {
        const result = parseScenarioText(bundled.text, `${bundled.name}.json`);
        expect(result.ok ? [] : result.errors).toEqual([]);
        if (!result.ok) return;
        expect(result.scenario.name).toBe(bundled.name);
        expect(result.scenario.$schema).toBe('./scenario.schema.json');
      });

      it('has a plain-text description with a summary line', () => {
        const result = parseScenarioText(bundled.text);
        const description = result.ok ? (result.scenario.description ?? '') : '';
        expect(description.split('\n')[0]!.length).toBeGreaterThan(40);
        expect(description).not.toMatch(/[<>*_`#]/); // no markup: it is shown as text
      });
    });
  }

  it('are found by name, with or without .json', () => {
    expect(bundledScenario('queue-depth')?.name).toBe('queue-depth');
    expect(bundledScenario('queue-depth.json')?.name).toBe('queue-depth');
    expect(bundledScenario('nope')).toBeUndefined();
  });
});
