import { Injectable } from '@nestjs/common';
import type { Language } from '../common/kernel/user-role.enum';
import { t } from '../i18n/i18n';
import { CatalogueService } from './catalogue.service';
import type { CourseOutline } from './catalogue.service';
import type { PackageProblem } from './content/course-package';
import { renderFactText } from './content/markdown';
import type { CountryFact } from './country-fact.entity';
import {
  contactsField,
  CountryFactsService,
  factField,
  listedCountries,
  resolveFact,
} from './country-facts.service';
import { pick } from './course.view';
import { CoursesError } from './courses.errors';
import { CoursesRepository } from './courses.repository';
import type { ReferralContact } from './referral-contact.entity';
import {
  ALL_COURSES,
  contactsFor,
  DEFAULT_CONTACTS,
  ReferralContactsService,
} from './referral-contacts.service';

const COURSE_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const COUNTRY_PARAM = /^([A-Z]{2}|--)$/;

/** What the content admin pages (/admin/content) render. */
@Injectable()
export class ContentAdminPageModels {
  constructor(
    private readonly courses: CoursesRepository,
    private readonly catalogue: CatalogueService,
    private readonly contacts: ReferralContactsService,
    private readonly facts: CountryFactsService,
  ) {}

  /** The content page: courses and versions, the last import of each package, local content status, contacts. */
  async indexModel(lang: Language) {
    const [courses, imports] = await Promise.all([
      this.courses.findCourses(),
      this.courses.recentImports(200),
    ]);
    const versions = await this.courses.findVersionsOfCourses(courses.map((c) => c.id));
    const outlines = await this.catalogue.outlines(
      courses.map((c) => c.currentVersionId).filter((id): id is string => !!id),
    );
    // The last run's result per package: the newest import row of each package name.
    const lastByPackage = new Map<string, (typeof imports)[number]>();
    for (const row of imports)
      if (!lastByPackage.has(row.packageName)) lastByPackage.set(row.packageName, row);
    const [countries, factRows, contactRows] = await Promise.all([
      this.facts.countries(),
      this.facts.factsOf(courses.map((c) => c.slug)),
      this.contacts.listFor(courses.map((c) => c.slug)),
    ]);
    return {
      title: t(lang, 'content.title'),
      local: outlines.map((o) => localStatus(o, countries, factRows, contactRows, lang)),
      allCountries: countries
        .map((c) => ({ code: c.code, name: lang === 'es' ? c.nameEs : c.nameEn }))
        .sort((a, b) => a.name.localeCompare(b.name, lang)),
      courses: courses.map((c) => {
        const outline = outlines.find((o) => o.courseId === c.id);
        return {
          slug: c.slug,
          title: outline ? pick(outline.manifest.title, lang) : c.slug,
          versions: versions
            .filter((v) => v.courseId === c.id)
            .map((v) => ({
              version: v.version,
              importedAt: v.importedAt,
              current: v.id === c.currentVersionId,
            })),
        };
      }),
      packages: [...lastByPackage.values()].map((row) => ({
        name: row.packageName,
        version: row.version,
        outcomeKey: `content.outcome.${row.outcome}`,
        refused: row.outcome === 'refused',
        at: row.at,
        problems: (JSON.parse(row.problems) as PackageProblem[]).map((p) => ({
          ...p,
          where: p.line ? `${p.file}:${p.line}` : p.file,
        })),
      })),
      contacts: contactRows
        .filter((c) => c.courseSlug === ALL_COURSES)
        .map((c) => ({
          ...c,
          label: c.countryCode === DEFAULT_CONTACTS ? t(lang, 'content.contacts.default') : c.countryCode,
        })),
    };
  }

  /**
   * One course and country: every declared fact and the course's referral contacts. `typed` is the
   * refused form's body (shown as typed), or null.
   */
  async countryModel(course: string, country: string, typed: Record<string, unknown> | null, lang: Language) {
    const { outline, countryCode } = await this.target(course, country);
    const [countries, rows, contactRows] = await Promise.all([
      this.facts.countries(),
      this.facts.factsOf([outline.slug]),
      this.contacts.listFor([outline.slug]),
    ]);
    const countryName =
      countryCode === DEFAULT_CONTACTS
        ? t(lang, 'content.local.program-wide')
        : nameOf(countries, countryCode, lang);
    const valueOf = (field: string, stored: string) => (typed ? String(typed[field] ?? '') : stored);
    const own = contactRows.find((r) => r.courseSlug === outline.slug && r.countryCode === countryCode);
    const shown = contactsFor(
      contactRows,
      outline.slug,
      countryCode === DEFAULT_CONTACTS ? null : countryCode,
    );
    const courseTitle = pick(outline.manifest.title, lang);
    return {
      title: t(lang, 'content.local.edit-title', { course: courseTitle, country: countryName }),
      courseTitle,
      countryName,
      countryCode,
      action: `/admin/content/${outline.slug}/countries/${countryCode}`,
      isProgramWide: countryCode === DEFAULT_CONTACTS,
      facts:
        countryCode === DEFAULT_CONTACTS
          ? []
          : outline.manifest.countryFacts.map((f) => {
              const stored = rows.find((r) => r.countryCode === countryCode && r.factKey === f.key);
              const now = resolveFact(outline, rows, countryCode, f.key);
              return {
                key: f.key,
                title: pick(f.title, lang),
                hint: pick(f.hint, lang),
                statusKey: `content.local.status-${now.source}`,
                isMissing: now.source === 'missing',
                // Exactly what readers see: the same renderer as the fact box (HTML in the text shown as text).
                nowHtml:
                  now.source === 'missing'
                    ? ''
                    : renderFactText(lang === 'es' ? now.es || now.en : now.en || now.es),
                reference: now.reference,
                en: {
                  name: factField(f.key, 'en'),
                  value: valueOf(factField(f.key, 'en'), stored?.textEn ?? ''),
                },
                es: {
                  name: factField(f.key, 'es'),
                  value: valueOf(factField(f.key, 'es'), stored?.textEs ?? ''),
                },
              };
            }),
      contacts: {
        shownKey: contactsStatusKey(shown, outline.slug, countryCode),
        nowText: shown ? (lang === 'es' ? shown.textEs || shown.textEn : shown.textEn || shown.textEs) : '',
        en: { name: contactsField('en'), value: valueOf(contactsField('en'), own?.textEn ?? '') },
        es: { name: contactsField('es'), value: valueOf(contactsField('es'), own?.textEs ?? '') },
      },
    };
  }

