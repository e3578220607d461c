/**
 * The scenario file format as zod 4 schemas: the single source of truth for
 * validation, for the generated JSON Schema editors read, and for the
 * `Scenario` type. Every object is strict (an unknown field is an error, so
 * a misspelt field never silently falls back to a default), and every field
 * carries a description that becomes an editor hover. Each field's error
 * text says what it allows; `parse.ts` adds the path, the place in the file
 * and what was found. Checks that span fields (ids that must name a VM or a
 * disk, sizes against disk capacity) live in `references.ts`, not here.
 */
import * as z from 'zod';
import { PROFILES } from '../model/costs.js';
import { costsShape } from './cost-overrides.js';
import { PATH_KINDS } from '../model/trace-events.js';
import { CLAIM_METRICS } from './claims.js';
import { closest } from './errors.js';
import { lessonBlockSchema } from './lesson/schema.js';
import { sweepBlockSchema } from './experiment/sweep-schema.js';
import { hostPolicyFields, vmPolicyFields } from './policy/fields-schema.js';
import { clusterSchema, withClusterActions } from './schema-cluster.js';
import { allows, boolean, duration, enumOf, id, intIn, listOf, oneOf } from './schema-parts.js';
import {
  REQUEST_MAX_BYTES,
  SECTOR_BYTES,
  SIZE_ALLOWED,
  SIZE_PATTERN,
  sizeBytes,
  sizeTextProblem,
} from './units.js';

/** The only scenario format version so far; a future version is migrated on load. */
export const SCENARIO_VERSION = 1;
export { ID_PATTERN } from './schema-parts.js';

/** A cost profile name; YAML reads a bare 2008 as a number, so that is accepted too. */
const profile = () =>
  z.union([z.enum(PROFILES), z.literal(2008).transform(() => '2008' as const)], allows(`${oneOf(PROFILES)} (a cost profile)`));


/** A request size: integer bytes or a string with a binary unit; strings are converted exactly by `sizeBytes`. */
const size = () => {
  const error = allows(SIZE_ALLOWED);
  const textError = {
    error: (issue: { input?: unknown }) =>
      typeof issue.input === 'string' && !new RegExp(SIZE_PATTERN).test(issue.input)
        ? `${SIZE_ALLOWED} (${sizeTextProblem(issue.input)})`
        : SIZE_ALLOWED,
  };
  return z
    .union([z.int(error).min(SECTOR_BYTES).max(REQUEST_MAX_BYTES).multipleOf(SECTOR_BYTES), z.string(textError).regex(new RegExp(SIZE_PATTERN))], error)
    .superRefine((value, ctx) => {
      if (typeof value !== 'string' || !new RegExp(SIZE_PATTERN).test(value)) return; // the union reported it
      const converted = sizeBytes(value);
      if (!converted.ok) ctx.addIssue({ code: 'custom', message: SIZE_ALLOWED, params: { why: converted.why } });
    });
};

const optionsSchema = z.strictObject({
  stringIo: enumOf(['per-instruction', 'per-element'])
    .default('per-instruction')
    .meta({ description: 'How the hypervisor hands string I/O (rep outsw) to the IDE emulator: one intercept per instruction, or one per 16-bit word.' }),
  vmbusSignal: enumOf(['hypercall', 'monitor'])
    .default('hypercall')
    .meta({ description: 'How a VMBus writer wakes the reader: an HvSignalEvent hypercall, or the monitor page (no exit, but noticed when the hypervisor next scans the page: 0-100 µs later, 50 µs on average).' }),
  ringBytes: intIn(4096, 4_194_304, 'an integer 4,096..4,194,304 that is a multiple of 4,096')
    .multipleOf(4096)
    .default(131_072)
    .meta({ description: "Data area of each VMBus ring buffer (each direction) in bytes; the ring's 4 KiB header page comes on top, as Linux's VMBUS_RING_SIZE adds it." }),
  commonRandomNumbers: boolean()
    .default(true)
    .meta({
      description:
        'Common random numbers: when a claim compares two paths and each side names exactly one workload (or flow), and the two have the same shape (workloads: op, readPercent, size, pattern, lba; Poisson traffic: packetsPerSecond) and no stream of their own, they draw the same random numbers, so a difference comes from the paths, not the draws. false: every workload and flow draws its own unless its stream field says otherwise.',
    }),
});

