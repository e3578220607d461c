/**
 * The logical processors' lanes on the canvas (issue 14 item 6, in part):
 * the credit scheduler's LP places (`hw.lp.<k>`, in the hardware band) say
 * which VP runs on each LP and how many wait for it, from the view state's
 * `lps`. Text only, in the place's counter slot, plus a bar in the running
 * VM's colour along the box's foot; nothing here reads the model. Under
 * the dedicated scheduler there are no LP places and this draws nothing.
 */
import type { LpView } from './view-state.js';

/** The LP number of an LP place id (`hw.lp.3` → 3), or null for any other place. */
export function lpOfPlace(placeId: string): number | null {
  const m = /^hw\.lp\.(\d+)$/.exec(placeId);
  return m === null ? null : Number(m[1]);
}

/** Who runs on the LP now: the VP an interrupt woke over the calendar's holder, else the holder; null when idle. */
export function lpRunner(lp: LpView | undefined): { vm: string; vp: number } | null {
  return lp?.visitor ?? lp?.holder ?? null;
}

/**
 * The lane's text: the running VP as its VM's tag (`④`, `root` for the
 * root's VP) with `/j` for a VP other than 0, then `+n` for the VPs
 * waiting (`④+7`); empty when nothing runs or waits (the box shows its label alone). `tags` maps VM ids to tags.
 */
export function lpLaneText(lp: LpView | undefined, tags: ReadonlyMap<string, string>): string {
  const runner = lpRunner(lp);
  const waiting = lp?.waiting.length ?? 0;
  if (runner === null && waiting === 0) return '';
  // The root has one VP per LP, so on a lane it is just `root`.
  const who = runner === null ? '–' : runner.vm === 'root' ? 'root' : `${tags.get(runner.vm) ?? runner.vm}${runner.vp === 0 ? '' : `/${runner.vp}`}`;
  return waiting === 0 ? who : `${who}+${waiting}`;
}
