/**
 * The expression language of lesson answers: a hand-written parser with
 * the usual precedence, parentheses, unary minus, figure references in the
 * claims' grammar, errors that give the column, and no eval anywhere.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateComparison, evaluateExpression, figuresOf, parseComparison, parseExpression, type Expr, type FigureRef } from '../../src/scenario/index.js';

const FIGURES: Record<string, number> = {
  'legacy-pio perIo.vmExits': 154,
  'enlightened perIo.vmExits': 1,
  'legacy-pio/data cpuNsPerIo.total': 2_292_500,
  'enlightened/data/vmbus-scsi deviceNsPerIo': 2_515_597,
  'migrations[0].blackoutNs': 32_111_278_207,
  'migrations[1].blackoutNs': 51_316_335,
  'clients.web-user.drops': 1,
};
const read = (figure: FigureRef) => (figure.text in FIGURES ? { ok: true as const, value: FIGURES[figure.text]! } : { ok: false as const, why: 'not in this test' });

function value(text: string): number {
  const parsed = parseExpression(text);
  if (!parsed.ok) throw new Error(`${text}: column ${parsed.column}: ${parsed.message}`);
  const result = evaluateExpression(parsed.value, read);
  if (!result.ok) throw new Error(result.why);
  return result.value;
}

function error(text: string): { column: number; message: string } {
  const parsed = parseExpression(text);
  if (parsed.ok) throw new Error(`${text} parsed`);
  return { column: parsed.column, message: parsed.message };
}

describe('parseExpression', () => {
  it('gives * and / precedence over + and -, and groups left to right', () => {
    expect(value('1 + 2 * 3')).toBe(7);
    expect(value('(1 + 2) * 3')).toBe(9);
    expect(value('10 - 4 - 3')).toBe(3);
    expect(value('100 / 10 / 5')).toBe(2);
    expect(value('2 * 3 + 4 * 5')).toBe(26);
    expect(value('-2 * -3')).toBe(6);
    expect(value('- (1 + 2) * 2')).toBe(-6);
    expect(value('((((7))))')).toBe(7);
    expect(value('1.5e3 + .5')).toBe(1500.5);
  });

  it('reads figures as vm[/disk[/path]] metric, and ids may hold hyphens', () => {
    expect(value('legacy-pio perIo.vmExits / enlightened perIo.vmExits')).toBe(154);
    expect(value('legacy-pio perIo.vmExits-4')).toBe(150); // the metric ends at '-'
    expect(value('100 * legacy-pio/data cpuNsPerIo.total / enlightened/data/vmbus-scsi deviceNsPerIo')).toBeCloseTo(91.13, 2);
    const parsed = parseExpression('enlightened/data/vmbus-scsi deviceNsPerIo * 2');
    expect(parsed.ok && figuresOf(parsed.value)).toEqual([{ vm: 'enlightened', disk: 'data', path: 'vmbus-scsi', metric: 'deviceNsPerIo', text: 'enlightened/data/vmbus-scsi deviceNsPerIo' }]);
  });

  it("reads a figure beyond the paths by its dotted name, as a claim's figure names it", () => {
    expect(value('migrations[0].blackoutNs / 1e9')).toBeCloseTo(32.111, 3);
    expect(value('migrations[0].blackoutNs / migrations[1].blackoutNs')).toBeCloseTo(625.75, 2);
    expect(value('clients.web-user.drops + legacy-pio perIo.vmExits')).toBe(155); // a hyphen inside a name belongs to it
    const parsed = parseExpression('(migrations[1].blackoutNs) * 2');
    expect(parsed.ok && figuresOf(parsed.value)).toEqual([{ figure: 'migrations[1].blackoutNs', text: 'migrations[1].blackoutNs' }]);
    const comparison = parseComparison('vms.web.saveNs > 2 * enlightened perIo.vmExits');
    expect(comparison.ok && figuresOf(comparison.value)).toEqual([
      { figure: 'vms.web.saveNs', text: 'vms.web.saveNs' },
      { vm: 'enlightened', metric: 'perIo.vmExits', text: 'enlightened perIo.vmExits' },
    ]);
  });

  it('refuses a dotted name that is no part of the run, or not a name, at its column', () => {
    expect(error('2 * migration[0].blackoutNs')).toEqual({ column: 5, message: expect.stringMatching(/^no part of the run's figures is called 'migration' \(did you mean 'migrations'\?\); parts: .*migrations/) });
    expect(error('migrations[x].blackoutNs')).toEqual({ column: 1, message: expect.stringContaining("'migrations[x].blackoutNs' is not a figure name") });
    expect(error('migrations..totalNs')).toEqual({ column: 1, message: expect.stringContaining('is not a figure name') });
  });

  it('builds the tree with positions', () => {
    const parsed = parseExpression('1 + 2 * 3');
    expect(parsed.ok).toBe(true);
    const tree = (parsed as { value: Expr }).value;
    expect(tree).toMatchObject({ type: 'binary', op: '+', start: 0, end: 9, left: { type: 'number', value: 1 }, right: { type: 'binary', op: '*' } });
  });

  it('says what is wrong and at which column', () => {
    expect(error('legacy-pio/data perIo.vmExitz')).toEqual({ column: 17, message: expect.stringMatching(/^no metric 'perIo.vmExitz' \(did you mean 'perIo.vmExits'\?\); metrics: latencyNs.mean, /) });
    expect(error('1 +')).toEqual({ column: 4, message: 'expected a number, a figure or (, found the end' });
    expect(error('(1 + 2')).toEqual({ column: 7, message: "expected ')' to close the '(' at column 1" });
    expect(error('1 + 2)')).toEqual({ column: 6, message: "')' without a matching '('" });
    expect(error('2 3')).toEqual({ column: 3, message: "expected an operator (+ - * /) or the end, found '3'" });
    expect(error('legacy-pio')).toMatchObject({ column: 11, message: expect.stringContaining('expected a metric') });
    expect(error('a/b/ide-pi perIo.vmExits')).toMatchObject({ column: 5, message: expect.stringContaining("no path 'ide-pi' (did you mean 'ide-pio'?)") });
    expect(error('5ms + 1')).toMatchObject({ column: 2, message: expect.stringContaining('cannot have a unit') });
    expect(error('1 < 2')).toMatchObject({ column: 3, message: expect.stringContaining('only in a choice') });
    expect(error('')).toEqual({ column: 1, message: 'empty' });
    expect(error('x'.repeat(501))).toMatchObject({ message: 'longer than 500 characters' });
    expect(error(`${'('.repeat(40)}1${')'.repeat(40)}`)).toMatchObject({ message: 'nested more than 32 deep' });
  });

  it('never evaluates code: anything but numbers, figures and operators is refused', () => {
    for (const text of ['process.exit(1)', 'constructor.constructor("return 1")()', '`1`', '1; 2', 'Math.max(1, 2)', "require('fs')", '[1]', '1 ** 2']) {
      expect(parseExpression(text).ok, text).toBe(false);
    }
    const source = readFileSync('src/scenario/lesson/expression.ts', 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    expect(source).not.toMatch(/\beval\s*\(|\bnew\s+Function\b|\bFunction\s*\(/);
  });
});

describe('evaluation', () => {
  it('fails, never throws, on a missing figure or a division by zero', () => {
    const missing = parseExpression('nobody perIo.vmExits + 1');
    expect(missing.ok && evaluateExpression(missing.value, read)).toEqual({ ok: false, why: 'nobody perIo.vmExits: not in this test' });
    const zero = parseExpression('1 / (2 - 2)');
    expect(zero.ok && evaluateExpression(zero.value, read)).toEqual({ ok: false, why: 'divides by zero at column 5' });
  });

  it('compares with < > <= >=, one comparison only', () => {
    const holds = (text: string): boolean => {
      const parsed = parseComparison(text);
      if (!parsed.ok) throw new Error(parsed.message);
      const result = evaluateComparison(parsed.value, read);
      return result.ok && result.value.holds;
    };
    expect(holds('legacy-pio perIo.vmExits > 10 * enlightened perIo.vmExits')).toBe(true);
    expect(holds('legacy-pio perIo.vmExits < 100')).toBe(false);
    expect(holds('2 <= 2')).toBe(true);
    expect(holds('2 >= 3')).toBe(false);
    expect(parseComparison('1 + 2')).toMatchObject({ ok: false, column: 6, message: 'expected a comparison (<, >, <= or >=)' });
    expect(parseComparison('1 < 2 < 3')).toMatchObject({ ok: false, column: 7 });
  });
});
