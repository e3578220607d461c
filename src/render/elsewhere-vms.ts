/**
 * The VMs of a cluster that are on another host than the one an I/O view
 * shows, at the cursor (a VM migrated, or restarted after a failure): the
 * scene shades their columns and draws their packets faint. Asked per
 * packet per frame, so a stream's answer is kept once worked out.
 */
export class ElsewhereVms {
  private vms: ReadonlySet<string> = new Set();
  private readonly byStream = new Map<string, boolean>();

  /** Takes the new set; whether it differs from the last (the scene redraws only then). */
  set(vms: ReadonlySet<string>): boolean {
    if (vms.size === this.vms.size && [...vms].every((vm) => this.vms.has(vm))) return false;
    this.vms = new Set(vms);
    this.byStream.clear();
    return true;
  }

  has(vm: string): boolean {
    return this.vms.has(vm);
  }

  /** Whether `stream`'s VM (`vm/disk/path`) is elsewhere. */
  holdsStream(stream: string): boolean {
    if (this.vms.size === 0) return false;
    let away = this.byStream.get(stream);
    if (away === undefined) {
      const slash = stream.indexOf('/');
      away = this.vms.has(slash < 0 ? stream : stream.slice(0, slash));
      this.byStream.set(stream, away);
    }
    return away;
  }
}
