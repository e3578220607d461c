/**
 * The host requirements and editions of seed 004 (Windows Server 2008
 * Hyper-V): an x64 host with hardware virtualization and DEP, the
 * editions' virtual image use rights (table 1.1) and failover clustering,
 * and the virtual processors each guest OS may have. They judge every
 * guest, with or without Exchange. The reference summarises these facts
 * (row f.1) without quoting them, so most quotes are marked as summaries.
 */
import { actionFinding, actionsOn, highAvailabilityOf, MIGRATION_ACTION } from './availability.js';
import { EDITIONS, GUEST_VCPUS_MAX } from './fields.js';
import { vmPath, type Finding, type PolicyContext, type PolicyQuote, type PolicyRule } from './rule.js';

const SEED_004 = 'seed 004';
const ROW_F = 'reference vm-lifecycle-and-availability.md row f.1';
const summary = (text: string, source = SEED_004): PolicyQuote => ({ text, source, verbatim: false });
const verbatim = (text: string, source = SEED_004): PolicyQuote => ({ text, source, verbatim: true });

/** A host CPU requirement: one finding when `host.cpu.<field>` is false. */
function cpuRule(id: string, field: keyof PolicyContext['cpu'], title: string, quote: string, missing: string): PolicyRule {
  return {
    id,
    scope: 'host',
    subject: 'guest',
    title,
    quotes: [summary(quote)],
    reference: ROW_F,
    tag: 'V',
    check: (context) => (context.cpu[field] ? [] : [{ path: `host.cpu.${field}`, found: missing }]),
  };
}

