/**
 * The scenario fields the support policy reads (`vms[].role`,
 * `exchangeVersion`, `exchangeClustering`, `guestOs`; `host.edition`,
 * `host.cpu`, `host.rootSoftware`): their values and facts, and the checks
 * across them (`checkPolicyFields`, called by `references.ts`); the zod
 * pieces `schema.ts` spreads into its VM and host objects are in
 * `fields-schema.ts`, so a run (which checks the policy) loads no zod. The model never reads these fields: they
 * describe the deployment the rules judge, so adding them to a scenario
 * changes no run and no fingerprint. The rules themselves are in `rules.ts`.
 */
import { closest } from '../errors.js';
import type { ReferenceIssue } from '../references.js';
import type { Scenario } from '../schema.js';

export const oneOf = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');
/** " (did you mean 'x'?)" for a misspelt value, else nothing. */
export const guess = (input: unknown, values: readonly string[]): string => {
  const near = typeof input === 'string' ? closest(input, values) : undefined;
  return near === undefined ? '' : ` (did you mean '${near}'?)`;
};
/**
 * The Exchange Server 2007 roles (seed 001 names Unified Messaging as the
 * one role not supported virtualised), and `none` for a VM running no
 * Exchange. Exchange 2010 has the same five roles.
 */
export const EXCHANGE_ROLES = ['exchange-mailbox', 'exchange-hub-transport', 'exchange-client-access', 'exchange-edge', 'exchange-unified-messaging'] as const;
export type ExchangeRole = (typeof EXCHANGE_ROLES)[number];
export const VM_ROLES = ['none', ...EXCHANGE_ROLES] as const;
export type VmRole = (typeof VM_ROLES)[number];

/** Exchange versions: the 2007 rules (seed 001) need SP1; Exchange 2010 SP1 changed the clustering and UM rules (reference row d.2, a.2). */
export const EXCHANGE_VERSIONS = ['2007', '2007-sp1', '2010', '2010-sp1'] as const;
export type ExchangeVersion = (typeof EXCHANGE_VERSIONS)[number];

/** Exchange's own clustering: CCR and SCC (Exchange 2007), DAG (Exchange 2010). */
export const EXCHANGE_CLUSTERING = ['none', 'ccr', 'scc', 'dag'] as const;
export type ExchangeClustering = (typeof EXCHANGE_CLUSTERING)[number];

/** The guest operating systems the rules tell apart (seed 001: Exchange on Windows Server 2008; seed 004 / row a.2: vCPUs per guest OS). */
export const GUEST_OSES = [
  'windows-server-2008-x64',
  'windows-server-2008-x86',
  'windows-server-2008-r2-x64',
  'windows-server-2003-sp2-x64',
  'windows-server-2003-sp2-x86',
  'windows-2000-server',
  'linux',
  'other',
] as const;
export type GuestOs = (typeof GUEST_OSES)[number];

/**
 * The most virtual processors Hyper-V on Windows Server 2008 (R2) gives a
 * guest of each OS: "up to four virtual processors in certain supported
 * operating systems" (seed 004); Windows Server 2008: 4, Windows Server
 * 2003 SP2: 2, Windows 2000: 1 (reference row a.2, V, a study-guide table;
 * row a.3). Linux with the integration components: 4 (R); other: 4, the
 * Hyper-V ceiling the schema already enforces (E: an OS the rules do not
 * list is not held to a per-OS limit the reference does not give).
 */
export const GUEST_VCPUS_MAX: Readonly<Record<GuestOs, number>> = {
  'windows-server-2008-x64': 4,
  'windows-server-2008-x86': 4,
  'windows-server-2008-r2-x64': 4,
  'windows-server-2003-sp2-x64': 2,
  'windows-server-2003-sp2-x86': 2,
  'windows-2000-server': 1,
  linux: 4,
  other: 4,
};

/** The host's Windows edition (seed 004, table 1.1), by id. */
export const HOST_EDITIONS = ['windows-server-2008-standard', 'windows-server-2008-enterprise', 'windows-server-2008-datacenter', 'hyper-v-server-2008'] as const;
export type HostEdition = (typeof HOST_EDITIONS)[number];

/** What an edition allows: its virtual image use rights and whether it has failover clustering. */
export interface EditionFacts {
  /** The name as Microsoft writes it. */
  readonly name: string;
  /** Windows guests one licence of the edition covers (table 1.1): null for unlimited. */
  readonly virtualInstances: number | null;
  /** The editions a covered guest may run (table 1.1). */
  readonly guestEditions: string;
  /** Whether the edition includes failover clustering (quick and live migration, HA need it; seed 004). */
  readonly failoverClustering: boolean;
}

/**
 * Seed 004, table 1.1 (reference row f.1, V): Standard 1 (Standard),
 * Enterprise 4 (Enterprise or Standard), Datacenter unlimited (Datacenter,
 * Enterprise or Standard); "Windows Server 2008 Standard doesn't include
 * the failover clustering functionality required for quick migration"
 * (row c.1, V). Hyper-V Server 2008 grants no virtual instance (every
 * Windows guest brings its own licence: the brief's 0, R) and has no
 * failover clustering (its R2 release added it, row c.1, R).
 */
