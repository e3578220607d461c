/**
 * The glossary: every term a student meets in hvsim's lessons, captions
 * and panels, each in two plain sentences with where it comes from (a
 * section of the project's reference notes, hyperv-facts.md, or the Linux
 * or Windows source it rests on). Pure data plus a finder that returns
 * where terms occur in a text, as spans, so a panel can link them; it
 * never builds HTML.
 */

/** One glossary entry. */
export interface GlossaryTerm {
  /** The term as the glossary lists it, e.g. `VM exit`. */
  readonly term: string;
  /** Other ways a text writes it (plural forms are matched anyway). */
  readonly aliases?: readonly string[];
  /** Two plain sentences. */
  readonly definition: string;
  /** Where it comes from: a section of hyperv-facts.md, or a source file. */
  readonly source: string;
}

const TERMS: readonly GlossaryTerm[] = [
  {
    term: 'ATA driver',
    aliases: ['ATA'],
    definition: "The guest's driver for an IDE (ATA) disk controller. It drives the controller by reading and writing its registers, which on an emulated controller each trap to the hypervisor.",
    source: 'hyperv-facts.md §3 (Linux drivers/ata/libata-sff.c)',
  },
  {
    term: 'auto-EOI',
    definition: 'A SynIC setting under which an interrupt counts as ended as soon as it is delivered. The guest then writes no end of interrupt for VMBus interrupts, which saves one VM exit each.',
    source: 'hyperv-facts.md §1.5 (Linux hv_synic_enable_regs)',
  },
  {
    term: 'BAT',
    aliases: ['block allocation table'],
    definition: "A dynamic or differencing VHD's table with one entry per 2 MiB block, saying where in the file the block lives or that it does not exist yet. A write into a block that does not exist must first add it to this table.",
    source: 'hyperv-facts.md §5.1 (VHD spec; QEMU block/vpc.c)',
  },
  {
    term: 'child partition',
    aliases: ['child partitions'],
    definition: 'A partition that runs a guest operating system: a virtual machine. It reaches devices only through the root partition, by emulation or over VMBus.',
    source: 'hyperv-facts.md §4.1 (Windows Internals 6e ch. 3)',
  },
  {
    term: 'context switch',
    aliases: ['process switch', 'switch to another process'],
    definition: 'The processor stops running one process or thread and starts another, saving and loading its state. A switch to another process costs microseconds, plus the time its caches take to warm up again.',
    source: 'hyperv-facts.md §1.4 (Li, Ding & Shen 2007)',
  },
  {
    term: 'differencing VHD',
    definition: 'A VHD that stores only the blocks written since it was made, over a parent image that stays read-only. Snapshots create them; a read looks in the child first and then down the chain.',
    source: 'hyperv-facts.md §5.1',
  },
  {
    term: 'DMA',
    aliases: ['bus-master DMA', 'direct memory access'],
    definition: 'A transfer in which the controller moves the data to or from memory itself while the processor does other work. On the emulated IDE controller the whole transfer needs only the registers of one command and one interrupt.',
    source: 'hyperv-facts.md §3.1 (Linux ata_bmdma_setup; QEMU hw/ide/core.c)',
  },
  {
    term: 'credit',
    definition:
      "The processor time a virtual processor may still use under the credit scheduler: every 30 ms it earns its reserve and its weight's part of its logical processor, and it spends credit as it runs, its I/O work included. A VP with credit left is UNDER and is served before one in debt, OVER, and only an UNDER VP gets the wake boost.",
    source: 'vm-lifecycle-and-availability.md row a.2 (xen common/sched/credit.c csched_acct, CSCHED_PRI_TS_UNDER, CSCHED_PRI_TS_OVER); Ongaro, Cox and Rixner, VEE 2008',
  },
  {
    term: 'dynamic VHD',
    definition: 'A VHD file that starts small and grows by 2 MiB blocks as the guest writes. The first write into a new block also writes the block bitmap, the footer and the BAT entry.',
    source: 'hyperv-facts.md §5.1 (QEMU block/vpc.c alloc_block)',
  },
  {
    term: 'VHDX',
    aliases: ['dynamic VHDX', 'differencing VHDX', 'fixed VHDX', 'AVHDX'],
    definition:
      'The virtual disk format of Windows Server 2012 and later. Its blocks are 32 MiB and start on 1 MiB boundaries, a dynamic VHDX keeps no sector bitmap, there is no footer to move, and the block table and bitmaps change through a log: an entry appended and flushed, the pages written in place when the log fills.',
    source: 'MS-VHDX §2; QEMU block/vhdx.c; hyperv-facts.md §5.1 (about 25 % more write throughput than VHD)',
  },
  {
    term: 'emulated device',
    aliases: ['emulated', 'emulates', 'emulator', 'emulation'],
    definition: 'A virtual device that imitates real hardware register by register, so an unmodified guest driver works with it. Every register access traps, and the emulator in the worker process answers it.',
    source: 'hyperv-facts.md §1.6 and §4.2',
  },
  {
    term: 'enlightened',
    aliases: ['enlightened guest'],
    definition: 'A guest that knows it runs on a hypervisor and uses its faster interfaces (hypercalls, VMBus, synthetic devices). In Hyper-V that is a guest running the integration services.',
    source: 'DESIGN.md §3; hyperv-facts.md §4.3',
  },
  {
    term: 'EOI',
    aliases: ['end of interrupt'],
    definition: 'The write an interrupt handler makes to the interrupt controller to say it is done. In a guest without auto-EOI that write traps to the hypervisor: one more VM exit per interrupt.',
    source: 'hyperv-facts.md §1.5 (ELI, ASPLOS 2012)',
  },
  {
    term: 'fast path',
    aliases: ['IDE fast path'],
    definition: 'Once integration services load, I/O to a disk on the emulated IDE controller is carried over VMBus instead, by storflt and storvsc. After boot such a disk performs like a synthetic SCSI disk.',
    source: 'hyperv-facts.md §4.3 (Mastering Windows Server 2016 Hyper-V)',
  },
  {
    term: 'fixed VHD',
    definition: "A VHD file as large as the virtual disk, holding the data in order with a 512-byte footer at the end. Finding a sector is arithmetic, so it performs close to the disk it sits on.",
    source: 'hyperv-facts.md §5.1 and §5.2',
  },
  {
    term: 'footer',
    definition: 'The 512-byte record at the end of every VHD file that says what kind of VHD it is and how large. When a dynamic VHD grows, its footer is written again at the new end of the file.',
    source: 'hyperv-facts.md §5.1 (VHD spec)',
  },
  {
    term: 'GPADL',
    definition: 'A list of guest memory pages that the guest lets the root map, used for ring buffers and big shared buffers. Per-I/O data is described inside each packet instead, so no GPADL is needed per write.',
    source: 'hyperv-facts.md §2.4 (Linux include/linux/hyperv.h)',
  },
  {
    term: 'guest',
    aliases: ['guests'],
    definition: 'The operating system running inside a virtual machine (a child partition). It may be enlightened, with integration services, or not.',
    source: 'hyperv-facts.md §4.1',
  },
  {
    term: 'HBA',
    aliases: ['host bus adapter'],
    definition: 'The card that connects the host to its disks. Disks on one adapter share its link.',
    source: 'hyperv-facts.md §4.2',
  },
  {
    term: 'HLT exit',
    aliases: ['HLT', 'HLT exits'],
    definition: 'A virtual processor with nothing to run executes the HLT instruction, which exits to the hypervisor so it can give the logical processor to another VP or idle it. An interrupt for the VP wakes it again, and the wake takes microseconds that an I/O completion then waits for.',
    source: 'vm-lifecycle-and-availability.md row a; Intel SDM vol. 3 HLT exiting',
  },
  {
    term: 'HvPostMessage',
    definition: 'The hypercall that sends a small message (up to 240 bytes) through the hypervisor. VMBus uses it for its control messages, such as offering and opening channels.',
    source: 'hyperv-facts.md §1.2 and §2.4 (Linux drivers/hv/connection.c)',
  },
  {
    term: 'HvSignalEvent',
    definition: 'The fast hypercall a VMBus writer uses to wake the other side of a channel. It costs one VM exit and needs no buffer in the hypervisor.',
    source: 'hyperv-facts.md §1.2 (Linux drivers/hv/connection.c; Hyper-V TLFS)',
  },
  {
    term: 'hypercall',
    definition: "A guest's deliberate call into the hypervisor, much like a system call into a kernel. On x86 it is a VMCALL instruction, so it costs a VM exit.",
    source: 'hyperv-facts.md §1.2 (Hyper-V TLFS)',
  },
  {
    term: 'hypervisor',
    definition: 'The thin layer below all partitions that owns the processors and memory. It handles VM exits, hypercalls and interrupt delivery, and leaves device work to the root partition.',
    source: 'hyperv-facts.md §4.1 (Windows Internals 6e ch. 3)',
  },
  {
    term: 'IDE',
    aliases: ['IDE controller', 'IDE register', 'IDE registers'],
    definition: 'The old PC disk controller, driven through a handful of I/O port registers. Hyper-V emulates it so that every guest can boot from it.',
    source: 'hyperv-facts.md §3 (ATA port map)',
  },
  {
    term: 'integration services',
    definition: "The drivers a guest installs to use Hyper-V's synthetic devices: VMBus, storvsc, storflt and netvsc among them. A guest without them can use emulated devices only.",
    source: 'hyperv-facts.md §4.1 and §4.3',
  },
  {
    term: 'intercept',
    definition: 'A guest action the hypervisor has asked the processor to stop on, such as touching an I/O port. The action causes a VM exit and is handled outside the guest.',
    source: 'hyperv-facts.md §1.6',
  },
  {
    term: 'interrupt',
    aliases: ['IRQ', 'interrupt line'],
    definition: 'A signal from a device that makes the processor stop and run a handler. A virtual machine gets virtual interrupts, injected by the hypervisor.',
    source: 'hyperv-facts.md §1.5',
  },
  {
    term: 'interrupt injection',
    aliases: ['virtual interrupt', 'injects', 'injected'],
    definition: 'The hypervisor making a virtual processor take an interrupt as if a device had raised it. Delivery takes microseconds, and without auto-EOI the handler ends with a trapped EOI.',
    source: 'hyperv-facts.md §1.5 (ELI, ASPLOS 2012)',
  },
  {
    term: 'interrupt mask',
    aliases: ['mask'],
    definition: "A flag in a ring's header that the reader sets while it drains the ring. While it is set, writers do not signal; the reader clears it when the ring is empty and checks once more.",
    source: 'hyperv-facts.md §2.3 (Linux hv_begin_read, hv_end_read)',
  },
  {
    term: 'interrupt moderation',
    aliases: ['interrupt throttling', 'ITR'],
    definition: "A network card's habit of not interrupting for every frame: after one interrupt it waits a while (here 50 or 250 µs) before the next, and the frames that arrive meanwhile share it. The processor takes far fewer interrupts at high rates; a frame after a quiet spell still interrupts at once.",
    source: 'Linux e1000 e1000_update_itr, e1000_set_itr (default InterruptThrottleRate 3)',
  },
  {
    term: 'IOPS',
    definition: 'I/O operations per second: how many requests a path completes each second. Keeping more requests in flight raises it until the disk is the limit.',
    source: 'hyperv-facts.md §6 and §9.4',
  },
  {
    term: 'kernel mode',
    aliases: ['kernel'],
    definition: 'The privileged mode in which an operating system and its drivers run. Code here can touch devices and memory that user-mode programs cannot.',
    source: 'hyperv-facts.md §1.3',
  },
  {
    term: 'latency',
    definition: 'The time from issuing a request to its completion. It adds up every step on the path, including waits for the processor and the disk.',
    source: 'hyperv-facts.md §6 and §9',
  },
  {
    term: 'logical processor',
    aliases: ['LP', 'LPs', 'logical processors'],
    definition: 'A processor the host\'s hardware provides: a core, or a hardware thread of one. The hypervisor runs the virtual processors of all partitions on the logical processors, a few at a time each.',
    source: 'vm-lifecycle-and-availability.md row a (seed 001)',
  },
  {
    term: 'monitor page',
    definition: 'A shared page where a VMBus writer can set a bit instead of making a hypercall; the hypervisor checks it about every 100 microseconds. It saves the exit but adds delay.',
    source: 'hyperv-facts.md §2.2 (Linux include/linux/hyperv.h)',
  },
  {
    term: 'NVMe',
    definition: 'A fast flash disk on the PCIe bus, with no seek or rotation. A 4 KiB write takes tens of microseconds, so the processor work around it matters more.',
    source: 'hyperv-facts.md §6',
  },
  {
    term: 'pass-through disk',
    aliases: ['pass-through'],
    definition: 'A whole physical disk handed to a VM, taken offline in the root. There is no VHD file and no root file system on its path.',
    source: 'hyperv-facts.md §4.2 and §5.1',
  },
  {
    term: 'pending send size',
    aliases: ['pending_send_sz'],
    definition: "The amount of free space a writer posts in a full ring's header before it waits. The reader signals it once that much space is free again.",
    source: 'hyperv-facts.md §2.1 and §2.3 (Linux drivers/hv/ring_buffer.c)',
  },
  {
    term: 'PIO',
    aliases: ['programmed I/O'],
    definition: "A transfer in which the processor itself copies the data through the controller's data port. On the emulated IDE controller every sector costs register accesses, an interrupt and an EOI, each a VM exit.",
    source: 'hyperv-facts.md §3.2 (Linux ata_sff_data_xfer; QEMU ide_sector_write)',
  },
  {
    term: 'PRD table',
    definition: "A list in guest memory of the memory areas a DMA transfer reads or writes (physical region descriptors). The guest writes it; the controller walks it without any VM exit.",
    source: 'hyperv-facts.md §3.1 (Linux ata_bmdma_setup)',
  },
  {
    term: 'processor limit',
    definition: "The most of a logical processor each of a VM's virtual processors may run, as a percent, even when nothing else wants that processor. A VP that has used it waits for the next accounting period, and so does any I/O completion for it.",
    source: 'vm-lifecycle-and-availability.md row a.2 (Hyper-V Msvm_ProcessorSettingData Limit)',
  },
  {
    term: 'queue depth',
    definition: 'How many requests a workload keeps in flight at once. At depth 1 every request waits for the one before; deeper queues let requests overlap and batch.',
    source: 'hyperv-facts.md §9.4',
  },
  {
    term: 'ready time',
    aliases: ['runnable'],
    definition: 'The time a virtual processor wants to run but waits because others hold its logical processor, what VMware calls %RDY. An I/O completion for a VP that is not running waits this long before the guest sees it.',
    source: 'vm-lifecycle-and-availability.md row a.2',
  },
  {
    term: 'relative weight',
    definition: "A VM's share of a logical processor against the other VMs that want more of it than there is, from 1 to 10,000 (default 100). It is relative: every VM that joins the processor shrinks everyone's part.",
    source: 'vm-lifecycle-and-availability.md row a.2 (Hyper-V Msvm_ProcessorSettingData Weight; Xen credit scheduler weights)',
  },
  {
    term: 'reserve',
    aliases: ['processor reserve'],
    definition: "The percent of a logical processor each of a VM's virtual processors is guaranteed when it wants it, served before the weights share the rest. Hyper-V does not start a VM whose reserve it cannot guarantee.",
    source: 'vm-lifecycle-and-availability.md row a.2 (Hyper-V Msvm_ProcessorSettingData Reservation)',
  },
  {
    term: 'ring buffer',
    aliases: ['ring'],
    definition: 'A circular area of memory shared by the guest and the root, with a write index and a read index. Each VMBus channel has one ring for each direction.',
    source: 'hyperv-facts.md §2.1 (Linux drivers/hv/ring_buffer.c)',
  },
  {
    term: 'root partition',
    aliases: ['root', 'parent partition'],
    definition: 'The first partition, running Windows with the real device drivers. It serves the other partitions: the worker processes, VID.sys and the VSPs run in it.',
    source: 'hyperv-facts.md §4.1 (Windows Internals 6e ch. 3)',
  },
  {
    term: 'sector bitmap',
    aliases: ['bitmap'],
    definition: 'In a dynamic or differencing VHD, one bit per 512-byte sector of a block, saying whether the sector has been written. A new block gets its bitmap written before its data.',
    source: 'hyperv-facts.md §5.1 (QEMU block/vpc.c)',
  },
  {
    term: 'signal',
    aliases: ['signals', 'signalling'],
    definition: "A VMBus writer's wake-up call to the reader, usually an HvSignalEvent hypercall. It is sent only when the ring goes from empty to non-empty and the reader's interrupt mask is clear.",
    source: 'hyperv-facts.md §2.2 (Linux hv_signal_on_write)',
  },
  {
    term: 'SRB',
    aliases: ['SCSI request block'],
    definition: 'The SCSI request block storvsc sends to storvsp: the SCSI command plus the guest pages that hold the data. One request packet and one completion packet carry each command.',
    source: 'hyperv-facts.md §2.5 (Linux drivers/scsi/storvsc_drv.c)',
  },
  {
    term: 'storflt',
    definition: 'A filter driver of the integration services that sits under a disk on the emulated IDE controller. Once it loads it sends that disk\'s I/O over VMBus: the fast path.',
    source: 'hyperv-facts.md §4.1 and §4.3',
  },
  {
    term: 'storvsc',
    definition: "The guest's storage VSC: a driver that turns SCSI commands into SRB packets on a VMBus channel. It is part of the integration services.",
    source: 'hyperv-facts.md §2.5 (Linux drivers/scsi/storvsc_drv.c)',
  },
  {
    term: 'storvsp',
    definition: "The root's storage VSP: a kernel driver that reads SRB packets from the ring and sends them down the root's storage stack. No user-mode process is on its path.",
    source: 'hyperv-facts.md §4.1 and §4.2',
  },
  {
    term: 'string I/O',
    aliases: ['rep outsw', 'string instruction'],
    definition: 'One x86 instruction that moves many words through an I/O port. The hypervisor can hand it to the emulator as one intercept, or trap on every word.',
    source: 'hyperv-facts.md §1.6 and §3.2 (Linux arch/x86/kvm/x86.c)',
  },
  {
    term: 'synthetic device',
    aliases: ['synthetic', 'synthetic SCSI', 'synthetic path'],
    definition: 'A virtual device designed for virtualization rather than copied from hardware: the guest talks to it over VMBus through a VSC. It needs integration services and avoids register emulation.',
    source: 'hyperv-facts.md §4.2',
  },
  {
    term: 'SynIC',
    aliases: ['synthetic interrupt controller'],
    definition: "The hypervisor's synthetic interrupt controller in each virtual processor, which delivers VMBus messages and events as interrupts. It supports auto-EOI.",
    source: 'hyperv-facts.md §2.3 (Linux drivers/hv/vmbus_drv.c)',
  },
  {
    term: 'time slice',
    aliases: ['slice', 'quantum'],
    definition: 'How long a virtual processor runs before another runnable one on the same logical processor gets its turn. Hyper-V does not publish its own, so hvsim uses the 30 ms of Xen\'s credit scheduler.',
    source: 'vm-lifecycle-and-availability.md row a.2 (xen common/sched/credit.c)',
  },
  {
    term: 'user mode',
    aliases: ['user-mode'],
    definition: 'The unprivileged mode in which ordinary programs run. Reaching a user-mode process from the kernel costs a mode switch and often a context switch.',
    source: 'hyperv-facts.md §1.3 and §1.6',
  },
  {
    term: 'VHD',
    aliases: ['virtual hard disk', 'VHD parser', 'vhdmp'],
    definition: "A virtual hard disk: a file on the host that holds a VM's disk. The root's VHD parser turns the guest's sector numbers into places in the file.",
    source: 'hyperv-facts.md §5.1 and §4.1',
  },
  {
    term: 'VID',
    aliases: ['VID.sys'],
    definition: "The virtualization infrastructure driver in the root's kernel. It passes intercepts from the hypervisor to the VM's worker process and its answers back.",
    source: 'hyperv-facts.md §4.1 and §1.6',
  },
  {
    term: 'virtual processor',
    aliases: ['VP', 'VPs', 'virtual processors', 'vCPU'],
    definition: 'A processor as a partition sees it, which the hypervisor schedules on the logical processors like a thread. A VM of 2008 has one to four; the root has one on every logical processor.',
    source: 'vm-lifecycle-and-availability.md row a (seed 004)',
  },
  {
    term: 'VM exit',
    aliases: ['exit', 'exits'],
    definition: 'The processor stops running the guest and switches to the hypervisor, for an intercept or a hypercall. Each round trip costs hundreds of nanoseconds to microseconds before any handling.',
    source: 'hyperv-facts.md §1.1 (Adams & Agesen 2006; Agesen et al. 2012)',
  },
  {
    term: 'VMBus',
    aliases: ['VMBus channel', 'channel'],
    definition: 'The bus over which the guest and the root exchange synthetic device traffic, through channels made of shared ring buffers. Writers wake readers with signals, not with emulated registers.',
    source: 'hyperv-facts.md §2 (Linux drivers/hv/)',
  },
  {
    term: 'VSC',
    aliases: ['virtualization service client'],
    definition: "A guest driver that is the client half of a synthetic device, such as storvsc for storage. It talks over VMBus to its VSP in the root.",
    source: 'hyperv-facts.md §4.1',
  },
  {
    term: 'VSP',
    aliases: ['virtualization service provider'],
    definition: 'A root kernel driver that is the provider half of a synthetic device, such as storvsp for storage. It serves its VSCs from the root\'s real drivers.',
    source: 'hyperv-facts.md §4.1',
  },
  {
    term: 'VMMS',
    aliases: ['Virtual Machine Management Service', 'vmms.exe'],
    definition: 'The service in the root partition through which every management request goes: start, save, pause, snapshot. It checks the request against the VM\'s state and hands the work to the VM\'s worker process and the hypervisor.',
    source: 'vm-lifecycle-and-availability.md row h (seed 004); hyperv-facts.md §4.1',
  },
  {
    term: 'saved state',
    aliases: ['save state'],
    definition: "A VM whose memory and device state were written to a file on disk and whose partition is gone. Restoring it reads the memory back, so both take as long as the disk needs for the VM's memory.",
    source: 'vm-lifecycle-and-availability.md row h (seed 004); hyperv-facts.md §7.2',
  },
  {
    term: 'snapshot',
    aliases: ['AVHD'],
    definition: 'A point in time of a VM: its configuration, its memory and a differencing disk (AVHD) per VHD that takes every write from then on. Reverting to it throws those writes away, which is why Exchange does not support snapshots.',
    source: 'vm-lifecycle-and-availability.md row b (seeds 000, 001, 004)',
  },
  {
    term: 'wake boost',
    aliases: ['BOOST'],
    definition: 'A priority a virtual processor gets when an interrupt wakes it from HLT, so it runs at once instead of waiting behind busy VPs. Xen\'s credit scheduler gives it only to a VP with credit left; one that has spent its share, or was already runnable with work of its own, waits for its turn.',
    source: 'vm-lifecycle-and-availability.md row a.2 (xen CSCHED_PRI_TS_BOOST)',
  },
  {
    term: 'worker process',
    aliases: ['vmwp.exe', 'vmwp'],
    definition: 'The user-mode process in the root partition, one per running VM, that hosts its emulated devices. Every intercept of an emulated device ends up here and goes back through VID.sys.',
    source: 'hyperv-facts.md §4.1 and §1.6 (Voellm 2007)',
  },
];

