/**
 * `hvsim run`: validate a scenario, run it headless, print its figures as
 * a table, JSON or CSV, and optionally export the trace. A run that hits
 * its limits, or loses a request, still prints what it measured, names on
 * stderr every request that did not complete (where it was last seen) and
 * exits 1, so no loss is silent. A claim that does not hold is
 * a finding, reported with the figures; only `--check-claims` turns it
 * into exit 1.
 */
import { existsSync, realpathSync } from 'node:fs';
import { formatNs } from '../engine/index.js';
import { actionsRefused, actionsUnfinishedMessage, hitLimits, leftUnfinished, outageAtEnd, runScenario, TraceLimitError, unfinishedMessage, type ScenarioRun } from '../scenario/index.js';
import type { Command } from './args.js';
import { loadScenario } from './commands.js';
import { complain, isReaderGone, EXIT_BAD_INPUT, EXIT_OK, EXIT_RUN_FAILED, type CliIo } from './io.js';
import { formatCsv, formatJson, formatReport, summarize } from './report.js';
import { foldWorkerEntry, runScenarioFolded, shouldFoldOnThread } from './fold-thread.js';
import { TraceFile } from './trace-file.js';

/** Stuck requests listed one per line on stderr before "and N more". */
export const STUCK_LINES = 20;

/** Whether `a` and `b` name one existing file (through links and relative paths). */
function samePath(a: string, b: string): boolean {
  try {
    return existsSync(a) && existsSync(b) && realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/** A trace file name beside a scenario's: `x.json` → `x.trace.jsonl`. */
function traceNameFor(fileName: string): string {
  return `${fileName.replace(/\.(json|ya?ml)$/i, '')}.trace.jsonl`;
}

/** `hvsim run <file|bundled-name> [options]`. */
export async function runCommand(io: CliIo, command: Extract<Command, { kind: 'run' }>, foldEntry: URL | null = foldWorkerEntry()): Promise<number> {
  const loaded = loadScenario(io, command.target);
  if (typeof loaded === 'number') return loaded;
  if (command.trace !== undefined && samePath(command.trace, command.target)) {
    return complain(io, `--trace ${command.trace}: that is the scenario being run; the trace would overwrite it. Name another file, e.g. --trace ${traceNameFor(loaded.fileName)}`, EXIT_BAD_INPUT);
  }
  const traceFile = command.trace === undefined ? undefined : TraceFile.open(command.trace);
  if (typeof traceFile === 'string') return complain(io, `cannot write the trace to '${command.trace}': ${traceFile}`, EXIT_BAD_INPUT);
  let run: ScenarioRun;
  try {
    // The figures, fingerprint and ledger are folded as records are emitted (on a
    // second thread for a big run); the records themselves are kept only for --trace, in columns.
    const overrides = { seed: command.seed, profile: command.profile };
    run =
      traceFile === undefined && shouldFoldOnThread(loaded.scenario, foldEntry, process.env, overrides)
        ? await runScenarioFolded(loaded.scenario, overrides, foldEntry!)
        : runScenario(loaded.scenario, { ...overrides, keepRecords: traceFile === undefined ? false : 'columns' });
  } catch (error) {
    traceFile?.close();
    if (error instanceof TraceLimitError) return complain(io, error.message, EXIT_RUN_FAILED);
    return complain(io, `the run failed: ${error instanceof Error ? error.message : String(error)}`, EXIT_RUN_FAILED);
  }
  if (traceFile !== undefined) {
    try {
      traceFile.write(run);
    } catch (error) {
      // A reader that stopped early (`--trace /dev/stdout | head -1`) ends the trace quietly, as
      // it ends every other output (io.ts); a full disk is said as the write that failed.
      if (!isReaderGone(error)) return complain(io, `cannot write the trace to '${command.trace}': ${error instanceof Error ? error.message : String(error)}`, EXIT_RUN_FAILED);
    }
  }
  const summary = summarize(run);
  io.out.write(command.format === 'json' ? formatJson(summary) : command.format === 'csv' ? formatCsv(summary) : formatReport(summary));
  let code = EXIT_OK;
  const limited = hitLimits(run);
  if (limited) {
    io.err.write(`hvsim: warning: ${limitWarning(run)}\n`);
    code = EXIT_RUN_FAILED;
  }
  if (leftUnfinished(run)) {
    // Every request that did not complete is named, whether the run hit a limit (said above) or lost it.
    const [headline, ...lines] = unfinishedMessage(run, STUCK_LINES, !limited);
    io.err.write(`hvsim: ${loaded.fileName}: ${headline}\n${lines.map((line) => `  ${line}\n`).join('')}`);
    code = EXIT_RUN_FAILED;
  }
  // A migration, a backup or a change of state the run cut short was not measured: said, and exit 1.
  const [undone, ...undoneLines] = actionsUnfinishedMessage(run);
  if (undone !== undefined) {
    io.err.write(`hvsim: ${loaded.fileName}: ${undone}\n${undoneLines.map((line) => `  ${line}\n`).join('')}`);
    code = EXIT_RUN_FAILED;
  }
  // An action VMMS refused when it came did nothing: said, as Hyper-V's answer (the exit code stays).
  const refused = actionsRefused(summary.figures);
  if (refused.length > 0) {
    io.err.write(`hvsim: note: ${loaded.fileName}: ${refused.length} of the scenario's actions ${refused.length === 1 ? 'was' : 'were'} refused when ${refused.length === 1 ? 'it' : 'they'} came, so did nothing:\n${refused.map((line) => `  ${line}\n`).join('')}`);
  }
  // The table says what was still down at the end in its header; JSON and CSV carry it in the figures, and stderr says it.
  if (command.format !== 'table') for (const line of outageAtEnd(summary.figures)) io.err.write(`hvsim: ${loaded.fileName}: still down: ${line}\n`);
  if (command.checkClaims) {
    const failed = run.claims.filter((claim) => !claim.holds);
    if (run.claims.length === 0) io.err.write(`hvsim: warning: --check-claims: ${loaded.fileName} states no claims\n`);
    if (failed.length > 0) {
      io.err.write(`hvsim: ${failed.length} of ${run.claims.length} claim${run.claims.length === 1 ? '' : 's'} of ${loaded.fileName} did not hold:\n`);
      for (const claim of failed) io.err.write(`  ${claim.text}\n    ${claim.detail}\n`);
      code = EXIT_RUN_FAILED;
    }
  }
  return code;
}

/** What shortens the workloads, as a limit's warning advises: a duration workload's count is only a cap, so its duration too. */
export function lowerWorkloads(timed: boolean): string {
  return timed ? "lower the workloads' count or duration" : "lower the workloads' count";
}

function limitWarning(run: ScenarioRun): string {
  const { output, config } = run;
  const done = `${output.completed.toLocaleString('en-US')} of ${run.requested.toLocaleString('en-US')} requests completed`;
  const lower = lowerWorkloads(config.workloads.some((w) => w.durationNs !== undefined));
  if (output.stop === 'maxEvents') {
    return `the run stopped after limits.maxEvents (${config.limits.maxEvents.toLocaleString('en-US')} events) with ${done}; raise limits.maxEvents or ${lower}`;
  }
  if (output.stop === 'until') {
    return `the run stopped at limits.until (${formatNs(config.limits.untilNs)}) with ${done}; raise limits.until or ${lower}`;
  }
  return `the run stopped (${output.stop}) with ${done}`;
}
