import {
  catalogueKeys,
  counted,
  formatDate,
  formatNumber,
  fromAcceptLanguage,
  pluralCategories,
  pluralFormsOf,
  t,
  tn,
} from './i18n';
import type { Language } from '../common/kernel/user-role.enum';

const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
/** Every text of a key: the message, or each of its plural forms. */
const textsOf = (lang: Language, key: string): string[] => {
  const forms = pluralFormsOf(lang, key);
  return forms ? Object.values(forms) : [t(lang, key)];
};

describe('i18n catalogues', () => {
  it('has exactly the same keys in Spanish and English', () => {
    const en = new Set(catalogueKeys('en'));
    const es = new Set(catalogueKeys('es'));
    expect([...en].filter((k) => !es.has(k))).toEqual([]);
    expect([...es].filter((k) => !en.has(k))).toEqual([]);
  });

  it('has no empty strings and the same placeholders in both languages, in every plural form', () => {
    for (const key of catalogueKeys('en')) {
      const texts = [...textsOf('en', key), ...textsOf('es', key)];
      expect({ key, empty: texts.some((text) => text.trim() === '') }).toEqual({ key, empty: false });
      const expected = names(t('en', key));
      for (const text of texts)
        expect({ key, text, placeholders: names(text) }).toEqual({ key, text, placeholders: expected });
    }
  });

  it('gives a counted message in both languages, with every plural form that language needs', () => {
    // en needs one and other; es-419 also many (for a million and up). At least one and other everywhere.
    for (const lang of ['en', 'es'] as const)
      expect(pluralCategories(lang)).toEqual(expect.arrayContaining(['one', 'other']));
    const plural = catalogueKeys('en').filter((key) => pluralFormsOf('en', key) || pluralFormsOf('es', key));
    expect(plural.length).toBeGreaterThan(0);
    for (const key of plural) {
      for (const lang of ['en', 'es'] as const) {
        // Plural in both languages, with each category the language's rules can pick (a form for a
        // category an older ICU no longer picks would be harmless, hence "at least").
        const forms = Object.keys(pluralFormsOf(lang, key) ?? {});
        expect({ key, lang, forms }).toEqual({
          key,
          lang,
          forms: expect.arrayContaining([...pluralCategories(lang), 'one', 'other']),
        });
      }
    }
  });

  it('fills placeholders and formats numbers per language', () => {
    expect(t('en', 'users.count', { count: 1234 })).toBe('1,234 people');
    // es-419: Central America and the Caribbean group with commas and use a decimal point.
    expect(t('es', 'users.count', { count: 1234 })).toBe('1,234 personas');
    expect(formatNumber('es', 12345.5)).toBe('12,345.5');
  });

  describe('counted messages', () => {
    it('picks the plural form for the count and formats it like every number', () => {
      expect([0, 1, 2, 1000].map((n) => tn('en', 'cascade.count', n))).toEqual([
        '0 sessions',
        '1 session',
        '2 sessions',
        '1,000 sessions',
      ]);
      // es-419 groups thousands with a comma, like formatNumber (see above).
      expect([0, 1, 2, 1000].map((n) => tn('es', 'cascade.count', n))).toEqual([
        '0 sesiones',
        '1 sesión',
        '2 sesiones',
        '1,000 sesiones',
      ]);
      expect(tn('es', 'cascade.count', 1000)).toBe(`${formatNumber('es', 1000)} sesiones`);
      expect(tn('es', 'cascade.count', 1_000_000)).toBe('1,000,000 sesiones'); // es "many"
      expect(tn('en', 'cascade.count', 1.5)).toBe('1.5 sessions');
    });

    it('lets t pick the form by the count parameter, as flash and error messages carry it', () => {
      expect(t('en', 'cohorts.import.done', { count: 1 })).toBe('1 participant imported.');
      expect(t('es', 'cohorts.import.done', { count: 1 })).toBe('Se importó 1 participante.');
      expect(t('es', 'cohorts.import.done', { count: 3 })).toBe('Se importaron 3 participantes.');
      // Without a count the general form is used.
      expect(t('en', 'cohorts.count')).toBe('{count} workshops');
    });

    it('fills a counted parameter with its own plural form, for a sentence with two counts', () => {
      const params = {
        schools: counted('schools.count', 1),
        municipalities: counted('schools.import.new-municipalities', 2),
      };
      expect(t('en', 'schools.import.done', params)).toBe(
        'Import finished: 1 school and 2 new municipalities.',
      );
      expect(t('es', 'schools.import.done', params)).toBe(
        'Importación terminada: 1 escuela y 2 municipios nuevos.',
      );
      // Plain JSON, so it survives the flash cookie.
      expect(t('en', 'schools.import.done', JSON.parse(JSON.stringify(params)))).toBe(
        'Import finished: 1 school and 2 new municipalities.',
      );
    });

    it('gives plural labels without a number for numbers shown on their own', () => {
      expect([tn('en', 'home.kpi.schools', 1), tn('en', 'home.kpi.schools', 2)]).toEqual([
        'school reached',
        'schools reached',
      ]);
      expect([tn('es', 'home.kpi.schools', 1), tn('es', 'home.kpi.schools', 2)]).toEqual([
        'escuela alcanzada',
        'escuelas alcanzadas',
      ]);
    });
  });

  it('formats calendar dates without shifting the day', () => {
    expect(formatDate('en', '2026-01-31')).toBe('Jan 31, 2026');
    expect(formatDate('es', '2026-01-31')).toBe('31 ene 2026');
  });

  it('picks the best supported language from Accept-Language', () => {
    expect(fromAcceptLanguage('fr-FR, es-SV;q=0.8, en;q=0.5')).toBe('es');
    expect(fromAcceptLanguage('de')).toBeUndefined();
    expect(fromAcceptLanguage(undefined)).toBeUndefined();
  });
});
