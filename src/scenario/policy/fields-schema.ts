/**
 * The support policy's scenario fields as zod pieces, spread by `schema.ts`
 * into its VM and host objects. Their values, facts and checks are in
 * `fields.ts`, which a run loads without zod.
 */
import * as z from 'zod';
import { EXCHANGE_CLUSTERING, EXCHANGE_VERSIONS, GUEST_OSES, guess, HOST_EDITIONS, HOST_POLICY_DEFAULTS, oneOf, ROOT_SOFTWARE, VM_ROLES, type VmRole } from './fields.js';

const enumOf = <const T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, { error: (issue: { input?: unknown }) => `one of ${oneOf(values)} (${what})${guess(issue.input, values)}` });

const roleList = z
  .union([enumOf(VM_ROLES, 'a role'), z.array(enumOf(VM_ROLES, 'a role'), { error: () => 'a role or a list of roles' }).min(1).max(5)], {
    error: (issue: { input?: unknown }) => `a role or a list of 1 to 5 roles: ${oneOf(VM_ROLES)}${guess(issue.input, VM_ROLES)}`,
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

