/** The VM life cycle and its control plane (src/model/lifecycle/). Part of the one cost table, `../costs.ts`: ids are stable, scenarios override them by name. */
import { c, n, type CostEntry } from './cost-entry.js';

export const LIFECYCLE_COSTS = {
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
  vm_config_bytes: n('size of a VM configuration file (.xml) that a snapshot copies', 16384, 16384, [4096, 65536], '§4.1 vmwp.exe (snapshots, V); row b.2 "A copy of the configuration file is created" (seed 000, V); size E', 'bytes', { min: 512, max: 16_777_216, multipleOf: 512 }),
  vm_state_chunk_bytes: n('bytes the worker writes (or reads) per I/O when it saves (or restores) a VM memory to its .bin file', 1048576, 1048576, [65536, 16777216], 'row h.2 "Save -> memory to .bin" (V); the chunk size is not published: 1 MiB, E (§7.2 models a save as M / the disk write rate)', 'bytes', { min: 512, max: 268_435_456, multipleOf: 512 }),
  vm_state_io_depth: n('chunks of a save or restore in flight at once (a sequential file copy keeps the disk streaming)', 4, 4, [1, 32], 'E; with it a 15K RPM disk saves at about its media rate, as §7.2 assumes (~150 MB/s: 2 GB in ~13 s)', 'count', { min: 1, max: 256 }),
} as const satisfies Record<string, CostEntry>;
