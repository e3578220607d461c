/**
 * The JSON grammar check behind a scenario or lesson file's syntax error
 * (`scanJson`): it agrees with `JSON.parse` on what is JSON, over every
 * bundled file and thousands of one-character damages to them, and points
 * at the character where the text broke.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../src/engine/index.js';
import { scanJson } from '../../src/scenario/json-scan.js';

const files = ['scenarios', 'lessons'].flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => readFileSync(`${dir}/${f}`, 'utf8')));

const parses = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('scanJson', () => {
  it('finds every bundled scenario, lesson and schema file to be JSON', () => {
    expect(files.length).toBeGreaterThan(30);
    for (const text of files) expect(scanJson(text)).toBeNull();
  });

  it('agrees with JSON.parse on thousands of damaged files (a character deleted, doubled or replaced)', () => {
    const rng = new RandomStream(7);
    const pick = (n: number): number => rng.integer(0, n - 1);
    const marks = [',', '}', ']', '"', ':', '{', '[', 'x', '\\', '\n', '-', '0'];
    let broken = 0;
    for (let n = 0; n < 3000; n++) {
      const text = files[pick(files.length)]!.slice(0, 4000);
      const at = pick(text.length);
      const how = pick(3);
      const damaged = how === 0 ? text.slice(0, at) + text.slice(at + 1) : how === 1 ? text.slice(0, at) + text[at] + text.slice(at) : text.slice(0, at) + marks[pick(marks.length)] + text.slice(at + 1);
      const cut = damaged.slice(0, damaged.lastIndexOf('}') + 1);
      for (const t of [damaged, cut]) {
        const scanned = scanJson(t);
        expect(scanned === null, JSON.stringify(t.slice(Math.max(0, at - 20), at + 20))).toBe(parses(t));
        if (scanned !== null) {
          broken++;
          expect(scanned.offset).toBeGreaterThanOrEqual(0);
          expect(scanned.offset).toBeLessThanOrEqual(t.length);
        }
      }
    }
    expect(broken).toBeGreaterThan(1000);
  });

  it('points at the character that broke the grammar', () => {
    expect(scanJson('{"a": [1, 2,]}')).toEqual({ offset: 12, message: "found ']' after a comma (a trailing comma: JSON allows none)" });
    expect(scanJson('{"a": 1 "b": 2}')).toEqual({ offset: 8, message: "found '\"' where ',' or '}' was due (a missing comma?)" });
    expect(scanJson('{"a": tru}')!.offset).toBe(6);
    expect(scanJson('{"a": "x')).toEqual({ offset: 6, message: 'a string that is never closed (a missing ")' });
    expect(scanJson('{"a": 01}')).toEqual({ offset: 7, message: 'a number with a leading zero (JSON writes 7, not 07)' });
    expect(scanJson('{"a": 1.}')).toEqual({ offset: 8, message: "found '}' where a digit was due after '.'" });
    expect(scanJson('{"a": 1e+}')).toEqual({ offset: 9, message: "found '}' where a digit of the exponent was due" });
    expect(scanJson('{"a": -x}')).toEqual({ offset: 7, message: "found 'x' where a digit was due after '-'" });
    expect(scanJson('{"a":\u00a01}')).toEqual({ offset: 5, message: 'found the invisible character U+00A0 where a value was due' });
    expect(scanJson('\uFEFF{"a": 1}')).toBeNull();
    expect(scanJson('[' .repeat(600) + ']'.repeat(600))!.message).toContain('nested');
  });
});
