/**
 * The JSON Schema of the scenario format, generated from the zod schema so
 * that editors validate and complete scenario files with exactly the rules
 * hvsim applies. Two targets: draft 2020-12 for JSON editors (VS Code), and
 * draft-07 for the YAML language server, which reads draft 7 and below.
 * `npm run schema` writes both into `scenarios/`; a test fails when they
 * are stale.
 */
import * as z from 'zod';
import { scenarioSchema } from './schema.js';

/** The schema targets hvsim writes. */
export type SchemaTarget = 'draft-2020-12' | 'draft-07';

/** The file each target is written to, inside `scenarios/`. */
export const SCHEMA_FILES: Record<SchemaTarget, string> = {
  'draft-2020-12': 'scenario.schema.json',
  'draft-07': 'scenario.draft-07.schema.json',
};

/** The scenario JSON Schema for `target` (input side: fields with defaults are optional). */
export function scenarioJsonSchema(target: SchemaTarget = 'draft-2020-12'): Record<string, unknown> {
  return z.toJSONSchema(scenarioSchema, { target, io: 'input', unrepresentable: 'throw' }) as Record<string, unknown>;
}

/** The schema file's text for `target`, as `npm run schema` writes it. */
export function scenarioJsonSchemaText(target: SchemaTarget = 'draft-2020-12'): string {
  return `${JSON.stringify(scenarioJsonSchema(target), null, 2)}\n`;
}
