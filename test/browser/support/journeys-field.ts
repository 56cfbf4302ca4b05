/**
 * What the field journeys (trainer, coordinator, manager reports) share on top of journey.ts:
 * - `say()`: a UI string exactly as the app shows it, read from src/i18n (never guessed);
 * - `Program`: a small program seeded through the JSON API the way a manager would (schools,
 *   coordinators, a workshop, trainers who study, attend and get certified, school sessions);
 * - `Driver`: one journey step at a time, either with the pointer (click/fill) or with the keyboard
 *   only (Tab/Shift+Tab, Enter, Space, arrows and typing), auditing every page it lands on and
 *   checking its language and that it fits the viewport's width (no sideways scrolling at 360 px);
 * - `tabTo()`: Tab until an element has the focus, checking on the way that every stop shows a
 *   visible focus indicator and that the focus moves forward through the page.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { load } from 'js-yaml';
import type { Locator, Page } from 'playwright-core';
import request from 'supertest';
import { hasKey, t as translate } from '../../../src/i18n/i18n';
import { OutboxMessage } from '../../../src/mail/outbox-message.entity';
import type { Language, Sex } from '../../../src/common/kernel/user-role.enum';
import type { User } from '../../../src/users/user.entity';
import type { TestApp } from '../../support/create-test-app';
import { apiToken } from '../../support/login';
import type { Journey } from './journey';
import { drawnAnswers, TINY_KEYS } from '../../support/quizzes';

export const CONTENT_DIR = join(__dirname, '..', '..', 'fixtures', 'content');
export const COURSE = 'tiny-course';
/** The fixture course's lessons in order (test/fixtures/content/tiny-course). */
export const LESSONS = ['welcome', 'warning-signs', 'first-session'];
/** The deliverable module of the fixture course. */
export const DELIVERABLE_MODULE = 'practice';
/** The workshop's five days; the fake clock says today is 2026-03-02. */
export const WORKSHOP_DAYS = ['2026-02-23', '2026-02-24', '2026-02-25', '2026-02-26', '2026-02-27'];
export const LAST_WORKSHOP_DAY = WORKSHOP_DAYS[WORKSHOP_DAYS.length - 1];
/** Post-test answers that pass (both right: 100 %), and pre-test answers with one right (50 %). */
/** Every question of the fixture post-test's bank, right (a sitting asks three of them). */
export const RIGHT_ANSWERS = TINY_KEYS['post-test'];
export const HALF_RIGHT_ANSWERS = { q1: ['a'], q2: ['a'] };

type Texts = { en: string; es: string };
interface QuizFile {
  questions: Array<{ id: string; text: Texts; options: Array<{ id: string; text: Texts }> }>;
}

/** Titles and quiz options of the fixture course in one language, read from its files (course content is not in src/i18n). */
export function fixtureCourse(lang: Language) {
  const dir = join(CONTENT_DIR, COURSE);
  const manifest = load(readFileSync(join(dir, 'course.yaml'), 'utf8')) as {
    title: Texts;
    modules: Array<{ slug: string; title: Texts }>;
  };
  const lessonFiles: Record<string, string> = {
    welcome: 'basics/01-welcome',
    'warning-signs': 'basics/02-warning-signs',
    'first-session': 'practice/01-first-session',
  };
  const lessonTitle = (slug: string) => {
    const match = /^title:\s*"(.+)"\s*$/m.exec(
      readFileSync(join(dir, `${lessonFiles[slug]}.${lang}.md`), 'utf8'),
    );
    if (!match) throw new Error(`no title in lesson ${slug}`);
    return match[1];
  };
  const quizzes: Record<string, QuizFile> = {
    'pre-test': load(readFileSync(join(dir, 'basics', 'pre-test.quiz.yaml'), 'utf8')) as QuizFile,
    'post-test': load(readFileSync(join(dir, 'practice', 'post-test.quiz.yaml'), 'utf8')) as QuizFile,
  };
  return {
    title: manifest.title[lang],
    lessonTitles: LESSONS.map(lessonTitle),
    moduleTitle: (slug: string) => manifest.modules.find((m) => m.slug === slug)!.title[lang],
    /** The text of option `optionId` of question `questionId`. */
    option: (quiz: 'pre-test' | 'post-test', questionId: string, optionId: string) =>
      quizzes[quiz].questions.find((q) => q.id === questionId)!.options.find((o) => o.id === optionId)!.text[
        lang
      ],
    /** The text of question `questionId` of the post-test. */
    question: (questionId: string) =>
      quizzes['post-test'].questions.find((q) => q.id === questionId)!.text[lang],
  };
}