/** A disk's sector format (512n or 512e), for a host disk and an iSCSI target's. */
function sectorFormat() {
  return enumOf(['512n', '512e'])
    .default('512n')
    .meta({
      description:
        "The disk's sectors: 512n (default), 512-byte sectors on the media; 512e (Advanced Format), 4 KiB physical sectors behind 512-byte logical ones, where a write that covers part of a physical sector costs the drive a read-modify-write (an extra revolution, cost hdd_rmw_revolutions): a VHD's 512-byte metadata writes and, on the 2008 profile, its data writes, which a 512-byte bitmap before each block puts off the 4 KiB boundaries (cost vhd_structures_4k_aligned). A hard disk only; 4Kn (4 KiB logical sectors) is not modelled.",
    });
}

/** 512e is a hard disk's: its read-modify-write is the mechanism's extra revolution. */
function hddOnly512e(disk: { kind: 'hdd' | 'ssd'; sectorFormat: '512n' | '512e' }, ctx: z.RefinementCtx): void {
  if (disk.sectorFormat === '512e' && disk.kind !== 'hdd') {
    ctx.addIssue({ code: 'custom', path: ['sectorFormat'], message: `512n with kind ${disk.kind} (512e is modelled for an hdd only: its read-modify-write is the mechanism's extra revolution)` });
  }
}

const hostDiskSchema = z.strictObject({
  id: id('a host disk').meta({ description: 'Name of this physical disk; VM disks refer to it in backend.disk.' }),
  kind: enumOf(['hdd', 'ssd']).meta({ description: 'hdd: a 15K RPM spinning disk (seek + rotation + transfer) behind an HBA; ssd: an NVMe flash disk (on PCIe unless hba names an adapter).' }),
  sizeGiB: z
    .number(allows('a number of GiB, 0.001..65,536'))
    .min(0.001)
    .max(65_536)
    .default(450)
    .meta({ description: 'Capacity in GiB (1 GiB = 2,097,152 sectors of 512 bytes).' }),
  writeCache: boolean()
    .default(false)
    .meta({ description: 'Whether the disk acknowledges writes from its cache before they reach the media.' }),
  sectorFormat: sectorFormat(),
  hba: id('an HBA')
    .optional()
    .meta({
      description:
        'The host bus adapter the disk hangs off; disks on one HBA share its link. Absent: hba0 for an hdd; none for an ssd, an NVMe disk on the host\'s PCIe (name an HBA to put a flash disk behind one, as a SAS SSD or a SAN LUN is).',
    }),
}).superRefine(hddOnly512e);

const iscsiTargetSchema = z.strictObject({
  id: id('an iSCSI target').meta({ description: 'Name of this iSCSI target; VM disks refer to it in backend.target.' }),
  disk: z
    .strictObject({
      kind: enumOf(['hdd', 'ssd']).meta({ description: "The target's disk: hdd, a 15K RPM spinning disk; ssd, an NVMe flash disk." }),
      sizeGiB: z
        .number(allows('a number of GiB, 0.001..65,536'))
        .min(0.001)
        .max(65_536)
        .default(450)
        .meta({ description: 'Capacity of the LUN in GiB.' }),
      writeCache: boolean().default(false).meta({ description: 'Whether the target acknowledges writes from its cache before they reach the media.' }),
      sectorFormat: sectorFormat(),
    })
    .superRefine(hddOnly512e)
    .meta({ description: "The target's own disk, which holds its one LUN (the same service-time model as a host disk)." }),
});

const schedulerSchema = z.strictObject({
  kind: enumOf(['dedicated', 'credit'])
    .optional()
    .meta({
      description:
        "How virtual processors share the logical processors. dedicated: every VP always runs, steps only queue for their LP (no time slices, no HLT). credit: a scheduler with time slices, preemption, HLT exits and wakes (Hyper-V's is not published; the stand-in is Xen's credit scheduler). Default: credit when the scenario has cpu loads, else dedicated.",
    }),
  slice: duration()
    .default('30ms')
    .meta({ description: "The time slice a VP runs before another runnable VP on its LP gets a turn: integer ns or a string like \"30ms\" (default 30 ms, Xen credit's CSCHED_DEFAULT_TSLICE_MS; Hyper-V's quantum is not published). From 100 µs (Xen's least run before a preemption, its rate limit) to 1,000 ms (Xen's longest slice)." }),
  wakeBoost: boolean()
    .default(true)
    .meta({ description: "Whether a VP woken from HLT by an interrupt preempts the running VP at once (Xen credit's BOOST priority for a waking VP; default true). false: it is queued by its credit, behind the VPs of its priority, though one with credit left (UNDER) still preempts a running VP that has none (OVER), as Xen's __runq_tickle does." }),
});

