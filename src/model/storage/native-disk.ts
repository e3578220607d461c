/**
 * The native baseline's disk path: the same OS on the bare host, with no
 * hypervisor. Below the file system the request goes to StorPort and the
 * miniport, the HBA and the disk, and completes with a physical interrupt
 * (reference §8 native_interrupt): no VM exit, no VID, no worker, no VMBus.
 * Every overhead of a virtualised path shows as a ratio to this one.
 */
import type { ProcessBody } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Disk } from '../hardware/disk.js';
import type { Place } from '../topology.js';
import type { Strand, Tracer } from '../tracer.js';

export class NativeDisk {
  constructor(
    readonly port: Place,
    private readonly disk: Disk,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
  ) {}

  *request(s: Strand, op: 'read' | 'write', lba: number, bytes: number): ProcessBody<void> {
    const { tracer, costs } = this;
    yield tracer.emit(s, 'stack.layer.passed', this.port, costs.stack_port_miniport, 'guest', { layer: 'storport', direction: 'down' });
    yield* this.disk.submit(s, { op, lba, bytes });
    yield tracer.emit(s, 'native.interrupt.handled', this.port, costs.native_interrupt, 'guest', { disk: this.disk.config.id });
    yield tracer.emit(s, 'cpu.dpc.ran', this.port, costs.dpc_dispatch, 'guest', { partition: 'native', routine: 'StorPort completion DPC' });
  }
}
