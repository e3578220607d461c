/**
 * Judges a validated scenario against the support policy: every rule of
 * `exchange-rules.ts` and `host-rules.ts`, giving per VM and for the host
 * whether it is supported and each broken rule with its quotes and what
 * broke it. A VM is supported only when no rule that judges it is broken:
 * its own rules, and the host rules of its subject (every guest, or the
 * Exchange deployment). Licensing findings judge the host alone. Pure: the
 * same scenario always gives the same verdicts, and no run is needed.
 */
import type { Scenario } from '../schema.js';
import { EXCHANGE_RULES } from './exchange-rules.js';
import { exchangeClusteringOf } from '../cluster-support.js';
import { EDITIONS, exchangeRoles, exchangeVersionOf, guestOsOf, HOST_POLICY_DEFAULTS, type ExchangeRole, type ExchangeVersion } from './fields.js';
import { HOST_RULES } from './host-rules.js';
import { policyHosts } from './hosts.js';
import type { Finding, PolicyContext, PolicyQuote, PolicyRule, PolicyVm, ReliabilityTag, RuleSubject } from './rule.js';

/** Every rule, Exchange's first. */
export const POLICY_RULES: readonly PolicyRule[] = [...EXCHANGE_RULES, ...HOST_RULES];

/** A rule that is broken, with what broke it. */
export interface BrokenRule {
  rule: string;
  title: string;
  quotes: PolicyQuote[];
  reference: string;
  tag: ReliabilityTag;
  findings: Finding[];
}

/** How the policy sees a VM. */
export type VmSubject = 'exchange' | 'guest' | 'native';

/** The verdict on one VM. */
export interface VmVerdict {
  vm: string;
  subject: VmSubject;
  /** Its Exchange roles (empty when it runs no Exchange). */
  roles: ExchangeRole[];
  supported: boolean;
  /** Its own broken rules. */
  broken: BrokenRule[];
  /** Ids of broken host rules that judge it too (see `host.broken`). */
  hostRules: string[];
  /** Which rules judge it, in words. */
  note: string;
}

/** Whether a rule was broken anywhere, held everywhere it applied, or applied nowhere. */
export interface RuleStatus {
  rule: string;
  title: string;
  scope: 'vm' | 'host';
  subject: RuleSubject;
  verdict: 'broken' | 'held' | 'not-applicable';
  quotes: PolicyQuote[];
  reference: string;
  tag: ReliabilityTag;
}

/** The support policy's verdicts on a scenario (the `policy` object of `hvsim check --json` and `hvsim run --json`). */
export interface PolicyVerdicts {
  /** True when no rule is broken anywhere. */
  supported: boolean;
  /** Broken rules counted once per VM (and once for the host). */
  brokenCount: number;
  host: { edition: string; supported: boolean; broken: BrokenRule[] };
  vms: VmVerdict[];
  rules: RuleStatus[];
}

const NOTES: Record<VmSubject, string> = {
  exchange: 'judged by the Exchange rules (seed 001) and the host rules (seed 004)',
  guest: 'no Exchange role: not subject to the Exchange rules; judged by the host rules (seed 004)',
  native: 'a native host (no hypervisor): not subject to the virtualization policy',
};

/** The context the predicates read: host facts with their defaults, and each guest's policy facts. */
export function policyContext(scenario: Scenario): PolicyContext {
  const host = scenario.host;
  const guests: PolicyVm[] = scenario.vms.flatMap((vm, index) => {
    if (vm.native) return [];
    // A member of the cluster's Exchange copy group is a mailbox server of the group's version (CCR, SCC and DAG hold mailbox databases).
    const group = exchangeClusteringOf(scenario, vm.id);
    const member = group !== null && group.path.startsWith('cluster.');
    const roles = exchangeRoles(vm);
    return [
      {
        vm,
        index,
        roles: member && roles.length === 0 ? ['exchange-mailbox' as const] : roles,
        version: member ? (group.version as ExchangeVersion) : exchangeVersionOf(vm),
        guestOs: guestOsOf(vm),
        clustering: group?.kind ?? 'none',
      },
    ];
  });
  return {
    scenario,
    edition: host?.edition ?? HOST_POLICY_DEFAULTS.edition,
    cpu: host?.cpu ?? HOST_POLICY_DEFAULTS.cpu,
    rootSoftware: host?.rootSoftware ?? HOST_POLICY_DEFAULTS.rootSoftware,
    guests,
    hosts: policyHosts(scenario, guests),
  };
}

