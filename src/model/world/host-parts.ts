/**
 * The root partition's shared parts and the host's hardware, as the world
 * builds them once for every VM: VID, the root's VMBus driver, storvsp and
 * the root storage stack (VHD parser, NTFS, volume, disk class, StorPort),
 * the HBAs and host disks, the iSCSI targets, the factory that places VHD
 * files on the disks, and, on first use, the host network (virtual switch
 * and physical NIC) and the root's own iSCSI initiator and NIC.
 */
import { intern } from '../../engine/index.js';
import { Disk } from '../hardware/disk.js';
import { Hba } from '../hardware/hba.js';
import type { Hypervisor } from '../hypervisor/hypervisor.js';
import { buildHostNetwork, type HostNetwork } from '../network/network-paths.js';
import { PhysicalNic } from '../network/physical-nic.js';
import { RootStackPlaces, type StorageBackend } from '../storage/backend.js';
import { BackendFactory } from '../storage/backend-factory.js';
import { IscsiInitiator, IscsiLunBackend, IscsiTarget } from '../storage/iscsi.js';
import type { Place, TopologyBuilder } from '../topology.js';
import type { Tracer } from '../tracer.js';
import { hbaOf, type VmConfig, type VmDiskConfig, type WorldConfig } from '../world-config.js';

export class HostParts {
  /** VID.sys: intercepts pass it. */
  readonly vid: Place;
  readonly rootVmbus: Place;
  readonly storvsp: Place;
  readonly rootStack: RootStackPlaces;
  readonly hostDisks = new Map<string, Disk>();
  readonly hbas = new Map<string, Hba>();
  /** iSCSI targets by id. */
  readonly iscsiTargets = new Map<string, IscsiTarget>();
  /** Places VHD files on the host disks and builds each VM disk's back end. */
  readonly backends: BackendFactory;
  /** The root's virtual switch and the physical NIC, built when the first VM has a NIC. */
  private network: HostNetwork | null = null;
  /** The root's own NIC for its iSCSI traffic (built when a LUN is root-attached). */
  private rootIscsiNic: PhysicalNic | null = null;

  constructor(
    readonly config: WorldConfig,
    readonly top: TopologyBuilder,
    readonly tracer: Tracer,
    readonly hv: Hypervisor,
  ) {
    const t = top;
    this.vid = t.place('root.vid', 'VID.sys', 'root', 'root-kernel', 'vid');
    this.rootVmbus = t.place('root.vmbus', 'VMBus (root)', 'root', 'root-kernel', 'driver');
    this.storvsp = t.place('root.storvsp', 'storvsp', 'root', 'root-kernel', 'vsp');
    this.rootStack = new RootStackPlaces(
      t.place('root.vhdmp', 'VHD parser', 'root', 'root-kernel', 'vhd'),
      t.place('root.ntfs', 'NTFS', 'root', 'root-kernel', 'stack-layer'),
      t.place('root.volume', 'Volume', 'root', 'root-kernel', 'stack-layer'),
      t.place('root.disk', 'Disk class', 'root', 'root-kernel', 'stack-layer'),
      t.place('root.storport', 'StorPort + miniport', 'root', 'root-kernel', 'driver'),
    );
    t.chain(this.storvsp, this.rootStack.vhd, this.rootStack.fs, this.rootStack.volume, this.rootStack.diskClass, this.rootStack.port);
    for (const d of config.host.disks) {
      const hbaId = hbaOf(d);
      let hba: Hba | null = hbaId === null ? null : (this.hbas.get(hbaId) ?? null);
      if (hbaId !== null && hba === null) {
        hba = new Hba(hbaId, t.place(`hw.hba.${hbaId}`, `HBA ${hbaId}`, 'hardware', 'hardware', 'hba'), config.costs, tracer);
        this.hbas.set(hbaId, hba);
        t.link(this.rootStack.port, hba.place);
      }
      const place = t.place(`hw.disk.${d.id}`, `Disk ${d.id}`, 'hardware', 'hardware', 'disk');
      t.link(hba?.place ?? this.rootStack.port, place);
      this.hostDisks.set(d.id, new Disk(d, place, config.costs, tracer, hba));
    }
    for (const target of config.host.iscsiTargets ?? []) {
      const place = t.place(`hw.iscsi.${target.id}`, `iSCSI target ${target.id}`, 'hardware', 'hardware', 'hba');
      const diskPlace = t.place(`hw.iscsi.${target.id}.disk`, `LUN disk (${target.id})`, 'hardware', 'hardware', 'disk');
      t.link(place, diskPlace);
      const disk = new Disk({ id: intern(`${target.id}-lun0`), ...target.disk }, diskPlace, config.costs, tracer);
      this.iscsiTargets.set(target.id, new IscsiTarget(target.id, place, disk, config.costs, tracer));
    }
    this.backends = new BackendFactory(this.hostDisks, this.rootStack, config.costs, tracer, hv);
  }

  /** The host network, built on first use. */
  hostNetwork(): HostNetwork {
    return (this.network ??= buildHostNetwork({ tracer: this.tracer, hv: this.hv, top: this.top, costs: this.config.costs, vid: this.vid, rootVmbus: this.rootVmbus }, 'nic0'));
  }

  /** The host network if a VM has a NIC, else null. */
  get builtNetwork(): HostNetwork | null {
    return this.network;
  }

  iscsiTarget(vm: VmConfig, d: VmDiskConfig): IscsiTarget {
    const target = this.iscsiTargets.get(d.backend.target ?? '');
    if (target === undefined) throw new RangeError(`VM ${vm.id} disk ${d.id}: no iSCSI target '${d.backend.target ?? ''}'`);
    return target;
  }

  /** The LUN logged in by the root's initiator (over the root's own NIC, not the virtual switch) and passed through to the VM. */
  rootIscsiLun(vm: VmConfig, d: VmDiskConfig): StorageBackend {
    const t = this.top;
    const costs = this.config.costs;
    const target = this.iscsiTarget(vm, d);
    if (this.rootIscsiNic === null) {
      const miniport = t.place('root.iscsi-nic-miniport', 'iSCSI NIC miniport (NDIS)', 'root', 'root-kernel', 'driver');
      const device = t.place('hw.nic-iscsi', 'Physical NIC nic-iscsi', 'hardware', 'hardware', 'nic');
      this.rootIscsiNic = new PhysicalNic('nic-iscsi', { miniport, device }, costs, this.tracer, this.hv);
    }
    const nic = this.rootIscsiNic;
    const initiatorPlace = t.place('root.iscsi', 'iSCSI initiator (root)', 'root', 'root-kernel', 'driver');
    const tcpip = t.place('root.tcpip', 'TCP/IP (root)', 'root', 'root-kernel', 'stack-layer');
    t.chain(this.rootStack.port, initiatorPlace, tcpip, nic.places.miniport, nic.places.device, target.place);
    const initiator = new IscsiInitiator('root', { initiator: initiatorPlace, tcpip }, 'root', target, {
        send: (s, bytes) => nic.transmit(s, bytes),
        // The root's own TCP/IP takes the frame at once (its receive copy is in tcp_segment_receive): the descriptor is free again.
        *receive(s, bytes) {
          const free = yield* nic.receive(s, bytes, true);
          if (free === null) throw new Error(`${nic.id}: no receive descriptor for an iSCSI frame`);
          free();
        },
      }, costs, this.tracer);
    return new IscsiLunBackend(initiator, this.rootStack, costs, this.tracer);
  }
}
