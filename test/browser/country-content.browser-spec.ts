/**
 * Country facts and handouts in a real browser, in Spanish and English on a phone and a desktop:
 * an admin enters the national law for El Salvador in the fixture course through the per-country
 * form, a trainer in El Salvador reads it in the lesson's fact box, and opens the course's handout
 * (printable) from the course page. Every page is audited by the journey kit (axe-core, weight, no
 * sideways scrolling at 360 px).
 */
import type { Browser } from 'playwright-core';
import { join } from 'node:path';
import type { TestApp } from '../support/create-test-app';
import { Journey, useJourneyApp, VARIANTS } from './support/journey';
import { COURSE, follow, signIn, text } from './support/journeys-admin';

const CONTENT = join(__dirname, '..', 'fixtures', 'content');
/** The fixture's declared fact and handout (test/fixtures/content/tiny-course). */
const FACT_TITLE = { en: 'National law on child protection', es: 'Ley nacional de protección de la niñez' };
const HANDOUT_TITLE = { en: 'Glossary', es: 'Glosario' };

describe('country facts and handouts (Chromium)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  useJourneyApp({ CONTENT_DIR: CONTENT }, (started) => ({ t, base, browser } = started));

  for (const variant of VARIANTS) {
    it(`an admin enters a fact for El Salvador and a trainer there reads it and prints the handout (${variant.name})`, async () => {
      const lang = variant.lang;
      const law = `${variant.name}: Ley de prueba ${lang === 'es' ? 'en español' : 'in English'}`;
      const admin = await t.createUser('admin', { language: lang });
      const trainer = await t.createUser('trainer', { language: lang, countryCode: 'SV' });

      const asAdmin = await Journey.open(browser, base, 'country-content-admin', variant);
      await signIn(asAdmin, admin.email);
      await asAdmin.visit('/admin/content');
      const countryLink = asAdmin.page.getByRole('link', { name: 'El Salvador', exact: true });
      await follow(asAdmin, countryLink);
      expect(new URL(asAdmin.page.url()).pathname).toBe(`/admin/content/${COURSE}/countries/SV`);
      const group = asAdmin.page.getByRole('group', { name: FACT_TITLE[lang] });
      await group.getByLabel(text(lang, 'content.local.text-en')).fill(law);
      await group.getByLabel(text(lang, 'content.local.text-es')).fill(law);
      await follow(asAdmin, asAdmin.page.getByRole('button', { name: text(lang, 'forms.save') }));
      expect(await asAdmin.page.getByRole('main').getByRole('status').textContent()).toContain(
        text(lang, 'content.local.saved'),
      );
      await asAdmin.context.close();

      const asTrainer = await Journey.open(browser, base, 'country-content-trainer', variant);
      await signIn(asTrainer, trainer.email);
      await asTrainer.visit(`/courses/${COURSE}/preview/first-session`);
      const box = asTrainer.page.getByRole('complementary', { name: FACT_TITLE[lang] });
      expect(await box.textContent()).toContain(law);
      await asTrainer.visit(`/courses/${COURSE}`);
      await follow(asTrainer, asTrainer.page.getByRole('link', { name: HANDOUT_TITLE[lang], exact: true }));
      expect(await asTrainer.page.getByRole('heading', { level: 1 }).textContent()).toBe(HANDOUT_TITLE[lang]);
      expect(
        await asTrainer.page
          .getByText(text(lang, 'courses.facts.not-configured', { country: 'El Salvador' }))
          .count(),
      ).toBe(1);
      await asTrainer.page.emulateMedia({ media: 'print' });
      await asTrainer.audit();
      await asTrainer.finish();
    });
  }
});
