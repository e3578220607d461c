/**
 * The Exchange rules of seed 001 (Microsoft's support policy for Exchange
 * Server 2007 SP1 in hardware virtualization environments), as the
 * reference lists them (vm-lifecycle-and-availability.md row f.1, R1..R12),
 * with the 2010 SP1 changes of rows d.2 and a.2. Quotes are verbatim where
 * the reference quotes the seed; otherwise the reference's summary, marked
 * so (`verbatim: false`). R1 (the hypervisor is Hyper-V or SVVP-validated)
 * always holds in hvsim, which simulates Hyper-V, so it is not a rule here.
 */
import { vhdGiB } from '../sizes.js';
import { exchangeClusteringFindings, exchangeClusteringOf } from '../cluster-support.js';
import { actionFinding, actionsOn, SNAPSHOT_ACTION } from './availability.js';
import { ROOT_MANAGEMENT, type GuestOs } from './fields.js';
import { vmPath, type Finding, type PolicyContext, type PolicyHost, type PolicyQuote, type PolicyRule, type PolicyVm } from './rule.js';

const SEED_001 = 'seed 001';
const ROW_F = 'reference vm-lifecycle-and-availability.md row f.1';
const summary = (text: string, source = SEED_001): PolicyQuote => ({ text, source, verbatim: false });
const verbatim = (text: string, source = SEED_001): PolicyQuote => ({ text, source, verbatim: true });

/** The guest OSes each Exchange version is supported on: 2007 on Windows Server 2008 (seed 001), 2010 on WS2008 SP2 or R2 (row f.2, V). */
const EXCHANGE_GUEST_OS: Record<'2007' | '2010', readonly GuestOs[]> = {
  '2007': ['windows-server-2008-x64'],
  '2010': ['windows-server-2008-x64', 'windows-server-2008-r2-x64'],
};

/** " of host 'b'" when the scenario has several hosts, else nothing. */
const hostName = (context: PolicyContext, host: PolicyHost): string => (context.hosts.length > 1 ? ` of host '${host.id}'` : '');

const disksOf = (vm: PolicyVm) => vm.vm.disks.map((disk, d) => ({ disk, d }));

