import { parse } from 'csv-parse/sync';

/**
 * Reads pasted CSV from a spreadsheet: comma or semicolon (whichever the header line uses more),
 * optional BOM, blank lines skipped, cells trimmed. Returns the records after the header and the
 * header mapped through `headers` (lower-cased names → field), or a file-level problem key.
 */
export function readCsvTable<F extends string>(
  text: string,
  headers: Record<string, F>,
  maxRows: number,
): { columns: Array<F | undefined>; records: string[][] } | { fileProblem: string } {
  const clean = text.replace(/^\uFEFF/, '');
  if (!clean.trim()) return { fileProblem: 'csv-empty' };
  const first = clean.split(/\r?\n/, 1)[0];
  const delimiter = (first.match(/;/g)?.length ?? 0) > (first.match(/,/g)?.length ?? 0) ? ';' : ',';
  let records: string[][];
  try {
    records = parse(clean, {
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
    }) as string[][];
  } catch {
    return { fileProblem: 'csv-unreadable' };
  }
  if (records.length < 2) return { fileProblem: 'csv-no-rows' };
  if (records.length - 1 > maxRows) return { fileProblem: 'csv-too-many' };
  return { columns: records[0].map((h) => headers[h.trim().toLowerCase()]), records: records.slice(1) };
}
