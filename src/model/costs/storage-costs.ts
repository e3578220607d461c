/** The guest and root storage stacks, VMBus, the emulated IDE in the worker process and the back ends (reference §2, §3, §4, §5, §8). Part of the one cost table, `../costs.ts`: ids are stable, scenarios override them by name. */
import { c, n, sw, type CostEntry } from './cost-entry.js';

export const STORAGE_COSTS = {
  // --- Guest and root storage stacks. host_fs_and_stack is 10,000 per I/O
  //     (§8, E); the guest stack has the same layers, split the same way. Modern:
  //     a few µs per I/O in all (Yang et al. FAST 2012, R; CPU_SPEEDUP_2008_TO_MODERN). ---
  stack_fs: sw('file system (NTFS) per I/O', 4000, [2000, 12000], '§4.2 layers; §8 host_fs_and_stack split (E)'),
  stack_volume: sw('volume manager + partition manager per I/O', 1500, [500, 5000], '§4.2; §8 host_fs_and_stack split (E)'),
  stack_disk_class: sw('disk class driver (disk.sys) per I/O', 1500, [500, 5000], '§4.2; §8 host_fs_and_stack split (E)'),
  stack_port_miniport: sw('port + miniport (ataport/StorPort + miniport) per I/O', 3000, [1000, 8000], '§4.2; §8 host_fs_and_stack split (E)'),
  storvsc_build_srb: sw('storvsc builds an EXECUTE_SRB with a GPA-direct page list', 1000, [500, 3000], '§2.5 (E)'),
  storvsc_complete_srb: sw('storvsc completes one SCSI command from a COMPLETE_IO packet', 500, [200, 2000], '§2.5 (E)'),
  storvsc_max_transfer_bytes: n(
    'largest transfer storvsc puts in one SRB (a larger request is split, whole pages each)',
    131072,
    262144,
    [4096, 2097152],
    '§2.5 "at most 32 pages (128 KB) in the older driver" (V) [2008]; OpenVMM storvsp max_transfer_bytes 0x40000 (V) [modern]',
    'bytes',
    { min: 4096, max: 33_554_432, multipleOf: 4096 },
  ),
  // --- VMBus (§2, §8) ---
  vmbus_ring_write: sw('write one packet (<= 256 B) into a ring, with barriers', 200, [100, 500], '§2.2, §8 (E from ring_buffer.c)'),
  vmbus_ring_read_per_packet: sw('read one packet from a ring', 150, [50, 400], '§2.3, §8 (E)'),
  vmbus_monitor_latency: c('monitor-page signal: mean delay until the hypervisor scans the page (scans every 2× this, so 0-2× it)', 50000, 50000, [0, 100000], '§2.2 hyperv.h comment (V)'),
  storvsp_poll_mode_queue_depth: n(
    'I/Os in flight from which storvsp keeps its ring interrupt masked and looks for new requests only when an I/O completes; below it, it unmasks, re-checks and waits for the guest\'s signal',
    1,
    1,
    [1, 256],
    'OpenVMM storvsp poll_mode_queue_depth, default 1 (V; Guide storvsp_channels.md "Poll mode"); OpenHCL sets 4 for remote disks (V); 256 gives reference §9.4\'s sim rule (mask, drain, unmask, re-check) at any queue depth',
    'count',
    { min: 1, max: 65_536 },
  ),
  storvsp_process_request: sw('storvsp (root kernel) processes one request: decode SRB, map guest PFNs, build IRP', 5000, [2000, 20000], '§8 (E)'),
  // --- Emulated IDE in the worker process (§3, §8) ---
  vmwp_ide_emulate_command: sw('IDE emulator decodes the task file and builds the I/O on a command write', 5000, [2000, 20000], '§8 (E)'),
  string_pio_per_element: sw('device model work per 16-bit word of string I/O', 20, [5, 50], '§8 (E)'),
  ide_dma_prd_walk: sw('IDE emulator walks the PRD table and maps guest memory', 1000, [500, 3000], '§3.1 (E)'),
  // --- Back ends (§5, §8) ---
  vhd_parse_fixed: sw('VHD parser (vhdmp), fixed VHD: LBA -> file offset', 1000, [500, 3000], '§5.1, §8 (E)'),
  vhd_parse_dynamic_lookup: sw('VHD parser: one BAT + sector-bitmap lookup in one image of a chain (cached)', 2000, [1000, 5000], '§5.1, §8 (E)'),
  vhd_structures_4k_aligned: n(
    "whether the VHD parser keeps a VHD's structures on 4 KiB boundaries: 1 = each dynamic or differencing block's sector bitmap is padded to 4 KiB so its data starts on a 4 KiB boundary, the first block starts on one, and the bitmap, the BAT entry and the footer are written as whole 4 KiB pages (Windows Server 2012 on); 0 = the VHD specification's minimal layout, as Windows Server 2008 and 2008 R2 write it: a 512-byte bitmap before each 2 MiB block (so most blocks' data is not 4 KiB aligned) and 512-byte metadata writes. On a 512e disk every write that is not whole 4 KiB sectors costs the drive a read-modify-write (hdd_rmw_revolutions). VHDX is aligned by design either way",
    0,
    1,
    [0, 1],
    "§5.1; Microsoft, Hyper-V Support for Large Sector Disks Overview (hh831459): a 512-byte sector bitmap before the data payload, 512-byte footer, header and parent-locator writes, and each 4 KB payload write straddling two physical sectors cause read-modify-write on 512e disks; Windows Server 2012 aligns these structures to 4 KB in the VHD format (V); KB2515143 for 2008 and 2008 R2 (V); winntfs.com: 3 of every 4 2 MB blocks of a 2008 R2 dynamic VHD misaligned (R)",
    'switch',
    { min: 0, max: 1 },
  ),
  vhd_file_extend: c('host NTFS grows a VHD file by a block (cluster allocation, MFT and log update; CPU only)', 10000, 5000, [2000, 50000], '§5.1 "a file extend, and possibly host file-system allocation" (V); figure E'),
  hba_link_ns_per_kib: c('HBA link transfer per KiB: 4 Gb/s Fibre Channel (~400 MB/s) [2008], 16 Gb/s (~1,600 MB/s) modern', 2560, 640, [320, 10240], '§6 T_xfer = bytes / rate; rates are the Fibre Channel nominal 400 / 1,600 MB/s (R, not in the reference)'),
  hba_command: c('HBA firmware/command overhead per request', 2000, 1000, [500, 10000], '§6 T_overhead (E)'),
} as const satisfies Record<string, CostEntry>;
