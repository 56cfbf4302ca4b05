import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ContentImporter } from '../../src/courses/content/content-importer';
import { CourseVersion } from '../../src/courses/course-version.entity';
import { Lesson } from '../../src/courses/lesson.entity';
import type { User } from '../../src/users/user.entity';
import { createTestApp, TestApp } from '../support/create-test-app';
import { apiToken, csrfFrom, pageAgent } from '../support/login';

const FIXTURE = join(__dirname, '..', 'fixtures', 'content', 'tiny-course');
/** A 1×1 transparent PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('content import (CONTENT_DIR with a good and a broken package)', () => {
  let t: TestApp;
  let root: string;
  let importer: ContentImporter;
  let admin: User;
  let adminToken: string;

  const path = (...parts: string[]) => join(root, ...parts);
  const edit = (file: string, from: string, to: string) => {
    const before = readFileSync(path(file), 'utf8');
    if (!before.includes(from)) throw new Error(`${file} does not contain ${from}`);
    writeFileSync(path(file), before.replace(from, to));
  };
  const versionRows = () => t.db.manager.count(CourseVersion);
  /** Every import run happens at its own instant, so "the last run" is unambiguous. */
  const importAll = async () => {
    t.clock.advance(60_000);
    return importer.importAll();
  };
  const outcomeOf = async (name: string) => (await importAll()).find((r) => r.packageName === name)!;
  const courseSlugs = async () => {
    const res = await request(t.http).get('/api/v1/courses').set(bearer(adminToken)).expect(200);
    return (res.body.items as Array<{ slug: string; version: number }>).map((c) => `${c.slug} v${c.version}`);
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'cascada-content-'));
    cpSync(FIXTURE, path('tiny-course'), { recursive: true });
    mkdirSync(path('tiny-course/assets'), { recursive: true });
    writeFileSync(path('tiny-course/assets/dot.png'), PNG);
    // The broken package: a copy of the fixture whose pre-test has a question without a correct option.
    cpSync(FIXTURE, path('broken-course'), { recursive: true });
    edit('broken-course/course.yaml', 'slug: tiny-course', 'slug: broken-course');
    edit(
      'broken-course/basics/pre-test.quiz.yaml',
      ' es: "Formadores certificados" }, correct: true }',
      ' es: "Formadores certificados" } }',
    );
    t = await createTestApp({ CONTENT_DIR: root });
    importer = t.app.get(ContentImporter);
    admin = await t.createUser('admin');
    adminToken = await apiToken(t, admin.email);
  });
  afterAll(async () => {
    await t.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('imports the valid package at start and refuses the broken one', async () => {
    expect(await courseSlugs()).toEqual(['tiny-course v1']);
    await request(t.http).get('/api/v1/courses/broken-course').set(bearer(adminToken)).expect(404);
  });

  it('serves course assets from the configured content folder', async () => {
    const agent = await pageAgent(t, admin.email);
    const res = await agent.get('/content/tiny-course/assets/dot.png').buffer(true).expect(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(res.body as Buffer, PNG)).toBe(0);
    await agent.get('/content/tiny-course/assets/missing.png').expect(404);
    await agent.get('/content/broken-course/assets/dot.png').expect(404);
  });

  it('shows the refused package with its file, line and reason on the admin content page', async () => {
    const agent = await pageAgent(t, admin.email);
    const page = await agent.get('/admin/content').expect(200);
    const line =
      readFileSync(path('broken-course/basics/pre-test.quiz.yaml'), 'utf8')
        .split('\n')
        .indexOf('  - id: q1') + 1;
    expect(page.text).toContain('<code>broken-course</code>');
    expect(page.text).toContain(
      `<code>broken-course/basics/pre-test.quiz.yaml:${line}</code> question q1: no option is marked correct: true`,
    );
    expect(page.text).toContain('Refused');
    expect(page.text).toContain('<code>tiny-course</code>');
  });

  it('keeps the admin content page from managers', async () => {
    const manager = await t.createUser('manager');
    const agent = await pageAgent(t, manager.email);
    const page = await agent.get('/admin/content').expect(403);
    expect(page.text).not.toContain('broken-course');
  });

  it('changes nothing when the same version is imported again', async () => {
    const versions = await versionRows();
    const lessons = await t.db.manager.count(Lesson);
    const results = await importAll();
    expect(results.map((r) => [r.packageName, r.outcome])).toEqual([
      ['broken-course', 'refused'],
      ['tiny-course', 'unchanged'],
    ]);
    expect(await versionRows()).toBe(versions);
    expect(await t.db.manager.count(Lesson)).toBe(lessons);
  });

  it('refuses changed files under the same version and says to raise the version', async () => {
    const versions = await versionRows();
    edit(
      'tiny-course/basics/01-welcome.en.md',
      'Welcome to the tiny course.',
      'Welcome to the tiny course, second edition.',
    );
    const result = await outcomeOf('tiny-course');
    expect(result.outcome).toBe('refused');
    expect(result.problems).toEqual([
      {
        file: 'tiny-course/course.yaml',
        reason:
          'version 1 was already imported with different content: raise "version" to publish the change',
      },
    ]);
    expect(await versionRows()).toBe(versions);
    expect(await courseSlugs()).toEqual(['tiny-course v1']);
  });

  describe('a new version', () => {
    let early: User;
    let earlyToken: string;
    let earlyEnrolment: string;

    beforeAll(async () => {
      // A trainer enrols in version 1 and completes two of its three lessons.
      early = await t.createUser('trainer');
      earlyToken = await apiToken(t, early.email);
      const enrolled = await request(t.http)
        .post('/api/v1/courses/tiny-course/enrolments')
        .set(bearer(earlyToken))
        .expect(201);
      earlyEnrolment = enrolled.body.id;
      for (const lesson of ['welcome', 'first-session']) {
        await request(t.http)
          .post(`/api/v1/enrolments/${earlyEnrolment}/lessons/${lesson}/complete`)
          .set(bearer(earlyToken))
          .expect(200);
      }

      // Version 2 drops "warning-signs", adds "follow-up" and keeps the other slugs.
      rmSync(path('tiny-course/basics/02-warning-signs.en.md'));
      rmSync(path('tiny-course/basics/02-warning-signs.es.md'));
      writeFileSync(
        path('tiny-course/practice/02-follow-up.en.md'),
        '---\ntitle: "Follow-up"\nminutes: 5\n---\n\n## Objective\n\nFollow up after a session.\n',
      );
      writeFileSync(
        path('tiny-course/practice/02-follow-up.es.md'),
        '---\ntitle: "Seguimiento"\nminutes: 5\n---\n\n## Objetivo\n\nDar seguimiento después de una sesión.\n',
      );
      edit('tiny-course/course.yaml', 'version: 1', 'version: 2');
    });

    it('imports the new version and makes it current', async () => {
      const versions = await versionRows();
      const result = await outcomeOf('tiny-course');
      expect(result).toMatchObject({ outcome: 'imported', version: 2 });
      expect(await versionRows()).toBe(versions + 1);
      const course = await request(t.http)
        .get('/api/v1/courses/tiny-course')
        .set(bearer(adminToken))
        .expect(200);
      expect(course.body.version).toBe(2);
      const lessons = (course.body.modules as Array<{ lessons: Array<{ slug: string }> }>).flatMap((m) =>
        m.lessons.map((l) => l.slug),
      );
      expect(lessons).toEqual(['welcome', 'first-session', 'follow-up']);
      expect(await outcomeOf('tiny-course')).toMatchObject({ outcome: 'unchanged', version: 2 });
    });

    it('pins new enrolments to version 2', async () => {
      const late = await t.createUser('trainer');
      const token = await apiToken(t, late.email);
      const enrolled = await request(t.http)
        .post('/api/v1/courses/tiny-course/enrolments')
        .set(bearer(token))
        .expect(201);
      expect(enrolled.body).toMatchObject({ courseSlug: 'tiny-course', version: 2, status: 'enrolled' });
      const done = await request(t.http)
        .post(`/api/v1/enrolments/${enrolled.body.id}/lessons/follow-up/complete`)
        .set(bearer(token))
        .expect(200);
      expect(done.body).toMatchObject({ version: 2, completedLessons: ['follow-up'], percent: 33 });
      await request(t.http)
        .post(`/api/v1/enrolments/${enrolled.body.id}/lessons/warning-signs/complete`)
        .set(bearer(token))
        .expect(404);
    });

    it('keeps an existing enrolment on version 1 with its completed lessons and percent', async () => {
      const res = await request(t.http)
        .get(`/api/v1/enrolments/${earlyEnrolment}`)
        .set(bearer(earlyToken))
        .expect(200);
      expect(res.body).toMatchObject({
        id: earlyEnrolment,
        courseSlug: 'tiny-course',
        version: 1,
        status: 'in_progress',
        percent: 67,
        completedLessons: ['welcome', 'first-session'],
      });
      const me = await request(t.http).get('/api/v1/me').set(bearer(earlyToken)).expect(200);
      expect(me.body.enrolments).toEqual([
        { id: earlyEnrolment, courseSlug: 'tiny-course', percent: 67, status: 'in_progress' },
      ]);
    });

    it('still lets the version-1 enrolment study and complete the lesson that version 2 removed', async () => {
      const agent = await pageAgent(t, early.email);
      const overview = await agent.get(`/learn/${earlyEnrolment}`).expect(200);
      expect(overview.text).toContain('Warning signs');
      expect(overview.text).not.toContain('Follow-up');
      const lesson = await agent.get(`/learn/${earlyEnrolment}/lessons/warning-signs`).expect(200);
      expect(lesson.text).toContain('Recognise a warning sign and know whom to call.');
      const done = await request(t.http)
        .post(`/api/v1/enrolments/${earlyEnrolment}/lessons/warning-signs/complete`)
        .set(bearer(earlyToken))
        .expect(200);
      expect(done.body).toMatchObject({ version: 1, percent: 100, status: 'completed' });
      expect(done.body.completedLessons).toEqual(['welcome', 'warning-signs', 'first-session']);
    });
  });

  it('imports again from the admin page and reports the result in a flash message', async () => {
    const agent = await pageAgent(t, admin.email);
    const csrf = csrfFrom((await agent.get('/admin/content').expect(200)).text);
    t.clock.advance(60_000);
    const res = await agent.post('/admin/content/import').type('form').send({ _csrf: csrf }).expect(303);
    expect(res.headers.location).toBe('/admin/content');
    const page = await agent.get('/admin/content').expect(200);
    expect(page.text).toContain(
      'Import finished: 0 new versions; 1 package refused (see the problems below).',
    );
    // It imported the configured folder (CONTENT_DIR), not the repository's content/.
    expect(await courseSlugs()).toEqual(['tiny-course v2']);
  });

  it('refuses the import form to managers', async () => {
    const manager = await t.createUser('manager');
    const agent = await pageAgent(t, manager.email);
    const csrf = csrfFrom((await agent.get('/courses').expect(200)).text);
    const versions = await versionRows();
    await agent.post('/admin/content/import').type('form').send({ _csrf: csrf }).expect(403);
    expect(await versionRows()).toBe(versions);
  });

  it('renders lesson Markdown as sanitised HTML, without scripts or javascript: links', async () => {
    const trainer = await t.createUser('trainer');
    const token = await apiToken(t, trainer.email);
    const enrolled = await request(t.http)
      .post('/api/v1/courses/tiny-course/enrolments')
      .set(bearer(token))
      .expect(201);
    const agent = await pageAgent(t, trainer.email);
    const page = await agent.get(`/learn/${enrolled.body.id}/lessons/first-session`).expect(200);
    expect(page.text).toContain('session plan');
    expect(page.text).toContain('before you start.');
    expect(page.text).not.toMatch(/<script|javascript:|alert\(|owned/i);
    const stored = await t.db.manager.find(Lesson, { where: { slug: 'first-session' } });
    for (const lesson of stored) expect(lesson.htmlEn).not.toMatch(/<script|javascript:|alert\(/i);
  });
});