const hostSchema = z.strictObject({
  logicalProcessors: intIn(1, 256).default(4).meta({ description: 'Logical processors of the host.' }),
  scheduler: schedulerSchema.optional().meta({ description: 'How virtual processors share the logical processors (the hypervisor\'s scheduler).' }),
  disks: listOf(hostDiskSchema, 1, 256, 'host disks').meta({ description: 'The physical disks of the host.' }),
  iscsiTargets: listOf(iscsiTargetSchema, 0, 64, 'iSCSI targets')
    .default([])
    .meta({ description: 'iSCSI targets on the network the host reaches through its physical NIC: storage hosts, each with one LUN on its own disk.' }),
  ...hostPolicyFields,
});

const vmDiskSchema = z.strictObject({
  id: id('a VM disk').meta({ description: 'Name of this virtual disk inside its VM; workloads refer to it.' }),
  controller: enumOf(['ide', 'scsi']).meta({
    description: 'ide: the emulated IDE controller (carried over VMBus once integration services load); scsi: the synthetic SCSI controller over VMBus (needs integration services).',
  }),
  ideMode: enumOf(['pio', 'pio-multiple', 'dma'])
    .optional()
    .meta({
      description:
        "Transfer mode of the guest's ATA driver on an emulated IDE disk (controller ide only; default dma): pio, programmed I/O with READ/WRITE SECTORS (one sector and one interrupt per DRQ block, 16-bit string I/O); pio-multiple, READ/WRITE MULTIPLE (16 sectors and one interrupt per block, 32-bit string I/O, one string instruction per sector: Linux libata's default PIO); dma, bus-master DMA.",
    }),
  backend: z
    .strictObject({
      kind: enumOf(['fixed-vhd', 'dynamic-vhd', 'differencing-vhd', 'fixed-vhdx', 'dynamic-vhdx', 'differencing-vhdx', 'passthrough', 'iscsi']).meta({
        description:
          'fixed-vhd: a fixed-size VHD file; dynamic-vhd: a sparse VHD that allocates 2 MiB blocks on first write (BAT, bitmaps, footer); differencing-vhd: a chain of differencing images over a base (snapshots); fixed-vhdx, dynamic-vhdx, differencing-vhdx: the same in the VHDX format of Windows Server 2012 and later (32 MiB blocks on 1 MiB boundaries, no bitmap on a dynamic disk, no footer, the BAT changed through a log); passthrough: the whole host disk, no VHD; iscsi: the LUN of an iSCSI target (host.iscsiTargets), reached by the guest or by the root (attach).',
      }),
      disk: id('a host disk').optional().meta({ description: 'The id of the host disk (host.disks) behind this virtual disk. Required for every kind but iscsi, which names its target instead.' }),
      target: id('an iSCSI target').optional().meta({ description: 'iscsi: the id of the target (host.iscsiTargets) whose LUN this is.' }),
      attach: enumOf(['guest', 'root'])
        .optional()
        .meta({
          description:
            "iscsi: who runs the iSCSI initiator. guest: the guest's own initiator, over its synthetic NIC and the root's virtual switch (path iscsi-guest; storvsp is not involved). root: the root's initiator logs in to the LUN and it is passed through to this disk's controller.",
        }),
      nic: id('a NIC').optional().meta({ description: "iscsi with attach guest: the VM's synthetic NIC the initiator uses (default: its first synthetic NIC)." }),
      sizeGiB: z
        .number(allows('a number of GiB, 0.001..2,040'))
        .min(0.001)
        .max(2040)
        .optional()
        .meta({ description: "Virtual size of a VHD in GiB (default 127, Hyper-V's default; the VHD format's limit is 2,040 GiB). Its blocks lie in one region of the host disk, so its random I/O seeks less than a pass-through disk's over the whole disk: give it the disk's size to compare the paths alone. Not for passthrough." }),
      zeroFillNewBlocks: boolean()
        .optional()
        .meta({ description: 'Dynamic or differencing: the parser writes zeros over a whole new block (2 MiB; VHDX: its block size) before its first data (reference §5.1 option; default false).' }),
      blockSizeMiB: z.literal([1, 2, 4, 8, 16, 32, 64, 128, 256], allows('1, 2, 4, 8, 16, 32, 64, 128 or 256 (MiB: MS-VHDX allows a power of two from 1 to 256)'))
        .optional()
        .meta({ description: "Dynamic or differencing VHDX: the block size in MiB (default 32, New-VHD's; Microsoft suggests 1 for Linux guests, whose file systems leave little free space in a block). A VHD's blocks are always 2 MiB." }),
      base: enumOf(['fixed', 'dynamic']).optional().meta({ description: 'Differencing: the kind of the base image under the chain (default dynamic).' }),
      depth: intIn(1, 16).optional().meta({ description: 'Differencing: how many differencing images sit on the base, snapshots taken before the run (default 1).' }),
    })
    .meta({ description: 'What stores the data on the host.' }),
});

