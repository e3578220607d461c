/**
 * The validated description of one simulated host that `buildWorld` turns
 * into a running model. `src/scenario` produces it from a scenario file;
 * tests may write it directly. Plain data: ids, numbers and strings, no
 * references between entities.
 */
import type { ClusterConfig } from './cluster/cluster-config.js';
import type { CostTable, ProfileName } from './costs.js';
import type { VmActionName } from './trace-events.js';

/** A physical disk on the host. */
export interface PhysicalDiskConfig {
  id: string;
  kind: 'hdd' | 'ssd';
  /** Capacity in 512-byte sectors. */
  sectors: number;
  writeCache: boolean;
  /** The media's sector behind 512-byte logical ones: 512 (512n, default) or 4,096 (512e, a hard disk only). */
  physicalSectorBytes?: 512 | 4096;
  /**
   * The HBA the disk hangs off; disks on one HBA share its link. Absent:
   * `hba0` for a hard disk, none for a flash disk (`hbaOf`).
   */
  hba?: string;
}

/** The HBA a host disk hangs off: its own, else `hba0` for a hard disk; null for a flash disk on none (an NVMe device on the root's PCIe). */
export function hbaOf(d: PhysicalDiskConfig): string | null {
  return d.hba ?? (d.kind === 'hdd' ? 'hba0' : null);
}

/** An iSCSI target on the network (reference §5.2): a storage host with one LUN on its own disk. */
export interface IscsiTargetConfig {
  id: string;
  disk: { kind: 'hdd' | 'ssd'; sectors: number; writeCache: boolean; physicalSectorBytes?: 512 | 4096 };
}

/** A virtual disk attached to a VM. */
export interface VmDiskConfig {
  id: string;
  /** `ide`: the emulated IDE controller (or its fast path once integration services load); `scsi`: synthetic SCSI over VMBus. */
  controller: 'ide' | 'scsi';
  /** Transfer mode the guest's ATA driver uses on an emulated IDE disk. */
  /** pio: READ/WRITE SECTORS; pio-multiple: READ/WRITE MULTIPLE with 32-bit string I/O; dma: bus-master DMA. */
  ideMode: 'pio' | 'pio-multiple' | 'dma';
  backend: {
    kind: 'fixed-vhd' | 'dynamic-vhd' | 'differencing-vhd' | 'fixed-vhdx' | 'dynamic-vhdx' | 'differencing-vhdx' | 'passthrough' | 'iscsi';
    /** The host disk (not used by `iscsi`, which names its `target`). */
    disk: string;
    /** iscsi: the target (host.iscsiTargets) whose LUN this is. */
    target?: string;
    /**
     * iscsi: `guest`, the guest's own initiator over its synthetic NIC (path iscsi-guest; the
     * controller is ignored); `root`, the root's initiator with the LUN passed through to the VM's controller.
     */
    attach?: 'guest' | 'root';
    /** iscsi with attach `guest`: the VM's synthetic NIC (default its first synthetic NIC). */
    nic?: string;
    /** Virtual size in sectors (default 127 GiB, Hyper-V's default VHD size). */
    virtualSectors?: number;
    /** Dynamic/differencing: the parser zero-fills a new 2 MiB block before its first write (§5.1 option). */
    zeroFillNewBlocks?: boolean;
    /** Dynamic/differencing VHDX: the block size in MiB (default 32). */
    blockSizeMiB?: number;
    /** Differencing: the image below the chain, and how many differencing levels sit on it (snapshots). */
    base?: 'fixed' | 'dynamic';
    depth?: number;
  };
}

/** A child partition. */
export interface VmConfig {
  id: string;
  /** `legacy`: an OS with no synthetic drivers at all (emulated devices only; integration services cannot load). */
  os: 'windows' | 'linux' | 'legacy';
  /** Integration services (VSCs, storflt) loaded from the start. */
  integrationServices: boolean;
  /** SynIC auto-EOI for VMBus interrupts (enlightened guests). */
  autoEoi: boolean;
  disks: VmDiskConfig[];
  /** The same OS on the bare host with no hypervisor: the native baseline. Its disks are physical (passthrough) disks. */
  native?: boolean;
  /** Network cards: the emulated DEC 21140 (legacy) or netvsc over VMBus (synthetic). */
  nics?: { id: string; kind: 'legacy' | 'synthetic' }[];
  /** Memory in MiB (default 1,024): what saving the VM writes to disk. */
  memoryMiB?: number;
  /** Virtual processors (1..4, default 1); the VM's I/O runs on VP 0. */
  vcpus?: number;
  /** The state the VM is in when the run begins (default running); an `off` VM is started by a `start` action. */
  initialState?: 'running' | 'off';
  /** The LP each VP runs on (a simulator's pinning, as Xen's vcpu-pin: Hyper-V of 2008 has no such setting); default: the next LPs in turn. */
  affinity?: number[];
  /** Hyper-V's processor controls (reserve and limit in percent of an LP per VP, relative weight); absent: 0 %, 100 %, 100. Credit scheduler only. */
  cpu?: { reservePct: number; limitPct: number; weight: number };
}

