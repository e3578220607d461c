/**
 * The command line of experiments, parsed: `hvsim sweep <scenario>
 * --vary <field>=<v1,v2,…>…` with its options, and the `--replications`
 * and `--workers` counts `hvsim run` shares. Pure, like `args.ts`, which
 * registers it.
 */
import { PROFILES, type ProfileName } from '../model/costs.js';
import { parseVaryOption, type VaryAxis } from '../scenario/experiment/vary.js';

/** `hvsim sweep`: run every point of a grid over a scenario's fields. */
export interface SweepCommand {
  kind: 'sweep';
  target: string;
  /** The grid from `--vary` options, in order; empty: the scenario's own `sweep` block. */
  vary: VaryAxis[];
  format: 'table' | 'json' | 'csv';
  replications?: number;
  workers?: number;
  seed?: number;
  profile?: ProfileName;
}

/** The most replications one run or point may ask for. */
export const REPLICATIONS_MAX = 1000;
/** The most worker threads. */
export const WORKERS_MAX = 256;

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** `--replications <n>` (2..1000) or `--workers <n>` (1..256), or why not. */
export function parseCountOption(name: '--replications' | '--workers', text: string | undefined): Parsed<number> {
  const [min, max, why] = name === '--replications' ? [2, REPLICATIONS_MAX, ' (a confidence interval needs at least 2 runs)'] : [1, WORKERS_MAX, ''];
  if (text === undefined || !/^[0-9]{1,4}$/.test(text) || Number(text) < min || Number(text) > max) {
    return { ok: false, message: `${name}: found ${text === undefined ? 'nothing' : `'${text}'`}, allowed an integer ${min}..${max}${why}` };
  }
  return { ok: true, value: Number(text) };
}

/** Parses the words after `sweep`. */
export function parseSweepArgs(rest: readonly string[], seedOf: (text: string | undefined) => Parsed<number>): { ok: true; command: SweepCommand } | { ok: false; message: string } {
  const bad = (message: string) => ({ ok: false as const, message });
  const command: SweepCommand = { kind: 'sweep', target: '', vary: [], format: 'table' };
  let target: string | undefined;
  let json = false;
  let csv = false;
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    const eq = word.startsWith('--') ? word.indexOf('=') : -1;
    const name = eq > 0 ? word.slice(0, eq) : word;
    const inline = eq > 0 ? word.slice(eq + 1) : undefined;
    const takeValue = (): string | undefined => inline ?? rest[++i];
    if (name === '--json' || name === '--csv') {
      if (inline !== undefined) return bad(`'${name}' takes no value`);
      if (name === '--json') json = true;
      else csv = true;
    } else if (name === '--vary') {
      const text = takeValue();
      if (text === undefined) return bad("'--vary' needs <field>=<v1,v2,…>, e.g. --vary 'workloads[0].queueDepth=1,2,4'");
      const axis = parseVaryOption(text);
      if (!axis.ok) return bad(axis.message);
      command.vary.push(axis.axis);
    } else if (name === '--replications' || name === '--workers') {
      const count = parseCountOption(name, takeValue());
      if (!count.ok) return count;
      if (name === '--replications') command.replications = count.value;
      else command.workers = count.value;
    } else if (name === '--seed') {
      const seed = seedOf(takeValue());
      if (!seed.ok) return seed;
      command.seed = seed.value;
    } else if (name === '--profile') {
      const text = takeValue();
      if (text === undefined || !(PROFILES as readonly string[]).includes(text)) return bad(`--profile: found ${text === undefined ? 'nothing' : `'${text}'`}, allowed one of ${PROFILES.join(', ')}`);
      command.profile = text as ProfileName;
    } else if (name.startsWith('-') && name !== '-') {
      return bad(`unknown option '${name}' for 'sweep'`);
    } else if (target === undefined) {
      target = name;
    } else {
      return bad(`'sweep' takes one scenario, found also '${name}'`);
    }
  }
  if (target === undefined) return bad("'sweep' needs a scenario file or bundled scenario name, e.g. hvsim sweep queue-depth --vary 'workloads[3].queueDepth=1,2,4'");
  if (json && csv) return bad("choose one of '--json' and '--csv'");
  if (command.profile !== undefined && command.vary.some((axis) => axis.field === 'profile')) return bad("'--profile' sets the profile of every point; leave it out or stop varying profile");
  if (command.seed !== undefined && command.vary.some((axis) => axis.field === 'seed')) return bad("'--seed' sets the seed of every point; leave it out or stop varying seed");
  return { ok: true, command: { ...command, target, format: json ? 'json' : csv ? 'csv' : 'table' } };
}