  /** The "another country" picker's destination: that country's page, or back when none is chosen. */
  async pickedCountryHref(course: string, country: unknown): Promise<string> {
    const code = typeof country === 'string' ? country.trim().toUpperCase() : '';
    const outline = COURSE_SLUG.test(course) ? await this.catalogue.currentOutline(course) : undefined;
    if (!outline) throw new CoursesError('not-found', 'course-not-found');
    const known = /^[A-Z]{2}$/.test(code) && (await this.facts.countries()).some((c) => c.code === code);
    return known
      ? `/admin/content/${outline.slug}/countries/${code}`
      : `/admin/content#local-${outline.slug}`;
  }

  /** The course and country a URL names, or not found. */
  async target(course: string, country: string): Promise<{ outline: CourseOutline; countryCode: string }> {
    const countryCode = String(country).toUpperCase();
    const outline = COURSE_SLUG.test(course) ? await this.catalogue.currentOutline(course) : undefined;
    if (!outline) throw new CoursesError('not-found', 'course-not-found');
    if (!COUNTRY_PARAM.test(countryCode)) throw new CoursesError('not-found', 'country-not-found');
    if (
      countryCode !== DEFAULT_CONTACTS &&
      !(await this.facts.countries()).some((c) => c.code === countryCode)
    )
      throw new CoursesError('not-found', 'country-not-found');
    return { outline, countryCode };
  }
}

type CountryRow = { code: string; nameEn: string; nameEs: string };
const nameOf = (countries: CountryRow[], code: string, lang: Language) => {
  const c = countries.find((x) => x.code === code);
  return c ? (lang === 'es' ? c.nameEs : c.nameEn) : code;
};

/** Which contacts a reader sees: the course's own for the country, its program-wide list, the all-courses list, or none. */
function contactsStatusKey(
  shown: ReferralContact | undefined,
  courseSlug: string,
  countryCode: string,
): string {
  if (!shown) return 'content.local.status-missing';
  if (shown.courseSlug === ALL_COURSES) return 'content.local.contacts-all-courses';
  if (shown.countryCode === DEFAULT_CONTACTS && countryCode !== DEFAULT_CONTACTS)
    return 'content.local.contacts-program-wide';
  return 'content.local.status-admin';
}

/** Per course: what readers of each country see now for each fact and for the contacts, and what is missing. */
function localStatus(
  outline: CourseOutline,
  countries: CountryRow[],
  factRows: CountryFact[],
  contactRows: ReferralContact[],
  lang: Language,
) {
  const rows = factRows.filter((r) => r.courseSlug === outline.slug);
  const missing: string[] = [];
  const used = [
    ...Object.keys(outline.factDefaults),
    ...rows.map((r) => r.countryCode),
    ...contactRows.filter((r) => r.courseSlug === outline.slug).map((r) => r.countryCode),
  ];
  const countryRows = listedCountries(countries, used).map((c) => {
    const name = lang === 'es' ? c.nameEs : c.nameEn;
    const cells = outline.manifest.countryFacts.map((f) => {
      const source = resolveFact(outline, rows, c.code, f.key).source;
      if (source === 'missing') missing.push(`${name}: ${pick(f.title, lang)}`);
      return { statusKey: `content.local.status-${source}`, isAdmin: source === 'admin' };
    });
    const shown = contactsFor(contactRows, outline.slug, c.code);
    if (!shown) missing.push(`${name}: ${t(lang, 'content.local.contacts')}`);
    cells.push({
      statusKey: contactsStatusKey(shown, outline.slug, c.code),
      isAdmin: !!shown && shown.courseSlug === outline.slug,
    });
    return { code: c.code, name, cells, href: `/admin/content/${outline.slug}/countries/${c.code}` };
  });
  return {
    slug: outline.slug,
    title: pick(outline.manifest.title, lang),
    columns: [
      ...outline.manifest.countryFacts.map((f) => pick(f.title, lang)),
      t(lang, 'content.local.contacts'),
    ],
    countries: countryRows,
    programWideHref: `/admin/content/${outline.slug}/countries/${DEFAULT_CONTACTS}`,
    missing,
  };
}
