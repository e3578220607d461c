/**
 * `hvsim check`: per VM supported or not, each broken rule with what broke
 * it and its quote; exit 1 when a rule is broken, 0 when none is, 2 on bad
 * input; `--json`; and the verdicts in `hvsim run`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hvsim, tempDir } from './helpers.js';

const COMPLIANT = join(import.meta.dirname, '..', 'scenario', 'fixtures', 'exchange-compliant.json');

describe('hvsim check', () => {
  it('exits 1 on exchange-policy and prints each broken rule with what broke it and its quote', async () => {
    const { code, out, err } = await hvsim('check', 'exchange-policy');
    expect(err).toBe('');
    expect(code).toBe(1);
    expect(out.split('\n')[0]).toBe('exchange-policy.json: NOT SUPPORTED: 5 rules broken, 6 times in all (support policy); 3 of 3 VMs not supported');
    const ruleLines = out.split('\n').filter((l) => /^\s+✗ /.test(l));
    expect(new Set(ruleLines.map((l) => l.trim().split(':')[0])).size).toBeGreaterThanOrEqual(5);
    expect(out).toContain('broken by vms[0].disks[0].backend.kind: disk \'db\' of VM \'mailbox\' is a dynamic-vhd');
    expect(out).toContain('broken by vms[2].role: VM \'um\' has the Unified Messaging role');
    expect(out).toContain('3:1, more than 2:1');
    expect(out).toContain('“Virtual disks that use differencing or delta mechanisms');
    expect(out).toMatch(/VM um \(Exchange unified-messaging\): NOT SUPPORTED/);
  });

  it('--json gives the verdicts as data', async () => {
    const { code, out } = await hvsim('check', 'exchange-policy', '--json');
    expect(code).toBe(1);
    const json = JSON.parse(out);
    expect(json.scenario).toBe('exchange-policy');
    expect(json.supported).toBe(false);
    expect(json.brokenCount).toBe(6);
    expect(json.vms.map((v: any) => [v.vm, v.supported, v.broken.map((b: any) => b.rule)])).toEqual([
      ['mailbox', false, ['exchange-storage', 'exchange-snapshots']],
      ['hub', false, ['exchange-snapshots']],
      ['um', false, ['exchange-unified-messaging']],
    ]);
    expect(json.host.broken.map((b: any) => b.rule)).toEqual(['exchange-vcpu-ratio', 'exchange-root-dedicated']);
    expect(json.rules.find((r: any) => r.rule === 'exchange-clustering').verdict).toBe('not-applicable');
  });

  it('exits 0 on a compliant deployment and says the web server is not subject to the Exchange rules', async () => {
    const { code, out } = await hvsim('check', COMPLIANT);
    expect(code).toBe(0);
    expect(out).toMatch(/: supported: every rule of the support policy holds/);
    expect(out).toContain('VM web (no Exchange role): supported');
    expect(out).toContain('not subject to the Exchange rules');
  });

  it('exits 2 on bad input, as the other verbs do', async () => {
    const dir = tempDir('check');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ version: 1, name: 'x', vms: [{ id: 'a', role: 'exchange-mail' }] }));
    const invalid = await hvsim('check', bad);
    expect(invalid.code).toBe(2);
    expect(invalid.err).toContain('vms.0.role: found "exchange-mail"');
    expect((await hvsim('check')).code).toBe(2);
    expect((await hvsim('check', 'exchange-policy', '--csv')).err).toContain("unknown option '--csv' for 'check'");
    expect((await hvsim('check', 'no-such-scenario')).code).toBe(2);
  });

  it('is in the usage text', async () => {
    expect((await hvsim('help')).out).toContain('hvsim check <file|name> [--json]');
  });
});

describe('hvsim run and the policy', () => {
  it('--json carries the verdicts as policy, and the report lists the broken rules', async () => {
    const json = JSON.parse((await hvsim('run', 'exchange-policy', '--json')).out);
    expect(json.policy.brokenCount).toBe(6);
    expect(json.claims.every((c: any) => c.holds)).toBe(true);
    const report = await hvsim('run', 'exchange-policy', '--check-claims');
    expect(report.code).toBe(0); // broken rules are findings of check, not a failed run
    expect(report.out).toContain('Support policy: not supported, 5 rules broken, 6 times in all');
    expect(report.out).toContain('  ✗ um: exchange-unified-messaging');
  });
});
