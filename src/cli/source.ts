/**
 * Finds the scenario a command names: a file on disk if one exists at that
 * path, otherwise a bundled scenario of that name. Reads at most the size
 * the parser accepts, and reports a missing or unreadable file as a
 * message, never as an exception.
 */
import { readFileSync, statSync } from 'node:fs';
import { BUNDLED_SCENARIOS, bundledScenario, SCENARIO_TEXT_MAX } from '../scenario/index.js';

/** A scenario's text and the name to show in messages. */
export type ScenarioSource = { ok: true; fileName: string; text: string } | { ok: false; message: string };

/** The scenario at `target`: a file path, or a bundled scenario name. */
export function readScenarioSource(target: string): ScenarioSource {
  let stats;
  try {
    stats = statSync(target, { throwIfNoEntry: false });
  } catch (error) {
    return { ok: false, message: `cannot read '${target}': ${reason(error)}` };
  }
  if (stats === undefined) {
    const bundled = bundledScenario(target);
    if (bundled !== undefined) return { ok: true, fileName: `${bundled.name}.json`, text: bundled.text };
    const names = BUNDLED_SCENARIOS.map((s) => s.name).join(', ');
    return { ok: false, message: `no scenario file '${target}', and no bundled scenario of that name (bundled: ${names})` };
  }
  if (!stats.isFile()) {
    // A folder named like a bundled scenario (a class's `vmotion/` of notes) does not hide it.
    const bundled = stats.isDirectory() ? bundledScenario(target) : undefined;
    if (bundled !== undefined) return { ok: true, fileName: `${bundled.name}.json`, text: bundled.text };
    return { ok: false, message: `'${target}' is not a file` };
  }
  // UTF-8 text is at most 4 bytes per character: this rejects only files the parser would refuse anyway.
  if (stats.size > SCENARIO_TEXT_MAX * 4) return { ok: false, message: `'${target}' is ${stats.size.toLocaleString('en-US')} bytes, too large for a scenario (at most ${SCENARIO_TEXT_MAX.toLocaleString('en-US')} characters)` };
  try {
    return { ok: true, fileName: target, text: readFileSync(target, 'utf8') };
  } catch (error) {
    return { ok: false, message: `cannot read '${target}': ${reason(error)}` };
  }
}

/** A short reason from a file-system error (its code and message, never a stack). */
export function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
