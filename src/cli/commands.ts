/**
 * The small commands: `list` (the bundled scenarios with their summary
 * line), `validate` (check a file, print its errors) and `schema` (print
 * the scenario JSON Schema). `run` has its own module.
 */
import { formatNs } from '../engine/index.js';
import { BUNDLED_SCENARIOS, durationNs, formatErrors, parseScenarioData, parseScenarioText, scenarioJsonSchemaText, WORKLOAD_MAX_COUNT, type Scenario } from '../scenario/index.js';
import { complain, EXIT_BAD_INPUT, EXIT_OK, type CliIo } from './io.js';
import { readScenarioSource } from './source.js';
import { makePoints, writePointErrors } from './sweep-command.js';

/** The first line of a scenario's description, or '' if it has none. */
export function summaryLine(scenario: Pick<Scenario, 'description'>): string {
  return (scenario.description ?? '').split('\n')[0]!.trim();
}

/** `hvsim list`. */
export function listCommand(io: CliIo): number {
  const width = Math.max(...BUNDLED_SCENARIOS.map((s) => s.name.length));
  for (const bundled of BUNDLED_SCENARIOS) {
    const parsed = parseScenarioText(bundled.text, `${bundled.name}.json`);
    const summary = parsed.ok ? summaryLine(parsed.scenario) : '(invalid: run hvsim validate on it)';
    io.out.write(`${bundled.name.padEnd(width)}  ${summary}\n`);
  }
  return EXIT_OK;
}

/**
 * Reads and validates `target`; prints its errors to stderr when it is not
 * valid. With the scenario comes its data as read, before validation, from
 * which a sweep makes its points (`makePoints`).
 */
export function loadScenario(io: CliIo, target: string): { scenario: Scenario; fileName: string; data: unknown } | number {
  const source = readScenarioSource(target);
  if (!source.ok) return complain(io, source.message);
  const parsed = parseScenarioData(source.text);
  if (!parsed.ok) {
    const count = parsed.errors.length;
    io.err.write(`hvsim: ${source.fileName} is not a valid scenario (${count} error${count === 1 ? '' : 's'}):\n`);
    for (const line of formatErrors(parsed.errors, source.fileName)) io.err.write(`  ${line}\n`);
    return EXIT_BAD_INPUT;
  }
  return { scenario: parsed.scenario, fileName: source.fileName, data: parsed.data };
}

/** `hvsim validate <file>`. */
export function validateCommand(io: CliIo, target: string): number {
  const loaded = loadScenario(io, target);
  if (typeof loaded === 'number') return loaded;
  const { scenario, fileName, data } = loaded;
  const requests = scenario.workloads.reduce((sum, w) => sum + (w.duration === undefined ? w.count : 0), 0);
  const timed = scenario.workloads.flatMap((w) => (w.duration === undefined ? [] : [timedWords(w.duration, w.count)]));
  const forTime = `${timed.length === 1 ? 'one' : timed.length} for ${timed.length > 1 && timed.every((t) => t === timed[0]) ? `${timed[0]} each` : listWords(timed)}`;
  const issuing = timed.length === 0 ? plural(requests, 'request') : requests === 0 ? forTime : `${plural(requests, 'request')} and ${forTime}`;
  // A sweep block's points are scenarios too: each is checked as hvsim sweep would make it.
  const points = scenario.sweep?.vary === undefined ? [] : makePoints(data, scenario.sweep.vary);
  const bad = points.filter((p) => !p.ok).length;
  if (bad > 0) {
    io.err.write(`hvsim: ${fileName}: ${bad} of ${points.length} points of its sweep block are not valid scenarios:\n`);
    writePointErrors(io, points);
    return EXIT_BAD_INPUT;
  }
  const sweep = points.length === 0 ? '' : `; a sweep of ${points.length} point${points.length === 1 ? '' : 's'}`;
  // What else it runs, when it has any: packets through NICs, a cluster and its timed actions.
  const packets = scenario.traffic.reduce((sum, t) => sum + t.count, 0);
  const traffic = scenario.traffic.length === 0 ? '' : `, ${plural(scenario.traffic.length, 'traffic stream')} of ${plural(packets, 'packet')}`;
  const cluster = scenario.cluster === undefined ? '' : `, a cluster of ${plural(scenario.cluster.hosts.length, 'host')}`;
  const actions = scenario.actions.length === 0 ? '' : `, ${plural(scenario.actions.length, 'timed action')}`;
  io.out.write(
    `${fileName}: valid scenario '${scenario.name}': ${plural(scenario.vms.length, 'VM')}, ${plural(scenario.workloads.length, 'workload')}, ${issuing}` +
      `${traffic}${cluster}${actions}${sweep}\n`,
  );
  return EXIT_OK;
}

/**
 * A duration workload in words: how long it issues, as durations are shown everywhere ('5 ms', not '5000000 ns'),
 * and its count when the file caps it below the default (a duration workload's count is only a cap).
 */
function timedWords(duration: number | string, count: number): string {
  const ns = durationNs(duration);
  const time = ns.ok ? formatNs(ns.value) : String(duration);
  return count < WORKLOAD_MAX_COUNT ? `${time} (at most ${plural(count, 'request')})` : time;
}

/** 'a', 'a and b', 'a, b and c'. */
function listWords(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** `hvsim schema [--draft-07]`. */
export function schemaCommand(io: CliIo, draft07: boolean): number {
  io.out.write(scenarioJsonSchemaText(draft07 ? 'draft-07' : 'draft-2020-12'));
  return EXIT_OK;
}

/** `n thing` or `n things`, n with thousands separators. */
function plural(n: number, thing: string): string {
  return `${n.toLocaleString('en-US')} ${thing}${n === 1 ? '' : 's'}`;
}