const nicSchema = z.strictObject({
  id: id('a NIC').meta({ description: 'Name of this network card inside its VM; traffic refers to it.' }),
  kind: enumOf(['legacy', 'synthetic']).meta({
    description: 'legacy: the emulated DEC 21140 card, handled by the worker process; synthetic: netvsc over VMBus to the root\'s virtual switch (needs integration services).',
  }),
});

const vmSchema = z.strictObject({
  id: id('a VM').meta({ description: 'Name of the VM (child partition).' }),
  os: enumOf(['windows', 'linux', 'legacy'])
    .default('windows')
    .meta({ description: 'Guest operating system: windows, linux, or legacy (an OS with no synthetic drivers: emulated devices only).' }),
  integrationServices: boolean()
    .optional()
    .meta({
      description:
        'Whether the guest runs the integration services (VMBus, storvsc, storflt) from the start: an enlightened guest. Default: true, but false on a native baseline (native) and on an OS with no synthetic drivers (os legacy), where true is refused.',
    }),
  autoEoi: boolean()
    .optional()
    .meta({ description: 'SynIC auto-EOI for VMBus interrupts (no EOI exit). Default: the same as integrationServices.' }),
  native: boolean()
    .default(false)
    .meta({ description: 'The same OS on the bare host with no hypervisor: the native baseline. Its disks must be passthrough (the physical disk).' }),
  vcpus: intIn(1, 4, 'an integer 1..4 (Hyper-V on Windows Server 2008 gives a VM 1 to 4 virtual processors: seed 004)')
    .default(1)
    .meta({ description: 'Virtual processors of the VM, 1 to 4 (seed 004: SMP guests with up to four virtual processors; more is refused).' }),
  affinity: listOf(intIn(0, 255, 'an LP number 0..255'), 1, 4, 'LP numbers')
    .optional()
    .meta({
      description:
        "The logical processor each virtual processor runs on, VP 0 first (one per VP; each below host.logicalProcessors). A simulator's pinning, like Xen's vcpu-pin: Hyper-V of 2008 has no such setting. Default: the next LPs in turn, from LP 1.",
    }),
  cpu: z
    .strictObject({
      reservePct: intIn(0, 100, 'an integer percent 0..100 of an LP per virtual processor')
        .default(0)
        .meta({ description: 'Virtual machine reserve: the percent of a logical processor each of its VPs is guaranteed when it wants it, served before the weights share the rest (Hyper-V default 0). The reserves of the VPs on one LP add up to at most 100.' }),
      limitPct: intIn(1, 100, 'an integer percent 1..100 of an LP per virtual processor')
        .default(100)
        .meta({ description: 'Virtual machine limit: the most of a logical processor each of its VPs may run, per accounting period (one time slice, host.scheduler.slice: 30 ms by default, as Xen ties accounting to its slice), even when the LP is otherwise idle (Hyper-V default 100: no limit). Its I/O work counts against it.' }),
      weight: intIn(1, 10_000, 'an integer 1..10,000')
        .default(100)
        .meta({ description: 'Relative weight: how the LP time the reserves leave is shared among VPs that all want more than it (Hyper-V default 100).' }),
    })
    .optional()
    .meta({
      description:
        "Hyper-V's processor controls for the VM (Msvm_ProcessorSettingData: Reservation, Limit, Weight). They act under the credit scheduler (the default when a VM sets them); each VP stays on its LP, so a reserve is guaranteed on that LP.",
    }),
  memoryMiB: intIn(16, 65_536, 'an integer 16..65,536 MiB (Windows Server 2008 R2 Hyper-V gives a VM at most 64 GB: seed 004)')
    .default(1024)
    .meta({ description: "The VM's memory in MiB: what saving its state writes to disk and a live migration copies (default 1,024)." }),
  disks: listOf(vmDiskSchema, 0, 16, 'VM disks').default([]).meta({ description: 'Virtual disks attached to the VM.' }),
  nics: listOf(nicSchema, 0, 8, 'NICs').default([]).meta({ description: 'Network cards of the VM.' }),
  ...vmPolicyFields,
  initialState: enumOf(['running', 'off'])
    .default('running')
    .meta({
      description:
        "The VM's state when the run begins: running (the default), or off, so that a start action creates its worker process and partition and boots the guest; its workloads' requests wait (held) until it runs.",
    }),
}).transform((vm) => ({
  ...vm,
  // A native baseline runs no hypervisor and an OS with no synthetic drivers has none to run: left out, the
  // field follows the VM (a trainer who writes only `native: true` or `os: "legacy"` gets no error about a
  // field the file does not hold); written true on either, references.ts still refuses it.
  integrationServices: vm.integrationServices ?? !(vm.native || vm.os === 'legacy'),
}));

