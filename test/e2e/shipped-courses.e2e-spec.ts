/**
 * The shipped curricula in content/ (no app needed): complete, bilingual, substantial, and free of
 * local phone numbers (hotlines are configuration: see the {{local-referral-contacts}} placeholder).
 */
import { join } from 'node:path';
import type { CoursePackage } from '../../src/courses/content/course-package';
import { countWords } from '../../src/courses/content/markdown';
import { readPackage } from '../../src/courses/content/package-reader';

const CONTENT = join(__dirname, '..', '..', 'content');
const SHIPPED = ['upp-community-policing', 'school-tip-awareness', 'municipal-prevention-committees'];
const MIN_WORDS = 400;

const HEADINGS = {
  en: {
    objective: /^#{1,6}\s+.*\bObjectives?\b/im,
    reflection: /^#{1,6}\s+.*\b(Reflection|Activity|Activities)\b/im,
  },
  es: { objective: /^#{1,6}\s+.*\bObjetivos?\b/im, reflection: /^#{1,6}\s+.*(Reflexión|Actividad)/im },
} as const;

/** Seven or more digits in a row, or North-American-style groups: 800-123-4567, 800.123.4567, (809) 123-4567. */
const PHONE_PATTERNS = [/\d{7,}/, /\b\d{3}[ .-]\d{3}[ .-]\d{4}\b/, /\(\d{3}\)\s*\d{3}[ .-]?\d{4}/];
/**
 * Web addresses with a path (`ecoi.net/en/document/2111656.html` in a source list): a document id
 * in a link is not a number anyone dials, so links are taken out before looking for phone numbers.
 */
const WEB_ADDRESS = /\b(?:https?:\/\/)?(?:[a-z0-9-]+\.)+[a-z]{2,}\/[^\s)\]>]*/gi;

describe.each(SHIPPED)('the shipped course %s', (slug) => {
  let pkg: CoursePackage;
  const lessonName = (l: CoursePackage['lessons'][number], lang: 'en' | 'es') =>
    `${slug}/${l.moduleSlug}/${String(l.number).padStart(2, '0')}-${l.slug}.${lang}.md`;

  beforeAll(() => {
    const read = readPackage(join(CONTENT, slug), CONTENT);
    // Every error and warning, by file and line, in the failure message.
    expect(
      read.problems.map(
        (p) => `${p.warning ? 'warning' : 'error'}: ${p.file}${p.line ? `:${p.line}` : ''} ${p.reason}`,
      ),
    ).toEqual([]);
    expect(read.pkg).toBeDefined();
    pkg = read.pkg!;
  });

  it('reads with no errors and no warnings, as the slug of its folder', () => {
    expect(pkg.manifest.slug).toBe(slug);
  });

  it('has at least 5 modules and 12 lessons', () => {
    expect(pkg.manifest.modules.length).toBeGreaterThanOrEqual(5);
    expect(pkg.lessons.length).toBeGreaterThanOrEqual(12);
  });

  it(`has every lesson in English and Spanish with at least ${MIN_WORDS} words each`, () => {
    const short: string[] = [];
    for (const lesson of pkg.lessons) {
      for (const lang of ['en', 'es'] as const) {
        const body = lesson.markdown[lang];
        const words = body === null ? 0 : countWords(body);
        if (words < MIN_WORDS)
          short.push(`${lessonName(lesson, lang)}: ${body === null ? 'missing' : `${words} words`}`);
      }
    }
    expect(short).toEqual([]);
  });

  it('has an Objective and a Reflection or Activity heading in every lesson, in both languages', () => {
    const missing: string[] = [];
    for (const lesson of pkg.lessons) {
      for (const lang of ['en', 'es'] as const) {
        const body = lesson.markdown[lang] ?? '';
        if (!HEADINGS[lang].objective.test(body))
          missing.push(`${lessonName(lesson, lang)}: no ${lang === 'en' ? 'Objective' : 'Objetivo'} heading`);
        if (!HEADINGS[lang].reflection.test(body))
          missing.push(
            `${lessonName(lesson, lang)}: no ${lang === 'en' ? 'Reflection/Activity' : 'Reflexión/Actividad'} heading`,
          );
      }
    }
    expect(missing).toEqual([]);
  });

  it('has exactly one pre-test and one post-test of at least 10 questions, and a knowledge check', () => {
    const pre = pkg.quizzes.filter((q) => q.kind === 'pre');
    const post = pkg.quizzes.filter((q) => q.kind === 'post');
    expect(pre.map((q) => q.slug)).toHaveLength(1);
    expect(post.map((q) => q.slug)).toHaveLength(1);
    expect({ maxAttempts: pre[0].maxAttempts, enough: pre[0].questions.length >= 10 }).toEqual({
      maxAttempts: 1,
      enough: true,
    });
    expect({ passMark: post[0].passMark, enough: post[0].questions.length >= 10 }).toEqual({
      passMark: pkg.manifest.certification.postTestPassMark,
      enough: true,
    });
    expect(pkg.quizzes.filter((q) => q.kind === 'check').length).toBeGreaterThanOrEqual(1);
  });

  it('has a correct option and English and Spanish texts for every question', () => {
    const bad: string[] = [];
    const filled = (text: { en: string; es: string }) => !!text?.en?.trim() && !!text?.es?.trim();
    for (const quiz of pkg.quizzes) {
      for (const q of quiz.questions) {
        const where = `${slug}/${quiz.moduleSlug}/${quiz.slug}.quiz.yaml question ${q.id}`;
        if (!q.options.some((o) => o.correct)) bad.push(`${where}: no correct option`);
        if (!filled(q.text)) bad.push(`${where}: text needs en and es`);
        for (const o of q.options) if (!filled(o.text)) bad.push(`${where}: option ${o.id} needs en and es`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('contains no phone-number-like string in any lesson (hotlines are configuration)', () => {
    const found: string[] = [];
    for (const lesson of pkg.lessons) {
      for (const lang of ['en', 'es'] as const) {
        const body = (lesson.markdown[lang] ?? '').replace(WEB_ADDRESS, ' ');
        for (const pattern of PHONE_PATTERNS) {
          const match = pattern.exec(body);
          if (match) found.push(`${lessonName(lesson, lang)}: "${match[0]}"`);
        }
      }
    }
    expect([...new Set(found)]).toEqual([]);
  });
});

describe('the phone-number check itself', () => {
  const flagged = (text: string) => PHONE_PATTERNS.some((p) => p.test(text.replace(WEB_ADDRESS, ' ')));

  it('catches hotline-like numbers and lets laws, years and links through', () => {
    for (const text of [
      'Call 8001234567.',
      'Call 800-123-4567.',
      'Llame al 809.555.1234',
      'Call (809) 555-1234',
      'Línea 1234567',
    ])
      expect({ text, flagged: flagged(text) }).toEqual({ text, flagged: true });
    for (const text of [
      'Law 137-03 of 2003',
      'between 2019 and 2024',
      'article 3(a)',
      'see ecoi.net/en/document/2111656.html',
    ])
      expect({ text, flagged: flagged(text) }).toEqual({ text, flagged: false });
  });
});

describe('the shipped course school-tip-awareness', () => {
  it('has at least one module that trainers deliver in schools', () => {
    const { pkg } = readPackage(join(CONTENT, 'school-tip-awareness'), CONTENT);
    expect(pkg?.manifest.modules.filter((m) => m.deliverable).length).toBeGreaterThanOrEqual(1);
  });
});
