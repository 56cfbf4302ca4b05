import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../common/paths';
import { LANGUAGES, type Language } from '../common/kernel/user-role.enum';

/**
 * A message that counts something is not one string but an object of plural forms, one per CLDR
 * category that the language's `Intl.PluralRules` uses (en: one, other; es: one, many, other):
 *
 *   "count": { "one": "{count} school", "other": "{count} schools" }
 *
 * `tn(lang, key, count)` (in views `{{tn "key" count}}`) picks the form for `count` and fills
 * `{count}` with it, formatted through Intl like every number. `t` picks by `params.count` the same
 * way, so error and flash messages that carry a `count` work too. A missing form falls back to
 * `other`, but the i18n test requires every category of the language. An object is read as plural
 * forms when all its keys are category names, so no group of keys may consist of those names only.
 * A label shown after a number rendered on its own (`<strong>3</strong> sessions`) is a plural
 * message without `{count}`.
 */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
type Message = string | PluralForms;
type Tree = { [key: string]: string | Tree };

const PLURAL_CATEGORIES: readonly string[] = ['zero', 'one', 'two', 'few', 'many', 'other'];
const isPluralForms = (value: Tree): boolean =>
  'other' in value &&
  Object.entries(value).every(([k, v]) => PLURAL_CATEGORIES.includes(k) && typeof v === 'string');

/** Each feature keeps its strings in `src/i18n/<lang>/<feature>.json`; all files of a language merge into one catalogue. */
function loadCatalogue(lang: Language): Record<string, Message> {
  const dir = join(PROJECT_ROOT, 'src', 'i18n', lang);
  const out: Record<string, Message> = {};
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    flatten(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Tree, '', out);
  }
  return out;
}

function flatten(tree: Tree, prefix = '', out: Record<string, Message> = {}): Record<string, Message> {
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out[path] = value;
    else if (isPluralForms(value)) out[path] = value as PluralForms;
    else flatten(value, path, out);
  }
  return out;
}

const catalogues: Record<Language, Record<string, Message>> = {
  en: loadCatalogue('en'),
  es: loadCatalogue('es'),
};

export const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

/** Every key of one language's catalogue (the en/es key sets must be equal: a test checks). */
export const catalogueKeys = (lang: Language): string[] => Object.keys(catalogues[lang]);

export const hasKey = (key: string, lang: Language = 'en'): boolean => Object.hasOwn(catalogues[lang], key);

/** The plural forms of `key` (undefined when it is a plain message), for the consistency test. */
export function pluralFormsOf(lang: Language, key: string): PluralForms | undefined {
  const message = Object.hasOwn(catalogues[lang], key) ? catalogues[lang][key] : undefined;
  return typeof message === 'object' ? message : undefined;
}

/** A parameter that is itself a counted message, for a sentence with two counts (see `t`). */
export interface CountedParam {
  counted: string;
  count: number;
}
/** `t(lang, 'schools.import.done', { schools: counted('schools.count', 3), … })`; plain JSON, so it can travel in a flash. */
export const counted = (key: string, count: number): CountedParam => ({ counted: key, count });
const isCounted = (value: unknown): value is CountedParam =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as CountedParam).counted === 'string' &&
  typeof (value as CountedParam).count === 'number';

/**
 * Translates `key` into `lang`, filling `{name}` placeholders from `params` (numbers are formatted
 * for the language; a `counted(...)` value is translated with `tn`). A plural message takes the form
 * for `params.count`. A missing key falls back to English, then to the key itself (visible, so it
 * gets noticed and fixed).
 */
export function t(lang: Language, key: string, params: Record<string, unknown> = {}): string {
  const source: Language = Object.hasOwn(catalogues[lang], key) ? lang : 'en';
  if (!Object.hasOwn(catalogues[source], key)) return key;
  const message = catalogues[source][key];
  const template = typeof message === 'string' ? message : pluralForm(source, message, params.count);
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined || value === null) return whole;
    if (isCounted(value)) return tn(lang, value.counted, value.count);
    return typeof value === 'number' ? formatNumber(lang, value) : String(value);
  });
}

/** Translates a counted message: the plural form for `count`, with `{count}` formatted for the language. */
export function tn(lang: Language, key: string, count: number, params: Record<string, unknown> = {}): string {
  return t(lang, key, { ...params, count });
}

function pluralForm(lang: Language, forms: PluralForms, count: unknown): string {
  if (typeof count !== 'number' || !Number.isFinite(count)) return forms.other;
  return forms[pluralRules(lang).select(count)] ?? forms.other;
}

const LOCALES: Record<Language, string> = { en: 'en-US', es: 'es-419' };
export const localeOf = (lang: Language): string => LOCALES[lang];

// Building an Intl formatter costs far more than using one: keep one per language and options.
type Formatter = Intl.NumberFormat | Intl.DateTimeFormat | Intl.PluralRules;
const formatters = new Map<string, Formatter>();
function cached<T extends Formatter>(key: string, make: () => T): T {
  let formatter = formatters.get(key) as T | undefined;
  if (!formatter) {
    formatter = make();
    formatters.set(key, formatter);
  }
  return formatter;
}

const pluralRules = (lang: Language): Intl.PluralRules =>
  cached(`p:${lang}`, () => new Intl.PluralRules(LOCALES[lang]));

/** The CLDR categories the language's plural rules can select (every plural message needs each). */
export const pluralCategories = (lang: Language): string[] => [
  ...pluralRules(lang).resolvedOptions().pluralCategories,
];

export function formatNumber(lang: Language, value: number, options?: Intl.NumberFormatOptions): string {
  return cached(
    `n:${lang}:${options ? JSON.stringify(options) : ''}`,
    () => new Intl.NumberFormat(LOCALES[lang], options),
  ).format(value);
}

/** Formats `YYYY-MM-DD` dates as calendar dates (no time zone shift) and instants in UTC. */
export function formatDate(
  lang: Language,
  value: Date | string,
  style: 'medium' | 'long' | 'short' = 'medium',
): string {
  const date =
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
      ? new Date(`${value}T00:00:00Z`)
      : new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return cached(
    `d:${lang}:${style}`,
    () => new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: style, timeZone: 'UTC' }),
  ).format(date);
}

export function formatDateTime(lang: Language, value: Date | string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return (
    cached(
      `t:${lang}`,
      () =>
        new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }),
    ).format(date) + ' UTC'
  );
}

/** Picks the best supported language from an Accept-Language header. */
export function fromAcceptLanguage(header: string | undefined): Language | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, ...rest] = part.trim().split(';');
      const q = rest.find((r) => r.trim().startsWith('q='));
      return { lang: tag.trim().toLowerCase().slice(0, 2), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  return ranked.map((entry) => entry.lang).find(isLanguage);
}