/**
 * A UI string as the app renders it in `lang` (the same `t` the views use). Fails when the key is
 * missing in that language, so a test never passes on the silent English fallback.
 */
export function say(lang: Language, key: string, params: Record<string, unknown> = {}): string {
  if (!hasKey(key, lang)) throw new Error(`i18n key ${key} is missing in ${lang}`);
  return translate(lang, key, params);
}

/**
 * `it` for the steps of one journey, which build on each other: once a step fails (or times out),
 * the following ones fail at once saying so, instead of with confusing errors of their own.
 */
export function journeySteps(timeout: number): (name: string, step: () => Promise<void>) => void {
  let broken = false;
  return (name, step) =>
    it(
      name,
      async () => {
        if (broken) throw new Error('not run: an earlier step of this journey failed');
        broken = true;
        await step();
        broken = false;
      },
      timeout,
    );
}

/** A regular expression matching `text` literally (for URL and name matching). */
export const literally = (text: string): RegExp => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

// ---------------------------------------------------------------------------------------------
// The JSON API, as integrations and the managers' scripts use it.
// ---------------------------------------------------------------------------------------------
export type Api = ReturnType<typeof apiAs>;

export function apiAs(t: TestApp, token: string) {
  const auth = { Authorization: `Bearer ${token}` };
  return {
    get: (path: string) => request(t.http).get(`/api/v1${path}`).set(auth),
    post: (path: string, body?: object) => request(t.http).post(`/api/v1${path}`).set(auth).send(body),
    put: (path: string, body?: object) => request(t.http).put(`/api/v1${path}`).set(auth).send(body),
  };
}

/** The invitation link mailed to `email` (read from the outbox, as the mail worker would send it), as a path. */
export async function invitationPath(t: TestApp, email: string): Promise<string> {
  const mails = await t.db.manager.find(OutboxMessage, {
    where: { toAddress: email.toLowerCase(), template: 'invitation' },
  });
  if (mails.length !== 1) throw new Error(`expected one invitation mail to ${email}, found ${mails.length}`);
  const link = new RegExp(`${literally(t.config.appUrl).source}(/invite/[A-Za-z0-9_-]{20,})`).exec(
    mails[0].textBody,
  );
  if (!link) throw new Error(`no invitation link in the mail to ${email}: ${mails[0].textBody}`);
  return link[1];
}

export interface SessionCounts {
  female: number;
  male: number;
  unspecified?: number;
  under_10?: number;
  '10_14'?: number;
  '15_17'?: number;
  '18_plus'?: number;
  teachers?: number;
  parents?: number;
}

/**
 * A small program in one country, built through the API by its manager: workshops, schools with
 * their coordinators, trainers who study and get certified, school sessions. Everything a journey
 * needs, fresh for each variant.
 */
export class Program {
  private constructor(
    readonly t: TestApp,
    readonly lang: Language,
    readonly countryCode: string,
    readonly tag: string,
    readonly manager: User,
    readonly api: Api,
  ) {}

