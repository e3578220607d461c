/** ARCHITECTURE.md names real paths: a codemap that points at moved files is worse than none (STYLE §4.9). */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('ARCHITECTURE.md', () => {
  const text = readFileSync('ARCHITECTURE.md', 'utf8');
  const paths = [...text.matchAll(/`((?:src|test|bench|scenarios)\/[^`\s]*)`/g)].map((m) => m[1]!);

  it('names paths', () => {
    expect(paths.length).toBeGreaterThan(20);
  });

  it('names only paths that exist', () => {
    expect(paths.filter((p) => !existsSync(p.replace(/\/$/, '')))).toEqual([]);
  });
});