/** The host and platform rules. */
export const HOST_RULES: readonly PolicyRule[] = [
  cpuRule('host-x64', 'x64', 'An x64 host running an x64 edition', 'x64 edition only (no x86, no Itanium)', 'the host is not x64 (host.cpu.x64 is false): Hyper-V does not run'),
  cpuRule(
    'host-hardware-virtualization',
    'hardwareVirtualization',
    'Hardware-assisted virtualization (Intel VT or AMD-V), enabled in the BIOS',
    'CPU with hardware virtualization (Intel VT / AMD-V) and DEP (XD/NX), both enabled in BIOS (hard power cycle may be needed)',
    'the host has no hardware virtualization enabled (host.cpu.hardwareVirtualization is false): the hypervisor cannot start',
  ),
  cpuRule(
    'host-dep',
    'dep',
    'Hardware data execution prevention (Intel XD or AMD NX), enabled in the BIOS',
    'CPU with hardware virtualization (Intel VT / AMD-V) and DEP (XD/NX), both enabled in BIOS (hard power cycle may be needed)',
    'the host has no hardware DEP enabled (host.cpu.dep is false): the hypervisor cannot start',
  ),
  {
    id: 'edition-virtual-instances',
    scope: 'host',
    subject: 'host',
    title: "The Windows guests fit the host edition's virtual image use rights",
    quotes: [
      summary('Table 1.1 virtual image use rights: Standard 1 (Standard), Enterprise 4 (Enterprise or Standard), Datacenter unlimited (Datacenter, Enterprise or Standard)'),
      verbatim('allows for four VMs per physical platform license', 'seed 000 (a comment, on Enterprise)'),
    ],
    reference: `${ROW_F}; row f.3 (licences needed: E arithmetic on table 1.1)`,
    tag: 'V',
    check: (context) => {
      const facts = EDITIONS[context.edition];
      return context.hosts.flatMap((host) => {
        const guests = host.guests.filter((g) => g.guestOs.startsWith('windows'));
        if (facts.virtualInstances === null || guests.length <= facts.virtualInstances) return [];
        const extra = guests.length - facts.virtualInstances;
        const licences = facts.virtualInstances === 0 ? 'each needs its own Windows licence' : `${Math.ceil(guests.length / facts.virtualInstances)} ${facts.name} licences (or Datacenter) cover them`;
        const where = context.hosts.length > 1 ? ` on host '${host.id}'` : '';
        return [
          {
            path: 'host.edition',
            found: `${guests.length} Windows guests (${guests.map((g) => g.vm.id).join(', ')})${where} on ${facts.name}, whose licence covers ${facts.virtualInstances}: ${extra} more than the rights; ${licences}`,
          },
        ];
      });
    },
  },
  {
    id: 'edition-failover-clustering',
    scope: 'vm',
    subject: 'guest',
    title: 'Migration and high availability need an edition with failover clustering (Enterprise or Datacenter)',
    quotes: [verbatim("Windows Server 2008 Standard doesn't include the failover clustering functionality required for quick migration.")],
    reference: `${ROW_F}; row c.1`,
    tag: 'V',
    check: (vm, context) => {
      const facts = EDITIONS[context.edition];
      if (facts.failoverClustering) return [];
      const found: Finding[] = [
        ...actionsOn(context.scenario, vm, MIGRATION_ACTION).map((action) => actionFinding(vm, action, 'migrates')),
        ...highAvailabilityOf(context.scenario, vm),
      ];
      return found.map((f) => ({ path: f.path, found: `${f.found}, on ${facts.name}, which has no failover clustering (host.edition)` }));
    },
  },
  {
    id: 'guest-vcpus',
    scope: 'vm',
    subject: 'guest',
    title: 'No more virtual processors than the guest OS is supported with (WS2008 4, WS2003 2, Windows 2000 1)',
    quotes: [
      verbatim('Symmetric Multi Processor (SMP) support allows VMs to recognize and utilize up to four virtual processors in certain supported operating systems'),
      summary('supports virtual machines with up to 4 processors each (1, 2, or 4 processors depending on guest OS); WS2003 SP2 guests: 2', 'reference row a.2 (study-guide table, low-quality source)'),
    ],
    reference: 'reference vm-lifecycle-and-availability.md row a.2, a.3',
    tag: 'V',
    check: (vm) => {
      const max = GUEST_VCPUS_MAX[vm.guestOs];
      return vm.vm.vcpus <= max ? [] : [{ path: vmPath(vm, 'vcpus'), found: `VM '${vm.vm.id}' has ${vm.vm.vcpus} virtual processors; ${vm.guestOs} is supported with at most ${max}` }];
    },
  },
  {
    id: 'platform-vp-lp-ratio',
    scope: 'host',
    subject: 'guest',
    title: 'At most 8 virtual processors per logical processor on a host (the platform\'s supported ratio for server guests)',
    quotes: [
      summary(
        'Supported VP:LP ratios (platform, not Exchange): 8:1 for server guests on WS2008 R2; 12:1 for Windows 7 VDI on R2 SP1; Microsoft counts a hyperthread as an LP',
        'reference row a.2 (Microsoft virtualization team blog, 2011-04-25, "Hyper-V VM density, VP:LP ratio, cores and threads")',
      ),
    ],
    reference: 'reference vm-lifecycle-and-availability.md row a.2',
    tag: 'V',
    check: (context) =>
      context.hosts.flatMap((host) => {
        const total = host.guests.reduce((sum, g) => sum + g.vm.vcpus, 0);
        const lps = host.logicalProcessors;
        if (total <= PLATFORM_VP_PER_LP * lps) return [];
        const where = context.hosts.length > 1 ? ` of host '${host.id}'` : '';
        const ratio = Number.isInteger(total / lps) ? `${total / lps}:1` : `${(total / lps).toFixed(2)}:1`;
        return [{ path: `vms[].vcpus, ${host.lpPath}`, found: `${total} virtual processors on ${lps} logical processor${lps === 1 ? '' : 's'}${where}: ${ratio}, more than 8:1 (at most ${PLATFORM_VP_PER_LP * lps})` }];
      }),
  },
];

/**
 * Virtual processors per logical processor Hyper-V supports for server
 * guests: 8:1 (reference row a.2, V: the Microsoft virtualization team's
 * 2011 density post; 12:1 only for Windows 7 VDI guests on R2 SP1, which no
 * guest OS here is).
 */
export const PLATFORM_VP_PER_LP = 8;
