/**
 * Lesson file text (JSON or YAML) to a validated lesson and the bundled
 * scenario it runs, or to errors that name the field, the line and column,
 * what was found and what is allowed, exactly as scenario errors do. The
 * lesson is checked against its scenario (VMs, places, figures) here, so a
 * lesson that parses has anchors and answers that can be looked up.
 */
import { bundledScenario, BUNDLED_SCENARIOS } from '../bundled.js';
import { controlCharacterErrors, issuesToErrors, makeError, objectErrorMap, quoted, referenceErrors, type KnownFields, type ScenarioError } from '../errors.js';
import { parseDataText, parseScenarioText } from '../parse.js';
import type { Scenario } from '../schema.js';
import { checkLesson } from './references.js';
import { lessonFileSchema, type LessonFile } from './schema.js';

/** A lesson file that validated, with the scenario it runs. */
export interface LoadedLesson {
  lesson: LessonFile;
  scenario: Scenario;
}

/** The outcome of reading a lesson file. */
export type LessonParseResult = { ok: true; lesson: LessonFile; scenario: Scenario } | { ok: false; errors: ScenarioError[] };

/** Validates already-parsed lesson data (structure, its scenario, then references). Errors carry no line numbers. */
export function validateLesson(data: unknown): LessonParseResult {
  const control = controlCharacterErrors(data);
  if (control.length > 0) return { ok: false, errors: control };
  const known: KnownFields = new Map();
  const result = lessonFileSchema.safeParse(data, { error: objectErrorMap(known) });
  if (!result.success) return { ok: false, errors: issuesToErrors(result.error.issues, data, known) };
  const lesson = result.data;
  const bundled = bundledScenario(lesson.scenario);
  if (bundled === undefined) {
    return { ok: false, errors: [makeError('scenario', `${JSON.stringify(lesson.scenario)} (no bundled scenario has this name)`, `the name of a bundled scenario: ${quoted(BUNDLED_SCENARIOS.map((s) => s.name))}`)] };
  }
  const parsed = parseScenarioText(bundled.text, `${bundled.name}.json`);
  if (!parsed.ok) {
    return { ok: false, errors: [makeError('scenario', `${JSON.stringify(lesson.scenario)}, a bundled scenario that does not validate (run hvsim validate ${bundled.name})`, 'a valid bundled scenario')] };
  }
  const issues = checkLesson(parsed.scenario, lesson, []);
  if (issues.length > 0) return { ok: false, errors: referenceErrors(issues) };
  return { ok: true, lesson, scenario: parsed.scenario };
}

/**
 * Parses and validates a lesson file's text.
 * @example parseLessonText(text) // then formatErrors(result.errors, 'my-lesson.json')
 */
export function parseLessonText(text: string): LessonParseResult {
  const result = parseDataText<LoadedLesson>(text, 'lesson', (data) => {
    const validated = validateLesson(data);
    return validated.ok ? { ok: true, value: { lesson: validated.lesson, scenario: validated.scenario } } : validated;
  });
  return result.ok ? { ok: true, ...result.value } : result;
}

/** Whether parsed data looks like a lesson file rather than a scenario (it names a scenario and has steps, and no VMs). */
export function looksLikeLesson(data: unknown): boolean {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return false;
  const record = data as Record<string, unknown>;
  return !('vms' in record) && ('steps' in record || typeof record.scenario === 'string');
}
