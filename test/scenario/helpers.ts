/**
 * Shared fixtures for the scenario tests: a small valid scenario to mutate,
 * its JSON text, and helpers that parse and return the errors (or fail).
 */
import { expect } from 'vitest';
import { parseScenarioText, type Scenario, type ScenarioError } from '../../src/scenario/index.js';

/** A small valid scenario: one host disk, one enlightened VM with a SCSI disk, one workload. */
export function baseScenario(): Record<string, unknown> {
  return {
    version: 1,
    name: 'base',
    host: { disks: [{ id: 'd1', kind: 'hdd' }] },
    vms: [{ id: 'vm1', disks: [{ id: 'data', controller: 'scsi', backend: { kind: 'fixed-vhd', disk: 'd1' } }] }],
    workloads: [{ vm: 'vm1', disk: 'data', size: '4KiB' }],
  };
}

/** `value` as two-space-indented JSON, the way scenario files are written. */
export const jsonText = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Parses `text` and returns its errors; fails the test if it is valid. */
export function errorsOf(text: string, fileName = 'test.json'): ScenarioError[] {
  const result = parseScenarioText(text, fileName);
  if (result.ok) expect.fail(`expected errors, but the scenario is valid:\n${text}`);
  return result.errors;
}

/** Parses `text` and returns the scenario; fails the test with the errors if it is invalid. */
export function scenarioOf(text: string): Scenario {
  const result = parseScenarioText(text);
  if (!result.ok) expect.fail(`expected a valid scenario, got:\n${JSON.stringify(result.errors, null, 2)}`);
  return result.scenario;
}

/** The base scenario with `edit` applied (mutate the object in place). */
export function edited(edit: (s: any) => void): string {
  const s = baseScenario();
  edit(s);
  return jsonText(s);
}
