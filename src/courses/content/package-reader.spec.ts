import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PackageProblem } from './course-package';
import { readPackage } from './package-reader';

const FIXTURE = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'content', 'tiny-course');

describe('reading a content package', () => {
  let root: string;
  let dir: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'cascada-package-'));
    dir = join(root, 'tiny-course');
    cpSync(FIXTURE, dir, { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const file = (path: string) => join(dir, path);
  const read = (path: string) => readFileSync(file(path), 'utf8');
  const write = (path: string, text: string) => writeFileSync(file(path), text);
  const edit = (path: string, from: string | RegExp, to: string) => {
    const before = read(path);
    const after = before.replace(from, to);
    if (after === before) throw new Error(`the fixture ${path} no longer contains ${String(from)}`);
    write(path, after);
  };
  /** The 1-based line of the first line of `path` that matches (as the test expects the reader to point at). */
  const lineOf = (path: string, pattern: RegExp, nth = 1) => {
    let seen = 0;
    const index = read(path)
      .split('\n')
      .findIndex((line) => pattern.test(line) && ++seen === nth);
    if (index < 0) throw new Error(`no line matches ${pattern} in ${path}`);
    return index + 1;
  };

  /** Reads the package, expects it refused, and returns its errors (warnings left out). */
  function refused(packageDir = dir): PackageProblem[] {
    const { pkg, problems } = readPackage(packageDir, root);
    expect(pkg).toBeUndefined();
    const errors = problems.filter((p) => !p.warning);
    expect(errors.length).toBeGreaterThan(0);
    return errors;
  }

  it('reads the valid fixture with no errors and no warnings', () => {
    const { pkg, problems } = readPackage(dir, root);
    expect(problems).toEqual([]);
    expect(pkg).toBeDefined();
    expect(pkg!.manifest).toMatchObject({ slug: 'tiny-course', version: 1, title: { en: 'Tiny course', es: 'Curso mínimo' } });
    expect(pkg!.manifest.modules.map((m) => [m.slug, m.deliverable])).toEqual([
      ['basics', false],
      ['practice', true],
    ]);
    expect(pkg!.lessons.map((l) => `${l.moduleSlug}/${l.slug}`)).toEqual(['basics/welcome', 'basics/warning-signs', 'practice/first-session']);
    expect(pkg!.lessons.every((l) => l.markdown.en && l.markdown.es && l.title.en && l.title.es && l.minutes > 0)).toBe(true);
    const quizzes = Object.fromEntries(pkg!.quizzes.map((q) => [q.slug, q]));
    expect(quizzes['pre-test']).toMatchObject({ kind: 'pre', maxAttempts: 1 });
    expect(quizzes['post-test']).toMatchObject({ kind: 'post', passMark: pkg!.manifest.certification.postTestPassMark });
    expect(quizzes['basics-check'].kind).toBe('check');
    expect(quizzes['basics-check'].questions).toHaveLength(1);
    expect(quizzes['basics-check'].questions[0].multiple).toBe(true);
    expect(pkg!.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the same checksum for the same files and a different one when a file changes', () => {
    const first = readPackage(dir, root).pkg!.checksum;
    expect(readPackage(dir, root).pkg!.checksum).toBe(first);
    edit('basics/01-welcome.en.md', 'Welcome to the tiny course.', 'Welcome to the small course.');
    expect(readPackage(dir, root).pkg!.checksum).not.toBe(first);
  });

  it('refuses a YAML syntax error with the file and its line number', () => {
    const lines = read('course.yaml').split('\n');
    lines.splice(2, 0, '  stray: true'); // line 3, indented under the scalar "version: 1"
    write('course.yaml', lines.join('\n'));
    const [problem] = refused();
    expect(problem).toMatchObject({ file: join('tiny-course', 'course.yaml'), line: 3 });
    expect(problem.reason).toMatch(/^YAML: .*indentation/);
  });

  it('refuses a YAML syntax error in a quiz with the quiz file and line', () => {
    edit('basics/pre-test.quiz.yaml', /^questions:$/m, 'questions: [');
    const problems = refused();
    expect(problems).toEqual([expect.objectContaining({ file: join('tiny-course', 'basics', 'pre-test.quiz.yaml'), reason: expect.stringMatching(/^YAML: /), line: expect.any(Number) })]);
  });

  it('refuses a package without course.yaml', () => {
    rmSync(file('course.yaml'));
    expect(refused()).toEqual([{ file: join('tiny-course', 'course.yaml'), reason: 'course.yaml is missing' }]);
  });

  it('refuses a package whose slug is not its folder name', () => {
    const other = join(root, 'other-name');
    renameSync(dir, other);
    expect(refused(other)).toEqual([
      { file: join('other-name', 'course.yaml'), line: 1, reason: 'slug "tiny-course" must equal the folder name "other-name"' },
    ]);
  });

  it('refuses a course title without its Spanish text', () => {
    edit('course.yaml', '  es: "Curso mínimo"\n', '');
    expect(refused()).toEqual([{ file: join('tiny-course', 'course.yaml'), line: 3, reason: 'title: needs non-empty en and es texts' }]);
  });

  it('refuses a module listed in course.yaml without a folder', () => {
    rmSync(file('practice'), { recursive: true });
    expect(refused()).toEqual([
      { file: join('tiny-course', 'course.yaml'), line: lineOf('course.yaml', /slug: practice$/), reason: 'module "practice" has no folder practice/' },
    ]);
  });

  it('refuses a folder that course.yaml does not list', () => {
    mkdirSync(file('extras'));
    cpSync(file('basics/01-welcome.en.md'), file('extras/01-extra.en.md'));
    expect(refused()).toEqual([{ file: join('tiny-course', 'extras'), reason: 'folder "extras" is not a module listed in course.yaml' }]);
  });

  it('refuses a lesson without front matter', () => {
    write('basics/01-welcome.en.md', '## Objective\n\nNo front matter here.\n');
    expect(refused()).toEqual([
      { file: join('tiny-course', 'basics', '01-welcome.en.md'), line: 1, reason: 'a lesson starts with front matter between --- lines (title, minutes)' },
    ]);
  });

  it('refuses a lesson whose front matter has no minutes', () => {
    edit('basics/01-welcome.es.md', 'minutes: 5\n', '');
    expect(refused()).toEqual([
      { file: join('tiny-course', 'basics', '01-welcome.es.md'), line: 2, reason: 'front matter needs minutes: a whole number from 1 to 600' },
    ]);
  });

  it('refuses a quiz question with no correct option', () => {
    edit('basics/pre-test.quiz.yaml', '"Certified trainers", es: "Formadores certificados" }, correct: true }', '"Certified trainers", es: "Formadores certificados" } }');
    expect(refused()).toEqual([
      { file: join('tiny-course', 'basics', 'pre-test.quiz.yaml'), line: lineOf('basics/pre-test.quiz.yaml', /- id: q1$/), reason: 'question q1: no option is marked correct: true' },
    ]);
  });

  it('refuses a single-choice question with two correct options', () => {
    edit('basics/pre-test.quiz.yaml', 'es: "Cualquier madre o padre que se ofrezca en la escuela" } }', 'es: "Cualquier madre o padre que se ofrezca en la escuela" }, correct: true }');
    expect(refused()).toEqual([
      {
        file: join('tiny-course', 'basics', 'pre-test.quiz.yaml'),
        line: lineOf('basics/pre-test.quiz.yaml', /- id: q1$/),
        reason: 'question q1: single-choice question with 2 correct options (set multiple: true)',
      },
    ]);
  });

  it('refuses a quiz that uses a question id twice, pointing at the second one', () => {
    edit('practice/post-test.quiz.yaml', '- id: q2', '- id: q1');
    expect(refused()).toEqual([
      {
        file: join('tiny-course', 'practice', 'post-test.quiz.yaml'),
        line: lineOf('practice/post-test.quiz.yaml', /- id: q1$/, 2),
        reason: 'question q1: id is used twice',
      },
    ]);
  });

  it('refuses an unknown quiz kind', () => {
    edit('basics/basics-check.quiz.yaml', 'kind: check', 'kind: final');
    expect(refused()).toEqual([{ file: join('tiny-course', 'basics', 'basics-check.quiz.yaml'), line: 1, reason: 'kind must be pre, post or check' }]);
  });

  it('refuses a pre-test with more than one attempt', () => {
    edit('basics/pre-test.quiz.yaml', 'maxAttempts: 1', 'maxAttempts: 3');
    expect(refused()).toEqual([
      { file: join('tiny-course', 'basics', 'pre-test.quiz.yaml'), line: 3, reason: 'a pre-test takes exactly one attempt (maxAttempts: 1)' },
    ]);
  });

  it('refuses a post-test whose pass mark differs from the certification rule', () => {
    edit('practice/post-test.quiz.yaml', 'passMark: 70', 'passMark: 60');
    expect(refused()).toEqual([
      expect.objectContaining({ file: join('tiny-course', 'practice', 'post-test.quiz.yaml'), reason: "passMark 60 differs from the rule's postTestPassMark 70" }),
    ]);
  });

  it('refuses a course with two pre-tests', () => {
    cpSync(file('basics/pre-test.quiz.yaml'), file('practice/second-pre-test.quiz.yaml'));
    expect(refused()).toEqual([expect.objectContaining({ file: join('tiny-course', 'course.yaml'), reason: 'a course has at most one pre-test' })]);
  });

  it('refuses a lesson slug used in two modules', () => {
    cpSync(file('basics/01-welcome.en.md'), file('practice/02-welcome.en.md'));
    cpSync(file('basics/01-welcome.es.md'), file('practice/02-welcome.es.md'));
    expect(refused()).toEqual([{ file: join('tiny-course', 'practice', '02-welcome'), reason: 'lesson slug "welcome" is used twice in the course' }]);
  });

  it('reads draw and anchors: anchors always within draw, shared verbatim by the pre-test and post-test', () => {
    const { pkg } = readPackage(dir, root);
    const post = pkg!.quizzes.find((q) => q.slug === 'post-test')!;
    expect(post.draw).toBe(3);
    expect(post.questions.map((q) => [q.id, q.anchor])).toEqual([['q1', true], ['q2', true], ['q3', false], ['q4', false], ['q5', false]]);
    expect(pkg!.quizzes.find((q) => q.slug === 'basics-check')!.draw).toBeNull();
  });

  it.each([
    ['draw: 0', 'draw must be a whole number of questions, at least 1'],
    ['draw: 2.5', 'draw must be a whole number of questions, at least 1'],
    ['draw: 6', 'draw 6 is more than the 5 questions of the bank'],
  ])('refuses %s on the post-test', (line, reason) => {
    edit('practice/post-test.quiz.yaml', 'draw: 3', line);
    expect(refused()).toEqual([{ file: join('tiny-course', 'practice', 'post-test.quiz.yaml'), line: lineOf('practice/post-test.quiz.yaml', /^draw:/), reason }]);
  });

  it('refuses a draw smaller than the number of anchors', () => {
    edit('practice/post-test.quiz.yaml', 'draw: 3', 'draw: 1');
    expect(refused()).toEqual([
      { file: join('tiny-course', 'practice', 'post-test.quiz.yaml'), line: lineOf('practice/post-test.quiz.yaml', /^draw:/), reason: 'draw 1 is less than the 2 anchor questions (anchors are always asked)' },
    ]);
  });

  it('refuses an anchor in a check quiz and a non-boolean anchor', () => {
    edit('basics/basics-check.quiz.yaml', '    multiple: true\n', '    multiple: true\n    anchor: true\n');
    edit('basics/pre-test.quiz.yaml', /anchor: true/, 'anchor: "yes"');
    expect(refused()).toEqual([
      { file: join('tiny-course', 'basics', 'basics-check.quiz.yaml'), line: lineOf('basics/basics-check.quiz.yaml', /- id: signs$/), reason: 'question signs: anchor: true is only for pre-test and post-test questions' },
      { file: join('tiny-course', 'basics', 'pre-test.quiz.yaml'), line: lineOf('basics/pre-test.quiz.yaml', /- id: q1$/), reason: 'question q1: anchor must be true or false' },
    ]);
  });

  it('refuses an anchor whose text or options differ between the pre-test and post-test, pointing at the pre-test question', () => {
    edit('practice/post-test.quiz.yaml', '{ en: "No, it is a clue", es: "No, es una pista" }', '{ en: "No, it is only a clue", es: "No, es una pista" }');
    expect(refused()).toEqual([
      {
        file: join('tiny-course', 'basics', 'pre-test.quiz.yaml'),
        line: lineOf('basics/pre-test.quiz.yaml', /- id: q2$/),
        reason: 'question q2: anchor: its text, options, option ids or correct flags differ from question q2 of the post-test (post-test); anchors are copied verbatim',
      },
    ]);
  });

  it('refuses an anchor missing from the other test, in either direction', () => {
    edit('practice/post-test.quiz.yaml', /  - id: q2\n    anchor: true\n/, '  - id: q2\n');
    edit('basics/pre-test.quiz.yaml', /  - id: q1\n    anchor: true\n/, '  - id: q1\n');
    expect(refused()).toEqual([
      { file: join('tiny-course', 'basics', 'pre-test.quiz.yaml'), line: lineOf('basics/pre-test.quiz.yaml', /- id: q2$/), reason: 'question q2: anchor, but question q2 of the post-test (post-test) is not marked anchor: true' },
      { file: join('tiny-course', 'practice', 'post-test.quiz.yaml'), line: lineOf('practice/post-test.quiz.yaml', /- id: q1$/), reason: 'question q1: anchor, but question q1 of the pre-test (pre-test) is not marked anchor: true' },
    ]);
    rmSync(file('practice/post-test.quiz.yaml'));
    expect(refused()).toEqual([
      { file: join('tiny-course', 'basics', 'pre-test.quiz.yaml'), line: lineOf('basics/pre-test.quiz.yaml', /- id: q2$/), reason: 'question q2: anchor, but the course has no post-test to share it with' },
    ]);
  });

  it("refuses a quiz the content check refuses, with the file, the pass mark's line and the strategy's score", () => {
    cpSync(join(FIXTURE, '..', '..', 'quizzes', 'tip-post-test-v1.quiz.yaml'), file('basics/old-tip.quiz.yaml'));
    edit('basics/old-tip.quiz.yaml', 'kind: post', 'kind: check');
    const errors = refused();
    expect(errors.every((e) => e.file === join('tiny-course', 'basics', 'old-tip.quiz.yaml') && e.line === 2)).toBe(true);
    expect(errors.map((e) => e.reason)).toContain('content check: always choosing the option at position 1 scores 75 %, reaching the pass mark 70 %');
  });

  it('reports every problem of a package at once', () => {
    edit('basics/basics-check.quiz.yaml', 'kind: check', 'kind: final');
    edit('basics/01-welcome.es.md', 'minutes: 5\n', '');
    const files = refused().map((p) => p.file);
    expect(files).toEqual(expect.arrayContaining([join('tiny-course', 'basics', 'basics-check.quiz.yaml'), join('tiny-course', 'basics', '01-welcome.es.md')]));
  });

  it('only warns when a lesson lacks its Spanish text, and still reads the package', () => {
    rmSync(file('basics/01-welcome.es.md'));
    const { pkg, problems } = readPackage(dir, root);
    expect(problems).toEqual([{ file: join('tiny-course', 'basics', '01-welcome.es.md'), reason: 'the es text is missing: readers will see the other language', warning: true }]);
    expect(pkg).toBeDefined();
    const welcome = pkg!.lessons.find((l) => l.slug === 'welcome')!;
    expect(welcome.title).toEqual({ en: 'Welcome', es: null });
    expect(welcome.markdown.es).toBeNull();
    expect(pkg!.lessons).toHaveLength(3);
  });
});