/** The rules judged for each VM with an Exchange role, and the two judged once for a deployment with Exchange. */
export const EXCHANGE_RULES: readonly PolicyRule[] = [
  {
    id: 'exchange-version',
    scope: 'vm',
    subject: 'exchange',
    title: 'Exchange Server 2007 with Service Pack 1 or later',
    quotes: [summary('R2: Exchange ≥ 2007 SP1')],
    reference: `${ROW_F} R2`,
    tag: 'V',
    check: (vm) => (vm.version === '2007' ? [{ path: vmPath(vm, 'exchangeVersion'), found: `VM '${vm.vm.id}' runs Exchange 2007 without SP1` }] : []),
  },
  {
    id: 'exchange-guest-os',
    scope: 'vm',
    subject: 'exchange',
    title: 'The Exchange guest runs Windows Server 2008 (x64; 2010 also on R2)',
    quotes: [
      summary('R3: guest OS = WS2008'),
      verbatim('mainly because Windows Server 2008 performs better than Windows Server 2003 using multiple virtual processors', 'seed 000'),
      summary('Exchange 2010: guest WS2008 SP2 or WS2008 R2', 'Exchange 2010 support page (reference row f.2)'),
    ],
    reference: `${ROW_F} R3; row f.2`,
    tag: 'V',
    check: (vm) => {
      const allowed = EXCHANGE_GUEST_OS[vm.version.startsWith('2010') ? '2010' : '2007'];
      if (allowed.includes(vm.guestOs)) return [];
      return [{ path: vmPath(vm, vm.vm.guestOs === undefined ? 'os' : 'guestOs'), found: `VM '${vm.vm.id}' runs ${vm.guestOs}, not ${allowed.join(' or ')}` }];
    },
  },
  {
    id: 'exchange-unified-messaging',
    scope: 'vm',
    subject: 'exchange',
    title: 'No Unified Messaging role (Exchange 2007 and 2010 before SP1)',
    quotes: [summary('R4: no UM role'), verbatim('due to the real-time speech recognition', 'seed 000')],
    reference: `${ROW_F} R4`,
    tag: 'V',
    appliesTo: (vm) => vm.version !== '2010-sp1',
    check: (vm) => (vm.roles.includes('exchange-unified-messaging') ? [{ path: vmPath(vm, 'role'), found: `VM '${vm.vm.id}' has the Unified Messaging role` }] : []),
  },
  {
    id: 'exchange-2010-sp1-unified-messaging',
    scope: 'vm',
    subject: 'exchange',
    title: 'An Exchange 2010 SP1 Unified Messaging VM has four virtual processors and no oversubscription',
    quotes: [
      verbatim(
        'Four virtual processors are required … Four physical processor cores are available for use at all times by each Unified Messaging role virtual machine. This requirement means that no processor oversubscription can be in use',
        'Demystifying Exchange 2010 SP1 virtualization (Exchange team blog)',
      ),
    ],
    reference: 'reference vm-lifecycle-and-availability.md row a.2; row f.2',
    tag: 'V',
    appliesTo: (vm) => vm.version === '2010-sp1' && vm.roles.includes('exchange-unified-messaging'),
    check: (vm, context) => {
      const findings: Finding[] = [];
      if (vm.vm.vcpus !== 4) findings.push({ path: vmPath(vm, 'vcpus'), found: `VM '${vm.vm.id}' has ${vm.vm.vcpus} virtual processor${vm.vm.vcpus === 1 ? '' : 's'}, not 4` });
      const host = context.hosts.find((h) => h.guests.includes(vm))!;
      const total = host.guests.reduce((sum, g) => sum + g.vm.vcpus, 0);
      if (total > host.logicalProcessors) findings.push({ path: `vms[].vcpus, ${host.lpPath}`, found: `${total} virtual processors on ${host.logicalProcessors} logical processors${hostName(context, host)}: oversubscribed` });
      return findings;
    },
  },
  {
    id: 'exchange-storage',
    scope: 'vm',
    subject: 'exchange',
    title: 'Exchange storage is a fixed VHD, SCSI pass-through or iSCSI, never a dynamically expanding disk',
    quotes: [summary('R5: storage ∈ {fixed VHD, SCSI pass-through, iSCSI}'), summary('R7: no dynamically expanding disks'), summary('Dynamic VHDs not supported for Exchange', 'seeds 000 and 001 (reference row f.4)')],
    reference: `${ROW_F} R5, R7`,
    tag: 'V',
    // Differencing disks are outside R5's list too; they are judged by exchange-snapshots (R8), so one disk breaks one rule.
    check: (vm) =>
      disksOf(vm)
        .filter(({ disk }) => disk.backend.kind === 'dynamic-vhd' || disk.backend.kind === 'dynamic-vhdx')
        .map(({ disk, d }) => ({ path: vmPath(vm, 'disks', d, 'backend', 'kind'), found: `disk '${disk.id}' of VM '${vm.vm.id}' is a ${disk.backend.kind} (dynamically expanding)` })),
  },
  {
    id: 'exchange-fixed-vhd-size',
    scope: 'vm',
    subject: 'exchange',
    title: 'Each fixed VHD is smaller than 2,040 GB',
    quotes: [summary('R6: fixed VHD < 2,040 GB'), summary('fixed VHD < 2,040 GB', 'seed 001 (reference row f.4)')],
    reference: `${ROW_F} R6`,
    tag: 'V',
    check: (vm) =>
      disksOf(vm)
        .filter(({ disk }) => disk.backend.kind === 'fixed-vhd' && vhdGiB(disk.backend) >= 2040)
        .map(({ disk, d }) => ({ path: vmPath(vm, 'disks', d, 'backend', 'sizeGiB'), found: `disk '${disk.id}' of VM '${vm.vm.id}' is a fixed VHD of ${vhdGiB(disk.backend)} GiB` })),
  },
  {
    id: 'exchange-snapshots',
    scope: 'vm',
    subject: 'exchange',
    title: 'No differencing disks and no VM snapshots',
    quotes: [
      verbatim("Virtual disks that use differencing or delta mechanisms (such as Hyper-V's differencing VHDs or snapshots) are not supported."),
      verbatim(
        'virtual machine snapshots are not application-aware, and using them can have unintended and unexpected consequences for a server application that maintains state data, such as Exchange Server. As a result, making virtual machine snapshots of an Exchange guest virtual machine is not supported.',
      ),
    ],
    reference: `${ROW_F} R8, R11; row b.1`,
    tag: 'V',
    check: (vm, context) => [
      ...disksOf(vm)
        .filter(({ disk }) => disk.backend.kind === 'differencing-vhd' || disk.backend.kind === 'differencing-vhdx')
        .map(({ disk, d }) => ({
          path: vmPath(vm, 'disks', d, 'backend', 'kind'),
          found: `disk '${disk.id}' of VM '${vm.vm.id}' is a ${disk.backend.kind} (${disk.backend.depth ?? 1} snapshot${(disk.backend.depth ?? 1) === 1 ? '' : 's'} taken before the run)`,
        })),
      ...actionsOn(context.scenario, vm, SNAPSHOT_ACTION).map((action) => actionFinding(vm, action, 'snapshots')),
    ],
  },
  {
    id: 'exchange-clustering',
    scope: 'vm',
    subject: 'exchange',
    title: 'No Exchange clustering (CCR, SCC) with hypervisor migration or high availability; from 2010 SP1, no Exchange VM (DAG member or not) saves its state on disk',
    quotes: [
      verbatim(
        "Microsoft does not support combining Exchange clustering solutions (namely, cluster continuous replication (CCR) and single copy clusters (SCC)) with hypervisor-based availability or migration solutions (for example, Hyper-V's quick migration). Both CCR and SCC are supported in hardware virtualization environments provided that the virtualization environment does not employ clustered virtualization servers.",
      ),
      verbatim('The use of database availability groups on top of hypervisor based clustering is supported by Microsoft as of Exchange 2010 SP1', 'seed 002'),
      verbatim(
        'Exchange server virtual machines, including Exchange Mailbox virtual machines that are part of a Database Availability Group (DAG), can be combined with host-based failover clustering and migration technology as long as the virtual machines are configured such that they will not save and restore state on disk when moved or taken offline.',
        'Microsoft Exchange 2010 SP1 virtualization whitepaper (reference row d.2)',
      ),
    ],
    reference: `${ROW_F} R10; row d.1, d.2`,
    tag: 'V',
    // Exchange 2010 SP1's condition (no state saved on disk when moved or taken offline) is for every Exchange server VM (row d.2).
    appliesTo: (vm) => vm.clustering !== 'none' || vm.version === '2010-sp1',
    // One predicate (`cluster-support.ts`): the VM's clustering (cluster.exchange or its own field), the clustered hosts, its moves.
    check: (vm, context) => exchangeClusteringFindings(context.scenario, vm.vm.id),
  },
  {
    id: 'exchange-ccr-separate-hosts',
    scope: 'vm',
    subject: 'exchange',
    title: 'The nodes of a CCR cluster run on separate physical hosts',
    quotes: [
      summary('CCR nodes on separate physical hosts', 'Exchange 2007 virtualization support page (reference row f.2, the expta summary)'),
      summary('mixing physical and virtual CCR/SCC nodes supported', 'Exchange 2007 virtualization support page (reference row f.2, the expta summary)'),
    ],
    reference: 'reference vm-lifecycle-and-availability.md row f.2',
    tag: 'V',
    appliesTo: (vm) => vm.clustering === 'ccr',
    // CCR keeps a second copy of each database so that one server's loss leaves the other: two nodes on one
    // physical host are lost together. The scenario does not say which CCR each VM's node belongs to, so the
    // CCR VMs on one host are taken as nodes of one cluster (E); a node whose partner is physical, or on
    // another host, is fine.
    check: (vm, context) => {
      const host = context.hosts.find((h) => h.guests.includes(vm))!;
      const others = host.guests.filter((g) => g !== vm && g.clustering === 'ccr');
      if (others.length === 0) return [];
      const path = exchangeClusteringOf(context.scenario, vm.vm.id)?.path ?? vmPath(vm, 'exchangeClustering');
      const names = others.map((g) => `'${g.vm.id}'`).join(', ');
      return [{ path, found: `VM '${vm.vm.id}' and VM ${names}, CCR nodes, run on the same physical host${hostName(context, host)}: its failure takes every copy of their databases` }];
    },
  },
  {
    id: 'exchange-vcpu-ratio',
    scope: 'host',
    subject: 'exchange',
    title: 'At most two virtual processors per logical processor (all guests together)',
    quotes: [
      verbatim(
        'The virtual processors located in the guest virtual machine share a fixed number of logical processors in the physical system. Exchange supports a virtual processor-to-logical processor ratio no greater than 2:1. For example, a dual processor system using quad core processors contains a total of 8 logical processors in the host system. On a system with this configuration, do not allocate more than a total of 16 virtual processors to all guest virtual machines combined.',
      ),
    ],
    reference: `${ROW_F} R12; row a.1`,
    tag: 'V',
    check: (context) =>
      context.hosts.flatMap((host) => {
        const total = host.guests.reduce((sum, g) => sum + g.vm.vcpus, 0);
        const lps = host.logicalProcessors;
        if (total <= 2 * lps) return [];
        const each = host.guests.map((g) => `${g.vm.id} ${g.vm.vcpus}`).join(', ');
        const ratio = Number.isInteger(total / lps) ? `${total / lps}:1` : `${(total / lps).toFixed(2)}:1`;
        return [{ path: `vms[].vcpus, ${host.lpPath}`, found: `${total} virtual processors (${each}) on ${lps} logical processors${hostName(context, host)}: ${ratio}, more than 2:1 (at most ${2 * lps})` }];
      }),
  },
  {
    id: 'exchange-root-dedicated',
    scope: 'host',
    subject: 'exchange',
    title: 'Nothing but management software in the root partition',
    quotes: [
      summary('R9: nothing but management software on the root'),
      verbatim('Never install Exchange Server in the parent partition', 'seed 000'),
      verbatim('running multiple roles, features, or applications in the parent partition limits the amount of resources that can otherwise be allocated to VMs', 'seed 004'),
    ],
    reference: `${ROW_F} R9; row a.1`,
    tag: 'V',
    check: (context) =>
      context.rootSoftware.flatMap((software, i) =>
        ROOT_MANAGEMENT.includes(software) ? [] : [{ path: `host.rootSoftware[${i}]`, found: `the root partition runs ${software}` }],
      ),
  },
];
