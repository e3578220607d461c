/**
 * CSV cells: quoting, and text a spreadsheet would run as a formula shown
 * as text instead (a shared scenario's name or a swept text value is not
 * ours to trust); numbers, negative ones included, stay numbers.
 */
import { describe, expect, it } from 'vitest';
import { csvCell, csvTable } from '../../src/cli/report.js';

describe('csvCell', () => {
  it('quotes a cell with a comma, quote or line break', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "x"')).toBe('"say ""x"""');
    expect(csvCell(null)).toBe('');
  });

  it('prefixes text that starts like a formula, never a number', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvCell('+1+2')).toBe("'+1+2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell(-52)).toBe('-52');
    expect(csvCell(1.5)).toBe('1.5');
    expect(csvCell('modern')).toBe('modern');
  });

  it('applies to every cell of a table', () => {
    expect(csvTable([{ name: '=1+1', v: -3 }])).toBe("name,v\n'=1+1,-3\n");
  });
});
