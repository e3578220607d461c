/**
 * Links to the app's present view (`scenario-link.ts` has the format): what
 * a link carries (the scenario, the cursor, compare mode, the lesson and
 * its step), copying one to the clipboard, and opening one in its order
 * (the scenario or lesson, then compare mode, then the cursor). The app
 * hands these functions a narrow view of itself (`LinkedApp`).
 */
import { bundledScenario } from '../scenario/index.js';
import type { LessonFeature } from './lesson/index.js';
import { encodeAppLink, type AppLink } from './scenario-link.js';

/** What links need of the app. */
export interface LinkedApp {
  /** The loaded scenario's text and where the controls stand (the cursor, or past this run's end in compare mode), or null before any run. */
  current(): { text: string; cursor: number } | null;
  /** The scenario shown beside it in compare mode, or null. */
  comparedSource(): { name: string; text: string } | null;
  readonly lessons: LessonFeature;
  loadText(text: string, fileName: string): Promise<boolean>;
  compare(name: string): Promise<boolean>;
  compareText(text: string, fileName: string): Promise<boolean>;
  seek(index: number): void;
  say(text: string): void;
}

/** What a link to `app`'s present view carries: the scenario, the cursor, compare mode and the lesson's step. */
export function linkOf(app: LinkedApp): AppLink | null {
  const current = app.current();
  if (current === null) return null;
  const link: AppLink = { text: current.text, cursor: current.cursor };
  const lesson = app.lessons.controller.linkPart();
  if (lesson !== null) Object.assign(link, lesson);
  const source = app.comparedSource();
  if (source !== null) link.compare = bundledScenario(source.name) !== undefined ? { name: source.name } : { name: source.name, text: source.text };
  return link;
}

/** Puts a link to `app`'s present view in the address bar and, when the browser lets it, on the clipboard; says which. */
export async function copyLink(app: LinkedApp): Promise<void> {
  const link = linkOf(app);
  if (link === null) return;
  const hash = await encodeAppLink(link);
  const url = `${location.href.split('#')[0]!.split('?')[0]}${hash}`;
  history.replaceState(null, '', hash);
  const carries = `it carries the scenario, record ${link.cursor}${link.compare === undefined ? '' : ' and compare mode'}.`;
  try {
    await navigator.clipboard.writeText(url);
    app.say(`Link copied: ${carries}`);
  } catch {
    app.say(`The link is in the address bar: ${carries}`);
  }
}

/** Opens what `link` carries in `app`: the lesson or the scenario (and the lesson's step), then compare mode, then the cursor. */
export async function openLink(app: LinkedApp, link: AppLink): Promise<boolean> {
  if (link.lesson !== undefined) {
    if (!(await app.lessons.openLinked(link.lesson, link.step ?? 0))) return false;
  } else {
    if (!(await app.loadText(link.text, 'linked scenario'))) return false;
    if (link.step !== undefined) app.lessons.controller.goTo(link.step);
  }
  if (link.compare !== undefined) {
    if (link.compare.text === undefined) await app.compare(link.compare.name);
    else await app.compareText(link.compare.text, link.compare.name);
  }
  if (link.cursor !== undefined) app.seek(link.cursor);
  return true;
}
