import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/kernel/auth-user';
import { AuditService } from '../common/audit/audit.service';
import { Clock } from '../common/clock';
import { FieldMessage, InputError } from '../common/errors/app-errors';
import { Database } from '../database/database.service';
import { t } from '../i18n/i18n';
import { SchoolsService } from '../schools/schools.service';
import type { Language } from '../common/kernel/user-role.enum';
import { UsersRepository } from '../users/users.repository';
import type { CourseOutline } from './catalogue.service';
import { FACT_TEXT_MAX } from './content/local-content-reader';
import { FACT_MARKER_PATTERN, renderFactText } from './content/markdown';
import { CountryFact } from './country-fact.entity';
import { pick } from './course.view';
import { CoursesError } from './courses.errors';
import { CoursesRepository } from './courses.repository';
import { escapeHtml } from '../common/view/escape-html';
import { DEFAULT_CONTACTS, ReferralContactsService } from './referral-contacts.service';

/** The program's five countries (DESIGN.md), always listed on the admin page, in this order. */
export const PROGRAM_COUNTRIES = ['SV', 'PA', 'DO', 'BZ', 'PR'];

/**
 * The countries the admin page lists: the program's five, then any other country of the countries
 * table that already has a package default or an admin text (so nothing entered is hidden).
 */
export function listedCountries<C extends { code: string }>(
  countries: C[],
  extraCodes: Iterable<string>,
): C[] {
  const extra = new Set(extraCodes);
  const rank = (code: string) =>
    PROGRAM_COUNTRIES.includes(code) ? PROGRAM_COUNTRIES.indexOf(code) : PROGRAM_COUNTRIES.length;
  return countries
    .filter((c) => PROGRAM_COUNTRIES.includes(c.code) || extra.has(c.code))
    .sort((a, b) => rank(a.code) - rank(b.code) || a.code.localeCompare(b.code));
}

/** Where what a reader sees for one fact comes from. */
export type FactSource = 'admin' | 'default' | 'missing';

/** What a reader in `countryCode` sees for `key`: the admin's text, else the package default, else nothing. */
export function resolveFact(
  outline: Pick<CourseOutline, 'factDefaults'>,
  rows: CountryFact[],
  countryCode: string,
  key: string,
) {
  const own = rows.find((r) => r.countryCode === countryCode && r.factKey === key);
  if (own) return { source: 'admin' as const, en: own.textEn, es: own.textEs, reference: null };
  const fallback = outline.factDefaults[countryCode]?.[key];
  if (fallback)
    return { source: 'default' as const, en: fallback.en, es: fallback.es, reference: fallback.source };
  return { source: 'missing' as const, en: '', es: '', reference: null };
}

const inLanguage = (texts: { en: string; es: string }, lang: Language) =>
  lang === 'es' ? texts.es || texts.en : texts.en || texts.es;

/** The form fields of one (course, country) page: `fact.<key>.en|es` and `contacts.en|es`. */
export const factField = (key: string, lang: Language) => `fact.${key}.${lang}`;
export const contactsField = (lang: Language) => `contacts.${lang}`;

/**
 * Country facts (formats.md §2): the boxes lessons and handouts ask for with
 * `{{country-fact:<key>}}`, and the admin's texts behind them, per course and country.
 */
