/**
 * Scenario text (JSON or YAML) to a validated `Scenario`, or to errors that
 * name the field, the line and column, what was found and what is allowed.
 * JSON is read as YAML 1.2 with the core schema only (no custom tags, no
 * merge keys), so one parser gives positions for both. Bad input never
 * throws and is never evaluated; the text is size-guarded and aliases are
 * capped, so a hostile file cannot exhaust memory.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type YAMLError } from 'yaml';
import { controlCharacterErrors, issuesToErrors, makeError, MAX_ERRORS, objectErrorMap, referenceErrors, ROOT_PATH, type KnownFields, type ScenarioError } from './errors.js';
import { checkLesson } from './lesson/references.js';
import { checkReferences } from './references.js';
import { scenarioSchema, type Scenario } from './schema.js';
import { scanJson } from './json-scan.js';

/** The largest scenario text accepted, in characters. */
export const SCENARIO_TEXT_MAX = 1_000_000;

/** The outcome of reading a scenario. */
export type ParseResult = { ok: true; scenario: Scenario } | { ok: false; errors: ScenarioError[] };

/** Validates already-parsed data (structure, then references). Errors carry no line numbers. */
export function validateScenario(data: unknown): ParseResult {
  const control = controlCharacterErrors(data);
  if (control.length > 0) return { ok: false, errors: control };
  const known: KnownFields = new Map();
  const result = scenarioSchema.safeParse(data, { error: objectErrorMap(known) });
  if (!result.success) return { ok: false, errors: issuesToErrors(result.error.issues, data, known) };
  const references = checkReferences(result.data);
  if (references.length > 0) return { ok: false, errors: referenceErrors(references) };
  // A lesson is checked against a consistent scenario only: its places come from the built topology.
  const lesson = result.data.lesson === undefined ? [] : checkLesson(result.data, result.data.lesson, ['lesson']);
  if (lesson.length > 0) return { ok: false, errors: referenceErrors(lesson) };
  return { ok: true, scenario: result.data };
}

/**
 * Parses and validates a scenario file's text (JSON or YAML, whatever the
 * file name says). `fileName` is for the caller's symmetry with
 * `formatErrors`; errors carry positions, not names.
 * @example parseScenarioText(text, 'lab.json') // then formatErrors(result.errors, 'lab.json')
 */
export function parseScenarioText(text: string, _fileName?: string): ParseResult {
  const result = parseScenarioData(text);
  return result.ok ? { ok: true, scenario: result.scenario } : result;
}

/**
 * `parseScenarioText`, also giving the data as read, before validation:
 * what a sweep makes its points from (`makePoint`), so that the text is
 * parsed once.
 */
export function parseScenarioData(text: string): { ok: true; scenario: Scenario; data: unknown } | { ok: false; errors: ScenarioError[] } {
  let data: unknown;
  const result = parseDataText(text, 'scenario', (read) => {
    data = read;
    const validated = validateScenario(read);
    return validated.ok ? { ok: true, value: validated.scenario } : validated;
  });
  return result.ok ? { ok: true, scenario: result.value, data } : result;
}

/** The outcome of reading a data file of some kind (a scenario, a lesson). */
export type DataParseResult<T> = { ok: true; value: T } | { ok: false; errors: ScenarioError[] };

/**
 * Reads JSON or YAML text with the scenario parser's guards and hands the
 * data to `validate`; the errors it returns get the line and column of
 * their field. `what` names the kind of file in messages ('scenario', 'lesson').
 */
export function parseDataText<T>(text: string, what: string, validate: (data: unknown) => DataParseResult<T>): DataParseResult<T> {
  if (typeof text !== 'string') return fail(makeError(ROOT_PATH, describeType(text), `the text of a ${what} file`));
  // A NUL byte marks a binary file (an executable, an image): one line says so, not the YAML parser's errors quoting its bytes.
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const line = text.slice(0, nul).split('\n').length;
    const column = nul - text.lastIndexOf('\n', nul - 1);
    return fail({ path: '', message: `is not a text file: it holds a NUL byte at character ${(nul + 1).toLocaleString('en-US')}; a ${what} file is JSON or YAML text`, line, column });
  }
  if (text.length > SCENARIO_TEXT_MAX) {
    return fail(makeError(ROOT_PATH, `a text of ${text.length.toLocaleString('en-US')} characters`, `at most ${SCENARIO_TEXT_MAX.toLocaleString('en-US')} characters`));
  }
  try {
    return parseGuarded(text, what, validate);
  } catch (error) {
    // Parsers can still fail in ways their error lists do not cover (a stack overflow on absurd nesting).
    const why = error instanceof Error ? error.message : String(error);
    return fail({ path: '', message: `could not be read as JSON or YAML: ${why}`, line: 1, column: 1 });
  }
}

