/**
 * A host bus adapter: each command costs the adapter's firmware time, then
 * its data crosses the adapter's link, one transfer at a time, at the
 * link's rate (4 Gb/s Fibre Channel in the 2008 profile, 16 Gb/s in the
 * modern one). Disks behind one HBA share that link and its queue, so two
 * busy VMs on one HBA path slow each other down (the shared-hba claim)
 * while disks on separate HBAs do not.
 */
import { Resource, type ProcessBody } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Place } from '../topology.js';
import type { Strand, Tracer } from '../tracer.js';

export class Hba {
  private readonly link: Resource;
  private queued = 0;

  constructor(
    readonly id: string,
    readonly place: Place,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
  ) {
    this.link = new Resource(1, `hba ${id} link`);
  }

  /** One command for `disk` moving `bytes` across the link (both directions cost the same here). */
  *transfer(s: Strand, disk: string, bytes: number): ProcessBody<void> {
    const { tracer, costs } = this;
    yield tracer.emit(s, 'hba.command.started', this.place, costs.hba_command, 'device', { disk });
    const arrived = tracer.sim.now;
    const depth = ++this.queued;
    yield this.link;
    tracer.waited(s, 'hba.link.waited', this.place, tracer.sim.now - arrived, { hba: this.id, queued: depth - 1 });
    yield tracer.emit(s, 'hba.data.transferred', this.place, Math.round((bytes / 1024) * costs.hba_link_ns_per_kib), 'device', { hba: this.id, bytes });
    this.queued--;
    this.link.release();
  }
}
