import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { InputError } from '../errors/app-errors';

/** A roster or school list of 500 rows is far below this; a spreadsheet saved as CSV is plain text. */
export const MAX_CSV_BYTES = 1024 * 1024;

/**
 * The text of an uploaded CSV file. Spreadsheets on Windows in Spanish often save CSV as Windows-1252
 * (Latin-1) rather than UTF-8: bytes that are not valid UTF-8 are read as that, so "Pérez" survives.
 * An Excel workbook (a ZIP: "PK" first) is not CSV: null, and the form says to save it as CSV.
 */
export function decodeCsv(bytes: Buffer): string | null {
  if (bytes.length >= 2 && bytes[0] === 0x50 && bytes[1] === 0x4b) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/**
 * Import forms send `multipart/form-data` so that a manager can choose the CSV file instead of pasting
 * it. This runs before the CSRF check (which reads `_csrf` from the body), only on the import routes
 * named in `paths`, and puts the file's text into `csv`, where the pasted text would be; without a
 * file the pasted text stays. Problems (too large, more than one file, a workbook) become `csvUpload`
 * for the page to show; the request goes on, so the CSRF check and the form still apply.
 */
export function csvUploads(paths: RegExp[]) {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_CSV_BYTES, files: 1, fields: 10, fieldSize: 256 * 1024, parts: 12 },
  }).single('file');
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'POST' || !req.is('multipart/form-data') || !paths.some((p) => p.test(req.path)))
      return next();
    upload(req, res, (error?: unknown) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      req.body = body;
      if (error) {
        res.locals.csvUpload =
          (error as { code?: string }).code === 'LIMIT_FILE_SIZE'
            ? 'csv-file-too-large'
            : 'csv-file-unreadable';
        body.csv = '';
        return next();
      }
      const file = (req as Request & { file?: Express.Multer.File }).file;
      if (file && file.size > 0) {
        const text = decodeCsv(file.buffer);
        if (text === null) res.locals.csvUpload = 'csv-file-workbook';
        body.csv = text ?? '';
      }
      next();
    });
  };
}

/** An upload's problem as a field error on `csv`, so the import form shows it like any other. */
export function refuseFailedUpload(res: Response): void {
  const problem = res.locals.csvUpload as string | undefined;
  if (problem) throw new InputError({ csv: [{ key: problem, params: {} }] });
}