  /** A manager scoped to `countryCode` who reads the app in `lang`. */
  static async start(
    t: TestApp,
    options: { lang: Language; countryCode: string; tag: string },
  ): Promise<Program> {
    const manager = await t.createUser('manager', {
      language: options.lang,
      countryCode: options.countryCode,
      name: `Manager ${options.tag}`,
    });
    return new Program(
      t,
      options.lang,
      options.countryCode,
      options.tag,
      manager,
      apiAs(t, await apiToken(t, manager.email)),
    );
  }

  async as(user: User): Promise<Api> {
    return apiAs(this.t, await apiToken(this.t, user.email));
  }

  async school(name: string, code: string, municipality: string): Promise<string> {
    return (
      await this.api.post('/schools', { name, code, countryCode: this.countryCode, municipality }).expect(201)
    ).body.id as string;
  }

  /** A coordinator (in the program's language) assigned to `schoolIds`. */
  async coordinator(name: string, schoolIds: string[]): Promise<User> {
    const coordinator = await this.t.createUser('coordinator', {
      name,
      language: this.lang,
      countryCode: this.countryCode,
    });
    for (const schoolId of schoolIds)
      await this.api.put(`/schools/${schoolId}/coordinators`, { userIds: [coordinator.id] }).expect(200);
    return coordinator;
  }

  async workshop(name: string): Promise<string> {
    const body = {
      courseSlug: COURSE,
      name,
      countryCode: this.countryCode,
      startsOn: WORKSHOP_DAYS[0],
      endsOn: LAST_WORKSHOP_DAY,
      capacity: 10,
    };
    return (await this.api.post('/cohorts', body).expect(201)).body.id as string;
  }

  /** Adds a new person to the workshop's roster: the app creates the account and mails the invitation. */
  async invite(cohortId: string, email: string, name: string): Promise<string> {
    const res = await this.api.post(`/cohorts/${cohortId}/participants`, { email, name }).expect(201);
    if (res.body.invited !== true) throw new Error(`${email} was not invited`);
    return res.body.userId as string;
  }

  /** An active trainer account (in the program's language) on the workshop's roster. */
  async participant(cohortId: string, name: string, sex: Sex): Promise<User> {
    const trainer = await this.t.createUser('trainer', {
      name,
      sex,
      language: this.lang,
      countryCode: this.countryCode,
    });
    await this.api
      .post(`/cohorts/${cohortId}/participants`, { email: trainer.email, name: trainer.name })
      .expect(201);
    return trainer;
  }

  /** The trainer takes the pre-test, studies every lesson and takes the post-test (their own API calls). */
  async study(trainer: User, pre: Record<string, string[]>, post: Record<string, string[]>): Promise<void> {
    const api = await this.as(trainer);
    const enrolmentId = (await api.get('/me').expect(200)).body.enrolments[0].id as string;
    await api
      .post(
        `/enrolments/${enrolmentId}/quizzes/pre-test/attempts`,
        await drawnAnswers(api, enrolmentId, 'pre-test', pre),
      )
      .expect(201);
    for (const lesson of LESSONS)
      await api.post(`/enrolments/${enrolmentId}/lessons/${lesson}/complete`).expect(200);
    await api
      .post(
        `/enrolments/${enrolmentId}/quizzes/post-test/attempts`,
        await drawnAnswers(api, enrolmentId, 'post-test', post),
      )
      .expect(201);
  }

  /** The manager's side of the workshop: its five days with everyone present, and a passed practicum each. */
  async runWorkshop(cohortId: string, trainerIds: string[]): Promise<void> {
    for (const userId of trainerIds)
      await this.api
        .put(`/cohorts/${cohortId}/participants/${userId}/practicum`, { passed: true, score: 90 })
        .expect(200);
    for (const date of WORKSHOP_DAYS) {
      const day = (await this.api.post(`/cohorts/${cohortId}/days`, { date }).expect(201)).body;
      await this.api
        .put(`/cohorts/${cohortId}/days/${day.id}/attendance`, {
          records: trainerIds.map((userId) => ({ userId, status: 'present' })),
        })
        .expect(200);
    }
  }

