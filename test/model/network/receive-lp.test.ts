/**
 * Without VMQ or RSS the root takes every frame from the wire on one
 * processor (cost `nic_receive_one_lp`, default 1 in both profiles: LP 0):
 * the NIC's interrupt, its DPC, the switch and netvsp's copy run there, the
 * guest's part on its own VP's LP, the legacy card's worker process on its
 * VM's LP. Three VMs receiving full frames at 10 Gb/s then find that one
 * core, not the wire, sets the rate (about 4.7 Gb/s here with the NIC's
 * interrupts moderated, 3.3 with one per frame; 3-4 Gb/s of a 10 Gb/s card
 * in practice), and the NIC's ring overflows; with the frames taken on
 * each VM's own LP (0, as a queue per VM would place them) none is lost.
 */
import { describe, expect, it } from 'vitest';
import { RECEIVE_LP } from '../../../src/model/network/vswitch.js';
import { parseScenarioText, runScenario, type ScenarioRun } from '../../../src/scenario/index.js';

function receive(oneLp: 0 | 1, opts: { profile?: '2008' | 'modern'; vms?: number; pps?: number; count?: number; kind?: 'synthetic' | 'legacy' } = {}): ScenarioRun {
  const vms = Array.from({ length: opts.vms ?? 1 }, (_, i) => ({ id: `vm${i}`, nics: [{ id: 'net', kind: opts.kind ?? 'synthetic' }] }));
  const text = JSON.stringify({
    version: 1,
    name: 'receive-lp',
    seed: 1,
    profile: opts.profile ?? '2008',
    costs: { nic_receive_one_lp: oneLp },
    host: { logicalProcessors: 4, disks: [{ id: 'd', kind: 'hdd' }] },
    vms,
    traffic: vms.map((vm) => ({ vm: vm.id, nic: 'net', direction: 'receive', count: opts.count ?? 5, packetsPerSecond: opts.pps ?? 1000, bytes: 1514 })),
  });
  const parsed = parseScenarioText(text, 'receive-lp.json');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return runScenario(parsed.scenario);
}

/** The LPs each charge of a stream's records ran on. */
function lpsOf(run: ScenarioRun, stream: string, charge: string, place?: RegExp): Set<number> {
  return new Set(run.records.filter((r) => r.stream === stream && r.charge === charge && (place === undefined || place.test(r.place))).map((r) => r.lp));
}

describe('receive work on one LP (no VMQ, no RSS)', () => {
  it("takes the interrupt, the DPC, the switch and netvsp's copy on LP 0; the guest's part on its VM's LP", () => {
    const run = receive(1);
    const stream = 'vm0/net/nic-synthetic';
    // The DPC's own work; the guest's receive completion comes back through the channel, handled on the VM's LP as every channel's host side is.
    const dpc = /^root\.(nic-miniport|vmswitch|netvsp)$/;
    const dpcKinds = (r: ScenarioRun): Set<number> =>
      new Set(r.records.filter((x) => x.stream === stream && x.charge === 'root' && dpc.test(x.place) && x.kind !== 'netvsp.range.freed').map((x) => x.lp));
    expect(dpcKinds(run)).toEqual(new Set([RECEIVE_LP]));
    // The physical interrupt, into the root's VP of LP 0 (the guest's own exits stay on its LP).
    expect(new Set(run.records.filter((x) => x.stream === stream && x.kind === 'hv.interrupt.injected' && x.place === 'hv').map((x) => x.lp))).toEqual(new Set([RECEIVE_LP]));
    expect(lpsOf(run, stream, 'guest')).toEqual(new Set([1]));
    const moved = receive(0);
    expect(dpcKinds(moved)).toEqual(new Set([1]));
  });

  it("runs the legacy card's worker process on its VM's LP, after the switch's copy on LP 0", () => {
    const run = receive(1, { kind: 'legacy' });
    const stream = 'vm0/net/nic-legacy';
    expect(lpsOf(run, stream, 'root', /^root\.(nic-miniport|vmswitch)$/)).toEqual(new Set([RECEIVE_LP]));
    expect(lpsOf(run, stream, 'root', /^root\.vmwp\./)).toEqual(new Set([1]));
  });

  it('makes one core the limit at 10 Gb/s: three VMs offered 200,000 full frames/s each lose frames on one LP, none on their own', () => {
    const one = receive(1, { profile: 'modern', vms: 3, pps: 200_000, count: 4000 });
    const own = receive(0, { profile: 'modern', vms: 3, pps: 200_000, count: 4000 });
    expect(own.output.dropped).toBe(0);
    expect(own.output.completed).toBe(12_000);
    expect(one.output.completed).toBe(12_000); // every frame ends, delivered or dropped
    expect(one.output.dropped).toBeGreaterThan(3000);
    // What got through on one core: about 4.7 Gb/s of the 10 (the wire carried 7.3 Gb/s offered).
    const delivered = one.paths.reduce((n, p) => n + p.requests, 0);
    const gbps = (delivered * 1514 * 8) / one.output.endNs;
    expect(gbps).toBeGreaterThan(2);
    expect(gbps).toBeLessThan(5);
  });
});
