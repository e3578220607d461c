/**
 * The JSON Schema of the lesson file format, generated from the zod schema
 * like the scenario's (`../json-schema.ts`), so editors check and complete
 * lesson files with hvsim's own rules. `npm run schema` writes it to
 * `lessons/lesson.schema.json`; a test fails when it is stale.
 */
import * as z from 'zod';
import { lessonFileSchema } from './schema.js';

/** The file the lesson schema is written to, inside `lessons/`. */
export const LESSON_SCHEMA_FILE = 'lesson.schema.json';

/** The lesson file JSON Schema (draft 2020-12, input side: fields with defaults are optional). */
export function lessonJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(lessonFileSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'throw' }) as Record<string, unknown>;
}

/** The schema file's text, as `npm run schema` writes it. */
export function lessonJsonSchemaText(): string {
  return `${JSON.stringify(lessonJsonSchema(), null, 2)}\n`;
}