const cpuLoadSchema = z.strictObject({
  vm: id('a VM').meta({ description: "The VM whose virtual processors run the load, or root: the parent partition's own work beside its I/O, on its VP of each LP (seed 004: roles in the parent partition take resources from the VMs)." }),
  vp: intIn(0, 255, 'a VP number: 0..3 on a VM, an LP number on root')
    .optional()
    .meta({ description: 'The virtual processor it runs on (below the VM\'s vcpus; for root, the LP number). Default: one load on every VP of the VM.' }),
  dutyPercent: intIn(1, 100)
    .default(100)
    .meta({ description: 'Percent of the time the VP wants to run: bursts of work, each followed by a sleep that makes this duty cycle (100: always runnable).' }),
  burst: duration().default('10ms').meta({ description: 'CPU work per burst: integer ns or a string like "10ms".' }),
  start: duration().default(0).meta({ description: 'When the load starts.' }),
  duration: duration().optional().meta({ description: "How long it runs. Default: until every workload's requests have completed." }),
});

/** The most requests one workload issues (`count`'s maximum, and a duration workload's default cap). */
export const WORKLOAD_MAX_COUNT = 1_000_000;

const workloadSchema = z.strictObject({
  vm: id('a VM').meta({ description: 'The VM that issues the requests.' }),
  disk: id('a VM disk').meta({ description: 'The disk of that VM the requests go to.' }),
  op: enumOf(['read', 'write', 'mixed']).default('write').meta({ description: 'Read, write, or mixed (each request a read with probability readPercent).' }),
  readPercent: intIn(0, 100).optional().meta({ description: 'Mixed workloads: the percentage of requests that are reads (default 50).' }),
  size: size().meta({ description: 'Bytes per request: an integer or a string like "10KiB"; a multiple of 512, at most 32 MiB.' }),
  queueDepth: intIn(1, 255)
    .default(1)
    .meta({ description: 'Requests kept in flight at once (255 is the storvsc cmd_per_lun limit). An IDE disk serves one at a time.' }),
  count: intIn(1, 1_000_000)
    .optional()
    .meta({ description: 'Requests issued in total (default 1; with duration, the most it issues: default 1,000,000).' }),
  duration: duration()
    .optional()
    .meta({
      description:
        'How long the workload issues requests, from start: none is issued at or after start + duration (those in flight complete). The run\'s count is then what it issued (DESIGN §5: a workload runs for a count or a duration). A sequential one wraps to lba at the end of the disk.',
    }),
  pattern: enumOf(['sequential', 'random', 'fixed'])
    .default('fixed')
    .meta({ description: 'fixed: every request at lba; sequential: one after another from lba; random: 4 KiB-aligned anywhere on the disk.' }),
  lba: intIn(0, Number.MAX_SAFE_INTEGER, 'a non-negative integer sector number')
    .default(0)
    .meta({ description: 'First sector (512 bytes each) for fixed and sequential patterns.' }),
  start: duration().default(0).meta({ description: 'When the first request is issued: integer ns or a string like "5ms".' }),
  stream: id('a random stream group')
    .optional()
    .meta({
      description:
        'Name of the random stream group the workload draws from (LBAs of the random pattern, read or write of a mixed one): workloads with the same name draw identical sequences (common random numbers). Default: its own, except that two workloads compared by a claim and of the same shape (op, readPercent, size, pattern, lba: what the draws depend on) share one (see options.commonRandomNumbers).',
    }),
}).transform((w) => ({ ...w, count: w.count ?? (w.duration === undefined ? 1 : WORKLOAD_MAX_COUNT) }));

