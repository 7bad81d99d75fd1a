/**
 * CSV as RFC 4180 writes it: fields separated by commas, records ended by CRLF, a field quoted
 * when it holds a comma, a double quote, CR or LF, with its quotes doubled.
 *
 * Text fields that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a CR)
 * get a leading apostrophe, as OWASP advises against CSV injection: an exported title such as
 * `=HYPERLINK(...)` opens as text. Only text columns are guarded; numbers and times are written
 * as they are, so a negative number stays a number.
 */

/** How a column's values are written. */
export type CsvKind = 'text' | 'raw';

export interface CsvColumn {
  readonly name: string;
  readonly kind: CsvKind;
}

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

/** One field: null and undefined are empty; text is guarded against formulas, then quoted if needed. */
export function csvField(
  value: string | number | boolean | null | undefined,
  kind: CsvKind,
): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (kind === 'text' && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvRecord(
  columns: readonly CsvColumn[],
  values: ReadonlyArray<string | number | boolean | null | undefined>,
): string {
  let line = '';
  for (let i = 0; i < columns.length; i++) {
    if (i > 0) line += ',';
    line += csvField(values[i], columns[i]!.kind);
  }
  return `${line}\r\n`;
}

/** The header record: the column names. */
export function csvHeader(columns: readonly CsvColumn[]): string {
  return csvRecord(
    columns.map((c) => ({ name: c.name, kind: 'raw' as const })),
    columns.map((c) => c.name),
  );
}