function parseGuarded<T>(text: string, what: string, validate: (data: unknown) => DataParseResult<T>): DataParseResult<T> {
  // A file written as JSON (an object whose first key is in double quotes) is held to JSON: the YAML
  // parser would take a trailing comma that every JSON tool and editor refuses.
  if (/^\s*\{\s*"/.test(text)) {
    const json = jsonSyntaxError(text);
    if (json !== null) return fail(json);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, schema: 'core', merge: false, uniqueKeys: true, strict: true, prettyErrors: true, customTags: [] });
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    // A file written as JSON gets JSON's own message (a missing comma says so), not the YAML parser's.
    const json = /^\s*[{[]/.test(text) ? jsonSyntaxError(text) : null;
    if (json !== null) return fail(json);
    return { ok: false, errors: problems.slice(0, MAX_ERRORS).map((problem) => syntaxError(problem, what)) };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return fail({ path: '', message: `not valid YAML: ${error instanceof Error ? error.message : String(error)}`, line: 1, column: 1 });
  }
  if (data === null && doc.contents === null) return fail(makeError(ROOT_PATH, 'an empty file', `a ${what} object`));
  const result = validate(data);
  if (result.ok) return result;
  const located = result.errors.map((error) => ({ ...error, ...locate(doc, lineCounter, error.path) }));
  located.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  if (located.length > MAX_ERRORS) {
    const more = located.length - MAX_ERRORS;
    located.length = MAX_ERRORS;
    located.push({ path: ROOT_PATH, message: `${more} more error${more === 1 ? '' : 's'} not shown; fix these first` });
  }
  return { ok: false, errors: located };
}

function fail(error: ScenarioError): { ok: false; errors: ScenarioError[] } {
  return { ok: false, errors: [error] };
}

function describeType(value: unknown): string {
  return value === null ? 'null' : `a ${typeof value}`;
}

/**
 * Where `text` first breaks JSON's grammar (`scanJson`), as an error with
 * its line and column and what was found there, or null when it is JSON.
 */
function jsonSyntaxError(text: string): ScenarioError | null {
  const broke = scanJson(text);
  if (broke === null) return null;
  const offset = broke.offset;
  const line = text.slice(0, offset).split('\n').length;
  const column = offset - text.lastIndexOf('\n', offset - 1);
  return { path: '', message: `not valid JSON: ${broke.message}`, line, column };
}

function syntaxError(problem: YAMLError, what: string): ScenarioError {
  const first = problem.message.split('\n')[0] ?? problem.message;
  const message = first.replace(/ at line \d+, column \d+:?$/, '');
  const kind = problem.code === 'TAG_RESOLVE_FAILED' ? `tags are not allowed in a ${what}` : 'not valid JSON or YAML';
  const position = problem.linePos?.[0];
  return { path: '', message: `${kind}: ${message}`, line: position?.line ?? 1, column: position?.col ?? 1 };
}

/**
 * The line and column of the field at `dottedPath`: the key of the deepest
 * map entry that exists on the way (so a missing field points at the object
 * that lacks it, and an unknown field at its own key).
 */
function locate(doc: Document, lineCounter: LineCounter, dottedPath: string): { line?: number; column?: number } {
  const steps = dottedPath === ROOT_PATH ? [] : dottedPath.split('.');
  let node: unknown = doc.contents;
  let anchor: Node | null = node as Node | null;
  for (const step of steps) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === step);
      if (pair === undefined) break;
      anchor = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(step)];
      if (item === undefined || !/^[0-9]+$/.test(step)) break;
      anchor = item as Node;
      node = item;
    } else {
      break;
    }
  }
  const offset = anchor?.range?.[0];
  if (offset === undefined) return {};
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}