const trafficSchema = z.strictObject({
  vm: id('a VM').meta({ description: 'The VM whose NIC sends or receives.' }),
  nic: id('a NIC').meta({ description: 'The NIC of that VM.' }),
  direction: enumOf(['send', 'receive']).default('send').meta({ description: 'send: frames leave the VM; receive: frames arrive from the physical network.' }),
  bytes: intIn(60, 9014).default(1514).meta({ description: 'Frame bytes per packet, 60..9,014 (1,514 for a full Ethernet frame; jumbo frames only on the synthetic NIC, the legacy card takes at most 1,518).' }),
  count: intIn(1, 1_000_000).default(1).meta({ description: 'Packets in total.' }),
  packetsPerSecond: intIn(1, 10_000_000).default(1000).meta({ description: 'Packet rate.' }),
  arrival: enumOf(['constant', 'poisson']).default('constant').meta({ description: 'Evenly spaced packets, or Poisson arrivals drawn from the traffic\'s own stream.' }),
  to: z.string(allows('vm/nic: a NIC of another VM')).max(100).optional().meta({ description: 'Send only: another VM\'s NIC as vm/nic (through the virtual switch, not the wire). Default: the physical network.' }),
  start: duration().default(0).meta({ description: 'When the first packet is issued.' }),
  stream: id('a random stream group')
    .optional()
    .meta({ description: 'Name of the random stream group the Poisson arrivals are drawn from: traffic with the same name draws identical gaps (common random numbers). Default: its own, except that two Poisson flows compared by a claim, at the same packetsPerSecond, share one (see options.commonRandomNumbers).' }),
});

const actionSchema = z.strictObject({
  at: duration().meta({ description: 'When the action happens: integer ns or a string like "600ms".' }),
  do: enumOf(['load-integration-services', 'snapshot', 'start', 'save', 'restore', 'pause', 'resume', 'shutdown', 'turn-off', 'revert', 'delete-snapshot']).meta({
    description:
      "load-integration-services: the guest loads its VMBus drivers and its IDE disks move to the fast path. The VM's life cycle, each a request through the WMI provider, VMMS and the VM's worker process, refused (WMI code 4097) when the VM's state does not accept it: start (Off or Saved → Running: worker process, partition, boot; from Saved it restores), save (Running or Paused → Saved: memory written to disk), restore (Saved → Running: memory read back), pause (Running → Paused), resume (Paused → Running), shutdown (Running → Off through the shutdown integration service), turn-off (Running or Paused → Off), snapshot (the whole VM as Hyper-V takes it: pause, a differencing disk per VHD, the configuration copied, resume, memory written; refused when a disk is pass-through; with disk: only a differencing link on that VHD, no pause), revert (apply the last snapshot: every write since it is discarded, the VM left as the snapshot was), delete-snapshot (the last snapshot; its differencing disks merge into their parents when the VM is off).",
  }),
  vm: id('a VM').meta({ description: 'The VM the action applies to.' }),
  disk: id('a VM disk')
    .optional()
    .meta({ description: 'snapshot only: one VM disk (a VHD) that gets a differencing link, instead of a snapshot of the whole VM.' }),
});

const limitsSchema = z.strictObject({
  maxEvents: intIn(1, 200_000_000)
    .default(20_000_000)
    .meta({ description: 'Stop after this many simulation events (a guard: nothing runs forever).' }),
  until: duration().default('60s').meta({ description: 'Stop at this simulated time.' }),
});

/** A metric name; a misspelt one gets the nearest name suggested. */
const claimMetric = () =>
  z.enum(CLAIM_METRICS, {
    error: (issue: { input?: unknown }) => {
      const guess = typeof issue.input === 'string' ? closest(issue.input, CLAIM_METRICS) : undefined;
      return `a metric of a path${guess === undefined ? '' : ` (did you mean '${guess}'?)`}: ${oneOf(CLAIM_METRICS)}`;
    },
  });

const CLAIM_METRIC_DESCRIPTION =
  "The figure to compare: a dotted name into the run's per-path figures (as in `hvsim run --json`): latencyNs.mean/p50/p95/p99, perIo.<count> (per completed request, e.g. perIo.vmExits), cpuNsPerIo.guest/root/hypervisor/total, deviceNsPerIo, iops, throughputBytesPerS, or timeByBandNs.<band>.";

/** The fields that pick one path of the run and one of its figures. */
const claimPathFields = {
  vm: id('a VM').meta({ description: 'The VM whose path is measured; it needs a workload.' }),
  disk: id('a VM disk').optional().meta({ description: 'The disk of that VM; needed only when the VM has workloads on several disks.' }),
  path: enumOf(PATH_KINDS)
    .optional()
    .meta({ description: 'The request path; needed only when the disk can take several (an IDE disk that moves to the fast path when integration services load).' }),
};

