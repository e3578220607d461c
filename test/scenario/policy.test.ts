/**
 * The support policy (`src/scenario/policy/`): a compliant Exchange
 * deployment passes, and each single change that breaks one of seed 001's
 * or seed 004's rules is flagged by exactly that rule, naming the field;
 * VMs without an Exchange role meet only the host rules; the policy fields
 * are checked across each other with errors that name the field.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokenRuleIds, bundledScenario, checkPolicy, POLICY_RULES, type Scenario } from '../../src/scenario/index.js';
import { errorsOf, jsonText, scenarioOf } from './helpers.js';

const COMPLIANT = join(import.meta.dirname, 'fixtures', 'exchange-compliant.json');

/** The compliant deployment as data, to change one thing at a time. */
const compliant = (): any => JSON.parse(readFileSync(COMPLIANT, 'utf8'));
/** The rules `edit` of the compliant deployment breaks. */
function brokenBy(edit: (s: any) => void): string[] {
  const s = compliant();
  edit(s);
  return brokenRuleIds(checkPolicy(scenarioOf(jsonText(s))));
}
/** The same, for a change the schema of this branch cannot write yet (actions and cluster fields added by other branches). */
function brokenAfterParse(edit: (s: Scenario & Record<string, any>) => void): string[] {
  const s = scenarioOf(readFileSync(COMPLIANT, 'utf8')) as Scenario & Record<string, any>;
  edit(s);
  return brokenRuleIds(checkPolicy(s));
}

