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

/** What is kept of a lesson: its answers by step index, and the steps whose answer was shown without one (the first prediction counts, a reload included). */
export interface StoredLesson {
  answers: Map<number, StoredAnswer>;
  revealed: Set<number>;
}

/** The answers and shown answers kept for `lesson` on `fingerprint`. */
export function loadAnswers(lesson: string, fingerprint: string): StoredLesson {
  const out: StoredLesson = { answers: new Map(), revealed: new Set() };
  try {
    const raw = globalThis.localStorage?.getItem(storageKey(lesson, fingerprint));
    if (raw === null || raw === undefined) return out;
    const data = JSON.parse(raw) as { answers?: unknown; revealed?: unknown };
    if (Array.isArray(data.answers)) {
      for (const item of data.answers) {
        if (!Array.isArray(item) || item.length !== 3) continue;
        const [step, value, right] = item as unknown[];
        if (typeof step === 'number' && typeof value === 'number' && typeof right === 'boolean') out.answers.set(step, { value, right });
      }
    }
    if (Array.isArray(data.revealed)) for (const step of data.revealed) if (typeof step === 'number') out.revealed.add(step);
  } catch {
    // Unreadable or refused storage: nothing kept.
  }
  return out;
}

/** Keeps `answers` and `revealed` for `lesson` on `fingerprint` (both empty: removes them). */
export function saveAnswers(lesson: string, fingerprint: string, answers: ReadonlyMap<number, StoredAnswer>, revealed: ReadonlySet<number> = new Set()): void {
  try {
    const key = storageKey(lesson, fingerprint);
    if (answers.size === 0 && revealed.size === 0) globalThis.localStorage?.removeItem(key);
    else globalThis.localStorage?.setItem(key, JSON.stringify({ answers: [...answers].map(([step, a]) => [step, a.value, a.right]), revealed: [...revealed] }));
  } catch {
    // Storage full or refused: they stay for this visit only.
  }
}