const FIGURE_DESCRIPTION =
  "A figure of the run beyond its paths, by its dotted name as `hvsim run --json` prints it under figures (e.g. vms.mail.saveNs, migrations[0].blackoutNs): VM life, scheduling, the cluster. Its unit comes from its name: …Ns nanoseconds, …Bytes bytes, …Percent percent, otherwise a count.";
const claimFigure = () =>
  z
    .string(allows('a figure name: words joined by dots, [n] for a list item (e.g. vms.mail.saveNs)'))
    .min(1)
    .max(200)
    .regex(/^[A-Za-z_][\w-]*(\.[\w-]+|\[\d+\])*$/)
    .meta({ description: FIGURE_DESCRIPTION });

const LEFT_FORMS = 'either vm and metric (a figure of a path) or figure (a figure of the run), not both';

const claimLeftSchema = z
  .strictObject({ ...claimPathFields, vm: claimPathFields.vm.optional(), metric: claimMetric().optional().meta({ description: CLAIM_METRIC_DESCRIPTION }), figure: claimFigure().optional() })
  .superRefine((side, ctx) => {
    if (side.figure !== undefined) {
      for (const field of ['vm', 'disk', 'path', 'metric'] as const) {
        if (side[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: `no ${field} next to figure (${LEFT_FORMS})` });
      }
      return;
    }
    if (side.vm === undefined) ctx.addIssue({ code: 'custom', path: ['vm'], message: `the id of a VM, or figure for a figure of the run (${LEFT_FORMS})` });
    if (side.metric === undefined) ctx.addIssue({ code: 'custom', path: ['metric'], message: `a metric of a path, or figure for a figure of the run (${LEFT_FORMS})` });
  })
  .meta({
    description: 'The figure the claim is about: one metric of one path of the run (vm, metric), or a figure of the run by name (figure).',
    oneOf: [{ required: ['vm', 'metric'] }, { required: ['figure'] }],
  });

const SIDE_FORMS = 'either vm and metric (a figure of a path), figure (a figure of the run) or value (a constant), only one';

const claimRightSchema = z
  .strictObject({
    ...claimPathFields,
    vm: claimPathFields.vm.optional(),
    metric: claimMetric().optional().meta({ description: CLAIM_METRIC_DESCRIPTION }),
    figure: claimFigure().optional(),
    value: z.number(allows('a finite number')).optional().meta({ description: "A constant to compare with, in the left metric's unit (ns for times, a count per I/O for perIo)." }),
  })
  .superRefine((side, ctx) => {
    for (const [form, fields] of [
      ['value', ['vm', 'disk', 'path', 'metric', 'figure']],
      ['figure', ['vm', 'disk', 'path', 'metric']],
    ] as const) {
      if (side[form] === undefined) continue;
      for (const field of fields) {
        if (side[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: `no ${field} next to ${form} (${SIDE_FORMS})` });
      }
      return;
    }
    if (side.vm === undefined) ctx.addIssue({ code: 'custom', path: ['vm'], message: `the id of a VM, or value for a constant (${SIDE_FORMS})` });
    if (side.metric === undefined) ctx.addIssue({ code: 'custom', path: ['metric'], message: `a metric of a path, or value for a constant (${SIDE_FORMS})` });
  })
  .meta({
    description: 'What the left figure is compared with: the same fields as left (a metric of a path, or a figure of the run), or { "value": number } for a constant.',
    oneOf: [{ required: ['vm', 'metric'] }, { required: ['figure'] }, { required: ['value'] }],
  });

const COMPARE_OPS = ['less-than', 'greater-than'] as const;
const EXPECT_OPS = [...COMPARE_OPS, 'within'] as const;

