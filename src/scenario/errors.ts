/**
 * Scenario errors as trainers read them: the field's dotted path, the place
 * in the file, what was found and what is allowed. This module turns zod
 * issues and cross-field findings into that shape and prints them; it does
 * not parse or validate anything itself.
 */
import type * as z from 'zod';
import type { ReferenceIssue } from './references.js';
import { durationNs } from './units.js';

/** One problem with a scenario file. */
export interface ScenarioError {
  /** Dotted path of the field, e.g. `workloads.0.queueDepth`; `(top level)` for the file as a whole; '' for a syntax error. */
  path: string;
  /** The whole explanation, e.g. `found 0, allowed an integer 1..255`. */
  message: string;
  /** What the file holds there, in words. */
  found?: string;
  /** What would be accepted there, in words. */
  allowed?: string;
  /** 1-based line in the file, when known. */
  line?: number;
  /** 1-based column in the file, when known. */
  column?: number;
}

/** The path shown for an error about the whole file. */
/** Values quoted and listed, for messages: `'a', 'b'`. */
export const quoted = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');

export const ROOT_PATH = '(top level)';
/** At most this many errors are reported for one file. */
export const MAX_ERRORS = 100;

/** Dotted form of a path; `(top level)` when empty. */
export function dottedPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? ROOT_PATH : path.map(String).join('.');
}

/**
 * `text` in double quotes as JSON writes it, with DEL, the C1 controls and
 * the bidirectional marks, overrides and isolates escaped as well (JSON
 * escapes only C0): an error shows what the file holds without letting it
 * steer the terminal or reorder the line.
 */
