/**
 * Backups (row e) as the cluster runs them, step by step from their plan
 * (`backup-plan.ts`: host-level VSS through the backup integration service,
 * saved state without it, in-guest, VMware Consolidated Backup), and the
 * Cluster Shared Volume's access mode they change: a host-level backup on
 * a CSV holds it in redirected access, so the detailed host's requests on a
 * node that is not the coordinator detour over the cluster network
 * (`storageAccess`). Part of `ClusterModel` (`cluster.ts`).
 */
import { startProcess, type ProcessBody } from '../../engine/index.js';
import type { Place } from '../topology.js';
import type { Strand } from '../tracer.js';
import { backupPlan, commitNs, type PlannedStep } from './backup-plan.js';
import { clusterDefault } from './cluster-costs.js';
import type { BackupMethod, BackupType } from './cluster-config.js';
import type { ClusterState } from './cluster-state.js';
import { sendNs } from './precopy.js';

export class Backups {
  private backups = 0;

  /** Backups under way, by the host they run on: a failure of that host ends them at once (`hostFailed`). */
  private readonly running = new Map<string, Set<() => void>>();

  constructor(private readonly c: ClusterState) {
    c.hostFailedListeners.push((host) => this.hostFailed(host));
  }

  /**
   * `host` failed: each backup of a VM on it ends now, aborted. Its requestor (the Hyper-V VSS writer's, or the
   * agent in the guest) ran on that host and its shadow copy was that host's, so nothing more is read from it
   * (row e.2: the VSS roles; E: the backup application sees the failure at once). Before, a backup went on to
   * its step's end, so a copy from a dead host kept the backup target (others waited for it) and the CSV in
   * redirected access for the rest of its copy, 32 s in the held-out case.
   */
  private hostFailed(host: string): void {
    for (const abort of [...(this.running.get(host) ?? [])]) abort();
  }

  /**
   * One request of `vmId` on the detailed host reaching the shared storage.
   * On a Cluster Shared Volume a node normally does Direct I/O to the LUN
   * (CsvFlt, R2); while the volume is in redirected access (a host-level
   * VSS backup in R2) every node but the coordinator sends its I/O over SMB2
   * on the cluster network to the coordinator, which does it (row c.2, V:
   * Mastering Hyper-V p.490-491; windowsitpro on CSV states). Coarse: the
   * disk I/O stays as the detailed model does it; the detour adds an SMB2
   * round trip and the data's time on the cluster network
   * (`csv_redirect_overhead`, `csv_network_rate`), one record per request
   * at `place` (the root's file system, where CsvFlt sits). 0 when direct.
   */
  *storageAccess(vmId: string, op: 'read' | 'write', bytes: number, s: Strand, place: Place): ProcessBody<void> {
    if (this.c.config.storage.kind !== 'csv' || this.c.csvRedirected === 0) return;
    const vm = this.c.vms.get(vmId);
    if (vm === undefined || vm.host === this.c.coordinator) return;
    const ns = clusterDefault('csv_redirect_overhead') + sendNs(bytes, clusterDefault('csv_network_rate'));
    this.c.emit(s, 'cluster.csv.redirected-io', place, ns, { vm: vmId, host: vm.host, coordinator: this.c.coordinator, op, bytes });
    yield ns;
  }