describe('support policy rules', () => {
  it('are data: unique ids, a title, quotes with sources, a reference row and a V/R/E tag', () => {
    const ids = POLICY_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of POLICY_RULES) {
      expect(rule.title.length).toBeGreaterThan(10);
      expect(rule.quotes.length).toBeGreaterThan(0);
      for (const q of rule.quotes) expect(q.text.length > 5 && q.source.length > 3).toBe(true);
      expect(rule.reference).toMatch(/row [a-f]/);
      expect(['V', 'R', 'E']).toContain(rule.tag);
    }
  });

  it('pass the compliant deployment (Exchange VMs and a web server on a dynamic VHD)', () => {
    const verdicts = checkPolicy(scenarioOf(readFileSync(COMPLIANT, 'utf8')));
    expect(brokenRuleIds(verdicts)).toEqual([]);
    expect(verdicts.supported).toBe(true);
    expect(verdicts.vms.map((v) => [v.vm, v.subject, v.supported])).toEqual([
      ['mailbox', 'exchange', true],
      ['hub', 'exchange', true],
      ['web', 'guest', true],
    ]);
    expect(verdicts.vms[2]!.note).toMatch(/not subject to the Exchange rules/);
  });

  it.each<[string, (s: any) => void, string[]]>([
    ['a dynamic VHD', (s) => (s.vms[0].disks[0].backend.kind = 'dynamic-vhd'), ['exchange-storage']],
    ['a differencing disk', (s) => Object.assign(s.vms[1].disks[0].backend, { kind: 'differencing-vhd', depth: 1 }), ['exchange-snapshots']],
    ['a snapshot action', (s) => (s.actions = [{ at: '10ms', do: 'snapshot', vm: 'mailbox', disk: 'db' }]), ['exchange-snapshots']],
    ['the Unified Messaging role', (s) => (s.vms[1].role = ['exchange-hub-transport', 'exchange-unified-messaging']), ['exchange-unified-messaging']],
    ['3:1 virtual to logical processors', (s) => Object.assign(s.vms[2], { vcpus: 4, guestOs: 'windows-server-2008-x64' }) && (s.host.logicalProcessors = 4), ['exchange-vcpu-ratio']],
    ['Exchange 2007 without SP1', (s) => (s.vms[0].exchangeVersion = '2007'), ['exchange-version']],
    ['a Windows Server 2003 guest', (s) => Object.assign(s.vms[1], { guestOs: 'windows-server-2003-sp2-x64', vcpus: 2 }), ['exchange-guest-os']],
    ['a fixed VHD of 2,040 GiB', (s) => Object.assign(s.vms[0].disks[0].backend, { sizeGiB: 2040 }) && (s.host.disks[0].sizeGiB = 4096), ['exchange-fixed-vhd-size']],
    ['SQL Server in the root', (s) => s.host.rootSoftware.push('sql-server'), ['exchange-root-dedicated']],
    ['no hardware virtualization', (s) => (s.host.cpu = { hardwareVirtualization: false }), ['host-hardware-virtualization']],
    ['no DEP', (s) => (s.host.cpu = { dep: false }), ['host-dep']],
    ['an x86 host', (s) => (s.host.cpu = { x64: false }), ['host-x64']],
    ['Standard edition with three Windows guests', (s) => (s.host.edition = 'windows-server-2008-standard'), ['edition-virtual-instances']],
    ['4 vCPUs on a Windows Server 2003 guest', (s) => (s.vms[2].vcpus = 4), ['guest-vcpus']],
  ])('flag exactly the rule %s breaks', (_, edit, expected) => {
    expect(brokenBy(edit)).toEqual(expected);
  });

  it('count 12 vCPUs on 4 LPs as 3:1 and name both fields', () => {
    const s = compliant();
    Object.assign(s.vms[2], { vcpus: 4, guestOs: 'windows-server-2008-x64' });
    s.host.logicalProcessors = 4;
    const verdicts = checkPolicy(scenarioOf(jsonText(s)));
    const ratio = verdicts.host.broken.find((b) => b.rule === 'exchange-vcpu-ratio')!;
    expect(ratio.findings[0]!.path).toBe('vms[].vcpus, host.logicalProcessors');
    expect(ratio.findings[0]!.found).toContain('12 virtual processors (mailbox 4, hub 4, web 4) on 4 logical processors: 3:1');
    // The host rule of the Exchange deployment makes the Exchange VMs unsupported, not the web server.
    expect(verdicts.vms.map((v) => v.supported)).toEqual([false, false, true]);
  });

  it('hold every host to the platform\'s 8:1 virtual to logical processors, Exchange or not: 9:1 is flagged, 8:1 is not', () => {
    const ratioOf = (lps: number): string[] => {
      const s = compliant();
      // Three Exchange-free guests (the rule judges every guest), 4 + 4 + 4 = 12 VPs.
      for (const vm of s.vms) {
        delete vm.role;
        delete vm.exchangeVersion;
        delete vm.exchangeClustering;
        Object.assign(vm, { vcpus: 4, guestOs: 'windows-server-2008-x64' });
      }
      s.host.logicalProcessors = lps;
      const verdicts = checkPolicy(scenarioOf(jsonText(s)));
      return verdicts.host.broken.filter((b) => b.rule === 'platform-vp-lp-ratio').map((b) => b.findings[0]!.found);
    };
    expect(ratioOf(2)).toEqual([]); // 6:1
    expect(ratioOf(1)).toEqual(['12 virtual processors on 1 logical processor: 12:1, more than 8:1 (at most 8)']);
  });

  it('judge a VM without an Exchange role by the host rules only', () => {
    expect(brokenBy((s) => (s.vms[2].disks[0].backend.kind = 'differencing-vhd'))).toEqual([]);
    expect(brokenBy((s) => (s.actions = [{ at: '1ms', do: 'snapshot', vm: 'web', disk: 'data' }]))).toEqual([]);
  });

  it('name the field that breaks a rule', () => {
    const s = compliant();
    s.vms[0].disks[1] = { id: 'logs', controller: 'scsi', backend: { kind: 'dynamic-vhd', disk: 'hdd-logs' } };
    const mailbox = checkPolicy(scenarioOf(jsonText(s))).vms[0]!;
    expect(mailbox.broken[0]!.findings).toEqual([{ path: 'vms[0].disks[1].backend.kind', found: "disk 'logs' of VM 'mailbox' is a dynamic-vhd (dynamically expanding)" }]);
  });

  describe('clustering (seed 001 R10; Exchange 2010 SP1)', () => {
    it('flag CCR with a migration action, by the action name', () => {
      expect(brokenAfterParse((s) => s.actions.push({ at: '1s', do: 'quick-migrate', vm: 'mailbox' } as any))).toEqual(['exchange-clustering']);
      expect(brokenAfterParse((s) => s.actions.push({ at: '1s', do: 'live-migrate', vm: 'mailbox' } as any))).toEqual(['exchange-clustering']);
      expect(brokenAfterParse((s) => s.actions.push({ at: '1s', do: 'live-migrate', vm: 'hub' } as any))).toEqual([]);
    });

    it('flag the two nodes of a CCR on one physical host (row f.2: CCR nodes on separate physical hosts), not a node whose partner is elsewhere', () => {
      // The compliant mailbox is a CCR node whose partner is not on this host: supported.
      expect(brokenBy(() => undefined)).toEqual([]);
      const pair = (s: any): void => {
        s.vms.push({ ...structuredClone(s.vms[0]), id: 'mailbox-2', disks: [] });
      };
      expect(brokenBy(pair)).toEqual(['exchange-ccr-separate-hosts']);
      const verdicts = checkPolicy(scenarioOf(jsonText((() => { const s = compliant(); pair(s); return s; })())));
      const finding = verdicts.vms.find((v) => v.vm === 'mailbox')!.broken[0]!.findings[0]!;
      expect(finding.path).toBe('vms[0].exchangeClustering');
      expect(finding.found).toContain("VM 'mailbox' and VM 'mailbox-2', CCR nodes, run on the same physical host");
    });

    it('flag CCR on clustered hosts (the cluster block: its HA restarts the VM after a host failure)', () => {
      const clustered = compliant() as any;
      clustered.cluster = { hosts: [{ id: 'a' }, { id: 'b' }] };
      const verdicts = checkPolicy(scenarioOf(jsonText(clustered)));
      expect(brokenRuleIds(verdicts)).toEqual(['exchange-clustering']);
      expect(verdicts.vms[0]!.broken[0]!.findings[0]!.path).toBe('cluster');
      // the same hosts, not clustered: nothing to flag
      expect(brokenRuleIds(checkPolicy(scenarioOf(jsonText(compliant()))))).toEqual([]);
    });

    it('let a 2010 SP1 DAG member live-migrate, but not save its state', () => {
      const dag = (s: any): void => {
        Object.assign(s.vms[0], { exchangeVersion: '2010-sp1', exchangeClustering: 'dag' });
      };
      expect(brokenAfterParse((s) => {
        dag(s);
        s.actions.push({ at: '1s', do: 'live-migrate', vm: 'mailbox' } as any);
      })).toEqual([]);
      const clustered = compliant() as any;
      dag(clustered);
      clustered.cluster = { hosts: [{ id: 'a' }, { id: 'b' }] };
      expect(brokenRuleIds(checkPolicy(scenarioOf(jsonText(clustered))))).toEqual([]);
      expect(brokenAfterParse((s) => {
        dag(s);
        s.actions.push({ at: '1s', do: 'quick-migrate', vm: 'mailbox' } as any);
      })).toEqual(['exchange-clustering']);
      expect(brokenAfterParse((s) => {
        dag(s);
        s.actions.push({ at: '1s', do: 'save', vm: 'mailbox' } as any);
      })).toEqual(['exchange-clustering']);
    });

    it('flag migration on Standard edition, which has no failover clustering', () => {
      expect(
        brokenAfterParse((s) => {
          s.host!.edition = 'windows-server-2008-standard';
          s.vms.pop();
          s.vms.pop();
          s.vms[0]!.exchangeClustering = 'none';
          s.actions.push({ at: '1s', do: 'live-migrate', vm: 'mailbox' } as any);
        }),
      ).toEqual(['edition-failover-clustering']);
    });
  });

  it('count the 2:1 ratio per physical host when the scenario lists several (hosts[], vms[].host)', () => {
    const spread = (s: any, on: string[]): void => {
      s.hosts = [{ id: 'a', logicalProcessors: 4 }, { id: 'b', logicalProcessors: 4 }];
      Object.assign(s.vms[2], { vcpus: 4, guestOs: 'windows-server-2008-x64' });
      s.vms.forEach((vm: any, i: number) => (vm.host = on[i]));
    };
    expect(brokenAfterParse((s) => spread(s, ['a', 'a', 'b']))).toEqual([]); // 8 on 4, 4 on 4
    const s = scenarioOf(readFileSync(COMPLIANT, 'utf8')) as any;
    spread(s, ['a', 'a', 'a']);
    const ratio = checkPolicy(s).host.broken.find((b) => b.rule === 'exchange-vcpu-ratio')!;
    expect(ratio.findings).toEqual([{ path: 'vms[].vcpus, hosts[0].logicalProcessors', found: "12 virtual processors (mailbox 4, hub 4, web 4) on 4 logical processors of host 'a': 3:1, more than 2:1 (at most 8)" }]);
  });

  it('treat the 2010 SP1 Unified Messaging role by its own rule: four vCPUs, no oversubscription', () => {
    const um = (s: any, vcpus: number): void => {
      s.vms[1].role = 'exchange-unified-messaging';
      Object.assign(s.vms[1], { exchangeVersion: '2010-sp1', vcpus });
    };
    expect(brokenBy((s) => {
      um(s, 4);
      s.host.logicalProcessors = 10;
    })).toEqual([]); // 10 vCPUs on 10 LPs
    expect(brokenBy((s) => {
      um(s, 2);
      s.host.logicalProcessors = 10;
    })).toEqual(['exchange-2010-sp1-unified-messaging']);
    expect(brokenBy((s) => um(s, 4))).toEqual(['exchange-2010-sp1-unified-messaging']); // 10 vCPUs on 8 LPs: oversubscribed
  });

  it('leave native hosts out of the policy', () => {
    const verdicts = checkPolicy(scenarioOf(bundledScenario('passthrough-vs-native')!.text));
    expect(verdicts.vms.find((v) => v.subject === 'native')?.supported).toBe(true);
  });

  it('break at least four rules in exchange-policy, every one flagged with a quote', () => {
    const verdicts = checkPolicy(scenarioOf(bundledScenario('exchange-policy')!.text));
    const ids = brokenRuleIds(verdicts);
    expect(ids).toEqual(['exchange-unified-messaging', 'exchange-storage', 'exchange-snapshots', 'exchange-vcpu-ratio', 'exchange-root-dedicated']);
    for (const b of [...verdicts.host.broken, ...verdicts.vms.flatMap((v) => v.broken)]) {
      expect(b.quotes.length).toBeGreaterThan(0);
      expect(b.findings.length).toBeGreaterThan(0);
    }
    expect(verdicts.vms.every((v) => !v.supported)).toBe(true);
  });

  it('change no existing bundled scenario into a broken one', () => {
    for (const name of ['emulated-vs-synthetic', 'queue-depth', 'vhd-types', 'shared-hba', 'db-log-spindles']) {
      expect(brokenRuleIds(checkPolicy(scenarioOf(bundledScenario(name)!.text))), name).toEqual([]);
    }
  });
});