export function quotedText(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A value as a short phrase: `0`, `"abc"`, `a list of 3 items`, `an object`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return quotedText(value.length > 60 ? value.slice(0, 57) : value) + (value.length > 60 ? `... (${value.length} characters)` : '');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

/** The value at `path` inside `data`, or undefined when a step is missing. */
export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let node = data;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** Whether the last step of `path` is absent from its parent object (a missing field). */
function isMissing(data: unknown, path: readonly PropertyKey[]): boolean {
  if (path.length === 0) return data === undefined;
  const parent = valueAt(data, path.slice(0, -1));
  return parent !== null && typeof parent === 'object' && !Array.isArray(parent) && !Object.prototype.hasOwnProperty.call(parent, path[path.length - 1]!);
}

/** An error from its parts; the message always says what was found and what is allowed. */
export function makeError(path: string, found: string, allowed: string): ScenarioError {
  const message = found === 'nothing (the field is missing)' ? `missing, allowed ${allowed}` : `found ${found}, allowed ${allowed}`;
  return { path, message, found, allowed };
}

/**
 * Control characters other than tab and line breaks: C0, DEL and C1, and
 * the bidirectional embeddings, overrides and isolates (U+202A-U+202E,
 * U+2066-U+2069). A scenario's or lesson's text is shown as text in the
 * app and printed by the CLI, where ESC and BEL would reach the terminal
 * as commands (retitle the window, clear the screen), NUL marks a file
 * that is not text, and an override makes a line read in another order
 * than it is stored ("Trojan Source", CVE-2021-42574). The marks that
 * Arabic or Hebrew text needs (U+200E, U+200F) are allowed.
 */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

/** Errors, at most `max`, for each string in `data` that holds a control character (`CONTROL`). */
export function controlCharacterErrors(data: unknown, max = 20): ScenarioError[] {
  const errors: ScenarioError[] = [];
  const visit = (value: unknown, path: PropertyKey[]): void => {
    if (errors.length >= max) return;
    if (typeof value === 'string') {
      const match = CONTROL.exec(value);
      if (match !== null) {
        const code = `U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
        const which = match[0] >= '\u202A' ? 'bidirectional override' : 'control character';
        errors.push(makeError(dottedPath(path), `the ${which} ${code} at character ${match.index + 1}`, 'printable text (tabs and line breaks are the only control characters allowed; no bidirectional overrides or isolates)'));
      }
    } else if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...path, i]));
    else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
  };
  visit(data, []);
  return errors;
}

/** Known fields of the strict objects that reported unknown ones, keyed by the object's dotted path. */
export type KnownFields = Map<string, readonly string[]>;

/**
 * A zod error map for `safeParse(..., { error })`: fills in what an object
 * allows (its field names) where the schemas give no text of their own,
 * and records the known fields of objects with unknown ones for
 * `issuesToErrors`' did-you-mean hints.
 */
export function objectErrorMap(known: KnownFields): z.core.$ZodErrorMap {
  return (issue) => {
    const shape = (issue.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
    if (shape === undefined) return undefined;
    const fields = Object.keys(shape);
    if (issue.code === 'unrecognized_keys') {
      known.set(dottedPath(issue.path ?? []), fields);
      return `one of the fields ${fields.join(', ')}`;
    }
    if (issue.code === 'invalid_type') return `an object with the fields ${fields.join(', ')}`;
    return undefined;
  };
}

/** Converts zod issues on `data` to scenario errors, one per field (unknown fields each get their own). */
export function issuesToErrors(issues: readonly z.core.$ZodIssue[], data: unknown, known: KnownFields): ScenarioError[] {
  const errors: ScenarioError[] = [];
  const seen = new Set<string>();
  const push = (error: ScenarioError): void => {
    if (seen.has(error.path)) return; // one error per field: the first check that failed says it
    seen.add(error.path);
    errors.push(error);
  };
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const fields = known.get(dottedPath(issue.path)) ?? [];
      for (const key of issue.keys) push(unknownFieldError([...issue.path, key], key, fields, data));
      continue;
    }
    const path = dottedPath(issue.path);
    const value = valueAt(data, issue.path);
    let found = isMissing(data, issue.path) ? 'nothing (the field is missing)' : describeValue(value);
    const params = issue.code === 'custom' ? (issue.params as { why?: string } | undefined) : undefined;
    if (params?.why !== undefined) found = `${found} (${params.why})`;
    push(makeError(path, found, issue.message + enumHint(issue, value)));
  }
  return errors;
}

/**
 * "; did you mean 'x'?" when a string not among an enum's values is a few
 * letters from one of them (`closest`). None for a word under four letters:
 * one letter in three is no clue ("sdd" is as near 'hdd' as 'ssd'), and
 * the list of values is short there.
 */
function enumHint(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code !== 'invalid_value' || typeof value !== 'string' || value.length < 4) return '';
  if (issue.message.includes('did you mean')) return ''; // the schema's own message suggests already (a claim's metric)
  const near = closest(value, issue.values.filter((v): v is string => typeof v === 'string'));
  return near === undefined ? '' : `; did you mean '${near}'?`;
}

function unknownFieldError(path: readonly PropertyKey[], key: string, fields: readonly string[], data: unknown): ScenarioError {
  if (path.length === 3 && path[0] === 'traffic' && key === 'duration') return trafficDurationError(path, data);
  const guess = closest(key, fields);
  const hint = guess === undefined ? '' : `; did you mean '${guess}'?`;
  if (path.length === 2 && path[0] === 'costs') {
    const near = guess !== undefined ? [guess] : related(key, fields);
    const mean = near.length === 0 ? '' : ` (did you mean ${near.map((id) => `'${id}'`).join(' or ')}?)`;
    return makeError(dottedPath(path), `an unknown cost id '${key}'`, `a cost id${mean}: one of ${fields.join(', ')}`);
  }
  return makeError(dottedPath(path), `an unknown field '${key}'`, `one of the fields ${fields.join(', ')}${hint}`);
}

/**
 * A traffic flow written with a workload's `duration` (DESIGN §5 gives disk workloads 'count or duration'):
 * a flow is bounded by its packets, sent at `packetsPerSecond`, so the error says the count that rate makes
 * of the duration written, instead of only listing the fields.
 */
function trafficDurationError(path: readonly PropertyKey[], data: unknown): ScenarioError {
  const flow = path.slice(0, 2);
  const rate = valueAt(data, [...flow, 'packetsPerSecond']);
  const perSecond = typeof rate === 'number' && Number.isSafeInteger(rate) && rate > 0 ? rate : 1000; // the schema's default rate
  const written = valueAt(data, path);
  const ns = typeof written === 'number' || typeof written === 'string' ? durationNs(written) : { ok: false as const };
  const count = ns.ok ? Math.max(1, Math.round((ns.value * perSecond) / 1e9)) : undefined;
  const example = count === undefined ? '' : ` (${JSON.stringify(written)} at ${perSecond.toLocaleString('en-US')} packets/s: count ${count.toLocaleString('en-US')})`;
  return makeError(
    dottedPath(path),
    `an unknown field 'duration' (a traffic flow runs for its count of packets at packetsPerSecond; duration bounds a disk workload)`,
    `count instead: the packets in all, packetsPerSecond × the time${example}`,
  );
}

/** The known name closest to `word` (case-insensitive edit distance at most 3), if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= bestDistance) {
      best = candidate;
      bestDistance = distance - 1;
      if (distance === 0) break;
    }
  }
  return best;
}

/**
 * The names among `candidates` that hold `word` as one of their
 * underscore-separated parts (or begin with it), at most `max`: a cost id
 * asked for by its family, such as 'hypercall' or 'seek', where no name is
 * a few letters away (`closest`).
 */
export function related(word: string, candidates: readonly string[], max = 4): string[] {
  const w = word.toLowerCase();
  if (w.length < 3) return [];
  const found = candidates.filter((c) => {
    const lower = c.toLowerCase();
    return lower.startsWith(w) || lower.split('_').includes(w);
  });
  return found.length <= max ? found : [];
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3 || a.length > 64 || b.length > 64) return Infinity;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Converts cross-field findings to scenario errors. */
export function referenceErrors(issues: readonly ReferenceIssue[]): ScenarioError[] {
  return issues.map((issue) => makeError(dottedPath(issue.path), issue.found, issue.allowed));
}

/**
 * One line per error: `file:line:col path: message`.
 * @example formatErrors(errors, 'scenario.json') // "scenario.json:12:5 workloads.0.queueDepth: found 0, allowed an integer 1..255"
 */
export function formatErrors(errors: readonly ScenarioError[], fileName = 'scenario'): string[] {
  return errors.map((error) => {
    const where = error.line === undefined ? fileName : `${fileName}:${error.line}:${error.column ?? 1}`;
    return error.path === '' ? `${where} ${error.message}` : `${where} ${error.path}: ${error.message}`;
  });
}
