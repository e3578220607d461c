/**
 * Every default cost in hvsim, each defined once with its range and source
 * (`../shared/reference/hyperv-facts.md`, cited by section; V = verified
 * text, R = recalled figure, E = engineering estimate built from V/R facts).
 * Two profiles: `2008` (Penryn-era host, 15K RPM disk; Hyper-V's launch
 * hardware) and `modern` (current CPU, NVMe). A scenario picks a profile
 * and may override single costs by id. Nothing here is tuned to make a
 * comparison come out one way: where the reference gives a total, the
 * parts below sum to it (a test checks).
 */

/** One cost: nanoseconds per profile, a plausible range, and where it comes from. */
export interface CostEntry {
  /** What the charge covers. */
  readonly what: string;
  /** Nanoseconds in each profile. */
  readonly ns: { readonly '2008': number; readonly modern: number };
  /** Plausible range in ns [low, high]. */
  readonly range: readonly [number, number];
  /** Reference section and the nature of the figure. */
  readonly source: string;
  /** What the figures count when they are not nanoseconds (a buffer's bytes, a number of heads); absent for ns. */
  readonly unit?: 'bytes' | 'count';
}

/** The profiles a scenario can pick. */
export const PROFILES = ['2008', 'modern'] as const;
export type ProfileName = (typeof PROFILES)[number];

const c = (what: string, y2008: number, modern: number, range: [number, number], source: string): CostEntry => ({
  what,
  ns: { '2008': y2008, modern },
  range,
  source,
});

/**
 * The modern profile's CPU speed-up for software paths (E). Single-thread
 * integer speed of a server core rose about 2.5-3x from a 2008 Penryn Xeon
 * at ~3 GHz to a 2019-2021 core (SPEC CPU2006 integer per-core results, R);
 * kernel I/O paths are branchy and miss the caches more than SPEC does, so
 * 2 is taken. Yang, Minturn & Hady ("When Poll Is Better than Interrupt",
 * FAST 2012, R) measured a whole kernel block I/O path at a few µs per 4 KiB
 * I/O on a 2012 core, the same order as this table's modern stack.
 */
export const CPU_SPEEDUP_2008_TO_MODERN = 2;

/** Software on the CPU: the modern figure is the 2008 one divided by the speed-up (E, see above). */
const sw = (what: string, y2008: number, range: [number, number], source: string): CostEntry =>
  c(what, y2008, Math.round(y2008 / CPU_SPEEDUP_2008_TO_MODERN), range, `${source}; modern = 2008 ÷ ${CPU_SPEEDUP_2008_TO_MODERN} (E: CPU_SPEEDUP_2008_TO_MODERN)`);

/** A figure of the table that is not a time: `unit` says what it counts. */
const n = (what: string, y2008: number, modern: number, range: [number, number], source: string, unit: 'bytes' | 'count'): CostEntry => ({
  ...c(`${what} (${unit === 'bytes' ? 'in bytes' : 'a count'}, not ns)`, y2008, modern, range, source),
  unit,
});

