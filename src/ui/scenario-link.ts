/**
 * Scenario links: a scenario carried in the URL fragment as
 * `#s=1.<base64url(deflate-raw(text))>` (ux-ecosystem §5.4), optionally
 * followed by the position and compare mode: `&at=<cursor>`, and
 * `&cmp=<bundled name>` or `&c=1.<the compared scenario's text, encoded the
 * same way>&cn=<its name>`, and the lesson and its step: `&ls=<bundled
 * lesson>` or `&l=1.<a lesson file's text>&ln=<its name>`, and `&st=<step,
 * from 1>` (`encodeAppLink`, `decodeAppLink`; links without them open as
 * before). The fragment
 * never reaches a server, so links work offline from a file or a USB stick.
 * Decoding refuses more than `MAX_SCENARIO_BYTES` after inflating, so a
 * hostile link cannot exhaust memory; the text is then validated like any
 * file.
 */

export const LINK_PREFIX = '#s=1.';
export const MAX_SCENARIO_BYTES = 100_000;

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream, limit: number): Promise<Uint8Array> {
  const reader = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new RangeError(`the linked scenario is larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The fragment for a link carrying `scenarioText`. */
export async function encodeScenarioLink(scenarioText: string): Promise<string> {
  const deflated = await pipe(new TextEncoder().encode(scenarioText), new CompressionStream('deflate-raw'), Infinity);
  return LINK_PREFIX + toBase64Url(deflated);
}

/** The scenario text in `hash`, or null if the hash carries none. Throws with a readable message if it is damaged. */
export async function decodeScenarioLink(hash: string): Promise<string | null> {
  if (!hash.startsWith(LINK_PREFIX)) return null;
  return decodePayload(hash.slice(LINK_PREFIX.length).split('&')[0]!);
}

async function decodePayload(payload: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(payload);
  } catch {
    throw new Error('the scenario link is damaged (not base64url)');
  }
  try {
    return new TextDecoder().decode(await pipe(bytes, new DecompressionStream('deflate-raw'), MAX_SCENARIO_BYTES));
  } catch (e) {
    if (e instanceof RangeError) throw e;
    throw new Error('the scenario link is damaged (cannot inflate)');
  }
}

/** What a link carries: the scenario, and optionally the cursor and the compared scenario. */
export interface AppLink {
  text: string;
  cursor?: number;
  /** A bundled scenario by `name`, or any scenario by `text` shown as `name`. */
  compare?: { name: string; text?: string };
  /** A bundled lesson by `name`, or a lesson file's `text` (shown as `name`). */
  lesson?: { name: string; text?: string };
  /** The lesson's step, from 0 (a scenario's own lesson needs only this). */
  step?: number;
}

/** The fragment for `link`. */
export async function encodeAppLink(link: AppLink): Promise<string> {
  let hash = await encodeScenarioLink(link.text);
  if (link.cursor !== undefined && link.cursor > 0) hash += `&at=${Math.floor(link.cursor)}`;
  if (link.compare !== undefined) {
    if (link.compare.text === undefined) hash += `&cmp=${encodeURIComponent(link.compare.name)}`;
    else hash += `&c=${(await encodeScenarioLink(link.compare.text)).slice(3)}&cn=${encodeURIComponent(link.compare.name)}`;
  }
  if (link.lesson !== undefined) {
    if (link.lesson.text === undefined) hash += `&ls=${encodeURIComponent(link.lesson.name)}`;
    else hash += `&l=${(await encodeScenarioLink(link.lesson.text)).slice(3)}&ln=${encodeURIComponent(link.lesson.name)}`;
  }
  if (link.step !== undefined) hash += `&st=${Math.floor(link.step) + 1}`;
  return hash;
}

/** The link in `hash`, or null if it carries no scenario. Throws with a readable message if it is damaged. */
export async function decodeAppLink(hash: string): Promise<AppLink | null> {
  const text = await decodeScenarioLink(hash);
  if (text === null) return null;
  const params = new URLSearchParams(hash.slice(LINK_PREFIX.length).split('&').slice(1).join('&'));
  const link: AppLink = { text };
  const at = Number(params.get('at'));
  if (Number.isInteger(at) && at > 0) link.cursor = at;
  const cmp = params.get('cmp');
  const c = params.get('c');
  if (cmp !== null && cmp !== '') link.compare = { name: cmp };
  else if (c !== null && c.startsWith('1.')) link.compare = { name: params.get('cn') ?? 'compared scenario', text: await decodePayload(c.slice(2)) };
  const ls = params.get('ls');
  const l = params.get('l');
  if (ls !== null && ls !== '') link.lesson = { name: ls };
  else if (l !== null && l.startsWith('1.')) link.lesson = { name: params.get('ln') ?? 'lesson', text: await decodePayload(l.slice(2)) };
  const st = Number(params.get('st'));
  if (Number.isInteger(st) && st >= 1) link.step = st - 1;
  return link;
}
