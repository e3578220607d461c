/**
 * Where a student's answers stay: this browser's localStorage, keyed by the
 * lesson's name and the run's fingerprint (a changed scenario or model
 * starts afresh). Nothing is ever sent anywhere. Storage that is missing or
 * refused (private windows, some file:// set-ups) is treated as empty.
 */

/** One answered question: the prediction and whether it was right. */
export interface StoredAnswer {
  value: number;
  right: boolean;
}

const PREFIX = 'hvsim.lesson.v1';

export function storageKey(lesson: string, fingerprint: string): string {
  return `${PREFIX}:${lesson}:${fingerprint}`;
}

/** The answers kept for `lesson` on `fingerprint`, by step index. */
export function loadAnswers(lesson: string, fingerprint: string): Map<number, StoredAnswer> {
  const out = new Map<number, StoredAnswer>();
  try {
    const raw = globalThis.localStorage?.getItem(storageKey(lesson, fingerprint));
    if (raw === null || raw === undefined) return out;
    const data = JSON.parse(raw) as { answers?: unknown };
    if (!Array.isArray(data.answers)) return out;
    for (const item of data.answers) {
      if (!Array.isArray(item) || item.length !== 3) continue;
      const [step, value, right] = item as unknown[];
      if (typeof step === 'number' && typeof value === 'number' && typeof right === 'boolean') out.set(step, { value, right });
    }
  } catch {
    // Unreadable or refused storage: no answers kept.
  }
  return out;
}

/** Keeps `answers` for `lesson` on `fingerprint` (an empty map removes them). */
export function saveAnswers(lesson: string, fingerprint: string, answers: ReadonlyMap<number, StoredAnswer>): void {
  try {
    const key = storageKey(lesson, fingerprint);
    if (answers.size === 0) globalThis.localStorage?.removeItem(key);
    else globalThis.localStorage?.setItem(key, JSON.stringify({ answers: [...answers].map(([step, a]) => [step, a.value, a.right]) }));
  } catch {
    // Storage full or refused: the answers stay for this visit only.
  }
}
