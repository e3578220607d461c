/**
 * The hypervisor's intercept table: which port-I/O and MMIO ranges of each
 * child partition are claimed, and by whom. A VM's worker process installs
 * its device emulators' ranges when the VM starts, as Hyper-V's VID does
 * with HvCallInstallIntercept (TLFS call code 0x004D; intercept types
 * HvInterceptTypeX64IoPort 0x00 and HvInterceptTypeX64IoPortRange 0x11) and
 * as OpenVMM's devices do through `RegisterPortIoIntercept` /
 * `RegisterMmioIntercept` (openvmm vm/chipset_device/src/pio.rs, mmio.rs;
 * the IDE controller's static regions in vm/devices/storage/ide/src/lib.rs
 * `get_static_regions`, its bus-master range through `new_io_region`).
 * Lookups go by address, as OpenVMM's chipset does
 * (vmm_core/vmotherboard/src/chipset/io_ranges/mod.rs `lookup`); two
 * claims on one address are refused, as its builder reports static
 * registration conflicts. An address nobody claimed is answered like an
 * empty bus: reads return all ones, writes are dropped (OpenVMM's fallback
 * device, vm/devices/missing_dev/src/lib.rs: `data.fill(!0)`), and each
 * such access is counted here.
 */
import type { ProcessBody } from '../../engine/index.js';
import type { Strand } from '../tracer.js';

/** One trapped access as the hypervisor hands it on: the instruction's address, direction, data and width. */
export interface IoAccess {
  /** The port (I/O space) or the guest physical address (MMIO). */
  address: number;
  access: 'read' | 'write';
  /** The value written (0 for a read). */
  value: number;
  /** Bytes per element: 1 (`inb`/`outb`), 2 (`inw`, `rep insw`), 4 (`inl`, `rep insl`). */
  size: 1 | 2 | 4;
  /** Elements one trap carries: 1, or a whole `rep ins`/`rep outs` when string I/O traps once per instruction. */
  count: number;
}

/** What runs for a claimed access (after the exit and the message to the root); returns the value a read returns. */
export type InterceptHandler = (s: Strand, access: IoAccess) => ProcessBody<number>;

/** The two address spaces an intercept can claim. */
export type InterceptSpace = 'io-port' | 'mmio';

/** One claimed range. */
export interface InterceptRange {
  partition: string;
  space: InterceptSpace;
  /** Who claimed it, e.g. `ide primary channel` (OpenVMM's region names). */
  name: string;
  first: number;
  /** Inclusive, as HV_INTERCEPT_PARAMETERS.IoPortRange's End. */
  last: number;
  handler: InterceptHandler;
}

/** The value a read of an unclaimed address returns: all ones in the access's width. */
export function allOnes(size: 1 | 2 | 4): number {
  return size === 4 ? 0xffff_ffff : size === 2 ? 0xffff : 0xff;
}

export class InterceptTable {
  private readonly ranges: InterceptRange[] = [];
  private readonly unclaimedBy = new Map<string, number>();

  /** Claims ports `first`..`last` of `partition` for `handler`. */
  registerPortIo(partition: string, name: string, first: number, last: number, handler: InterceptHandler): void {
    this.register({ partition, space: 'io-port', name, first, last, handler });
  }

  /** Claims guest physical addresses `base`..`base + bytes - 1` of `partition` for `handler`. */
  registerMmio(partition: string, name: string, base: number, bytes: number, handler: InterceptHandler): void {
    this.register({ partition, space: 'mmio', name, first: base, last: base + bytes - 1, handler });
  }

  /** The range that claims `address` in `partition`'s `space`, or undefined. */
  lookup(partition: string, space: InterceptSpace, address: number): InterceptRange | undefined {
    return this.ranges.find((r) => r.partition === partition && r.space === space && address >= r.first && address <= r.last);
  }

  /** Counts an access nobody claimed. */
  countUnclaimed(partition: string): void {
    this.unclaimedBy.set(partition, (this.unclaimedBy.get(partition) ?? 0) + 1);
  }

  /** Accesses to unclaimed addresses so far, for `partition` or for all. */
  unclaimed(partition?: string): number {
    if (partition !== undefined) return this.unclaimedBy.get(partition) ?? 0;
    let n = 0;
    for (const v of this.unclaimedBy.values()) n += v;
    return n;
  }

  private register(range: InterceptRange): void {
    if (!Number.isInteger(range.first) || !Number.isInteger(range.last) || range.first < 0 || range.last < range.first) {
      throw new RangeError(`${range.partition}: intercept '${range.name}' has an empty or invalid range ${range.first}..${range.last}`);
    }
    const clash = this.ranges.find((r) => r.partition === range.partition && r.space === range.space && r.first <= range.last && range.first <= r.last);
    if (clash !== undefined) {
      const hex = (n: number): string => `0x${n.toString(16)}`;
      throw new RangeError(
        `${range.partition}: ${range.space} range '${range.name}' ${hex(range.first)}..${hex(range.last)} overlaps '${clash.name}' ${hex(clash.first)}..${hex(clash.last)}`,
      );
    }
    this.ranges.push(range);
  }
}