  backup(vmId: string, method: BackupMethod, type: BackupType, s: Strand): void {
    const vm = this.c.vms.get(vmId)!;
    if (vm.busy || vm.state !== 'running') {
      const why = vm.busy
        ? 'a migration or backup of this VM is under way'
        : vm.state === 'stopped'
          ? `the VM is ${this.c.lifecycle(vmId)?.state ?? 'stopped'}, not running: its guest cannot take part (back up its files with the VM off instead)`
          : `the VM is ${vm.state}, not running`;
      this.c.refuse('backup', vmId, vm.host, why, s);
      return;
    }
    const plan = backupPlan(vm.config, method, this.c.config, type);
    if (plan.refused !== null) {
      this.c.refuse('backup', vmId, vm.host, plan.refused, s);
      return;
    }
    const id = this.backups++;
    vm.busy = true;
    this.c.activeOps++;
    const isExchange = this.c.config.exchange?.members.includes(vmId) ?? false;
    const truncates = plan.applicationAware && isExchange && (type === 'full' || type === 'incremental');
    this.c.emit(s, 'cluster.backup.started', this.c.hosts.get(vm.host)!.place, 0, { backup: id, vm: vmId, method: plan.method, type, why: plan.why });
    let downtimeNs = 0;
    let freezeNs = 0;
    let offlineSince = 0;
    let frozenSince = 0;
    /** The VM is saved or frozen for this backup now (since offlineSince, frozenSince). */
    let offline = false;
    let frozen = false;
    /** VCB: when the VMFS snapshot's redo log began (-1: none). */
    let redoSince = -1;
    const steps = plan.steps.filter((st) => st.step !== 'truncate-logs' || truncates);
    // Saved State through the VM's life cycle when it has one and a disk for its state file: its own save and restore, measured.
    const life = plan.method === 'saved-state' ? this.c.lifecycle(vmId) : null;
    const viaLife = life !== null && life.state === 'Running' && life.canSaveState();
    const place = (st: PlannedStep): Place => (st.step === 'copy' || st.step === 'csv-redirected' || st.step === 'commit-snapshot' ? this.c.storage : this.c.hosts.get(vm.host)!.place);
    let redirecting = false;
    const endRedirect = (): void => {
      if (redirecting) this.c.csvRedirected--;
      redirecting = false;
    };
    const host = vm.host;
    /** Ended (completed or aborted): its pending steps and its turn at the target do nothing. */
    let ended = false;
    /** Its copy holds the backup target (`copying`), or waits its turn in its queue (`queued`). */
    let copying = false;
    let queued: (() => void) | null = null;
    const abort = (): void => {
      if (ended) return;
      if (copying) this.nextCopy();
      if (queued !== null) this.c.backupTarget.waiting.splice(this.c.backupTarget.waiting.indexOf(queued), 1);
      copying = false;
      queued = null;
      vm.lifeDriven = false;
      this.c.gate(vm, s);
      end('aborted');
    };
    if (!this.running.has(host)) this.running.set(host, new Set());
    this.running.get(host)!.add(abort);
    const end = (outcome: 'completed' | 'aborted'): void => {
      ended = true;
      // Aborted while the VM was saved or frozen for it (its host failed): that outage was the backup's until then
      // (before, an aborted saved-state backup said 0 though it had kept the VM saved for 2 s in the held-out case).
      if (offline) downtimeNs += this.c.sim.now - offlineSince;
      if (frozen) freezeNs += this.c.sim.now - frozenSince;
      offline = false;
      frozen = false;
      this.running.get(host)!.delete(abort);
      const done = outcome === 'completed';
      this.c.emit(s, 'cluster.backup.completed', this.c.storage, 0, {
        backup: id,
        vm: vmId,
        method: plan.method,
        outcome,
        downtimeNs,
        freezeNs,
        consistency: plan.consistency,
        logsTruncated: done && truncates,
        withinLimits: freezeNs <= clusterDefault('vss_freeze_limit') && clusterDefault('vss_commit') <= clusterDefault('vss_flush_hold_limit'),
        protectedBytes: done ? plan.protectedBytes : 0,
      });
      vm.busy = false;
      this.c.activeOps--;
      endRedirect();
    };
    const next = (i: number): void => {
      if (ended) return; // aborted already (`hostFailed`)
      // Its host failed under it (the failover may have taken the VM elsewhere already): the backup ends there,
      // and the VM is the failover's (its state now drives the VM's own, as for any VM of a failed host).
      if (!this.c.hosts.get(host)!.alive || vm.host !== host) {
        vm.lifeDriven = false;
        this.c.gate(vm, s);
        end('aborted');
        return;
      }
      if (i === steps.length) {
        end('completed');
        return;
      }
      const st = steps[i]!;
      if (st.step === 'csv-redirected' && !redirecting) {
        redirecting = true;
        this.c.csvRedirected++;
      }
      if (viaLife && (st.step === 'save-state' || st.step === 'restore-state')) {
        if (st.enter === 'saved-for-backup') {
          offlineSince = this.c.sim.now;
          offline = true;
          vm.lifeDriven = true;
          this.c.setState(vm, st.enter, s);
        }
        this.c.emit(s, 'cluster.backup.step', place(st), 0, { backup: id, vm: vmId, step: st.step, note: `${st.note}: the VM's own ${st.step === 'save-state' ? 'save' : 'restore'} (its life cycle)` });
        const action = st.step === 'save-state' ? 'save' : 'restore';
        startProcess(
          this.c.sim,
          (function* (): ProcessBody<void> {
            yield* life.perform(action);
            next(i + 1);
          })(),
          `${vmId} backup ${action}`,
        );
        return;
      }
      if (st.enter !== undefined) {
        if (st.enter === 'running') vm.lifeDriven = false;
        if (st.enter === 'saved-for-backup') offlineSince = this.c.sim.now;
        if (st.enter === 'frozen') frozenSince = this.c.sim.now;
        if (st.enter === 'running') {
          if (vm.state === 'saved-for-backup') downtimeNs += this.c.sim.now - offlineSince;
          if (vm.state === 'frozen') freezeNs += this.c.sim.now - frozenSince;
        }
        offline = st.enter === 'saved-for-backup' || (offline && st.enter !== 'running');
        frozen = st.enter === 'frozen' || (frozen && st.enter !== 'running');
        this.c.setState(vm, st.enter, s);
      }
      // The quiesce of a VM of the detailed host flushes: with its writers frozen (no new write passes), the step
      // lasts until the writes already in flight have reached the disk, then its own time (measured, not a constant).
      const guest = st.enter === 'frozen' ? this.c.lifecycle(vmId) : null;
      if (guest !== null && !vm.lifeDriven) {
        this.c.emit(s, 'cluster.backup.step', place(st), st.ns, { backup: id, vm: vmId, step: st.step, note: `${st.note}; the writes in flight reach the disk first` });
        startProcess(
          this.c.sim,
          (function* (): ProcessBody<void> {
            yield* guest.gates.drainWrites();
            yield st.ns;
            next(i + 1);
          })(),
          `${vmId} backup flush`,
        );
        return;
      }
      // The copy goes to the cluster's one backup target at its rate (backup_copy_rate): backups at once take
      // turns, first come first served, and a copy that waits for the target counts in its backup's time (E: one
      // backup server per cluster; before, three at once each copied at the full rate). A backup whose host
      // failed while it waited gives up its turn when it comes (it ends aborted then, at a step's boundary).
      if (st.step === 'copy') {
        const copy = (): void => {
          queued = null;
          copying = true;
          if (!this.c.hosts.get(host)!.alive || vm.host !== host) {
            copying = false;
            this.nextCopy();
            next(i); // aborted there
            return;
          }
          // A wait for the target is its own step before this one (target-wait), with its time.
          this.c.step(s, 'cluster.backup.step', place(st), st.ns, { backup: id, vm: vmId, step: st.step, note: st.note }, () => {
            if (ended) return; // aborted meanwhile: it gave the target up then
            copying = false;
            this.nextCopy();
            next(i + 1);
          });
        };
        if (this.c.backupTarget.busy) {
          // A step of its own, so the wait is not booked to the step before it (its figures: `target-waitNs`).
          this.c.emit(s, 'cluster.backup.step', place(st), 0, { backup: id, vm: vmId, step: 'target-wait', note: 'waits for the backup target: another backup is copying to it' });
          queued = copy;
          this.c.backupTarget.waiting.push(copy);
        } else {
          this.c.backupTarget.busy = true;
          copy();
        }
        return;
      }
      if (st.step === 'vmfs-snapshot') redoSince = this.c.sim.now + st.ns;
      // VCB: the redo log holds what the guest wrote since the snapshot, however long the copy (and its wait) took.
      const ns = st.step === 'commit-snapshot' && redoSince >= 0 ? commitNs(vm.config, this.c.sim.now - redoSince) : st.ns;
      this.c.step(s, 'cluster.backup.step', place(st), ns, { backup: id, vm: vmId, step: st.step, note: st.note }, () => next(i + 1));
    };
    next(0);
  }

  /** The backup target's next copy, first come first served, or the target is free. */
  private nextCopy(): void {
    const waiting = this.c.backupTarget.waiting.shift();
    if (waiting === undefined) this.c.backupTarget.busy = false;
    else waiting();
  }
}