const claimExpectSchema = z
  .discriminatedUnion(
    'op',
    [
      z.strictObject({
        left: claimLeftSchema,
        op: z.enum(COMPARE_OPS).meta({ description: 'less-than: left < right / factor; greater-than: left > right × factor.' }),
        right: claimRightSchema,
        factor: z
          .number(allows('a number 1..1,000,000'))
          .min(1)
          .max(1_000_000)
          .optional()
          .meta({ description: 'How many times smaller (less-than) or larger (greater-than) left must be; default 1.' }),
      }),
      z.strictObject({
        left: claimLeftSchema,
        op: z.literal('within').meta({ description: 'within: |left − right| ≤ percent % of |right|.' }),
        right: claimRightSchema,
        percent: z
          .number(allows('a number greater than 0 and at most 1,000'))
          .gt(0)
          .max(1000)
          .meta({ description: 'The largest difference that still holds, in percent of |right| (0 < percent ≤ 1000).' }),
      }),
    ],
    {
      error: (issue: { code?: string }) =>
        issue.code === 'invalid_type' ? 'an object with the fields left, op, right and factor or percent' : `${oneOf(EXPECT_OPS)} (how left compares with right)`,
    },
  )
  .meta({
    description:
      'The expectation: left op right. op less-than: left < right / factor; greater-than: left > right × factor (factor ≥ 1, default 1); within: |left − right| ≤ percent % of |right|.',
  });

const claimSchema = z
  .strictObject({
    text: z.string(allows('a sentence of 1 to 1,000 characters')).min(1).max(1000).meta({ description: 'The claim in words, as the report shows it.' }),
    expect: claimExpectSchema,
  })
  .meta({ description: 'A statement about the run with a check over its figures; hvsim run reports whether it held, with both figures.' });

/** The whole scenario file, structure only (see `references.ts` for the checks across fields). */
export const scenarioSchema = z
  .strictObject({
    $schema: z.string(allows('a string (the path or URL of the JSON Schema, for editors)')).max(1000).optional().meta({ description: 'The JSON Schema this file follows, for editors.' }),
    version: z.literal(SCENARIO_VERSION, allows(`${SCENARIO_VERSION} (the scenario format version)`)).meta({ description: 'Scenario format version.' }),
    name: z.string(allows('a name of 1 to 100 characters')).min(1).max(100).meta({ description: 'Short name of the scenario.' }),
    description: z.string(allows('plain text of at most 4,000 characters')).max(4000).optional().meta({ description: 'What the scenario shows, in plain text; the first line is its summary.' }),
    seed: intIn(0, 4_294_967_295).default(1).meta({ description: 'Seed of the random streams; the same seed gives the same run.' }),
    profile: profile().default('2008').meta({ description: "Cost profile: '2008' (Hyper-V launch hardware, 15K RPM disks; the default) or 'modern' (current CPU, NVMe)." }),
    costs: z.strictObject(costsShape).optional().meta({ description: 'Overrides of single costs by cost id, each in its own unit: nanoseconds for a time, bytes for a size, a count, or 0/1 for a switch (each field says which).' }),
    options: optionsSchema.prefault({}).meta({ description: 'Switches of the model.' }),
    host: hostSchema.optional().meta({ description: 'The physical host.' }),
    vms: listOf(vmSchema, 1, 64, 'VMs').meta({ description: 'The child partitions.' }),
    workloads: listOf(workloadSchema, 0, 256, 'workloads').default([]).meta({ description: 'Streams of I/O requests.' }),
    traffic: listOf(trafficSchema, 0, 256, 'traffic').default([]).meta({ description: 'Streams of network packets through VM NICs.' }),
    cpu: listOf(cpuLoadSchema, 0, 256, 'CPU loads')
      .default([])
      .meta({ description: "CPU-bound work on VMs' virtual processors, so VPs compete for the logical processors (it needs the credit scheduler, the default when there are CPU loads)." }),
    actions: listOf(withClusterActions(actionSchema), 0, 256, 'actions').default([]).meta({ description: 'Things that happen at a set time.' }),
    cluster: clusterSchema.optional(),
    limits: limitsSchema.prefault({}).meta({ description: 'When the run stops at the latest.' }),
    claims: listOf(claimSchema, 0, 64, 'claims')
      .default([])
      .meta({
        description:
          'What the scenario shows, stated so a run can check it: each claim has text and an expectation comparing one figure of one path with another path\'s figure or a constant. hvsim run reports each as held or not held with both figures; --check-claims makes a claim that does not hold exit 1.',
      }),
    lesson: lessonBlockSchema.optional(),
    sweep: sweepBlockSchema.optional(),
  })
  .meta({ title: 'hvsim scenario', description: 'A Hyper-V host, its VMs and the I/O they issue, for the hvsim simulator.' });

/** A scenario after validation, with defaults filled in (durations and sizes still as written). */
export type Scenario = z.output<typeof scenarioSchema>;
/** A scenario as a file may write it. */
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ScenarioVm = Scenario['vms'][number];
export type ScenarioWorkload = Scenario['workloads'][number];
export type ScenarioClaim = Scenario['claims'][number];
