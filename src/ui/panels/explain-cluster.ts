/**
 * Plain-English words for the cluster level's record kinds
 * (`src/model/cluster/cluster-events.ts`), folded into `explain.ts`'s
 * table: typed over the cluster kinds, so a new one does not compile until
 * it is explained here.
 */
import { formatNs } from '../../engine/sim-time.js';
import type { ClusterKindFields } from '../../model/cluster/cluster-events.js';
import type { RecordOf } from '../../model/trace-events.js';
import { formatBytes } from './dom.js';

type ClusterKindText = { [K in keyof ClusterKindFields]: { short(r: RecordOf<K>): string; explain(r: RecordOf<K>): string } };

const METHOD: Record<string, string> = { quick: 'Quick migration', live: 'Live migration', vmotion: 'vMotion' };

export const CLUSTER_KIND_TEXT: ClusterKindText = {
  'cluster.formed': {
    short: (r) => `Cluster of ${r.hosts.length} hosts (${r.storage})`,
    explain: (r) =>
      `A cluster of ${r.hosts.length} hosts (${r.hosts.join(', ')}) shares ${r.storage === 'csv' ? `a Cluster Shared Volume coordinated by ${r.coordinator}` : 'storage with one LUN per VM'} and a ${r.linkGbps} Gb/s migration network; ${r.ha} watches them. The I/O view details host ${r.ioHost}.`,
  },
  'cluster.heartbeat.round': {
    short: (r) => (r.silent.length === 0 ? `Heartbeat ${r.round}: all answer` : `Heartbeat ${r.round}: ${r.silent.join(', ')} silent`),
    explain: (r) =>
      r.silent.length === 0
        ? `Heartbeat round ${r.round}: every host (${r.alive.join(', ')}) answered.`
        : `Heartbeat round ${r.round}: ${r.silent.map((h, i) => `${h} has missed ${r.missed[i]}`).join(', ')} heartbeats; at the threshold the cluster declares it down.`,
  },
  'cluster.host.failed': {
    short: (r) => `Host ${r.host} failed`,
    explain: (r) => `Host ${r.host} stopped (power or hardware). ${r.vms.length === 0 ? 'No VM ran on it.' : `Its VMs (${r.vms.join(', ')}) stopped with it; their memory is lost.`} Nobody knows yet: the others notice only when its heartbeats stop.`,
  },
  'cluster.host.declared-down': {
    short: (r) => `Host ${r.host} declared down after ${formatNs(r.detectionNs)}`,
    explain: (r) => `After ${r.missed} missed heartbeats, ${r.by} declared ${r.host} down, ${formatNs(r.detectionNs)} after it failed, and restarts its VMs elsewhere.`,
  },
  'cluster.quorum.lost': {
    short: (r) => `Quorum lost: ${r.votes} of ${r.of} votes`,
    explain: (r) =>
      `With only ${r.hosts.length === 0 ? 'no host' : r.hosts.join(', ')} up, the cluster has ${r.votes} of its ${r.of} votes${r.witness ? ' (the disk witness counts one)' : ''}: not more than half, so it has no quorum. The cluster service stops on every node${r.vms.length === 0 ? '' : `, its VMs (${r.vms.join(', ')}) go offline`}, and nothing is restarted until enough nodes return.`,
  },
  'cluster.csv.coordinator-moved': {
    short: (r) => `CSV coordinator ${r.from} → ${r.to}`,
    explain: (r) => `The Cluster Shared Volume's coordinator ${r.from} is down, so ${r.to} takes over its metadata; the other nodes keep their direct I/O.`,
  },
  'cluster.csv.redirected-io': {
    short: (r) => `${r.vm}: redirected ${r.op} via ${r.coordinator} (${formatNs(r.costNs)})`,
    explain: (r) =>
      `The Cluster Shared Volume is in redirected access (a host-level backup holds it so), and ${r.host} is not its coordinator: this ${formatBytes(r.bytes)} ${r.op} of ${r.vm} goes over SMB2 on the cluster network to ${r.coordinator}, which does it on the LUN, instead of Direct I/O. The detour adds ${formatNs(r.costNs)}.`,
  },
  'cluster.vm.changed': {
    short: (r) => `${r.vm}: ${r.state} on ${r.host}`,
    explain: (r) => `VM ${r.vm} is now ${r.state} on host ${r.host}.`,
  },
  'cluster.migration.started': {
    short: (r) => `${METHOD[r.method]} of ${r.vm}: ${r.from} → ${r.to}`,
    explain: (r) =>
      r.method === 'quick'
        ? `Quick migration of ${r.vm} (${formatBytes(r.memoryBytes)}) from ${r.from} to ${r.to}: save its state to the shared LUN, move the LUN, restore. It is offline throughout.`
        : `${METHOD[r.method]} of ${r.vm} (${formatBytes(r.memoryBytes)}) from ${r.from} to ${r.to}: memory copied over the network while the VM runs, at most ${r.maxPasses} passes, then a short pause.`,
  },
  'cluster.migration.phase': {
    short: (r) => `${r.vm}: ${r.phase} (${formatNs(r.costNs)})`,
    explain: (r) =>
      r.phase === 'save' || r.phase === 'restore'
        ? `Migration ${r.migration} of ${r.vm}: the VM's own ${r.phase} runs now (the same steps as a ${r.phase} action: its memory ${r.phase === 'save' ? 'written to' : 'read back from'} its state file on the shared LUN through the root's storage stack).`
        : r.phase === 'precopy'
          ? `Migration ${r.migration} of ${r.vm}: pre-copy begins. Its memory goes over the link pass by pass while the VM runs, each pass's record written as it ends (migrations at once share the link, so a pass's length is known only then).`
          : `Migration ${r.migration} of ${r.vm}: the ${r.phase} phase, ${formatNs(r.costNs)}.${r.phase === 'sdps' ? ' Pre-copy was not converging, so vMotion stuns the vCPUs (SDPS) to slow how fast the guest dirties memory.' : ''}`,
  },
  'cluster.migration.pass': {
    short: (r) => `${r.vm} pass ${r.pass}: ${formatBytes(r.bytes)} in ${formatNs(r.durationNs)}`,
    explain: (r) =>
      `Pre-copy pass ${r.pass} ends: ${formatBytes(r.bytes)} sent in ${formatNs(r.durationNs)} (${formatBytes(r.bytesPerS)}/s on average; migrations at once share the link) while the guest kept running and dirtied ${formatBytes(r.dirtiedBytes)} again, which the next pass (or the final pause) must send.`,
  },
  'cluster.state.chunk': {
    short: (r) => `${r.vm}: ${r.op} ${formatBytes(r.bytes)} of memory`,
    explain: (r) => `${r.op === 'save' ? 'Saving' : 'Restoring'} ${r.vm}'s memory ${r.op === 'save' ? 'to' : 'from'} the shared LUN: ${formatBytes(r.bytes)} at offset ${formatBytes(r.offsetBytes)} of ${formatBytes(r.memoryBytes)}, ${formatNs(r.costNs)}.`,
  },
  'cluster.migration.blackout': {
    short: (r) => `${r.vm} paused: final ${formatBytes(r.bytes)} (${formatNs(r.sentNs + r.costNs)})`,
    explain: (r) =>
      `Stop and copy (vMotion calls it the switchover): ${r.vm} is paused; the last ${formatBytes(r.bytes)} of dirty memory went across in ${formatNs(r.sentNs)}, now its processor and device state follow; then it resumes on the target and announces itself with a reverse ARP. The VM is unreachable for ${formatNs(r.sentNs + r.costNs)}.`,
  },
  'cluster.action.refused': {
    short: (r) => `${r.action} refused (${r.vm || r.host})`,
    explain: (r) => `The ${r.action} of ${r.vm || r.host} did not happen: ${r.why}.`,
  },
  'cluster.migration.completed': {
    short: (r) => (r.outcome === 'failed' ? `${METHOD[r.method]} of ${r.vm} failed after ${r.passes} passes: no forward progress` : `${METHOD[r.method]} of ${r.vm} ${r.outcome}: ${formatNs(r.totalNs)}, blackout ${formatNs(r.blackoutNs)}`),
    explain: (r) =>
      r.outcome === 'failed'
        ? `${METHOD[r.method]} failed after ${formatNs(r.totalNs)} and ${r.passes} passes (${formatBytes(r.totalBytes)} sent): the guest dirtied memory as fast as the link sent it, so a pass left as much to send as it sent. vSphere 4 gives up and the VM runs on where it was, never paused; vSphere 5's Stun During Page Send slows the guest instead.`
        : `${METHOD[r.method]} ${r.outcome}: ${formatNs(r.totalNs)} in all, ${formatBytes(r.totalBytes)} moved, ${r.passes} passes${r.method === 'quick' ? '' : r.converged ? ' (converged)' : ' (capped: it stopped at the pass limit)'}; the VM was unreachable for ${formatNs(r.blackoutNs)}${r.exceedsTcpTimeout ? ', longer than a TCP timeout' : r.exceedsHeartbeat ? ', longer than the cluster heartbeat allows' : ''}. On paper: ${formatNs(r.formulaTotalNs)}, blackout ${formatNs(r.formulaBlackoutNs)}.`,
  },
  'cluster.vm.restarted': {
    short: (r) => `${r.vm} restarted on ${r.host} (down ${formatNs(r.downtimeNs)})`,
    explain: (r) => `${r.vm} booted from cold on ${r.host} after ${r.from} failed: it was down for ${formatNs(r.downtimeNs)} (detection, placement, boot, services).`,
  },
  'cluster.exchange.evicted': {
    short: (r) => `Exchange member ${r.vm} evicted`,
    explain: (r) => `The Exchange copy group missed ${r.vm}'s heartbeats ${r.missed} times and evicted it.`,
  },
  'cluster.exchange.failedover': {
    short: (r) => `Databases failed over ${r.from} → ${r.to}`,
    explain: (r) => `Exchange (${r.copyKind}) mounted its databases on ${r.to}'s copy, no reboot: ${formatNs(r.detectionNs)} to detect, ${formatNs(r.downtimeNs)} without a mounted database in all.`,
  },
  'cluster.client.lost': {
    short: (r) => `Client ${r.client}: no answer from ${r.vm}`,
    explain: (r) => `Client ${r.client} got no answer from ${r.vm}: the service is not reachable.`,
  },
  'cluster.client.resumed': {
    short: (r) => `Client ${r.client}: answered after ${formatNs(r.gapNs)}${r.dropped ? ' (reconnected)' : ''}`,
    explain: (r) => `Client ${r.client} got an answer from ${r.vm} after a gap of ${formatNs(r.gapNs)}. ${r.dropped ? 'Its connection did not survive (the VM rebooted or the gap passed the TCP timeout): it had to reconnect.' : 'Its connection survived.'}`,
  },
  'cluster.client.unanswered': {
    short: (r) => `Client ${r.client}: still no answer at the end (${formatNs(r.gapNs)})`,
    explain: (r) =>
      `The run ended with client ${r.client} still getting no answer from ${r.vm}: ${formatNs(r.gapNs)} since its last answer, and counting. ${r.dropped ? 'Its connection is already gone (the VM rebooted or the gap passed the TCP timeout).' : 'Its connection may yet survive if the service answers soon.'}`,
  },
  'cluster.backup.started': {
    short: (r) => `Backup of ${r.vm}: ${r.method} (${r.type})`,
    explain: (r) => `A ${r.type} backup of ${r.vm} by ${r.method}: ${r.why}.`,
  },
  'cluster.backup.step': {
    short: (r) => `${r.vm} backup: ${r.step}`,
    explain: (r) => `Backup ${r.backup} of ${r.vm}, step ${r.step} (${formatNs(r.costNs)}): ${r.note}.`,
  },
  'cluster.backup.completed': {
    short: (r) => (r.outcome === 'aborted' ? `Backup of ${r.vm} aborted: its host failed` : `Backup of ${r.vm} done: down ${formatNs(r.downtimeNs)}, frozen ${formatNs(r.freezeNs)}`),
    explain: (r) =>
      r.outcome === 'aborted'
        ? `Backup by ${r.method} aborted: the VM's host failed under it, so nothing was protected and no logs were truncated; the failover takes the VM.`
        : `Backup by ${r.method} finished: the VM was offline ${formatNs(r.downtimeNs)} and its writes frozen ${formatNs(r.freezeNs)}${r.withinLimits ? ' (inside VSS limits)' : ' (past a VSS limit)'}; ${formatBytes(r.protectedBytes)} protected, ${r.consistency}; Exchange logs ${r.logsTruncated ? 'truncated' : 'not truncated'}.`,
  },
};