/** The cost table. Ids are stable: scenarios override them by name. */
export const COSTS = {
  // --- CPU primitives (reference §1, §8) ---
  vmexit_roundtrip: c('VM exit + entry: hardware world switch and minimal hypervisor dispatch', 800, 500, [150, 1000], '§1.1, §8: Agesen et al. ATC 2012 Fig. 1; SplitX WIOV 2011; LKML 2020 (V/R)'),
  hypercall_signal_event: c('HvSignalEvent fast hypercall, guest-visible, including its exit', 1500, 800, [400, 2000], '§1.2, §8 (E from V)'),
  hypercall_post_message: sw('HvPostMessage (control plane): message copy + SINT', 2000, [1000, 5000], '§2.4, §8 (E)'),
  syscall_roundtrip: c('system call entry + exit (user <-> kernel)', 100, 100, [50, 700], '§1.3 FlexSC OSDI 2010 (R)'),
  mode_switch: c('one user -> kernel or kernel -> user transition (half a syscall round trip)', 50, 50, [25, 350], '§1.3 (E: half of syscall_roundtrip); the same modern: a faster core, but Meltdown/Spectre mitigations (KPTI, 0.2-0.7 µs a round trip, §1.3 R) on the CPUs that need them'),
  process_context_switch: c('process context switch, direct cost', 3800, 2000, [1000, 4000], '§1.4 Li, Ding & Shen ExpCS 2007 3.8 µs; lmbench lat_ctx (R)'),
  thread_switch_same_process: sw('thread switch within one process', 1000, [500, 2000], '§8 (E)'),
  native_interrupt: sw('IRQ entry -> ISR -> EOI on bare metal', 1000, [500, 3000], '§1.5, §8 (E)'),
  virq_inject: c('virtual interrupt injection: host decides -> guest ISR runs', 2000, 1000, [500, 5000], '§1.5 ELI ASPLOS 2012 (E); modern: with virtual-interrupt delivery the CPU delivers the pending vector on VM entry, and posted interrupts reach a running VP without an exit (Intel SDM vol. 3C ch. 29, V), so half (E)'),
  synic_interrupt_to_root: sw('SynIC interrupt into the root: VMBus ISR + DPC', 2000, [1000, 5000], '§8 (E)'),
  vmbus_guest_isr: sw('the guest\'s VMBus ISR: test-and-clear the channel\'s bit in the SynIC event-flags page, mask the inbound ring (hv_begin_read, BATCHED mode), queue the channel\'s DPC (Linux vmbus_isr -> vmbus_chan_sched -> tasklet_schedule; Windows vmbus.sys ISR -> KeInsertQueueDpc)', 1000, [300, 3000], '§2.3; Linux drivers/hv/vmbus_drv.c vmbus_isr, vmbus_chan_sched (V, the steps); figure E: the ISR share of native_interrupt'),
  dpc_dispatch: sw('a DPC (Windows) or tasklet (Linux) starts: software interrupt at DISPATCH_LEVEL / softirq entry, dequeue, call the routine (no privilege change, no EOI)', 800, [200, 3000], '§1.5 (E: a little under native_interrupt: no IDT entry or EOI, the same cold cache lines)'),
  hv_physical_interrupt: c('the hypervisor takes a physical device interrupt for the root: acknowledges the physical local APIC, looks up the vector the root mapped (HvCallMapDeviceInterrupt), injects it into the root\'s VP; without APIC virtualization also the root\'s EOI, an intercepted APIC write (one exit round trip); with it (modern) the EOI is virtualized', 2000, 600, [300, 5000], '§1.5, §1.1; root interrupts are remapped by the hypervisor: Linux arch/x86/hyperv/irqdomain.c hv_map_interrupt, commit e39397d1 "when Linux runs as the root partition on Microsoft Hypervisor, its interrupts are remapped" (V, mechanism); figure E: virq_inject\'s hypervisor share + vmexit_roundtrip [2008]'),
  apic_virtualization: n('APIC virtualization (Intel APICv: virtual-interrupt delivery and EOI virtualization; AMD AVIC): 1 = an EOI of an edge-triggered interrupt is virtualized (no exit) and Hyper-V recommends dropping SynIC auto-EOI; a level-triggered IOAPIC interrupt still exits on EOI (EOI-exit bitmap) so the virtual IOAPIC can clear Remote IRR; posted interrupts reach a running VP without an exit', 0, 1, [0, 1], '§1.5; Intel SDM vol. 3C ch. 29 (virtual-interrupt delivery, EOI virtualization, EOI-exit bitmap, posted-interrupt processing) (V); Hyper-V: CPUID 0x40000004 EAX bit 9 "deprecating AutoEOI recommended", added to Linux as "Virtual APIC support" so guests "enable vAPIC functionality if available" (K. Y. Srinivasan, LKML 2017-03, V), sent by Windows Server 2016 and later hosts (R: the patch\'s date); KVM deactivates APICv while a Hyper-V guest uses AutoEOI (V. Kuznetsov, KVM series 2021, V): the two exclude each other. 2008: Penryn has no APICv (it came with Ivy Bridge-EP, 2013, R)', 'count'),
  // --- Virtual processors on logical processors (issue 14 item 3, issue 10 item 5; used only when a
  //     scenario picks the credit scheduler). Hyper-V's scheduler costs are not published (a gap,
  //     vm-lifecycle-and-availability.md row a.2); these are estimates from the exit costs above. ---
  hlt_exit: c('HLT exit: an idle VP executes HLT, exits to the hypervisor, which saves it and picks another VP or idles the LP', 1500, 1000, [500, 5000], 'E: vmexit_roundtrip (§1.1) plus the scheduler\'s pick; the HLT intercept itself is in every VMX hypervisor (Intel SDM vol. 3 "HLT exiting", R)'),
  vp_wake: c('wake of a halted VP: the hypervisor takes the interrupt meant for it (an IPI to its LP), makes it runnable and enters it', 5000, 3000, [1000, 50000], '§1.5 E: an IPI and a VM entry on top of virq_inject; that waking a halted vCPU costs enough to be worth polling for is the premise of KVM halt polling (linux Documentation/virtual/kvm/halt-polling.txt, R)'),
  vp_switch: c('the hypervisor switches an LP from one VP to another: save one VP\'s state, load the next\'s', 3000, 2000, [1000, 10000], 'E: a process context switch (§1.4 process_context_switch) less the address-space work; Xen context_switch (R)'),
  // --- A user-mode intercept, decomposed. The parts sum to io_intercept_usermode
  //     (15,000 [2008] / 8,000 [modern], range 3,000-20,000, §1.6 E): ---
  intercept_message_to_root: c('hypervisor turns an intercept into a SynIC message to the root', 1500, 800, [500, 3000], '§1.6 decomposition (E)'),
  vid_intercept_dispatch: c('VID.sys (root kernel) decodes the intercept and wakes the VM worker thread', 1500, 800, [500, 3000], '§1.6 decomposition (E)'),
  ide_register_emulate: c('vmwp.exe IDE emulator handles one register access', 1000, 500, [200, 3000], '§1.6 decomposition (E)'),
  vid_intercept_complete: c('worker completes the intercept through VID; hypervisor resumes the VP', 1500, 800, [500, 3000], '§1.6 decomposition (E)'),
  // --- Guest and root storage stacks. host_fs_and_stack is 10,000 per I/O
  //     (§8, E); the guest stack has the same layers, split the same way. Modern:
  //     a few µs per I/O in all (Yang et al. FAST 2012, R; CPU_SPEEDUP_2008_TO_MODERN). ---
  stack_fs: sw('file system (NTFS) per I/O', 4000, [2000, 12000], '§4.2 layers; §8 host_fs_and_stack split (E)'),
  stack_volume: sw('volume manager + partition manager per I/O', 1500, [500, 5000], '§4.2; §8 host_fs_and_stack split (E)'),
  stack_disk_class: sw('disk class driver (disk.sys) per I/O', 1500, [500, 5000], '§4.2; §8 host_fs_and_stack split (E)'),
  stack_port_miniport: sw('port + miniport (ataport/StorPort + miniport) per I/O', 3000, [1000, 8000], '§4.2; §8 host_fs_and_stack split (E)'),
  storvsc_build_srb: sw('storvsc builds an EXECUTE_SRB with a GPA-direct page list', 1000, [500, 3000], '§2.5 (E)'),
  storvsc_complete_srb: sw('storvsc completes one SCSI command from a COMPLETE_IO packet', 500, [200, 2000], '§2.5 (E)'),
  // --- VMBus (§2, §8) ---
  vmbus_ring_write: sw('write one packet (<= 256 B) into a ring, with barriers', 200, [100, 500], '§2.2, §8 (E from ring_buffer.c)'),
  vmbus_ring_read_per_packet: sw('read one packet from a ring', 150, [50, 400], '§2.3, §8 (E)'),
  vmbus_monitor_latency: c('monitor-page signal: delay until the hypervisor polls the page', 50000, 50000, [0, 100000], '§2.2 hyperv.h comment (V)'),
  storvsp_process_request: sw('storvsp (root kernel) processes one request: decode SRB, map guest PFNs, build IRP', 5000, [2000, 20000], '§8 (E)'),
  // --- Emulated IDE in the worker process (§3, §8) ---
  vmwp_ide_emulate_command: sw('IDE emulator decodes the task file and builds the I/O on a command write', 5000, [2000, 20000], '§8 (E)'),
  string_pio_per_element: sw('device model work per 16-bit word of string I/O', 20, [5, 50], '§8 (E)'),
  ide_dma_prd_walk: sw('IDE emulator walks the PRD table and maps guest memory', 1000, [500, 3000], '§3.1 (E)'),
  // --- Back ends (§5, §8) ---
  vhd_parse_fixed: sw('VHD parser (vhdmp), fixed VHD: LBA -> file offset', 1000, [500, 3000], '§5.1, §8 (E)'),
  vhd_parse_dynamic_lookup: sw('VHD parser: one BAT + sector-bitmap lookup in one image of a chain (cached)', 2000, [1000, 5000], '§5.1, §8 (E)'),
  vhd_file_extend: c('host NTFS grows a VHD file by a block (cluster allocation, MFT and log update; CPU only)', 10000, 5000, [2000, 50000], '§5.1 "a file extend, and possibly host file-system allocation" (V); figure E'),
  hba_link_ns_per_kib: c('HBA link transfer per KiB: 4 Gb/s Fibre Channel (~400 MB/s) [2008], 16 Gb/s (~1,600 MB/s) modern', 2560, 640, [320, 10240], '§6 T_xfer = bytes / rate; rates are the Fibre Channel nominal 400 / 1,600 MB/s (R, not in the reference)'),
  hba_command: c('HBA firmware/command overhead per request', 2000, 1000, [500, 10000], '§6 T_overhead (E)'),
  // --- Disks (§6). HDD: 15K RPM (Hitachi Ultrastar 15K450: 3.3/3.8 ms seek read/write V;
  //     2.0 ms average rotation; ~150 MB/s R; 16 MB buffer R). The drive model is Ruemmler &
  //     Wilkes, "An introduction to disk drive modeling" (IEEE Computer 27(3), 1994): command
  //     overhead, seek, rotational position, media transfer, a segmented read-ahead cache and a
  //     write-back cache; queued requests are picked shortest positioning time first (Worthington,
  //     Ganger & Patt, SIGMETRICS 1994) as in DiskSim (Bucy et al., CMU-PDL-08-101, 2008).
  //     Modern: NVMe NAND SSD. ---
  hdd_seek_read_avg: c('HDD average seek, read (15K RPM)', 3_300_000, 3_300_000, [2_900_000, 9_000_000], '§6 Hitachi 15K450 spec (V)'),
  hdd_seek_write_avg: c('HDD average seek, write (15K RPM)', 3_800_000, 3_800_000, [3_100_000, 9_500_000], '§6 Hitachi 15K450 spec (V)'),
  hdd_track_to_track: c('HDD track-to-track (minimum) seek; also the cylinder skew a sequential transfer crosses', 200_000, 200_000, [100_000, 1_000_000], '§6 distance model s + m·n (R)'),
  hdd_rotation_period: c('one revolution at 15,000 RPM (average latency = half of it); the head\'s angle is (t mod this) / this', 4_000_000, 4_000_000, [4_000_000, 11_100_000], '§6 T_rot = 0.5 × 60/RPM (V, arithmetic)'),
  hdd_media_ns_per_kib: c('HDD media transfer per KiB (150 MB/s); sectors per track = rotation period / (this / 2), one zone', 6_827, 6_827, [5_000, 12_000], '§6 15K media rate 120-170 MB/s (R); 15K450 sustained 123-164 MB/s (R)'),
  hdd_command_overhead: c('HDD controller time per command (decode, cache lookup, set-up); overlaps the wait of a queued command', 100_000, 100_000, [20_000, 1_000_000], '§6 T_overhead; Ruemmler & Wilkes 1994 (controller overhead, a few hundred µs on early-1990s drives, R); figure E'),
  hdd_write_cache_ack: c('HDD/array write-back cache: controller time before a cached write is acknowledged', 200_000, 200_000, [100_000, 500_000], '§6 (E)'),
  hdd_interface_ns_per_kib: c('HDD interface transfer per KiB between the drive buffer and the host (3 Gb/s SAS or 4 Gb/s FC-AL, ~300 MB/s after 8b/10b): cache hits and cached writes', 3_413, 3_413, [853, 6_827], '§6 T_xfer = bytes / rate; 15K450 interfaces SAS 3 Gb/s, FC 4 Gb/s (R); 1.5-12 Gb/s range (R)'),
  hdd_heads: n('HDD data heads (surfaces); cylinders = sectors / (sectors per track × heads), the seek distance is in cylinders', 8, 8, [1, 16], '§6; 15K450: 4 platters, 8 heads (R)', 'count'),
  hdd_read_segments: n('HDD read-cache segments (LRU); each holds one sequential run and its read-ahead', 8, 8, [1, 32], '§6; Ruemmler & Wilkes 1994 §caching, DiskSim segment cache (R); count E from a 16 MB buffer', 'count'),
  hdd_segment_bytes: n('HDD read-cache segment size: read-ahead runs at most this far beyond the host\'s last read in the segment', 1_048_576, 1_048_576, [65_536, 4_194_304], '§6; 15K450 16 MB buffer (R), split E', 'bytes'),
  hdd_write_buffer_bytes: n('HDD write-back buffer capacity: dirty data held for destaging; a write waits for room when full', 4_194_304, 4_194_304, [524_288, 16_777_216], '§6 "until the cache fills" (E); 15K450 16 MB buffer (R), share E', 'bytes'),
  hdd_reorder_window: n('HDD commands (queued requests, then dirty blocks) the drive considers when it picks the next: NCQ/TCQ depth', 32, 32, [1, 256], '§6 NCQ 32 tags (R); Worthington, Ganger & Patt 1994 SPTF', 'count'),
  hdd_queue_age_limit: c('HDD starvation bound: a queued request older than this is served next, whatever its positioning time', 200_000_000, 200_000_000, [20_000_000, 2_000_000_000], '§6; aged SPTF (Jacobson & Wilkes, HP Labs 1991; evaluated by Worthington, Ganger & Patt 1994, R); figure E'),
  ssd_write_4k: c('NVMe write, 4 KiB, QD1 (DRAM cache acknowledges): time in one parallel unit', 20_000, 20_000, [10_000, 80_000], '§6 AnandTech P4800X review ratio (V), absolute (R)'),
  ssd_read_4k: c('NVMe read, 4 KiB, QD1: time in one parallel unit (flash read + controller)', 80_000, 80_000, [70_000, 100_000], '§6 (R)'),
  ssd_ns_per_kib: c('NVMe data transfer per KiB over the drive\'s shared path (PCIe link / controller, ~3 GB/s): one transfer at a time', 333, 333, [140, 500], '§6 2-7 GB/s (R); Intel DC P3700 2.8 GB/s sequential read (R)'),
  ssd_parallel_units: n('NVMe commands in service at once (channels × dies the controller keeps busy)', 32, 32, [4, 256], '§6; Little\'s law on the Intel DC P3700: 460K 4 KiB random-read IOPS × ~80 µs ≈ 37 in flight, 18 channels (R); E', 'count'),
  // --- Network paths (§2.6, §1.6). The legacy NIC's CSR intercept reuses the decomposed
  //     user-mode intercept above; only the emulator's own step is new. Software costs
  //     are halved in the modern profile as every software path is (CPU_SPEEDUP_2008_TO_MODERN). ---
  legacy_nic_register_emulate: c('vmwp.exe legacy NIC (DEC 21140) emulator handles one CSR access', 1000, 500, [200, 3000], '§1.6 decomposition (E), as ide_register_emulate'),
  legacy_nic_descriptor_walk: sw('legacy NIC emulator reads one tx/rx descriptor from guest memory and maps its buffer (QEMU tulip_desc_read + pci_dma_*)', 1000, [500, 3000], '§3.1 analogue of ide_dma_prd_walk (E)'),
  tulip_descriptor_update: sw('guest tulip driver fills, reclaims or refills one descriptor in its own memory (no trap)', 200, [100, 1000], '§3.1 descriptors live in guest memory (E)'),
  memcpy_ns_per_kib: c('CPU copy of one KiB of frame data (about 2 GB/s on a 2008 host, 10 GB/s modern)', 500, 100, [50, 1000], '§2.6 copies into send/receive buffers (E; memory-copy bandwidth of the era, R)'),
  netvsc_send_packet: sw('netvsc builds an RNDIS_MSG_PACKET inside an NVSP SEND_RNDIS_PKT message and picks a send-buffer section', 1000, [300, 3000], '§2.6 (E, as storvsc_build_srb)'),
  netvsc_send_complete: sw('netvsc handles SEND_RNDIS_PKT_COMPLETE: frees the section and the skb', 500, [200, 2000], '§2.6 (E, as storvsc_complete_srb)'),
  netvsc_receive_packet: sw('netvsc handles one transfer-page range: RNDIS parse, skb allocation, indication up', 1000, [300, 3000], '§2.6 (E)'),
  netvsp_process_packet: sw('netvsp (root kernel) decodes NVSP/RNDIS and builds an NBL over the already-mapped send-buffer section', 2000, [1000, 10000], '§2.6 (E; storvsp_process_request less the per-I/O PFN mapping)'),
  netvsp_receive_indicate: sw('netvsp takes a receive-buffer range and builds the transfer-page packet', 1000, [500, 5000], '§2.6 (E)'),
  netvsp_range_free: sw('netvsp handles a receive completion and frees its range', 200, [100, 1000], '§2.6 (E)'),
  vswitch_forward: sw('vmswitch.sys forwards one frame: port lookup by destination MAC, policy, NBL routing', 2000, [1000, 10000], '§2.6 (E); VMQ "avoids needless packet copies and route lookups in the virtual switch" (Microsoft, V qualitative)'),
  nic_miniport_send: sw('root NDIS miniport posts one frame to the physical NIC (descriptor + doorbell)', 1500, [500, 5000], '§8 native_interrupt scale (E)'),
  nic_miniport_complete: sw('root NDIS send completion of one frame (interrupt moderation amortises the interrupt)', 500, [200, 2000], '§1.5 (E)'),
  nic_miniport_receive: sw('root NDIS miniport indicates one received frame (DPC)', 1500, [500, 5000], '§1.5 (E)'),
  nic_dma: c('physical NIC DMA of one frame: descriptor fetch + payload over PCI/PCIe', 1000, 500, [200, 3000], '§6 T_overhead analogue (E)'),
  nic_link_ns_per_kib: c('wire time per KiB on the physical link: 1 Gb/s (2008), 10 Gb/s (modern)', 8192, 819, [82, 81920], '§7.1 B = 1 Gb/s (V); bytes·8/rate (arithmetic); 10 GbE modern (R)'),
  // --- iSCSI (§5.2: no published in-guest vs host figures, a gap; the comparison is structural).
  //     The same initiator and TCP/IP costs whether the guest or the root runs them; only where
  //     they run, and what carries the frames, differs. No checksum or segmentation offload. ---
  iscsi_initiator_pdu: sw('iSCSI initiator (msiscsi.sys) builds one PDU: basic header segment, task tag, CmdSN, and queues it on its TCP connection', 2000, [1000, 10000], '§5.2 structural (E; as storvsc_build_srb plus iSCSI session bookkeeping)'),
  iscsi_initiator_receive: sw('iSCSI initiator parses one PDU from the target and matches it to its task by the initiator task tag', 1500, [500, 5000], '§5.2 (E; as storvsc_complete_srb plus the task lookup)'),
  tcp_segment_send: sw('TCP/IP sends one segment of up to 1,460 bytes: TCP and IP headers, software checksum, hand-off to NDIS (driver costs are charged separately)', 2000, [1000, 10000], '§5.2 gap; E from the rule of thumb of about 1 Hz of CPU per bit/s of TCP (Foong et al., ISPASS 2003, R), less the NIC driver and interrupt shares'),
  tcp_segment_receive: sw('TCP/IP takes one received segment: checksum, header processing, reassembly into the socket stream (driver costs are charged separately)', 2500, [1000, 10000], '§5.2 gap; E as tcp_segment_send, receive a little dearer (R)'),
  iscsi_target_pdu: c('the iSCSI target (a remote storage host) handles one PDU: its own TCP/IP, iSCSI and SCSI layers; device time, not host CPU', 15000, 8000, [5000, 100000], '§5.2 gap (E; a software target on a server of the era)'),
  // --- The VM life cycle and its control plane (src/model/lifecycle/; vm-lifecycle-and-availability.md rows b, h).
  //     No published figures for these steps (row h "Gaps"); each is an E from the mechanism. Their time
  //     passes in the control plane and is not charged to the logical processors the I/O paths use. ---
  vmms_request: c('the WMI provider takes a RequestStateChange call and VMMS checks it and starts its job (RPC, authorisation, job object)', 5000000, 2000000, [500000, 50000000], '§4.1 vmms.exe (V); row h.2 (WMI provider -> VMMS, the single point of management requests: seed 004, V); figure E'),
  vmwp_start: c('VMMS creates the VM worker process (vmwp.exe) and it loads the VM configuration and its device models', 200000000, 80000000, [20000000, 2000000000], '§4.1 vmwp.exe, one per running VM (V); row h.2 "When a VM is started, a worker process is created" (seed 004, V); figure E'),
  partition_create: c('the hypervisor creates the child partition, its memory is deposited and mapped and its virtual processors created', 50000000, 20000000, [5000000, 500000000], '§4.1 hypervisor, VID.sys (V); row h.2 "the hypervisor has only a few simple tasks: creating and tearing down partitions" (seed 004, V); figure E'),
  partition_teardown: c('the worker stops the virtual processors, the hypervisor destroys the partition and frees its memory, the worker exits', 30000000, 10000000, [5000000, 500000000], '§4.1, row h.2 (E)'),
  vm_processors_stop: c('the worker asks the hypervisor to stop (or start again) every virtual processor of the VM: a pause or resume', 1000000, 500000, [100000, 10000000], '§4.1 VID.sys (partition and VP management, V); row h.2 "Pause -> VPs stopped, memory kept" (E)'),
  vm_guest_boot: c('a guest boots from power-on to its services (BIOS, boot loader, kernel, drivers); its applications wait for it', 10000000000, 5000000000, [2000000000, 10000000000], '§7.3 "cold boot of the guest OS and application (E: 30 s to several min)"; 10 s here keeps lessons short and is the most an override may give (E)'),
  vm_guest_shutdown: c('a guest shuts down through the shutdown integration service (services stop, file systems flush) before the partition is torn down', 5000000000, 3000000000, [1000000000, 10000000000], '§2.4 (integration services over VMBus); row h.2 (shutdown IC, hv_util.c, V); figure E'),
  vm_config_bytes: n('size of a VM configuration file (.xml) that a snapshot copies', 16384, 16384, [4096, 65536], '§4.1 vmwp.exe (snapshots, V); row b.2 "A copy of the configuration file is created" (seed 000, V); size E', 'bytes'),
  vm_state_chunk_bytes: n('bytes the worker writes (or reads) per I/O when it saves (or restores) a VM memory to its .bin file', 1048576, 1048576, [65536, 16777216], 'row h.2 "Save -> memory to .bin" (V); the chunk size is not published: 1 MiB, E (§7.2 models a save as M / the disk write rate)', 'bytes'),
  vm_state_io_depth: n('chunks of a save or restore in flight at once (a sequential file copy keeps the disk streaming)', 4, 4, [1, 32], 'E; with it a 15K RPM disk saves at about its media rate, as §7.2 assumes (~150 MB/s: 2 GB in ~13 s)', 'count'),
} as const satisfies Record<string, CostEntry>;

/** A cost id. */
export type CostId = keyof typeof COSTS;

/** All cost ids, in table order. */
export const COST_IDS = Object.keys(COSTS) as CostId[];

/** Resolved costs for one run: the profile's figures with the scenario's overrides applied. */
export type CostTable = Readonly<Record<CostId, number>>;

/** The costs of `profile`, with `overrides` (by id, in ns) applied. Throws on an unknown id or a bad value. */
export function resolveCosts(profile: ProfileName, overrides: Partial<Record<string, number>> = {}): CostTable {
  const table = {} as Record<CostId, number>;
  for (const id of COST_IDS) table[id] = COSTS[id].ns[profile];
  for (const [id, value] of Object.entries(overrides)) {
    if (!(id in COSTS)) throw new RangeError(`unknown cost id '${id}'`);
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`cost '${id}' must be a non-negative integer ns, got ${value}`);
    table[id as CostId] = value;
  }
  return table;
}
