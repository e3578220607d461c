/** The network paths and iSCSI (reference §1.6, §2.6, §5.2). Part of the one cost table, `../costs.ts`: ids are stable, scenarios override them by name. */
import { c, n, sw, type CostEntry } from './cost-entry.js';

export const NETWORK_COSTS = {
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
  nic_receive_one_lp: n(
    "where the root takes the frames the physical NIC receives: 1 = all on LP 0 (the NIC's interrupt, its DPC, the switch's forwarding and copy and netvsp's receive-buffer write run on the processor that took the interrupt, as without VMQ or RSS: one core carries every VM's receive traffic); 0 = on the LP of the VM each frame is for, as a queue of its own per VM (VMQ) would put it. The legacy card's worker process runs on its VM's LP either way",
    1,
    1,
    [0, 1],
    "§2.6; Microsoft, Best Practices for Virtualizing and Managing Exchange 2013: 'without the VMQ technology and RSS, the majority of network processing burdens CPU 0 and ultimately limits the scale of the solution' (V); a DPC is queued on the processor that took the interrupt by default (Microsoft Learn, Organization of DPC Queues, V); 'one core will hit 100 % while the others are idle', 3-4 Gb/s of a 10 Gb/s card (blog.workinghardinit.work, R). Both profiles model a switch without VMQ (every frame copied, vswitch.ts)",
    'switch',
    { min: 0, max: 1 },
  ),
  nic_interrupt_moderation: n(
    "whether the physical NIC moderates its receive interrupts: 1 = adaptively, as Intel's drivers do by default: after an interrupt the next waits at least 50 µs (20,000 a second) while frames are small or few, 250 µs (4,000 a second) once full frames stream in, and the frames that arrive meanwhile share it (one interrupt and ISR; the DPC indicates each); a frame after a quiet spell interrupts at once. 0 = one interrupt per frame",
    1,
    1,
    [0, 1],
    "§1.5 (the interrupt path; the reference gives no moderation, so this is from the source): Linux e1000 e1000_update_itr and e1000_set_itr, InterruptThrottleRate 3 'dynamic conservative', the default: low_latency 20,000 ints/s, bulk_latency 4,000 ints/s, lowest_latency not used in conservative mode (V, source); Intel's Windows drivers default to adaptive Interrupt Moderation Rate (R)",
    'switch',
    { min: 0, max: 1 },
  ),
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
} as const satisfies Record<string, CostEntry>;
