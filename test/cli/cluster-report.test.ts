/**
 * `hvsim run`'s cluster summary: a row per migration, per VM a failure took
 * down, per database failover, per backup and per client, before the full
 * list of figures, each value the run's figure in its unit.
 */
import { describe, expect, it } from 'vitest';
import { formatClusterSummary } from '../../src/cli/cluster-report.js';
import { formatFigure } from '../../src/scenario/index.js';
import { hvsim } from './helpers.js';

/** The lines of `text` from the one starting with `heading` to the next blank line. */
function section(text: string, heading: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(heading));
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && l === '');
  return lines.slice(start, end < 0 ? undefined : end);
}

/** A table row's cells (split on runs of two or more spaces). */
const cells = (line: string): string[] => line.trim().split(/ {2,}/);

describe('the cluster summary of hvsim run', () => {
  it("puts each migration on a row, with its passes, total, blackout and whether it converged, before the full list", async () => {
    const json = JSON.parse((await hvsim('run', 'migration-dirty-rate', '--json')).out) as { figures: { migrations: Record<string, number | string | boolean>[] } };
    const { out, code } = await hvsim('run', 'migration-dirty-rate');
    expect(code).toBe(0);
    const table = section(out, 'Migrations:');
    expect(table).toHaveLength(2 + json.figures.migrations.length);
    expect(out.indexOf('Migrations:')).toBeLessThan(out.indexOf('Figures of the run:'));
    json.figures.migrations.forEach((m, i) => {
      const row = cells(table[2 + i]!);
      expect(row.slice(0, 3)).toEqual([m['vm'], m['method'], `${m['from']} → ${m['to']}`]);
      expect(row.slice(3, 7)).toEqual([String(m['passCount']), formatFigure('totalBytes', m['totalBytes'] as number), formatFigure('totalNs', m['totalNs'] as number), formatFigure('blackoutNs', m['blackoutNs'] as number)]);
    });
    // The writer dirties memory faster than 1 GbE carries it: ten passes, stopped at the limit, a blackout of seconds.
    expect(cells(table.find((l) => l.startsWith('writer '))!)[7]).toBe('no: stopped at 10 passes');
    expect(cells(table.find((l) => l.startsWith('idle '))!)[7]).toBe('yes');
  });

  it('lists each VM a host failure took down with where it restarted and its downtime, the DAG failover and the clients', async () => {
    const { out } = await hvsim('run', 'host-failure-ha-vs-dag');
    expect(section(out, 'Host failures').slice(2).map(cells)).toEqual([
      ['h1', '4.8 s', 'solo', 'h3', '165.8 s'],
      ['h1', '4.8 s', 'mbx1', 'h3', '165.8 s'],
    ]);
    expect(section(out, 'Database failovers:').slice(2).map(cells)).toEqual([['dag', 'mbx1 → mbx2', '4.8 s', '20 s', '24.8 s']]);
    expect(section(out, 'Clients:').slice(2).map((l) => cells(l)[0])).toEqual(['solo-user', 'dag-user']);
  });

  it('says a quick migration has no convergence, a failure whose VMs were not restarted, and nothing for a run without a cluster', () => {
    const lines = formatClusterSummary({
      migrations: [{ vm: 'web', method: 'quick', from: 'h1', to: 'h2', passCount: 0, totalBytes: 2 ** 32, totalNs: 32e9, blackoutNs: 32e9, converged: false, capped: false, outcome: 'completed' }],
      failovers: [{ host: 'h1', detectionNs: 5e9, vmsLost: 2, vmsRestarted: 0, vms: {} }],
    });
    expect(cells(lines[3]!)).toEqual(['web', 'quick', 'h1 → h2', '0', '4,096 MiB', '32 s', '32 s', '—', 'completed']);
    expect(cells(lines.at(-1)!)).toEqual(['h1', '5 s', '2 lost', 'not restarted', '—']);
    expect(formatClusterSummary({ vms: { a: { saves: 1 } } })).toEqual([]);
  });
});
