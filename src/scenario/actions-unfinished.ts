/**
 * The work of a scenario's actions that a run left undone, beside the
 * requests it left undone (`unfinished.ts`): a migration or a backup that
 * had not finished, a VM caught half-way through a change of state (saving,
 * starting, ...), and an action whose time the run never reached. A run
 * that stops at `limits.until` in the middle of a vMotion did not measure
 * the vMotion: `hvsim run` says so on stderr and exits 1, as it does for a
 * request left open (an audit found such a run ending 0 with
 * `outcome: unfinished` in its figures and nothing said).
 */
import { formatNs, type StopReason } from '../engine/index.js';
import type { FigureTree, RunFigures } from '../metrics/run-figures.js';
import type { WorldConfig } from '../model/world-config.js';

/** VM states that are a change under way, not a place to rest (a run that ends in one cut the change short). */
const CHANGING = new Set(['Starting', 'Pausing', 'Resuming', 'Saving', 'Restoring', 'Stopping', 'Snapshotting']);

/** What `actionsUnfinished` reads of a run. */
export interface ActionsRun {
  figures: RunFigures;
  config: Pick<WorldConfig, 'actions' | 'cluster'>;
  output: { stop: StopReason; endNs: number };
}

/**
 * One sentence per piece of work the run left undone (empty when its
 * actions all ended): each migration and backup whose outcome is
 * `unfinished`, each VM whose last state is a change under way, and, when
 * the run stopped at a limit, each action timed after its end.
 */
export function actionsUnfinished(run: ActionsRun): string[] {
  const lines: string[] = [];
  const { figures } = run;
  /** VMs a line already names (a migration or backup of theirs): their state says the same again. */
  const named = new Set<string>();
  for (const m of trees(figures['migrations'])) {
    if (m['outcome'] !== 'unfinished') continue;
    named.add(String(m['vm']));
    const passes = Number(m['passCount'] ?? 0);
    const where = `${String(m['method'])} migration of VM ${String(m['vm'])} from ${String(m['from'])} to ${String(m['to'])}`;
    if (m['queuedNs'] === null) lines.push(`the ${where} was still queued for a migration slot on its hosts`);
    else if (passes > 0) lines.push(`the ${where} had not finished (${passes} pass${passes === 1 ? '' : 'es'} of memory sent)`);
    else lines.push(m['method'] === 'quick' ? `the ${where} had not finished` : `the ${where} had not finished its first pass of memory`);
  }
  for (const b of trees(figures['backups'])) {
    if (b['outcome'] !== 'unfinished') continue;
    named.add(String(b['vm']));
    lines.push(`the ${String(b['type'])} backup of VM ${String(b['vm'])} (${String(b['method'])}) had not finished`);
  }
  // A VM caught in a change its own actions asked for (a save, a start, a snapshot); a restart after a host
  // failure is the cluster's, which the outage lines say (`outage.ts`).
  const asked = new Set(run.config.actions.map((a) => a.vm));
  const vms = figures['vms'];
  if (vms !== undefined && !Array.isArray(vms)) {
    for (const [id, vm] of Object.entries(vms as FigureTree)) {
      const state = (vm as FigureTree)['state'];
      if (typeof state === 'string' && CHANGING.has(state) && asked.has(id) && !named.has(id)) lines.push(`VM ${id} was still ${state} (a change of state under way)`);
    }
  }
  const { stop, endNs } = run.output;
  if (stop !== 'empty') {
    const actions = [...run.config.actions, ...(run.config.cluster?.actions ?? [])];
    for (const a of actions) {
      if (a.atNs <= endNs) continue;
      const of = 'host' in a ? ` of host ${a.host}` : ` of VM ${a.vm}`;
      lines.push(`the action '${a.do}'${of} at ${formatNs(a.atNs)} never ran`);
    }
  }
  return lines;
}

/**
 * What the run's actions left unfinished, as the CLI and the app say it: a
 * headline (how many, how the run ended, what to raise), then a line each
 * (`actionsUnfinished`); empty when the actions all ended.
 */
export function actionsUnfinishedMessage(run: ActionsRun): string[] {
  const lines = actionsUnfinished(run);
  return lines.length === 0 ? [] : [headline(run, lines.length), ...lines];
}

/** The headline before `actionsUnfinished`'s lines: how the run ended and what to change. */
function headline(run: ActionsRun, count: number): string {
  const what = `the scenario's actions left ${count} piece${count === 1 ? '' : 's'} of work unfinished`;
  switch (run.output.stop) {
    case 'until':
      return `${what}: the run stopped at limits.until (${formatNs(run.output.endNs)}); raise limits.until`;
    case 'maxEvents':
      return `${what}: the run stopped after limits.maxEvents at ${formatNs(run.output.endNs)}; raise limits.maxEvents`;
    default:
      return `${what} by the run's end at ${formatNs(run.output.endNs)}`;
  }
}

function trees(value: RunFigures[string] | undefined): readonly FigureTree[] {
  return Array.isArray(value) ? (value as readonly FigureTree[]) : [];
}

/**
 * One sentence per scenario action VMMS refused when it came (4097, as
 * Hyper-V refuses it; `vms.<vm>.refusals`): validation walks each VM's
 * settled states, so an action that arrives while another is still under
 * way (a pause during a snapshot's memory save), or one the cluster vetoes
 * (a save during a migration), passes it and does nothing in the run.
 * Hyper-V's answer, not a failed run: `hvsim run` says it on stderr and
 * keeps its exit code (an audit's run ended 0 with only
 * `refusedActions 2` among its figures to say a pause never happened).
 */
export function actionsRefused(figures: RunFigures): string[] {
  const vms = figures['vms'];
  if (vms === undefined || Array.isArray(vms)) return [];
  const lines: string[] = [];
  for (const [id, vm] of Object.entries(vms as FigureTree)) {
    for (const r of trees((vm as FigureTree)['refusals'] as RunFigures[string] | undefined)) {
      if (Number(r['index']) < 0) continue; // asked for by another part of the model (a quick migration's save), not the scenario
      lines.push(`the action '${String(r['action'])}' of VM ${id} at ${formatNs(Number(r['atNs']))} (actions[${String(r['index'])}]) was refused with ${String(r['code'])}, Invalid State Transition: ${String(r['why'])}`);
    }
  }
  return lines;
}
