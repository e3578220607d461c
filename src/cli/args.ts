/**
 * The `hvsim` command line, parsed: argv to one command with its options,
 * or a message saying what is wrong. Pure; reads no files and prints
 * nothing, so every rule here is testable without a process.
 */
import { PROFILES, type ProfileName } from '../model/costs.js';
import { parseCheckArgs, type CheckCommand } from './check-command.js';
import { parseLessonArgs, type LessonCommand } from './lesson-args.js';
import { parseCountOption, parseSweepArgs, type SweepCommand } from './sweep-args.js';

/** A parsed command line. */
export type Command =
  /** Print the version. */
  | { kind: 'version' }
  /** Print the usage text. */
  | { kind: 'help' }
  /** List the bundled scenarios. */
  | { kind: 'list' }
  /** Check a scenario file and report its errors. */
  | { kind: 'validate'; target: string }
  /** Print the scenario JSON Schema (or, with lesson, the lesson file's). */
  | { kind: 'schema'; draft07: boolean; lesson?: boolean }
  /** Print a lesson's trainer's sheet. */
  | LessonCommand
  /** Run a scenario and print its figures (with `replications`, that many runs on `workers` threads: means and 95 % intervals). */
  | { kind: 'run'; target: string; format: 'table' | 'json' | 'csv'; seed?: number; profile?: ProfileName; trace?: string; checkClaims: boolean; replications?: number; workers?: number }
  /** Run every point of a sweep over a scenario's fields. */
  | SweepCommand
  /** Judge a scenario against the support policy. */
  | CheckCommand;

/** A command, or why the command line is not acceptable. */
export type ParsedArgs = { ok: true; command: Command } | { ok: false; message: string };

/** The largest seed (seeds are unsigned 32-bit integers). */
export const SEED_MAX = 4_294_967_295;

const bad = (message: string): ParsedArgs => ({ ok: false, message });

/** Splits `--name=value` into name and value; other words pass through. */
function splitOption(word: string): { name: string; value?: string } {
  const eq = word.indexOf('=');
  return word.startsWith('--') && eq > 0 ? { name: word.slice(0, eq), value: word.slice(eq + 1) } : { name: word };
}

/** Parses argv (without node and the script). */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const [first, ...rest] = argv;
  // `hvsim run --help` (any verb): the usage, not an unknown option.
  if (rest.includes('--help') || rest.includes('-h')) return { ok: true, command: { kind: 'help' } };
  switch (first) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return { ok: true, command: { kind: 'help' } };
    case '--version':
    case '-v':
    case 'version':
      return noArgs({ kind: 'version' }, first, rest);
    case 'list':
      return noArgs({ kind: 'list' }, first, rest);
    case 'validate':
      return parseValidate(rest);
    case 'schema':
      return parseSchema(rest);
    case 'run':
      return parseRun(rest);
    case 'lesson':
      return parseLessonArgs(rest);
    case 'sweep':
      return parseSweepArgs(rest, parseSeed);
    case 'check':
      return parseCheckArgs(rest);
    default:
      return bad(first.startsWith('-') ? `unknown option '${first}'` : `unknown command '${first}'`);
  }
}

function noArgs(command: Command, name: string, rest: readonly string[]): ParsedArgs {
  return rest.length === 0 ? { ok: true, command } : bad(`'${name}' takes no arguments, found '${rest[0]}'`);
}

function parseValidate(rest: readonly string[]): ParsedArgs {
  const positional = rest.filter((word) => !word.startsWith('-') || word === '-');
  const option = rest.find((word) => word.startsWith('-') && word !== '-');
  if (option !== undefined) return bad(`unknown option '${option}' for 'validate'`);
  if (positional.length === 0) return bad("'validate' needs a scenario file or bundled scenario name");
  if (positional.length > 1) return bad(`'validate' takes one scenario, found also '${positional[1]}'`);
  return { ok: true, command: { kind: 'validate', target: positional[0]! } };
}