/** Terms in glossary order: by their lowercase spelling. */
export const compareTerms = (a: string, b: string): number => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0);

/** The glossary, alphabetical by term (case-insensitive). */
export const GLOSSARY: readonly GlossaryTerm[] = [...TERMS].sort((a, b) => compareTerms(a.term, b.term));

/** Where a glossary term occurs in a text: `text.slice(start, end)` is the occurrence. */
export interface GlossarySpan {
  start: number;
  end: number;
  /** The glossary entry's `term`. */
  term: string;
}

/** Every form of a term (its name and aliases). */
export function termForms(entry: GlossaryTerm): readonly string[] {
  return [entry.term, ...(entry.aliases ?? [])];
}

/** A form with two or more capitals (an acronym such as `VMBus` or `EOI`) matches with its case; others match any case. */
function formPattern(form: string): RegExp {
  const escaped = form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const plural = /[A-Za-z]$/.test(form) ? '(?:e?s)?' : '';
  const flags = (form.match(/[A-Z]/g) ?? []).length >= 2 ? 'g' : 'gi';
  return new RegExp(`(?<![A-Za-z0-9_])${escaped}${plural}(?![A-Za-z0-9_])`, flags);
}

let patterns: { term: string; pattern: RegExp }[] | undefined;

/**
 * The glossary terms in `text`, as spans in text order, never overlapping:
 * where forms overlap the leftmost wins, then the longest (`ring buffer`
 * before `ring`, `auto-EOI` before `EOI`). Plurals are found too.
 * @example findGlossaryTerms('a VM exit') // [{ start: 2, end: 9, term: 'VM exit' }]
 */
export function findGlossaryTerms(text: string): GlossarySpan[] {
  patterns ??= GLOSSARY.flatMap((entry) => termForms(entry).map((form) => ({ term: entry.term, pattern: formPattern(form) })));
  const found: GlossarySpan[] = [];
  for (const { term, pattern } of patterns) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) found.push({ start: match.index, end: match.index + match[0].length, term });
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const spans: GlossarySpan[] = [];
  for (const span of found) if (spans.length === 0 || span.start >= spans[spans.length - 1]!.end) spans.push(span);
  return spans;
}

/** The glossary entry for `term` (its name or an alias, any case), if any. */
export function glossaryEntry(term: string): GlossaryTerm | undefined {
  const wanted = term.toLowerCase();
  return GLOSSARY.find((entry) => termForms(entry).some((form) => form.toLowerCase() === wanted));
}
