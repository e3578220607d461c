/**
 * What a run left down at its end (a VM not restarted after its host
 * failed, a client still without an answer), said beside what it left
 * unfinished (`unfinished.ts`): every request ended, so these are the run's
 * outcome, not work lost. From the cluster's figures (`clients.openGapNs`,
 * `failovers`).
 */
import { formatNs } from '../engine/index.js';
import type { FigureTree, RunFigures } from '../metrics/run-figures.js';

/**
 * What was still down when the run ended, as sentences (the CLI's report
 * and the app's message bar say them): each failed host whose VMs were not
 * all restarted (`hostsDownAtEnd`), then each client with a gap still open
 * (`clientsUnansweredAtEnd`). Empty when every service came back. The run
 * itself ended well: these are its outcome, not requests lost (those are
 * `unfinishedLines`).
 */
export function outageAtEnd(figures: RunFigures): string[] {
  return [...hostsDownAtEnd(figures), ...clientsUnansweredAtEnd(figures)];
}

/** Each failed host whose VMs were not all restarted by the run's end, and why when the cluster says (quorum lost, never declared down). */
export function hostsDownAtEnd(figures: RunFigures): string[] {
  const lines: string[] = [];
  const failovers = figures['failovers'];
  if (!Array.isArray(failovers)) return lines;
  for (const f of failovers as readonly FigureTree[]) {
    const lost = Number(f['vmsLost']);
    const left = lost - Number(f['vmsRestarted']);
    if (left <= 0) continue;
    const why = f['quorumLost'] === true ? ': the cluster lost quorum' : f['by'] === '' ? ': no one declared it down' : '';
    lines.push(`host ${String(f['host'])} failed and ${lost === 1 ? 'its VM had' : `${left} of its ${lost} VMs had`} not been restarted when the run ended${why}`);
  }
  return lines;
}

/** Each client still without an answer when the run ended, and for how long. */
export function clientsUnansweredAtEnd(figures: RunFigures): string[] {
  const clients = figures['clients'];
  if (clients === undefined || Array.isArray(clients)) return [];
  const lines: string[] = [];
  for (const [id, c] of Object.entries(clients as FigureTree)) {
    const open = (c as FigureTree)['openGapNs'];
    if (typeof open === 'number') lines.push(`client ${id} had gone ${formatNs(open)} without an answer when the run ended`);
  }
  return lines;
}
