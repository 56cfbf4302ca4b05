import { catalogueKeys, formatDate, formatNumber, fromAcceptLanguage, t } from './i18n';

describe('i18n catalogues', () => {
  it('has exactly the same keys in Spanish and English', () => {
    const en = new Set(catalogueKeys('en'));
    const es = new Set(catalogueKeys('es'));
    expect([...en].filter((k) => !es.has(k))).toEqual([]);
    expect([...es].filter((k) => !en.has(k))).toEqual([]);
  });

  it('has no empty strings and the same placeholders in both languages', () => {
    for (const key of catalogueKeys('en')) {
      const en = t('en', key);
      const es = t('es', key);
      expect({ key, empty: en.trim() === '' || es.trim() === '' }).toEqual({ key, empty: false });
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect({ key, placeholders: names(es) }).toEqual({ key, placeholders: names(en) });
    }
  });

  it('fills placeholders and formats numbers per language', () => {
    expect(t('en', 'users.count', { count: 1234 })).toBe('1,234 people');
    // es-419: Central America and the Caribbean group with commas and use a decimal point.
    expect(t('es', 'users.count', { count: 1234 })).toBe('1,234 personas');
    expect(formatNumber('es', 12345.5)).toBe('12,345.5');
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
