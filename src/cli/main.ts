/**
 * The `hvsim` command line: runs scenarios headless and prints or exports
 * their figures. `main` takes argv and two writable streams and returns an
 * exit code, so tests drive it in-process. It never imports render or ui.
 */
import { parseArgs } from './args.js';
import { checkCommand } from './check-command.js';
import { listCommand, schemaCommand } from './commands.js';
import { lessonCommand, lessonSchemaCommand, listLessons, validateWithLessons } from './lesson-command.js';
import { complain, EXIT_BAD_INPUT, EXIT_OK, EXIT_RUN_FAILED, hasStreams, watchedIo, type CliIo } from './io.js';
import { replicationsCommand } from './replications-command.js';
import { runCommand } from './run-command.js';
import { sweepCommand } from './sweep-command.js';

/** What the build parses to write the worker bundle's code cache (esbuild.config.mjs). */
export { bundledScenario, parseScenarioText } from '../scenario/index.js';
export { EXIT_BAD_INPUT, EXIT_OK, EXIT_RUN_FAILED, type CliIo } from './io.js';

/** The version `hvsim --version` prints. */
export const VERSION = '0.1.0';

/** The usage text (`hvsim help`). */
export const USAGE = `hvsim ${VERSION}: a Hyper-V simulator for the classroom (I/O paths, VM life, the cluster)

Usage:
  hvsim run <file|name> [options]   run a scenario file or a bundled scenario, print its figures
  hvsim sweep <file|name> --vary <field>=<v1,v2,…> [--vary …] [options]
                                    run every point of a grid over the scenario's fields (or its sweep block), print a table of the points
  hvsim validate <file|name>        check a scenario or a lesson and list every error with its line
  hvsim lesson <name|file> [--json] a lesson's trainer's sheet: each step, where it lands in the run, its question and the answer computed from the run
  hvsim check <file|name> [--json]  judge a scenario against the support policy (Exchange on Hyper-V, host and editions): per VM supported or not, each broken rule with its quote; exit 1 when one is broken
  hvsim list                        the bundled scenarios and lessons
  hvsim schema [--draft-07]         print the scenario JSON Schema (draft 2020-12, or draft-07 for YAML editors)
  hvsim schema --lesson             print the lesson file JSON Schema
  hvsim --version                   print the version
  hvsim help                        this text

Options of run:
  --json             one JSON object: run summary, per-path figures, the scenario's claims and its support-policy verdicts (policy)
  --csv              one CSV row per path (claims are in the table and --json only)
  --seed <n>         replace the scenario's seed (an integer 0..4294967295)
  --profile <name>   replace its cost profile: 2008 or modern
  --trace <file>     also write the trace as JSON Lines (a header line, then one record per line)
  --check-claims     exit 1 if a claim of the scenario does not hold (without it, that is reported, not an error)
  --replications <n> run seeds seed … seed+n−1 (n 2..1000) and report each figure as mean ± its 95 % confidence
                     interval (Student t); a claim comparing two figures holds only if it holds at both ends
                     of the interval of its per-replication difference (ratio for a factor, relative for
                     within), paired by seed; a yes/no figure's claim only if it held in every replication;
                     --json adds replications, seeds, runs[], a ci95 beside each figure and
                     figuresTrueIn: how many runs each yes/no figure was true in
  --workers <n>      worker threads for the replications (default: the number of cores)

Options of sweep:
  --vary <field>=<v1,v2,…>  a field by its path in the scenario (workloads[0].queueDepth, profile, costs.<id>,
                     host.disks[1].kind, …) and its values; repeat for a grid (first --vary slowest)
  --json | --csv     points[] with each point's values and its figures (as hvsim run gives them) | a row per point and path
  --replications <n>, --workers <n>, --seed <n>, --profile <name>: as for run, for every point

Exit codes: 0 done, 1 the run failed or hit its limits (or, with --check-claims, a claim does not hold), 2 bad input.
`;

/**
 * Runs the CLI with `argv` (without node and script). Returns the exit code.
 * A reader that closes the pipe early (`hvsim list | head -1`) ends the
 * output quietly: no stack trace, no error text, the command's own code.
 */
export async function main(argv: string[], raw: CliIo): Promise<number> {
  const io = watchedIo(raw);
  const code = await command(argv, io);
  if (hasStreams(raw)) await new Promise((resolve) => setImmediate(resolve)); // let write errors of this run arrive
  return io.failed() ? EXIT_RUN_FAILED : code;
}

async function command(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    io.err.write(`hvsim: ${parsed.message}\n\nRun 'hvsim help' for usage.\n`);
    return EXIT_BAD_INPUT;
  }
  const { command } = parsed;
  try {
    switch (command.kind) {
      case 'version':
        io.out.write(`${VERSION}\n`);
        return EXIT_OK;
      case 'help':
        io.out.write(USAGE);
        return EXIT_OK;
      case 'list':
        return listCommand(io) === EXIT_OK ? listLessons(io) : EXIT_RUN_FAILED;
      case 'validate':
        return validateWithLessons(io, command.target);
      case 'schema':
        return command.lesson === true ? lessonSchemaCommand(io) : schemaCommand(io, command.draft07);
      case 'lesson':
        return lessonCommand(io, command);
      case 'run':
        return command.replications === undefined ? await runCommand(io, command) : await replicationsCommand(io, { ...command, replications: command.replications });
      case 'sweep':
        return await sweepCommand(io, command);
      case 'check':
        return checkCommand(io, command);
    }
  } catch (error) {
    // A bug, not bad input: say what happened without a stack trace (HVSIM_DEBUG=1 shows it).
    const message = error instanceof Error ? error.message : String(error);
    if (typeof process !== 'undefined' && process.env.HVSIM_DEBUG === '1' && error instanceof Error) io.err.write(`${error.stack}\n`);
    return complain(io, `internal error: ${message}`, EXIT_RUN_FAILED);
  }
}
