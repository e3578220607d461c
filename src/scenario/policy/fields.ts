/**
 * The scenario fields the support policy reads (`vms[].role`,
 * `exchangeVersion`, `exchangeClustering`, `guestOs`; `host.edition`,
 * `host.cpu`, `host.rootSoftware`), as zod pieces `schema.ts` spreads into
 * its VM and host objects, and the checks across them (`checkPolicyFields`,
 * called by `references.ts`). The model never reads these fields: they
 * describe the deployment the rules judge, so adding them to a scenario
 * changes no run and no fingerprint. The rules themselves are in `rules.ts`.
 */
import * as z from 'zod';
import type { ReferenceIssue } from '../references.js';
import type { Scenario } from '../schema.js';

const oneOf = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');
const enumOf = <const T extends readonly [string, ...string[]]>(values: T, what: string) => z.enum(values, { error: () => `one of ${oneOf(values)} (${what})` });

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

const roleList = z
  .union([enumOf(VM_ROLES, 'a role'), z.array(enumOf(VM_ROLES, 'a role'), { error: () => 'a role or a list of roles' }).min(1).max(5)], {
    error: () => `a role or a list of 1 to 5 roles: ${oneOf(VM_ROLES)}`,
  })
  .transform((value): VmRole[] => (typeof value === 'string' ? [value] : [...new Set(value)]));

/** The VM fields of the policy, spread into the VM object of `schema.ts`. */
export const vmPolicyFields = {
  role: roleList.default(['none']).meta({
    description:
      "What the VM runs, for the support policy (hvsim check): 'none', or an Exchange Server role (a list for a server with several): exchange-mailbox, exchange-hub-transport, exchange-client-access, exchange-edge, exchange-unified-messaging. A VM with an Exchange role is judged by the Exchange rules (seed 001) as well as the host's.",
  }),
  exchangeVersion: enumOf(EXCHANGE_VERSIONS, 'an Exchange version')
    .optional()
    .meta({ description: "The Exchange Server version of a VM with an Exchange role: '2007', '2007-sp1' (the default), '2010' or '2010-sp1'. Exchange 2007 is supported virtualised from SP1 (seed 001); 2010 SP1 changed the clustering and Unified Messaging rules." }),
  exchangeClustering: enumOf(EXCHANGE_CLUSTERING, "Exchange's clustering")
    .default('none')
    .meta({
      description:
        "Exchange's own clustering on a mailbox VM: 'none', 'ccr' (cluster continuous replication, 2007), 'scc' (single copy cluster, 2007) or 'dag' (database availability group, 2010). Seed 001: not supported together with hypervisor migration or high availability; from 2010 SP1 a DAG may be, if the VM never saves its state.",
    }),
  guestOs: enumOf(GUEST_OSES, 'a guest operating system')
    .optional()
    .meta({
      description:
        "The guest operating system and version, for the support policy: windows-server-2008-x64 (the default for os windows), windows-server-2008-x86, windows-server-2008-r2-x64, windows-server-2003-sp2-x64, windows-server-2003-sp2-x86, windows-2000-server, linux (the default for os linux) or other (the default for os legacy). os keeps saying which drivers the model runs.",
    }),
};

const hostCpuSchema = z
  .strictObject({
    x64: z.boolean({ error: () => 'true or false' }).default(true).meta({ description: 'The host runs an x64 processor and an x64 edition of Windows Server 2008 (Hyper-V has no x86 or Itanium release; seed 004).' }),
    hardwareVirtualization: z
      .boolean({ error: () => 'true or false' })
      .default(true)
      .meta({ description: 'Hardware-assisted virtualization (Intel VT or AMD-V) is present and enabled in the BIOS (seed 004).' }),
    dep: z.boolean({ error: () => 'true or false' }).default(true).meta({ description: 'Hardware data execution prevention (Intel XD, AMD NX) is present and enabled in the BIOS (seed 004).' }),
  })
  .meta({ description: "The host processor's features Hyper-V requires (seed 004); the support policy checks them. All default to true." });

/** The host fields of the policy, spread into the host object of `schema.ts`. */
export const hostPolicyFields = {
  edition: enumOf(HOST_EDITIONS, 'a host edition')
    .default(HOST_POLICY_DEFAULTS.edition)
    .meta({
      description:
        'The Windows edition of the host (seed 004, table 1.1), with its virtual image use rights: windows-server-2008-standard (1 Windows guest), windows-server-2008-enterprise (4), windows-server-2008-datacenter (unlimited; the default, so only a scenario that names a smaller edition meets its limits), hyper-v-server-2008 (none: each Windows guest needs its own licence). Standard and Hyper-V Server 2008 have no failover clustering.',
    }),
  cpu: hostCpuSchema.prefault({}),
  rootSoftware: z
    .array(enumOf(ROOT_SOFTWARE, 'software in the root partition'), { error: () => `a list of ${oneOf(ROOT_SOFTWARE)}` })
    .max(8)
    .default([])
    .meta({ description: `Software installed in the root (parent) partition besides Hyper-V: ${oneOf(ROOT_SOFTWARE)}. Beside Exchange guests only management software (management, antivirus, backup) is supported (seed 001).` }),
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
