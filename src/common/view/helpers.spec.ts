import Handlebars from 'handlebars';
import { viewHelpers } from './helpers';

/** Renders a template with the app's helpers, as a page in `lang` would. */
function render(source: string, lang: string, model: Record<string, unknown> = {}): string {
  const hbs = Handlebars.create();
  for (const [name, helper] of Object.entries(viewHelpers)) hbs.registerHelper(name, helper);
  return hbs.compile(source)({ ...model, lang });
}

describe('view helpers', () => {
  // Templates write value=(or values.language @root.lang): the helper must give the value, not a boolean.
  it('or gives the first value that is set, like ||', () => {
    const or = viewHelpers.or as (a: unknown, b: unknown) => unknown;
    expect(or('es', 'en')).toBe('es');
    expect(or(undefined, 'en')).toBe('en');
    expect(or('', 'unspecified')).toBe('unspecified');
    expect(or(undefined, undefined)).toBeUndefined();
  });

  describe('tn', () => {
    it.each([
      ['en', 0, '0 sessions'],
      ['en', 1, '1 session'],
      ['en', 2, '2 sessions'],
      ['en', 1000, '1,000 sessions'],
      ['es', 0, '0 sesiones'],
      ['es', 1, '1 sesión'],
      ['es', 2, '2 sesiones'],
      // es-419 (the app's Spanish) groups thousands with a comma, as the number helper does.
      ['es', 1000, '1,000 sesiones'],
    ])('%s, %d: %s', (lang, count, expected) => {
      expect(render('{{tn "cascade.count" total}}', lang, { total: count })).toBe(expected);
      expect(render('{{number total}}', lang, { total: count })).toBe(expected.split(' ')[0]);
    });

    it('passes named values to the message, and nests as a value of t', () => {
      expect(render('{{tn "courses.lessons-done" total done=done}}', 'en', { total: 1, done: 0 })).toBe(
        '0 of 1 lesson completed',
      );
      expect(render('{{tn "courses.lessons-done" total done=done}}', 'es', { total: 3, done: 1 })).toBe(
        '1 de 3 lecciones completadas',
      );
      const summary =
        '{{t "cohorts.certify.summary" waiting=(tn "cohorts.certify.waiting" 1) certified=(tn "cohorts.certify.certified" 1)}}';
      expect(render(summary, 'es')).toBe(
        '1 participante que cumple los requisitos espera su certificado; 1 ya certificado.',
      );
    });

    it('accepts a count that arrives as a numeric string, and shows the general form for no count', () => {
      expect(render('{{tn "cascade.count" total}}', 'en', { total: '1' })).toBe('1 session');
      expect(render('{{tn "home.kpi.sessions" total}}', 'en', {})).toBe('school sessions confirmed');
    });
  });
});