  /** Certifies the trainer on the workshop's last day; returns the certificate code. */
  async certify(cohortId: string, userId: string): Promise<string> {
    return (
      await this.api.post('/certifications', { cohortId, userId, issuedOn: LAST_WORKSHOP_DAY }).expect(201)
    ).body.code as string;
  }

  /** A session logged through the API by `author` (the school's coordinator or the trainer); returns its id. */
  async logSession(
    author: Api,
    schoolId: string,
    trainerId: string,
    date: string,
    counts: SessionCounts,
  ): Promise<string> {
    const body = {
      schoolId,
      trainerId,
      courseSlug: COURSE,
      moduleSlugs: [DELIVERABLE_MODULE],
      date,
      durationMinutes: 45,
      participants: { female: counts.female, male: counts.male, unspecified: counts.unspecified ?? 0 },
      ageBands: {
        under_10: counts.under_10 ?? 0,
        '10_14': counts['10_14'] ?? 0,
        '15_17': counts['15_17'] ?? 0,
        '18_plus': counts['18_plus'] ?? 0,
      },
      teachers: counts.teachers ?? 0,
      parents: counts.parents ?? 0,
    };
    return (await author.post('/cascade-sessions', body).expect(201)).body.id as string;
  }
}

// ---------------------------------------------------------------------------------------------
// Keyboard: Tab to an element, checking the focus on the way.
// ---------------------------------------------------------------------------------------------
interface FocusStop {
  /** `tag#id "text"`, for messages. */
  name: string;
  /** The element shows a focus indicator (`:focus-visible` with an outline or a box shadow). */
  indicated: boolean;
  /** The element is on screen (not hidden, inside the viewport once focused). */
  onScreen: boolean;
  /** The stop comes after the previous one in the document (the focus order follows the page). */
  forward: boolean;
  isTarget: boolean;
}

const FOCUS_MARK = 'data-journey-focus';

