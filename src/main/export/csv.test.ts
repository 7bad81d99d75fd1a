import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../tests/support/csv-parse';
import { csvField, csvHeader, csvRecord, type CsvColumn } from './csv';

const columns: CsvColumn[] = [
  { name: 'id', kind: 'raw' },
  { name: 'title', kind: 'text' },
  { name: 'value', kind: 'raw' },
];

describe('CSV (RFC 4180)', () => {
  it('quotes fields with commas, quotes, CR or LF and doubles their quotes', () => {
    expect(csvField('plain', 'text')).toBe('plain');
    expect(csvField('a,b', 'text')).toBe('"a,b"');
    expect(csvField('say "hi"', 'text')).toBe('"say ""hi"""');
    expect(csvField('two\nlines', 'text')).toBe('"two\nlines"');
    expect(csvField('cr\rhere', 'text')).toBe('"cr\rhere"');
    expect(csvField(null, 'text')).toBe('');
    expect(csvField(undefined, 'raw')).toBe('');
  });

  it('guards text that a spreadsheet would run as a formula, and leaves numbers alone', () => {
    for (const formula of ['=1+1', '+1', '-cmd', '@SUM(A1)', '\tx']) {
      expect(csvField(formula, 'text')).toBe(`'${formula}`);
    }
    expect(csvField('=HYPERLINK("x","y")', 'text')).toBe(`"'=HYPERLINK(""x"",""y"")"`);
    expect(csvField(-0.5, 'raw')).toBe('-0.5');
    expect(csvField('-12', 'raw')).toBe('-12');
  });

  it('ends records with CRLF and parses back to the same fields', () => {
    const rows = [
      [1, 'Siege, the "Pro" edition', -3.25],
      [2, 'line one\r\nline two', 0],
      [3, '', null],
    ] as const;
    const text = csvHeader(columns) + rows.map((r) => csvRecord(columns, r)).join('');
    expect(text.startsWith('id,title,value\r\n')).toBe(true);
    expect(parseCsv(text)).toEqual([
      ['id', 'title', 'value'],
      ['1', 'Siege, the "Pro" edition', '-3.25'],
      ['2', 'line one\r\nline two', '0'],
      ['3', '', ''],
    ]);
  });
});
