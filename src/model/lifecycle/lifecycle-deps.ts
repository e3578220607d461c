/**
 * What the world gives one VM's life cycle (`vm-lifecycle.ts`) and its
 * parts (`vm-worker.ts`, `vm-snapshots.ts`, `snapshot-merges.ts`): the VM's
 * facts, the places its actions pass, the simulation, tracer and costs,
 * its VHDs, and the host files it keeps beside them.
 */
import type { Simulation } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Backend } from '../storage/backend.js';
import type { Place } from '../topology.js';
import type { Tracer } from '../tracer.js';
import type { HostFile } from './host-file.js';

/** What the life cycle needs to know of its VM. */
export interface LifecycleVm {
  id: string;
  memoryBytes: number;
  vcpus: number;
  initialState: 'Running' | 'Off';
  /** Whether the guest's integration services (and so its shutdown service) are loaded now. */
  shutdownService: () => boolean;
}

/** The places an action passes. */
export interface LifecyclePlaces {
  wmi: Place;
  vmms: Place;
  worker: Place;
  hv: Place;
  /** The guest's application (where held requests wait). */
  app: Place;
}

/** What the world gives the life cycle. */
export interface LifecycleDeps {
  sim: Simulation;
  tracer: Tracer;
  costs: CostTable;
  places: LifecyclePlaces;
  /** The VM's VHD-backed disks, by disk id (a snapshot takes a differencing image of each). */
  vhds: ReadonlyMap<string, Backend>;
  /** A disk Hyper-V cannot snapshot (pass-through, or a LUN the root passes through), or null. */
  passthroughDisk: string | null;
  /** A new file of `bytes` for this VM on the host disk that holds its VHDs. */
  createFile(name: string, bytes: number): HostFile;
  /** A fresh flow id for an action's records. */
  nextFlow(): number;
}