/** CPU-bound work on a VM's virtual processor: bursts with a duty cycle (model/scheduler/). */
export interface CpuLoadConfig {
  vm: string;
  /** The VP it runs on. */
  vp: number;
  /** Percent of the time the VP wants to run: bursts of `burstNs`, then a sleep that makes this duty cycle. */
  dutyPercent: number;
  burstNs: number;
  startNs: number;
  /** How long it runs; absent: until the run's I/O is done. */
  durationNs?: number;
}

/** How virtual processors share the logical processors. */
export interface SchedulerSpec {
  /** `dedicated`: every VP always runs (steps queue only for their LP, first come first served); `credit`: time slices, HLT and wakes (model/scheduler/). */
  kind: 'dedicated' | 'credit';
  sliceNs: number;
  wakeBoost: boolean;
}

/** A stream of network packets through one VM's NIC (model/network). */
export interface TrafficConfig {
  vm: string;
  nic: string;
  direction: 'send' | 'receive';
  /** Frame bytes per packet (1,514 for a full Ethernet frame). */
  bytes: number;
  count: number;
  packetsPerSecond: number;
  arrival: 'constant' | 'poisson';
  /** Send only: another VM's NIC as `vm/nic`; default the physical network. */
  to?: string;
  startNs: number;
  /** The random stream group its Poisson gaps come from (`traffic.<stream>.arrivals`); traffic with the same group draws identical gaps. Default: its index. */
  stream?: string;
}

/** A stream of I/O requests from one VM to one of its disks. */
export interface WorkloadConfig {
  vm: string;
  disk: string;
  /** `mixed`: each request is a read with probability `readPercent`/100, else a write (drawn from the workload's own stream). */
  op: 'read' | 'write' | 'mixed';
  readPercent?: number;
  bytes: number;
  queueDepth: number;
  count: number;
  pattern: 'sequential' | 'random' | 'fixed';
  /** First LBA (for `sequential` and `fixed`). */
  lba: number;
  /** When the first request is issued. */
  startNs: number;
  /** When set, no request is issued at or after `startNs + durationNs` (a workload bounded by time; `count` still caps it). */
  durationNs?: number;
  /** The random stream group its draws come from (`workload.<stream>.lba`, `.op`); workloads with the same group draw identical sequences (common random numbers). Default: its index. */
  stream?: string;
}

/**
 * A timed action: load a guest's integration services; or a management
 * action of the VM's life cycle (model/lifecycle/: start, save, restore,
 * pause, resume, shutdown, turn-off, snapshot, revert, delete-snapshot).
 * A `snapshot` that names a `disk` only adds a differencing link to that
 * VHD (no pause, no memory); without one it snapshots the whole VM as
 * Hyper-V does.
 */
export interface ActionConfig {
  atNs: number;
  do: 'load-integration-services' | VmActionName;
  vm: string;
  /** For a disk `snapshot`: the VM's disk. */
  disk?: string;
}

/** Everything needed to build and run a world. */
export interface WorldConfig {
  name: string;
  seed: number;
  profile: ProfileName;
  costs: CostTable;
  /** How the hypervisor hands string I/O (`rep outsw`) to the device model: once per instruction, or once per 16-bit element. */
  stringIo: 'per-instruction' | 'per-element';
  /** How a VMBus writer signals the reader: HvSignalEvent, or the monitor page (no exit, ~50 µs later). */
  vmbusSignal: 'hypercall' | 'monitor';
  /** Bytes per ring (each direction). */
  ringBytes: number;
  host: { logicalProcessors: number; disks: PhysicalDiskConfig[]; iscsiTargets?: IscsiTargetConfig[] };
  vms: VmConfig[];
  workloads: WorkloadConfig[];
  /** Network traffic (none by default). */
  traffic?: TrafficConfig[];
  actions: ActionConfig[];
  /** How VPs share LPs (default dedicated). */
  scheduler?: SchedulerSpec;
  /** CPU loads (none by default; they need the credit scheduler). */
  cpu?: CpuLoadConfig[];
  /** Several hosts around this one (`model/cluster/`): migrations, failures, backups; absent for a single host. */
  cluster?: ClusterConfig;
  /** Hard limits: nothing runs forever. */
  limits: { maxEvents: number; untilNs: number };
}

/** Requests a world's (or a scenario's) workloads and traffic ask for in all: the sum of their counts. */
export function requestsOf(sources: { readonly workloads: readonly { count: number }[]; readonly traffic?: readonly { count: number }[] }): number {
  let n = 0;
  for (const w of sources.workloads) n += w.count;
  for (const t of sources.traffic ?? []) n += t.count;
  return n;
}
