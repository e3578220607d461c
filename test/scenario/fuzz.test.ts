/**
 * Property test: take the bundled scenarios, mutate them (delete, replace
 * or insert fields with random JSON values; truncate or splice the text;
 * YAML as well as JSON), and check that the parser never throws, never
 * hangs, and that every error names a field (or is a syntax error with a
 * line) and says what is wrong. Whatever it accepts must build a
 * WorldConfig. Fixed seed: a failure reproduces.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import { BUNDLED_SCENARIOS, parseScenarioText, toWorldConfig, type ParseResult } from '../../src/scenario/index.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every [container, key] slot in `value`, depth first. */
function slots(value: Json, out: [Json[] | { [key: string]: Json }, string | number][] = []): typeof out {
  if (Array.isArray(value)) value.forEach((item, i) => (out.push([value, i]), slots(item, out)));
  else if (value !== null && typeof value === 'object') for (const key of Object.keys(value)) out.push([value, key]), slots(value[key]!, out);
  return out;
}

/** Every object or array in `value` (including itself). */
function containers(value: Json, out: (Json[] | { [key: string]: Json })[] = []): typeof out {
  if (value !== null && typeof value === 'object') {
    out.push(value);
    for (const child of Array.isArray(value) ? value : Object.values(value)) containers(child, out);
  }
  return out;
}

const FIELD_NAMES = ['vm', 'disk', 'size', 'queueDepth', 'count', 'id', 'kind', 'costs', 'at', 'until', 'lba', 'x', '__proto__', 'constructor', ''];

const mutation = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), key: fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 8 })), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({
    op: fc.constant('nudge' as const),
    at: fc.nat(),
    value: fc.constantFrom<Json>(0, -1, 1.5, 255, 256, 100000, 1e300, '', '4KB', '0KiB', '1.5ns', '70s', 'scsi', 'ide', 'qd1', 'd0', true, null, [], {}),
  }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(base: Json, ops: Mutation[]): Json {
  const doc = structuredClone(base);
  for (const m of ops) {
    if (m.op === 'insert') {
      const all = containers(doc);
      const target = all[m.at % all.length]!;
      if (Array.isArray(target)) target.splice(m.at % (target.length + 1), 0, m.value as Json);
      else Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
      continue;
    }
    const all = slots(doc);
    if (all.length === 0) continue;
    const [parent, key] = all[m.at % all.length]!;
    if (m.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
    } else {
      (parent as Record<string | number, Json>)[key] = m.value as Json;
    }
  }
  return doc;
}

/** Fails with the offending text and error; plain checks, because `expect` is slow in a 2,000-run loop. */
function check(condition: boolean, what: string, detail: unknown, text: string): void {
  if (!condition) throw new Error(`${what}: ${JSON.stringify(detail)}\n--- text ---\n${text.slice(0, 2000)}`);
}

function checkResult(result: ParseResult, text: string): void {
  if (result.ok) {
    toWorldConfig(result.scenario); // throws if validation let something through
    return;
  }
  check(result.errors.length > 0, 'no errors on a failed parse', result, text);
  for (const error of result.errors) {
    check(error.message.length > 0, 'empty message', error, text);
    if (error.path === '') check(error.line !== undefined && error.line >= 1, 'syntax error without a line', error, text);
    else if (!error.message.endsWith('not shown; fix these first')) {
      check(/^(found .+, allowed .+|missing, allowed .+)$/s.test(error.message), 'message does not say found/allowed', error, text);
    }
  }
}

/** Parses and checks, failing if one parse takes absurdly long (a hang): CPU time, so a busy machine does not fail it. */
function parseChecked(text: string): void {
  const started = process.cpuUsage();
  const result = parseScenarioText(text, 'fuzz.json'); // a throw fails the property
  const used = process.cpuUsage(started);
  const elapsed = (used.user + used.system) / 1000;
  check(elapsed < 2000, 'one parse took over 2 s', elapsed, text);
  checkResult(result, text);
}

const bases = BUNDLED_SCENARIOS.map((s) => JSON.parse(s.text) as Json);

describe('parseScenarioText on mutated scenarios', () => {
  it('never throws, never hangs, and every error names its field and what is allowed', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: bases.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.constantFrom('json', 'yaml', 'json-truncated', 'json-spliced'),
        fc.nat(),
        fc.string({ maxLength: 6 }),
        (which, ops, form, cut, splice) => {
          const doc = mutate(bases[which]!, ops);
          let text = form === 'yaml' ? toYaml(doc) : JSON.stringify(doc, null, 2);
          if (form === 'json-truncated') text = text.slice(0, cut % (text.length + 1));
          if (form === 'json-spliced') {
            const at = cut % (text.length + 1);
            text = text.slice(0, at) + splice + text.slice(at + splice.length);
          }
          parseChecked(text);
        },
      ),
      { seed: 20261122, numRuns: 2000 },
    );
  }, 60_000);

  it('survives hostile text: deep nesting, alias bombs, huge numbers, control characters', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`)].join('\n');
    const texts = [
      '['.repeat(50_000),
      '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000),
      '- '.repeat(20_000) + 'x',
      bomb,
      '{"version": 1e999, "name": "x", "vms": []}',
      '\u0000\u0001\u0002',
      '"just a string"',
      '--- !!binary |\n  R0lGODlhDAAMAIQAAP//9/X17unp5WZmZgAAAOfn515eXvPz7Y6OjuDg4J+fn5',
      'version: 1\nname: x\nvms:\n  - &vm { id: a }\n  - *vm\n',
    ];
    for (const text of texts) parseChecked(text);
  });
});
