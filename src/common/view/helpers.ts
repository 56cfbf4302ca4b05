import type { HelperDelegate, HelperOptions } from 'handlebars';
import { formatDate, formatDateTime, formatNumber, isLanguage, t, tn } from '../../i18n/i18n';
import type { Language } from '../kernel/user-role.enum';
import { assetUrl } from '../http/static-assets';
import { VIEWS_DIR } from '../paths';
import { join } from 'node:path';

const langOf = (options: HelperOptions): Language => {
  const lang = options?.data?.root?.lang;
  return isLanguage(lang) ? lang : 'en';
};

/**
 * The only helpers templates get; they format, they do not decide. Each reads the language of the
 * render from the model's `lang` (never from shared app state, which concurrent requests would race on).
 */
export const viewHelpers: Record<string, HelperDelegate> = {
  /** `{{t "key"}}`, `{{t "key" params}}` or `{{t "key" name=value}}`. */
  t(key: string, ...rest: unknown[]) {
    const options = rest.pop() as HelperOptions;
    const params = { ...((rest[0] as Record<string, unknown>) ?? {}), ...(options.hash ?? {}) };
    return t(langOf(options), String(key), params);
  },
  /**
   * A counted message: `{{tn "cascade.count" total}}` or `{{tn "key" count name=value}}` gives the
   * plural form for the count ("1 session", "2 sessions"), the count formatted like `{{number}}`.
   */
  tn(key: string, count: unknown, ...rest: unknown[]) {
    const options = rest.pop() as HelperOptions;
    const n =
      typeof count === 'number'
        ? count
        : typeof count === 'string' && count.trim() !== ''
          ? Number(count)
          : NaN;
    const params = { ...(options.hash ?? {}) };
    return Number.isFinite(n)
      ? tn(langOf(options), String(key), n, params)
      : t(langOf(options), String(key), params);
  },
  date(value: Date | string | null | undefined, ...rest: unknown[]) {
    const options = rest.pop() as HelperOptions;
    if (!value) return '';
    const style = typeof rest[0] === 'string' ? (rest[0] as 'medium' | 'long' | 'short') : 'medium';
    return formatDate(langOf(options), value, style);
  },
  datetime(value: Date | string | null | undefined, options: HelperOptions) {
    return value ? formatDateTime(langOf(options), value) : '';
  },
  number(value: number | null | undefined, options: HelperOptions) {
    return typeof value === 'number' ? formatNumber(langOf(options), value) : '';
  },
  percent(value: number | null | undefined, options: HelperOptions) {
    return typeof value === 'number'
      ? formatNumber(langOf(options), value / 100, { style: 'percent', maximumFractionDigits: 0 })
      : '';
  },
  /** Joins strings, e.g. to build a key: `{{t (concat "roles." role)}}`. */
  /** `{{asset "css/app.css"}}`: the asset's address with its content hash (see static-assets.ts). */
  asset: (path: unknown) => assetUrl(join(VIEWS_DIR, 'assets'), String(path)),
  concat: (...parts: unknown[]) => parts.slice(0, -1).join(''),
  urlencode: (value: unknown) => encodeURIComponent(String(value ?? '')),
  eq: (a: unknown, b: unknown) => a === b,
  not: (a: unknown) => !a,
  and: (a: unknown, b: unknown) => Boolean(a && b),
  // The first truthy value, like `||`: `value=(or values.language @root.lang)` must pass the language, not `true`.
  or: (a: unknown, b: unknown) => a || b,
  /** First message of a field in the form's `errors` map (already translated). */
  fieldError(errors: Record<string, string[]> | undefined, field: string) {
    return errors?.[field]?.[0] ?? '';
  },
  /** A value from a map by key (e.g. `{{lookup-value values "email"}}`). */
  get(map: Record<string, unknown> | undefined, key: string) {
    return map?.[key] ?? '';
  },
  json(value: unknown) {
    return JSON.stringify(value);
  },
};