/** Describes the focused element and whether it is one of `targets`; marks it for the order check. */
async function focusStop(page: Page, target: Locator): Promise<FocusStop> {
  const isTarget = await target.evaluateAll((els) => els.some((el) => el === document.activeElement));
  const stop = await page.evaluate((mark) => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const previous = document.querySelector(`[${mark}]`);
    // Later in the document, or back at the page's first Tab stop after the last one (the focus wraps).
    const first = document.querySelector(
      'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])',
    );
    const forward =
      !previous ||
      previous === el ||
      el === first ||
      Boolean(previous.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
    previous?.removeAttribute(mark);
    el.setAttribute(mark, '');
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1;
    const shadow = style.boxShadow !== 'none';
    const box = el.getBoundingClientRect();
    const onScreen =
      box.width > 0 &&
      box.height > 0 &&
      box.bottom > 0 &&
      box.top < window.innerHeight &&
      box.right > 0 &&
      box.left < window.innerWidth &&
      style.visibility !== 'hidden';
    const text = (
      (el as HTMLElement).innerText ||
      (el as HTMLInputElement).value ||
      el.getAttribute('aria-label') ||
      ''
    )
      .trim()
      .slice(0, 40);
    // A date field's calendar button is inside the browser's own shadow tree: the browser draws its focus ring there.
    const onPickerButton =
      el instanceof HTMLInputElement &&
      ['date', 'time', 'datetime-local', 'month', 'week'].includes(el.type) &&
      !el.matches(':focus') &&
      el.matches(':focus-within');
    const indicated = (el.matches(':focus-visible') && (outline || shadow)) || onPickerButton;
    return {
      name: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${text ? ` "${text}"` : ''}`,
      indicated,
      onScreen,
      forward,
    };
  }, FOCUS_MARK);
  return stop
    ? { ...stop, isTarget }
    : { name: 'body', indicated: true, onScreen: true, forward: true, isTarget };
}

/**
 * Presses Tab (or Shift+Tab) until an element of `target` has the focus, at most `max` times.
 * Every element the focus lands on must show a visible focus indicator and be on screen, and going
 * forward the focus must follow the document order (no jumps back). Fails listing the stops.
 */
export async function tabTo(
  page: Page,
  target: Locator,
  options: { max?: number; backwards?: boolean } = {},
): Promise<void> {
  const max = options.max ?? 60;
  const stops: FocusStop[] = [];
  let current = await focusStop(page, target);
  if (current.isTarget) return;
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
    current = await focusStop(page, target);
    if (current.name === 'body') {
      // Past the last element: the focus wraps to the top of the page, where the order starts again.
      await page.evaluate((mark) => document.querySelector(`[${mark}]`)?.removeAttribute(mark), FOCUS_MARK);
      continue;
    }
    stops.push(current);
    const trail = () => stops.map((s) => s.name).join(' → ');
    if (!current.indicated)
      throw new Error(`no visible focus indicator on ${current.name} (${page.url()}); focus went ${trail()}`);
    if (!current.onScreen)
      throw new Error(`the focused ${current.name} is not on screen (${page.url()}); focus went ${trail()}`);
    if (!options.backwards && !current.forward && stops.length > 1)
      throw new Error(`the focus jumped back to ${current.name} (${page.url()}); focus went ${trail()}`);
    if (current.isTarget) return;
  }
  throw new Error(
    `${String(target)} not reached in ${max} ${options.backwards ? 'Shift+Tab' : 'Tab'} presses on ${page.url()}: ${stops.map((s) => s.name).join(' → ')}`,
  );
}

// ---------------------------------------------------------------------------------------------
// A driver: the same journey step by pointer or by keyboard.
// ---------------------------------------------------------------------------------------------
export type InputMode = 'pointer' | 'keyboard';

/**
 * Runs journey steps with the pointer or with the keyboard only, and audits (journey.audit())
 * every page a step lands on. In keyboard mode nothing is clicked, filled or checked: each control
 * is reached with Tab and operated with Enter, Space, arrow keys or typing.
 */
export class Driver {
  constructor(
    readonly journey: Journey,
    readonly mode: InputMode,
  ) {}

  get page(): Page {
    return this.journey.page;
  }

  get isKeyboard(): boolean {
    return this.mode === 'keyboard';
  }

  /** Opens an address (as from a mail or a bookmark) and audits the page. */
  async open(path: string): Promise<void> {
    await this.journey.visit(path);
    await this.checkPage();
  }

  /**
   * What every page must do besides journey.audit() (which also checks that nothing makes the page
   * scroll sideways): declare the variant's language (screen readers pronounce by it).
   */
  async checkPage(): Promise<void> {
    expect(await this.page.locator('html').getAttribute('lang')).toBe(this.journey.variant.lang);
  }

  /**
   * Keyboard only: activates the page's skip link (the first Tab stop), so the next Tab lands in
   * the main content. Proves the skip link works on this page.
   */
  async skipToMain(): Promise<void> {
    if (!this.isKeyboard) return;
    await this.page.keyboard.press('Tab');
    const skip = this.page.locator('a.skip-link');
    if (!(await skip.evaluate((el) => el === document.activeElement)))
      throw new Error(`the first Tab stop of ${this.page.url()} is not the skip link`);
    await this.page.keyboard.press('Enter');
    await this.page.waitForFunction(() => document.activeElement?.id === 'main');
  }

  /** Follows a link or presses a button that loads a page, waits for that page and audits it. */
  async go(target: Locator): Promise<void> {
    if (this.isKeyboard) await tabTo(this.page, target);
    await Promise.all([
      this.page.waitForEvent('framenavigated', { predicate: (frame) => frame === this.page.mainFrame() }),
      this.isKeyboard ? this.page.keyboard.press('Enter') : target.click(),
    ]);
    await this.journey.audit();
    await this.checkPage();
  }

  /** Types into a text, number or password field (replacing what it holds). */
  async type(field: Locator, text: string): Promise<void> {
    if (this.isKeyboard) {
      await tabTo(this.page, field);
      await this.page.keyboard.press('ControlOrMeta+A');
      await this.page.keyboard.type(text);
    } else {
      await field.fill(text);
    }
    expect(await field.inputValue()).toBe(text);
  }

  /** Ticks a checkbox (Space), or chooses a radio button in its group (arrow keys). */
  async tick(box: Locator): Promise<void> {
    if (!this.isKeyboard) {
      await box.check();
    } else if ((await box.getAttribute('type')) === 'radio') {
      const group = this.page.locator(`input[type=radio][name="${await box.getAttribute('name')}"]`);
      await tabTo(this.page, group);
      // Arrow keys move through the group and choose as they go; the cap is the group's size.
      const size = await group.count();
      for (let i = 0; i < size && !(await box.evaluate((el) => el === document.activeElement)); i++)
        await this.page.keyboard.press('ArrowDown');
      if (!(await box.isChecked())) await this.page.keyboard.press('Space');
    } else {
      await tabTo(this.page, box);
      if (!(await box.isChecked())) await this.page.keyboard.press('Space');
    }
    expect(await box.isChecked()).toBe(true);
  }

  /** Chooses the option with this visible text in a select (arrow keys on the closed select). */
  async select(select: Locator, optionText: string): Promise<void> {
    if (!this.isKeyboard) {
      await select.selectOption({ label: optionText });
    } else {
      await tabTo(this.page, select);
      const { current, wanted } = await select.evaluate(
        (el: HTMLSelectElement, text) => ({
          current: el.selectedIndex,
          wanted: [...el.options].findIndex((o) => o.text === text),
        }),
        optionText,
      );
      if (wanted < 0) throw new Error(`no option "${optionText}" in ${String(select)}`);
      for (let i = current; i < wanted; i++) await this.page.keyboard.press('ArrowDown');
      for (let i = current; i > wanted; i--) await this.page.keyboard.press('ArrowUp');
    }
    expect(await select.evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.text)).toBe(optionText);
  }

  /** Activates a link that downloads a file; returns the file's name and bytes. */
  async download(target: Locator): Promise<{ name: string; bytes: Buffer }> {
    if (this.isKeyboard) await tabTo(this.page, target);
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.isKeyboard ? this.page.keyboard.press('Enter') : target.click(),
    ]);
    const path = await download.path();
    return { name: download.suggestedFilename(), bytes: await readFile(path) };
  }

  /** Signs in through the login form and lands on the dashboard. */
  async signIn(email: string, password: string): Promise<void> {
    const lang = this.journey.variant.lang;
    await this.open('/login');
    await expect(this.page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      say(lang, 'auth.login.title'),
    );
    await this.skipToMain();
    await this.type(field(this.page, say(lang, 'auth.email')), email);
    await this.type(field(this.page, say(lang, 'auth.password')), password);
    await this.go(this.page.getByRole('button', { name: say(lang, 'auth.login.submit') }));
    expect(new URL(this.page.url()).pathname).toBe('/');
  }
}

/** The form control labelled `text` (a required field's label ends with an asterisk, which is not part of its name). */
export function field(page: Page, text: string): Locator {
  return page.getByLabel(new RegExp(`^${literally(text).source}(\\s*\\*)?$`));
}

/** The text of the page's first heading. */
export async function heading(page: Page): Promise<string> {
  return ((await page.getByRole('heading', { level: 1 }).first().textContent()) ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The flash message (post/redirect/get) on the page. */
export async function flash(page: Page): Promise<string> {
  return ((await page.locator('main .flash').textContent()) ?? '').trim();
}