export const EDITIONS: Readonly<Record<HostEdition, EditionFacts>> = {
  'windows-server-2008-standard': { name: 'Windows Server 2008 Standard', virtualInstances: 1, guestEditions: 'Standard', failoverClustering: false },
  'windows-server-2008-enterprise': { name: 'Windows Server 2008 Enterprise', virtualInstances: 4, guestEditions: 'Enterprise or Standard', failoverClustering: true },
  'windows-server-2008-datacenter': { name: 'Windows Server 2008 Datacenter', virtualInstances: null, guestEditions: 'Datacenter, Enterprise or Standard', failoverClustering: true },
  'hyper-v-server-2008': { name: 'Microsoft Hyper-V Server 2008', virtualInstances: 0, guestEditions: 'none (each Windows guest needs its own licence)', failoverClustering: false },
};

/** Software in the root (parent) partition: only management software may share it with Exchange guests (seed 001 R9, seed 000). */
export const ROOT_SOFTWARE = ['management', 'antivirus', 'backup', 'exchange', 'sql-server', 'file-server', 'web-server', 'other-server-application'] as const;
export type RootSoftware = (typeof ROOT_SOFTWARE)[number];
/** The kinds seed 001 allows beside Exchange guests: "management software (for example, antivirus software, backup software, virtual machine management software)" as the reference summarises R9. */
export const ROOT_MANAGEMENT: readonly RootSoftware[] = ['management', 'antivirus', 'backup'];

/** The defaults, for a scenario without a host block (the schema fills them in when there is one). */
export const HOST_POLICY_DEFAULTS = {
  edition: 'windows-server-2008-datacenter' as HostEdition,
  cpu: { x64: true, hardwareVirtualization: true, dep: true },
  rootSoftware: [] as RootSoftware[],
};

/** The guest OS of `vm`: its guestOs, or the default for its os. */
export function guestOsOf(vm: { os: string; guestOs?: GuestOs | undefined }): GuestOs {
  if (vm.guestOs !== undefined) return vm.guestOs;
  return vm.os === 'windows' ? 'windows-server-2008-x64' : vm.os === 'linux' ? 'linux' : 'other';
}

/** The Exchange roles of `vm` (empty when it runs no Exchange). */
export function exchangeRoles(vm: { role: readonly VmRole[] }): ExchangeRole[] {
  return vm.role.filter((r): r is ExchangeRole => r !== 'none');
}

/** The Exchange version of a VM with a role (2007 SP1 when not given). */
export function exchangeVersionOf(vm: { exchangeVersion?: ExchangeVersion | undefined }): ExchangeVersion {
  return vm.exchangeVersion ?? '2007-sp1';
}

/** Cross-field checks of the policy fields: a role that fits the OS and the other fields, clustering that fits the version. */
export function checkPolicyFields(scenario: Scenario): ReferenceIssue[] {
  const issues: ReferenceIssue[] = [];
  scenario.vms.forEach((vm, v) => {
    const at = (field: string): (string | number)[] => ['vms', v, field];
    const roles = exchangeRoles(vm);
    if (vm.role.includes('none') && roles.length > 0) issues.push({ path: at('role'), found: JSON.stringify(vm.role), allowed: "either 'none' or Exchange roles, not both" });
    if (vm.guestOs !== undefined) {
      const windows = vm.guestOs.startsWith('windows');
      if ((vm.os === 'windows' && !windows) || (vm.os === 'linux' && vm.guestOs !== 'linux' && vm.guestOs !== 'other')) {
        issues.push({ path: at('guestOs'), found: `'${vm.guestOs}' on a VM whose os is ${vm.os}`, allowed: vm.os === 'windows' ? 'a Windows guest OS (windows-…)' : "'linux' or 'other'" });
      }
    }
    if (roles.length > 0) {
      if (vm.os === 'linux' || guestOsOf(vm) === 'linux') issues.push({ path: at('role'), found: `${JSON.stringify(vm.role)} on a Linux guest`, allowed: "'none': Exchange Server runs on Windows" });
      if (vm.native) issues.push({ path: at('role'), found: `${JSON.stringify(vm.role)} on a native host`, allowed: "'none': the support policy judges Exchange in VMs; a native host is the bare-metal baseline" });
    } else {
      if (vm.exchangeVersion !== undefined) issues.push({ path: at('exchangeVersion'), found: `'${vm.exchangeVersion}' on a VM with no Exchange role`, allowed: 'no exchangeVersion, or an Exchange role in role' });
      if (vm.exchangeClustering !== 'none') issues.push({ path: at('exchangeClustering'), found: `'${vm.exchangeClustering}' on a VM with no Exchange role`, allowed: "'none', or an Exchange mailbox role in role" });
      return;
    }
    if (vm.exchangeClustering === 'none') return;
    if (!roles.includes('exchange-mailbox')) issues.push({ path: at('exchangeClustering'), found: `'${vm.exchangeClustering}' on a VM without the mailbox role`, allowed: "'none': CCR, SCC and DAG cluster mailbox servers (add exchange-mailbox to role)" });
    const is2010 = exchangeVersionOf(vm).startsWith('2010');
    if (vm.exchangeClustering === 'dag' && !is2010) issues.push({ path: at('exchangeClustering'), found: `'dag' with Exchange ${exchangeVersionOf(vm)}`, allowed: "'ccr' or 'scc' (Exchange 2007), or exchangeVersion '2010' / '2010-sp1' for a DAG" });
    if (vm.exchangeClustering !== 'dag' && is2010) issues.push({ path: at('exchangeClustering'), found: `'${vm.exchangeClustering}' with Exchange ${exchangeVersionOf(vm)}`, allowed: "'dag' (Exchange 2010 replaced CCR and SCC with the DAG)" });
  });
  return issues;
}
