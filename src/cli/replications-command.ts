/**
 * `hvsim run <scenario> --replications N [--workers W]`: the scenario run
 * with seeds s … s+N−1 (s the scenario's seed or --seed) on worker
 * threads, each figure reported as the mean with its 95 % confidence
 * interval, and the claims checked across the runs (held only at every
 * end of both intervals). A run that hits its limits or leaves requests
 * unfinished is named by its seed and makes the command exit 1.
 */
import { SEED_MAX, type Command } from './args.js';
import { loadScenario } from './commands.js';
import { StartedWorkers, workersFor } from './experiment-pool.js';
import { reportUnfinished, runWithProgress } from './experiment-runs.js';
import { complain, EXIT_BAD_INPUT, EXIT_OK, EXIT_RUN_FAILED, type CliIo } from './io.js';
import { formatJson } from './report.js';
import { formatReplicatedCsv, formatReplicatedReport, summarizeReplications } from './replicated-report.js';

/** The command `hvsim run … --replications N` is. */
type ReplicationsRun = Extract<Command, { kind: 'run' }> & { replications: number };

/** `hvsim run … --replications N`: its worker threads start first, while this thread reads the scenario (`StartedWorkers`). */
export async function replicationsCommand(io: CliIo, command: ReplicationsRun): Promise<number> {
  const started = StartedWorkers.start(Math.min(workersFor(command.workers), command.replications));
  try {
    return await replications(io, command, started);
  } finally {
    void started.close();
  }
}

async function replications(io: CliIo, command: ReplicationsRun, started: StartedWorkers): Promise<number> {
  const loaded = loadScenario(io, command.target);
  if (typeof loaded === 'number') return loaded;
  const { scenario, fileName } = loaded;
  const first = command.seed ?? scenario.seed;
  if (first + command.replications - 1 > SEED_MAX) return complain(io, `--replications ${command.replications} from seed ${first} would pass the largest seed (${SEED_MAX}); start lower with --seed`, EXIT_BAD_INPUT);
  const seeds = Array.from({ length: command.replications }, (_, i) => first + i);
  const ran = await runWithProgress(io, seeds.map((seed) => ({ scenario, seed, profile: command.profile })), { workers: command.workers, nameOf: (i) => `seed ${seeds[i]}`, what: 'runs', started });
  if (!ran.ok) return complain(io, ran.message, EXIT_RUN_FAILED);
  const summary = summarizeReplications(ran.summaries, scenario.claims);
  io.out.write(command.format === 'json' ? formatJson(summary) : command.format === 'csv' ? formatReplicatedCsv(summary) : formatReplicatedReport(summary));
  let code = EXIT_OK;
  for (const run of ran.summaries) if (reportUnfinished(io, `${fileName} seed ${run.seed}`, run, scenario)) code = EXIT_RUN_FAILED;
  if (command.checkClaims) {
    const failed = summary.claims.filter((claim) => !claim.holds);
    if (summary.claims.length === 0) io.err.write(`hvsim: warning: --check-claims: ${fileName} states no claims\n`);
    if (failed.length > 0) {
      io.err.write(`hvsim: ${failed.length} of ${summary.claims.length} claim${summary.claims.length === 1 ? '' : 's'} of ${fileName} did not hold across ${summary.replications} replications:\n`);
      for (const claim of failed) io.err.write(`  ${claim.text}\n    ${claim.detail}\n`);
      code = EXIT_RUN_FAILED;
    }
  }
  return code;
}
