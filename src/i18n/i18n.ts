import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../common/paths';
import { LANGUAGES, type Language } from '../users/user-role.enum';

type Tree = { [key: string]: string | Tree };

/** Each feature keeps its strings in `src/i18n/<lang>/<feature>.json`; all files of a language merge into one catalogue. */
function loadCatalogue(lang: Language): Record<string, string> {
  const dir = join(PROJECT_ROOT, 'src', 'i18n', lang);
  const out: Record<string, string> = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    flatten(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Tree, '', out);
  }
  return out;
}

const catalogues: Record<Language, Record<string, string>> = { en: loadCatalogue('en'), es: loadCatalogue('es') };

function flatten(tree: Tree, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out[path] = value;
    else flatten(value, path, out);
  }
  return out;
}

export const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

/** Every key of one language's catalogue (the en/es key sets must be equal: a test checks). */
export const catalogueKeys = (lang: Language): string[] => Object.keys(catalogues[lang]);

export const hasKey = (key: string, lang: Language = 'en'): boolean => key in catalogues[lang];

/**
 * Translates `key` into `lang`, filling `{name}` placeholders from `params`. A missing key falls
 * back to English, then to the key itself (visible, so it gets noticed and fixed).
 */
export function t(lang: Language, key: string, params: Record<string, unknown> = {}): string {
  const template = catalogues[lang][key] ?? catalogues.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined || value === null) return whole;
    return typeof value === 'number' ? formatNumber(lang, value) : String(value);
  });
}

const LOCALES: Record<Language, string> = { en: 'en-US', es: 'es-419' };
export const localeOf = (lang: Language): string => LOCALES[lang];

// Building an Intl formatter costs far more than using one: keep one per language and options.
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let formatter = formatters.get(key) as T | undefined;
  if (!formatter) {
    formatter = make();
    formatters.set(key, formatter);
  }
  return formatter;
}

export function formatNumber(lang: Language, value: number, options?: Intl.NumberFormatOptions): string {
  return cached(`n:${lang}:${options ? JSON.stringify(options) : ''}`, () => new Intl.NumberFormat(LOCALES[lang], options)).format(value);
}

/** Formats `YYYY-MM-DD` dates as calendar dates (no time zone shift) and instants in UTC. */
export function formatDate(lang: Language, value: Date | string, style: 'medium' | 'long' | 'short' = 'medium'): string {
  const date = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return cached(`d:${lang}:${style}`, () => new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: style, timeZone: 'UTC' })).format(date);
}

export function formatDateTime(lang: Language, value: Date | string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return cached(`t:${lang}`, () => new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })).format(date) + ' UTC';
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
