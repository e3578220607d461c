/**
 * The narrator: one polite live region that says what the current step
 * did, e.g. "Record 42 at 1.2 µs: VM exit (I/O port 0x1F7) on legacy-pio,
 * 800 ns." (ux-ecosystem §2.5). It counts records, as the scrubber does;
 * "step" is a lesson's. The region exists, empty, from the
 * constructor on: a live region must be in the page before its text
 * changes, or screen readers miss the first announcement.
 */
import { formatNs } from '../../engine/sim-time.js';
import type { Topology } from '../../model/topology.js';
import type { HvRecord } from '../../model/trace-events.js';
import { el, placeLabel } from './dom.js';
import { shortLabel } from './explain.js';

/**
 * The sentence the narrator says for `record` (null: before the first
 * record). Record N is the Nth record, `seq + 1`. The place and the cost
 * are said once: not again when the record's own words already name them
 * ("Disk d-pio destaged 512 bytes", not "… on Disk d-pio").
 */
export function narration(record: HvRecord | null, topology: Topology): string {
  // The first screen's one line of guidance: the lesson list sits below the fold at 1366×768 (an audit's finding).
  if (record === null) return 'At the start: nothing has happened yet. → steps, Space plays, L picks a lesson, ? lists the keys.';
  const label = shortLabel(record);
  const vm = record.stream === '' ? '' : (record.stream.split('/')[0] ?? '');
  const where = vm !== '' ? vm : placeLabel(topology, record.place);
  const costs: string[] = [];
  const cost = formatNs(record.costNs);
  if (record.costNs > 0 && !label.includes(cost)) costs.push(cost);
  if (record.waitNs !== undefined && record.waitNs > 0) costs.push(`after waiting ${formatNs(record.waitNs)}`);
  const on = mentions(label, where) ? '' : ` on ${where}`;
  return `Record ${record.seq + 1} at ${formatNs(record.t)}: ${label}${on}${costs.length > 0 ? `, ${costs.join(', ')}` : ''}.`;
}

/** Whether `label` names `where` as a word of its own (not inside another name: "d-pio" is not in "d-pio2"). */
function mentions(label: string, where: string): boolean {
  const at = label.indexOf(where);
  if (at < 0) return false;
  const after = label.charAt(at + where.length);
  const before = at === 0 ? '' : label.charAt(at - 1);
  return !/[\w-]/.test(after) && !/[\w-]/.test(before);
}

/** While playing, the narrator changes at most this often (ms), so each sentence can be read. */
export const NARRATE_EVERY_MS = 1500;

export class Narrator {
  private readonly region: HTMLElement;
  private lastSaidMs = -Infinity;

  constructor(host: HTMLElement) {
    this.region = el('p', { class: 'hv-narrator', attrs: { role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' } });
    host.append(this.region);
  }

  /** Narrates `record` (the one the cursor stands after). */
  say(record: HvRecord | null, topology: Topology): void {
    this.sayText(narration(record, topology));
  }

  /**
   * Narrates `record` during playback: at once if the last sentence has
   * stood `NARRATE_EVERY_MS`, else not yet (the next call will).
   */
  follow(record: HvRecord | null, topology: Topology, nowMs: number): void {
    if (nowMs - this.lastSaidMs < NARRATE_EVERY_MS) return;
    this.lastSaidMs = nowMs;
    this.say(record, topology);
  }

  /** Says any text (a status message from the app). */
  sayText(text: string): void {
    this.region.textContent = text;
  }

  /** The text last said. */
  get text(): string {
    return this.region.textContent ?? '';
  }
}
