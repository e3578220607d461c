/**
 * Field paths into a scenario file's data, as a sweep names the field it
 * varies: `workloads[3].queueDepth`, `profile`, `costs.vmexit_roundtrip`
 * (`workloads.3.queueDepth`, the form errors print, also works), and
 * setting a value at one. Pure and free of the parser, so the scenario
 * schema can check a sweep block's paths with it.
 */
import { describeValue } from '../errors.js';

/** A value a field may be varied to. */
export type VaryValue = number | string | boolean;

/** One step of a field path: an object key or a list index. */
export type FieldStep = string | number;

/** What a field path may be, in words. */
export const FIELD_PATH_ALLOWED = "names joined by '.', with [n] or .n for a list item, e.g. workloads[0].queueDepth, profile or costs.vmexit_roundtrip";

const KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/**
 * Names of JavaScript's object machinery, which no scenario field has:
 * setting `__proto__.x` would change every object's prototype (prototype
 * pollution), and `constructor.prototype` reaches the same.
 */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** `workloads[3].queueDepth` (or `workloads.3.queueDepth`) as steps, or why it is not a field path. */
export function parseFieldPath(field: string): { ok: true; steps: FieldStep[] } | { ok: false; message: string; allowed: string } {
  const steps: FieldStep[] = [];
  const allowed = FIELD_PATH_ALLOWED;
  if (field === '') return { ok: false, message: `found an empty field path, allowed ${allowed}`, allowed };
  for (const part of field.split('.')) {
    const match = /^([^[\]]*)((?:\[[0-9]+\])*)$/.exec(part);
    const name = match?.[1] ?? '';
    if (match === null || (name === '' && match[2] === '') || (name !== '' && !KEY.test(name) && !/^[0-9]+$/.test(name))) {
      return { ok: false, message: `found '${field}', allowed ${allowed}`, allowed };
    }
    if (FORBIDDEN_KEYS.has(name)) return { ok: false, message: `found '${field}': '${name}' is not a field of a scenario, allowed ${allowed}`, allowed };
    if (name !== '') steps.push(/^[0-9]+$/.test(name) ? Number(name) : name);
    for (const index of match[2]!.matchAll(/\[([0-9]+)\]/g)) steps.push(Number(index[1]));
  }
  if (typeof steps[0] !== 'string') return { ok: false, message: `found '${field}', allowed ${allowed} (it starts with a field name)`, allowed };
  return { ok: true, steps };
}

const where = (steps: readonly FieldStep[], upTo: number): string => steps.slice(0, upTo).map(String).join('.') || '(top level)';

/** Sets `value` at `steps` inside `data` (changed in place), creating missing objects on the way; or says why not. */
export function setField(data: unknown, steps: readonly FieldStep[], value: VaryValue): string | null {
  let node = data;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const last = i === steps.length - 1;
    if (typeof step === 'number') {
      if (!Array.isArray(node)) return `${where(steps, i)} is ${describeValue(node)}, not a list, so it has no item ${step}`;
      if (step >= node.length) return `${where(steps, i)} has ${node.length} item${node.length === 1 ? '' : 's'}${node.length === 0 ? '' : ` (0..${node.length - 1})`}, found index ${step}`;
    } else if (node === null || typeof node !== 'object' || Array.isArray(node)) {
      return `${where(steps, i)} is ${describeValue(node)}, not an object, so it has no field '${step}'`;
    }
    const container = node as Record<FieldStep, unknown>;
    if (typeof step === 'string' && FORBIDDEN_KEYS.has(step)) return `'${step}' is not a field of a scenario`;
    if (last) {
      container[step] = value;
      return null;
    }
    // Only the data's own fields are walked (an inherited one, such as a method, is not data).
    if (typeof step === 'string' && !Object.hasOwn(container, step)) container[step] = typeof steps[i + 1] === 'number' ? [] : {};
    node = container[step];
  }
  return null;
}

