/** Reading labelled message files: UTF-8 CSV (BOM, CRLF, quoted multi-line fields, columns in any order). */
import { parse } from 'csv-parse/sync';

export interface LabelledText {
  text: string;
  label: string;
}

export class CsvInputError extends Error {}

/** Parses a CSV with a header naming at least `text` and `label` (other columns are ignored). */
export function parseLabelledCsv(content: Buffer | string): LabelledText[] {
  let records: Record<string, string>[];
  try {
    records = parse(content, {
      bom: true,
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      relax_column_count: true,
      trim: false,
    }) as Record<string, string>[];
  } catch (error) {
    throw new CsvInputError(`Not a readable CSV: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (records.length === 0) return [];
  const first = records[0] ?? {};
  if (!('text' in first) || !('label' in first)) throw new CsvInputError('The CSV header must name the columns "text" and "label"');
  return records.map((r) => ({ text: r.text ?? '', label: (r.label ?? '').trim() }));
}

const quote = (value: string) => (/[",\r\n]/u.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** Writes rows as a CSV with the header `text,label`. */
export const toLabelledCsv = (rows: readonly LabelledText[]): string =>
  ['text,label', ...rows.map((r) => `${quote(r.text)},${quote(r.label)}`)].join('\n') + '\n';
