/**
 * What a lesson keeps in this browser: the answers, and the steps whose
 * answer was shown without one, so that the first prediction still counts
 * after a reload (a review found Show answer, reload, type the answer:
 * scored right).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAnswers, saveAnswers } from '../../src/ui/lesson/lesson-store.js';

describe('lesson store', () => {
  const items = new Map<string, string>();
  beforeEach(() => {
    items.clear();
    (globalThis as { localStorage?: unknown }).localStorage = {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
      removeItem: (k: string) => void items.delete(k),
    };
  });
  afterEach(() => {
    delete (globalThis as { localStorage?: unknown }).localStorage;
  });

  it('keeps the shown answers with the answers, and forgets both together', () => {
    saveAnswers('l', 'fp', new Map([[1, { value: 154, right: true }]]), new Set([2, 4]));
    const kept = loadAnswers('l', 'fp');
    expect([...kept.answers]).toEqual([[1, { value: 154, right: true }]]);
    expect([...kept.revealed]).toEqual([2, 4]);
    // Another run (fingerprint) starts afresh.
    expect(loadAnswers('l', 'other').revealed.size).toBe(0);
    saveAnswers('l', 'fp', new Map(), new Set());
    expect(items.size).toBe(0);
  });

  it('a shown answer alone is kept too', () => {
    saveAnswers('l', 'fp', new Map(), new Set([3]));
    expect([...loadAnswers('l', 'fp').revealed]).toEqual([3]);
  });
});
