/**
 * The JSON Schema files in scenarios/ are generated from the zod schema;
 * this fails when they are stale, and checks that a generated schema
 * accepts what the parser accepts in the places editors care about.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILES, scenarioJsonSchema, scenarioJsonSchemaText, type SchemaTarget } from '../../src/scenario/index.js';

const SCENARIOS_DIR = join(import.meta.dirname, '..', '..', 'scenarios');

describe('generated JSON Schema files', () => {
  for (const target of Object.keys(SCHEMA_FILES) as SchemaTarget[]) {
    it(`scenarios/${SCHEMA_FILES[target]} is up to date`, () => {
      const committed = readFileSync(join(SCENARIOS_DIR, SCHEMA_FILES[target]), 'utf8');
      expect(committed === scenarioJsonSchemaText(target), `scenarios/${SCHEMA_FILES[target]} is stale: run \`npm run schema\``).toBe(true);
    });
  }

  it('declares its draft and forbids unknown fields', () => {
    const modern = scenarioJsonSchema('draft-2020-12');
    const draft07 = scenarioJsonSchema('draft-07');
    expect(modern.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(draft07.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(modern.additionalProperties).toBe(false);
    expect(modern.required).toEqual(['version', 'name', 'vms']);
  });

  it('describes every cost id for editor hovers', () => {
    const costs = (scenarioJsonSchema().properties as Record<string, { properties: Record<string, { description?: string }> }>).costs;
    for (const [id, field] of Object.entries(costs!.properties)) expect(field.description, id).toMatch(/Default [\d,]+( ns| bytes)? \(profile 2008\)/);
  });
});