function parseSchema(rest: readonly string[]): ParsedArgs {
  let draft07 = false;
  let lesson = false;
  for (const word of rest) {
    if (word === '--draft-07') draft07 = true;
    else if (word === '--lesson') lesson = true;
    else return bad(word.startsWith('-') ? `unknown option '${word}' for 'schema'` : `'schema' takes no file, found '${word}'`);
  }
  if (lesson && draft07) return bad("'--lesson' has one schema (draft 2020-12); leave out '--draft-07'");
  return { ok: true, command: { kind: 'schema', draft07, ...(lesson ? { lesson } : {}) } };
}

function parseRun(rest: readonly string[]): ParsedArgs {
  let target: string | undefined;
  let json = false;
  let csv = false;
  let seed: number | undefined;
  let profile: ProfileName | undefined;
  let trace: string | undefined;
  let checkClaims = false;
  let replications: number | undefined;
  let workers: number | undefined;
  for (let i = 0; i < rest.length; i++) {
    const { name, value: inline } = splitOption(rest[i]!);
    const takeValue = (): string | undefined => inline ?? rest[++i];
    if (name === '--json' || name === '--csv' || name === '--check-claims') {
      if (inline !== undefined) return bad(`'${name}' takes no value`);
      if (name === '--json') json = true;
      else if (name === '--csv') csv = true;
      else checkClaims = true;
    } else if (name === '--seed') {
      const parsed = parseSeed(takeValue());
      if (!parsed.ok) return parsed;
      seed = parsed.value;
    } else if (name === '--replications' || name === '--workers') {
      const count = parseCountOption(name, takeValue());
      if (!count.ok) return count;
      if (name === '--replications') replications = count.value;
      else workers = count.value;
    } else if (name === '--profile') {
      const text = takeValue();
      if (text === undefined || !(PROFILES as readonly string[]).includes(text)) {
        return bad(`--profile: found ${text === undefined ? 'nothing' : `'${text}'`}, allowed one of ${PROFILES.join(', ')}`);
      }
      profile = text as ProfileName;
    } else if (name === '--trace') {
      const text = takeValue();
      if (text === undefined || text === '') return bad("'--trace' needs a file name, e.g. --trace out.jsonl");
      // `--trace --json` is a forgotten file name, not a file called --json (`--trace=-x` still names one).
      if (inline === undefined && text.startsWith('-')) return bad(`'--trace' needs a file name, found the option '${text}'; e.g. --trace out.jsonl`);
      trace = text;
    } else if (name.startsWith('-') && name !== '-') {
      return bad(`unknown option '${name}' for 'run'`);
    } else if (target === undefined) {
      target = name;
    } else {
      return bad(`'run' takes one scenario, found also '${name}'`);
    }
  }
  if (target === undefined) return bad("'run' needs a scenario file or bundled scenario name");
  if (json && csv) return bad("choose one of '--json' and '--csv'");
  if (replications !== undefined && trace !== undefined) return bad("'--trace' writes one run's trace; leave out '--replications' (or run that seed alone with --seed)");
  if (workers !== undefined && replications === undefined) return bad("'--workers' goes with '--replications' (one run uses one thread)");
  const format = json ? 'json' : csv ? 'csv' : 'table';
  return { ok: true, command: { kind: 'run', target, format, seed, profile, trace, checkClaims, ...(replications === undefined ? {} : { replications }), ...(workers === undefined ? {} : { workers }) } };
}

/** `--seed <n>`: an integer 0..SEED_MAX, or why not. */
function parseSeed(text: string | undefined): { ok: true; value: number } | { ok: false; message: string } {
  if (text === undefined) return bad(`'--seed' needs a value: an integer 0..${SEED_MAX}`) as { ok: false; message: string };
  if (!/^[0-9]{1,10}$/.test(text) || Number(text) > SEED_MAX) return bad(`--seed: found '${text}', allowed an integer 0..${SEED_MAX}`) as { ok: false; message: string };
  return { ok: true, value: Number(text) };
}
