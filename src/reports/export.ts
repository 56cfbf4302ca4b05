import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';

export interface Column {
  key: string;
  header: string;
  numeric?: boolean;
}

/** Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR) is prefixed with an apostrophe. */
export const neutralise = (value: unknown): unknown =>
  typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;

const cell = (row: object, key: string): unknown => {
  const value = (row as Record<string, unknown>)[key];
  return value === null || value === undefined ? '' : neutralise(value);
};

/** CSV in UTF-8 with a BOM (so spreadsheets open Spanish text correctly); numbers unquoted. */
export function toCsv(columns: Column[], data: Array<object>): string {
  return stringify(
    [columns.map((c) => c.header), ...data.map((row) => columns.map((c) => cell(row, c.key)))],
    { bom: true },
  );
}

/** XLSX with typed numeric cells, a header row and a sheet listing the filters used. */
export async function toXlsx(
  sheetName: string,
  columns: Column[],
  data: Array<object>,
  filters: Array<[string, string]>,
  filtersTitle: string,
): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Cascada';
  const sheet = book.addWorksheet(sheetName.slice(0, 31));
  sheet.columns = columns.map((c) => ({
    header: c.header,
    key: c.key,
    width: Math.max(12, Math.min(50, c.header.length + 4)),
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of data) {
    sheet.addRow(
      Object.fromEntries(
        columns.map((c) => {
          const value = cell(row, c.key);
          return [c.key, c.numeric ? (value === '' ? null : Number(value)) : String(value)];
        }),
      ),
    );
  }
  const filterSheet = book.addWorksheet(filtersTitle.slice(0, 31));
  filterSheet.columns = [{ width: 24 }, { width: 40 }];
  for (const [name, value] of filters) filterSheet.addRow([name, neutralise(value)]); // a filter is typed text too
  return Buffer.from(await book.xlsx.writeBuffer());
}