describe('policy fields', () => {
  const withVm = (vm: Record<string, unknown>): string =>
    jsonText({ version: 1, name: 'f', host: { disks: [{ id: 'd1', kind: 'hdd' }] }, vms: [{ id: 'vm1', ...vm }] });
  const messages = (text: string): string[] => errorsOf(text).map((e) => `${e.path}: ${e.message}`);

  it('accept a role or a list of roles, and default to none', () => {
    expect(scenarioOf(withVm({ role: 'exchange-edge' })).vms[0]!.role).toEqual(['exchange-edge']);
    expect(scenarioOf(withVm({})).vms[0]!.role).toEqual(['none']);
  });

  it('refuse a misspelt role, naming what is allowed', () => {
    expect(messages(withVm({ role: 'exchange-mailbx' })).join('\n')).toMatch(/vms\.0\.role.*\(did you mean 'exchange-mailbox'\?\)$/s);
  });

  it('refuse Exchange on Linux, a DAG on Exchange 2007, clustering without the mailbox role, and a guestOs that contradicts os', () => {
    expect(messages(withVm({ os: 'linux', role: 'exchange-mailbox' })).join('\n')).toContain('Exchange Server runs on Windows');
    expect(messages(withVm({ role: 'exchange-mailbox', exchangeClustering: 'dag' })).join('\n')).toContain("'dag' with Exchange 2007-sp1");
    expect(messages(withVm({ role: 'exchange-hub-transport', exchangeClustering: 'ccr' })).join('\n')).toContain('without the mailbox role');
    expect(messages(withVm({ os: 'windows', guestOs: 'linux' })).join('\n')).toContain("'linux' on a VM whose os is windows");
    expect(messages(withVm({ exchangeVersion: '2010' })).join('\n')).toContain('no Exchange role');
  });

  it('refuse an unknown host edition', () => {
    const text = jsonText({ version: 1, name: 'f', host: { edition: 'windows-server-2008-web', disks: [{ id: 'd1', kind: 'hdd' }] }, vms: [{ id: 'vm1' }] });
    expect(messages(text).join('\n')).toMatch(/host\.edition.*'windows-server-2008-datacenter'/s);
  });
});
