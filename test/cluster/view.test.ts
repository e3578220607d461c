/**
 * The cluster view follows a quick migration through the VM's life cycle:
 * the memory bar drains as the life cycle's save writes the memory and
 * fills as its restore reads it back, and the VM changes host after the
 * LUN move; the CSV's access mode shows while a backup redirects it.
 */
import { describe, expect, it } from 'vitest';
import { ClusterFolder } from '../../src/render/cluster-view.js';
import { bundledScenario, parseScenarioText, RecordStore, runScenario } from '../../src/scenario/index.js';

const records = (name: string) => {
  const parsed = parseScenarioText(bundledScenario(name)!.text);
  if (!parsed.ok) throw new Error(`${name} invalid`);
  return runScenario(parsed.scenario).records!;
};

describe('the cluster view of a quick migration through the life cycle', () => {
  const rs = records('live-vs-quick-migration');
  const folder = new ClusterFolder(RecordStore.of(rs));
  const at = (kind: string, nth: (i: number[]) => number): number => {
    const idx = rs.flatMap((r, i) => (r.kind === kind && (r as any).vm === 'web' ? [i] : []));
    return nth(idx) + 1;
  };

  it('drains the bar during the save and fills it during the restore, then web runs on h2', () => {
    const firstSave = at('vm.memory.saved', (i) => i[0]!);
    const midSave = at('vm.memory.saved', (i) => i[Math.floor(i.length / 2)]!);
    const s1 = structuredClone(folder.at(firstSave));
    const s2 = structuredClone(folder.at(midSave));
    const m1 = s1.migrations.find((m) => m.vm === 'web')!;
    const m2 = s2.migrations.find((m) => m.vm === 'web')!;
    expect(m1.phase).toBe('saving state');
    expect(m2.leftBytes).toBeLessThan(m1.leftBytes);
    expect(Math.abs(m2.leftBytes - m2.memoryBytes / 2)).toBeLessThan(m2.memoryBytes * 0.05);
    expect(s2.vms.find((v) => v.id === 'web')!.host).toBe('h1');
    const midRestore = structuredClone(folder.at(at('vm.memory.restored', (i) => i[Math.floor(i.length / 2)]!)));
    const m3 = midRestore.migrations.find((m) => m.vm === 'web')!;
    expect(m3.phase).toBe('restoring state');
    expect(midRestore.vms.find((v) => v.id === 'web')!.host).toBe('h2');
    const end = folder.at(rs.length);
    expect(end.migrations).toEqual([]);
    expect(end.vms.find((v) => v.id === 'web')!.state).toBe('running');
  });

  it('shows the CSV redirected while a host-level backup holds it, and direct after', () => {
    const vss = records('vss-backup');
    const f = new ClusterFolder(RecordStore.of(vss));
    const redirect = vss.findIndex((r) => r.kind === 'cluster.backup.step' && (r as any).step === 'csv-redirected');
    expect(f.at(redirect + 1).csvRedirectedBy).toEqual(['mbx']);
    expect(f.at(vss.length).csvRedirectedBy).toEqual([]);
  });
});
