/** The disks: HDD, SSD and NVMe (reference §6). Part of the one cost table, `../costs.ts`: ids are stable, scenarios override them by name. */
import { c, n, type CostEntry } from './cost-entry.js';

export const DISK_COSTS = {
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
  hdd_heads: n('HDD data heads (surfaces); cylinders = sectors / (sectors per track × heads), the seek distance is in cylinders', 8, 8, [1, 16], '§6; 15K450: 4 platters, 8 heads (R)', 'count', { min: 1, max: 255 }),
  hdd_read_segments: n('HDD read-cache segments (LRU); each holds one sequential run and its read-ahead', 8, 8, [1, 32], '§6; Ruemmler & Wilkes 1994 §caching, DiskSim segment cache (R); count E from a 16 MB buffer', 'count', { min: 1, max: 1024 }),
  hdd_segment_bytes: n('HDD read-cache segment size: read-ahead runs at most this far beyond the host\'s last read in the segment', 1_048_576, 1_048_576, [65_536, 4_194_304], '§6; 15K450 16 MB buffer (R), split E', 'bytes', { min: 512, max: 67_108_864, multipleOf: 512 }),
  hdd_write_buffer_bytes: n('HDD write-back buffer capacity: dirty data held for destaging; a write waits for room when full', 4_194_304, 4_194_304, [524_288, 16_777_216], '§6 "until the cache fills" (E); 15K450 16 MB buffer (R), share E', 'bytes', { min: 512, max: 1_073_741_824, multipleOf: 512 }),
  hdd_reorder_window: n('HDD commands (queued requests, then dirty blocks) the drive considers when it picks the next: NCQ/TCQ depth', 32, 32, [1, 256], '§6 NCQ 32 tags (R); Worthington, Ganger & Patt 1994 SPTF', 'count', { min: 1, max: 1024 }),
  hdd_rmw_revolutions: n(
    "HDD with 4 KiB physical sectors behind 512-byte logical ones (512e): extra revolutions a write pays when it covers part of a physical sector (it starts or ends inside one): the drive reads the physical sectors the write touches as they pass under the head, merges the new data in its buffer, and writes them when they come round again; a read, or a write of whole aligned 4 KiB sectors, pays nothing. A 512n disk never does this",
    1,
    1,
    [1, 2],
    "§6; Microsoft, Hyper-V Support for Large Sector Disks Overview (hh831459): the disk reads the 4 KB physical sector, modifies it, writes it back (V); HP, Advanced Format white paper: 'could add 16-22 milliseconds to a write' at 7,200-5,400 RPM, two revolutions (R); Dell, 4K Sector HDD FAQ: about 50 % loss on random misaligned writes (R); one revolution is the least the mechanism allows (E)",
    'count',
    { min: 0, max: 4 },
  ),
  hdd_queue_age_weight_permille: n(
    'HDD aged SPTF: the weight W, in thousandths, of a queued command\'s wait against its positioning time (the drive takes the least positioning time minus W x time waited since the command got its tag): 10 = 1 ms of positioning forgiven per 100 ms waited',
    10,
    10,
    [0, 30],
    "§6; ASPTF(W), T_eff = T_pos - W x T_wait (Worthington, Ganger & Patt, SIGMETRICS 1994; after Jacobson & Wilkes' aged SATF, HP Labs 1991) (R); W = 0.01 (E): measured here, random 4 KiB reads at QD 32 keep 97 % of pure SPTF's rate on a 15K disk while its slowest request falls from 542 to 268 ms; 0.03 loses 15 %, 0.1 40 %",
    'count',
    { min: 0, max: 1_000 },
  ),
  hdd_queue_age_limit: c(
    'HDD starvation bound, the last resort behind the aging weight: a command in the drive\'s queue longer than this is served next, whatever its positioning time',
    1_000_000_000,
    1_000_000_000,
    [500_000_000, 5_000_000_000],
    "§6; aged SPTF (Jacobson & Wilkes, HP Labs 1991; Worthington, Ganger & Patt 1994, R); figure E, kept above a slow drive's time to serve a full 32-command queue: at 200 ms a 7,200 RPM drive (32 x ~5 ms = 160 ms) crossed it, served oldest first and fell from 2.6x its QD 1 rate to 1x, where drives measure about 2-2.5x at QD 32 (R)",
  ),
  ssd_write_4k: c('NVMe write, 4 KiB, QD1 (DRAM cache acknowledges): time in one parallel unit', 20_000, 20_000, [10_000, 80_000], '§6 AnandTech P4800X review ratio (V), absolute (R)'),
  ssd_program_ns_per_kib: c(
    "NVMe sustained write: NAND program time per KiB behind the DRAM buffer, one program stream for the whole drive (a write's data enters the buffer once the program stream has room for it: sustained sequential writes run at 1 / this)",
    514,
    514,
    [300, 2_000],
    "§6; Intel DC P3700 datasheet: 1,900 MB/s sequential write at 1.6-2 TB (R); 1,000 MB/s at 400 GB (R)",
  ),
  ssd_program_per_write: c(
    "NVMe sustained write: program-stream time each write takes beyond its bytes (flash translation, garbage collection's share, write amplification of small random writes): with ssd_program_ns_per_kib it caps sustained random 4 KiB writes at 1 / (this + 4 x that)",
    3_600,
    3_600,
    [1_000, 12_000],
    "§6; Intel DC P3700 datasheet: 175,000 random 4 KiB write IOPS at 2 TB (R; 75,000-90,000 at 400 GB): 5.7 µs per write, of which 2.1 µs its bytes at the sequential rate",
  ),
  ssd_read_4k: c('NVMe read, 4 KiB, QD1: time in one parallel unit (flash read + controller), on average over the pages', 80_000, 80_000, [70_000, 100_000], '§6 (R)'),
  ssd_read_page_spread: c(
    "NVMe read: time an MLC upper page's read takes beyond ssd_read_4k, and a lower page's short of it (a read spanning both takes the upper page's): which page a 4 KiB block sits on is the flash translation layer's choice, fixed per block",
    15_000,
    15_000,
    [0, 40_000],
    "§6; MLC: a lower page is sensed against one reference voltage, an upper page against two (Cai, Ghose, Haratsch, Luo and Mutlu, 'Error Characterization, Mitigation, and Recovery in Flash-Memory-Based Solid-State Drives', Proc. IEEE 105(9), 2017, §II) (V); 30 and 60 µs of sensing in the 80 µs (E)",
  ),
  ssd_ns_per_kib: c('NVMe data transfer per KiB over the drive\'s shared path (PCIe link / controller, ~3 GB/s): one transfer at a time', 333, 333, [140, 500], '§6 2-7 GB/s (R); Intel DC P3700 2.8 GB/s sequential read (R)'),
  ssd_parallel_units: n('NVMe commands in service at once (channels × dies the controller keeps busy)', 32, 32, [4, 256], '§6; Little\'s law on the Intel DC P3700: 460K 4 KiB random-read IOPS × ~80 µs ≈ 37 in flight, 18 channels (R); E', 'count', { min: 1, max: 4096 }),
} as const satisfies Record<string, CostEntry>;