@Injectable()
export class CountryFactsService {
  constructor(
    private readonly db: Database,
    private readonly courses: CoursesRepository,
    private readonly users: UsersRepository,
    private readonly schools: SchoolsService,
    private readonly contacts: ReferralContactsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The program's countries (the countries table), for the admin page and the reader's note. */
  countries() {
    return this.schools.countries();
  }

  /**
   * Replaces every fact marker of sanitised lesson or handout HTML with a box for the reader's
   * country: the admin's text, else the package default with its source, else a note that says
   * whom to ask. Texts go through renderFactText (HTML in them is shown as text); the rest is
   * escaped here, so the result is our own HTML.
   */
  async fill(html: string, reader: AuthUser, lang: Language, outline: CourseOutline): Promise<string> {
    const keys = [...new Set([...html.matchAll(FACT_MARKER_PATTERN)].map((m) => m[1]))];
    if (!keys.length) return html;
    const user = await this.users.findById(reader.id);
    const country = user?.countryCode ?? null;
    const [rows, countries] = country
      ? await Promise.all([this.courses.findFacts(outline.slug, country, keys), this.countries()])
      : [[], []];
    const countryName = country
      ? (countries.find((c) => c.code === country)?.[lang === 'es' ? 'nameEs' : 'nameEn'] ?? country)
      : '';
    let n = 0;
    return html.replace(FACT_MARKER_PATTERN, (_, key: string) => {
      const declared = outline.manifest.countryFacts.find((f) => f.key === key);
      const id = `fact-${key}-${++n}`;
      const heading = `<h3 id="${id}">${escapeHtml(declared ? pick(declared.title, lang) : key)}</h3>`;
      let body: string;
      if (!country) body = `<p class="fact-missing">${escapeHtml(t(lang, 'courses.facts.no-country'))}</p>`;
      else {
        const fact = resolveFact(outline, rows, country, key);
        if (fact.source === 'missing')
          body = `<p class="fact-missing">${escapeHtml(t(lang, 'courses.facts.not-configured', { country: countryName }))}</p>`;
        else {
          body = renderFactText(inLanguage(fact, lang));
          if (fact.reference)
            body += `<p class="fact-source"><small>${escapeHtml(t(lang, 'courses.facts.source', { source: fact.reference }))}</small></p>`;
        }
      }
      return `<aside class="country-fact" aria-labelledby="${id}">${heading}${body}</aside>`;
    });
  }

  /** Admin texts of these courses' facts (all countries). */
  factsOf(courseSlugs: string[]): Promise<CountryFact[]> {
    return this.courses.findFactsOfCourses(courseSlugs);
  }

  /**
   * Saves one (course, country) page: every declared fact's texts and the course's contacts for the
   * country, in one transaction; an empty fact removes the admin text (the default shows again).
   * Bad input changes nothing. Each change is audited with its before and after.
   */
  async saveCountry(
    actor: AuthUser,
    outline: CourseOutline,
    countryCode: string,
    body: Record<string, unknown>,
  ): Promise<void> {
    const text = (field: string) =>
      typeof body[field] === 'string'
        ? (body[field] as string).replace(/\r\n/g, '\n').trim()
        : body[field] === undefined
          ? ''
          : null;
    const problems: Record<string, FieldMessage[]> = {};
    const check = (field: string, max: number) => {
      const value = text(field);
      if (value === null) problems[field] = [{ key: 'text', params: {} }];
      else if (value.length > max) problems[field] = [{ key: 'max-length', params: { max } }];
      return value ?? '';
    };
    const facts = countryCode === DEFAULT_CONTACTS ? [] : outline.manifest.countryFacts;
    const values = facts.map((f) => ({
      key: f.key,
      en: check(factField(f.key, 'en'), FACT_TEXT_MAX),
      es: check(factField(f.key, 'es'), FACT_TEXT_MAX),
    }));
    const contactsEn = check(contactsField('en'), 2000);
    const contactsEs = check(contactsField('es'), 2000);
    if (Object.keys(problems).length) throw new InputError(problems);
    if (countryCode !== DEFAULT_CONTACTS && !(await this.countries()).some((c) => c.code === countryCode))
      throw new CoursesError('not-found', 'country-not-found');
    await this.db.transaction(async (tx) => {
      const existing = await this.courses.findFactsOfCourses([outline.slug], tx);
      for (const value of values) {
        const before = existing.find((r) => r.countryCode === countryCode && r.factKey === value.key);
        const entity = { type: 'country-fact', id: `${outline.slug}/${countryCode}/${value.key}` };
        if (!value.en && !value.es) {
          if (!before) continue;
          await this.courses.deleteFact(tx, outline.slug, countryCode, value.key);
          await this.audit.record(
            tx,
            actor.id,
            'country-fact.remove',
            entity,
            { textEn: before.textEn, textEs: before.textEs },
            null,
          );
          continue;
        }
        if (before && before.textEn === value.en && before.textEs === value.es) continue;
        await this.courses.saveFact(
          tx,
          tx.create(CountryFact, {
            courseSlug: outline.slug,
            countryCode,
            factKey: value.key,
            textEn: value.en,
            textEs: value.es,
            updatedBy: actor.id,
            updatedAt: this.clock.now(),
          }),
        );
        await this.audit.record(
          tx,
          actor.id,
          'country-fact.save',
          entity,
          before ? { textEn: before.textEn, textEs: before.textEs } : null,
          { textEn: value.en, textEs: value.es },
        );
      }
      await this.contacts.saveIn(tx, actor, outline.slug, countryCode, contactsEn, contactsEs);
    });
  }
}