const broken = (rule: PolicyRule, findings: Finding[]): BrokenRule => ({
  rule: rule.id,
  title: rule.title,
  quotes: [...rule.quotes],
  reference: rule.reference,
  tag: rule.tag,
  findings,
});

/** Judges `scenario` against every rule of the policy. */
export function checkPolicy(scenario: Scenario, rules: readonly PolicyRule[] = POLICY_RULES): PolicyVerdicts {
  const context = policyContext(scenario);
  const hasExchange = context.guests.some((g) => g.roles.length > 0);
  const statuses = new Map<string, RuleStatus['verdict']>();
  const mark = (rule: PolicyRule, verdict: RuleStatus['verdict']): void => {
    const before = statuses.get(rule.id);
    if (before !== 'broken' && (verdict !== 'not-applicable' || before === undefined)) statuses.set(rule.id, verdict);
  };

  const hostBroken: BrokenRule[] = [];
  const hostSubject = new Map<string, RuleSubject>();
  for (const rule of rules) {
    if (rule.scope !== 'host') continue;
    if (rule.subject === 'exchange' && !hasExchange) {
      mark(rule, 'not-applicable');
      continue;
    }
    const findings = rule.check(context);
    mark(rule, findings.length > 0 ? 'broken' : 'held');
    if (findings.length > 0) {
      hostBroken.push(broken(rule, findings));
      hostSubject.set(rule.id, rule.subject);
    }
  }

  const vms: VmVerdict[] = scenario.vms.map((vm) => {
    const guest = context.guests.find((g) => g.vm === vm);
    if (guest === undefined) return { vm: vm.id, subject: 'native', roles: [], supported: true, broken: [], hostRules: [], note: NOTES.native };
    const subject: VmSubject = guest.roles.length > 0 ? 'exchange' : 'guest';
    const own: BrokenRule[] = [];
    for (const rule of rules) {
      if (rule.scope !== 'vm') continue;
      if ((rule.subject === 'exchange' && subject !== 'exchange') || (rule.appliesTo !== undefined && !rule.appliesTo(guest))) {
        mark(rule, 'not-applicable');
        continue;
      }
      const findings = rule.check(guest, context);
      mark(rule, findings.length > 0 ? 'broken' : 'held');
      if (findings.length > 0) own.push(broken(rule, findings));
    }
    const hostRules = hostBroken.filter((b) => hostSubject.get(b.rule) === 'guest' || (hostSubject.get(b.rule) === 'exchange' && subject === 'exchange')).map((b) => b.rule);
    return { vm: vm.id, subject, roles: [...guest.roles], supported: own.length === 0 && hostRules.length === 0, broken: own, hostRules, note: NOTES[subject] };
  });

  const brokenCount = hostBroken.length + vms.reduce((sum, v) => sum + v.broken.length, 0);
  return {
    supported: brokenCount === 0,
    brokenCount,
    host: { edition: EDITIONS[context.edition].name, supported: hostBroken.length === 0, broken: hostBroken },
    vms,
    rules: rules.map((rule) => ({
      rule: rule.id,
      title: rule.title,
      scope: rule.scope,
      subject: rule.subject,
      verdict: statuses.get(rule.id) ?? 'not-applicable',
      quotes: [...rule.quotes],
      reference: rule.reference,
      tag: rule.tag,
    })),
  };
}

/** The ids of every broken rule, each once (VM rules and host rules), in rule order: what a test compares. */
export function brokenRuleIds(verdicts: PolicyVerdicts): string[] {
  const ids = new Set([...verdicts.host.broken.map((b) => b.rule), ...verdicts.vms.flatMap((v) => v.broken.map((b) => b.rule))]);
  return verdicts.rules.map((r) => r.rule).filter((id) => ids.has(id));
}

/**
 * "5 rules broken, 6 times in all": the distinct rules (`brokenRuleIds`)
 * and, when a VM rule breaks on several VMs, how often in all
 * (`brokenCount`), so a count of findings is not read as a count of rules.
 */
export function brokenRulesText(verdicts: PolicyVerdicts): string {
  const rules = brokenRuleIds(verdicts).length;
  const times = verdicts.brokenCount;
  return `${rules} rule${rules === 1 ? '' : 's'} broken${times > rules ? `, ${times} times in all` : ''}`;
}
