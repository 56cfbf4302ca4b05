import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PackageProblem } from './course-package';
import { factMarker, renderFactText, renderLesson } from './markdown';
import { readPackage } from './package-reader';

const FIXTURE = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'content', 'tiny-course');

describe('country facts and handouts in a content package', () => {
  let root: string;
  let dir: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'cascada-local-'));
    dir = join(root, 'tiny-course');
    cpSync(FIXTURE, dir, { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const file = (path: string) => join(dir, path);
  const read = (path: string) => readFileSync(file(path), 'utf8');
  const write = (path: string, text: string) => writeFileSync(file(path), text);
  const edit = (path: string, from: string | RegExp, to: string) => {
    const after = read(path).replace(from, to);
    if (after === read(path)) throw new Error(`the fixture ${path} no longer contains ${String(from)}`);
    write(path, after);
  };
  const lineOf = (path: string, pattern: RegExp) => read(path).split('\n').findIndex((l) => pattern.test(l)) + 1;
  function errors(): PackageProblem[] {
    const { pkg, problems } = readPackage(dir, root);
    expect(pkg).toBeUndefined();
    return problems.filter((p) => !p.warning);
  }

  it('reads the declared facts, the sourced defaults and the handouts of the fixture', () => {
    const { pkg, problems } = readPackage(dir, root);
    expect(problems).toEqual([]);
    expect(pkg!.manifest.countryFacts.map((f) => f.key)).toEqual(['national-law', 'reporting-duty']);
    expect(pkg!.manifest.countryFacts[0].title).toEqual({ en: 'National law on child protection', es: 'Ley nacional de protección de la niñez' });
    expect(pkg!.factDefaults).toEqual({ PA: { 'national-law': expect.objectContaining({ source: 'fixture-sources.md [F1] confirmed' }) } });
    expect(pkg!.handouts).toEqual([{ slug: 'glossary', title: { en: 'Glossary', es: 'Glosario' }, markdown: { en: expect.stringContaining('| Cascade |'), es: expect.stringContaining('| Cascada |') } }]);
  });

  it('drops a first heading that only repeats the handout title (the page prints the title)', () => {
    edit('assets/handouts/glossary.en.md', '## Words used in this course', '# Glossary\n\n## Words used in this course');
    edit('assets/handouts/glossary.es.md', /^---\ntitle: Glosario\n---\n/, '---\ntitle: Glosario\n---\n\n# Glosario de otro curso\n');
    const { markdown } = readPackage(dir, root).pkg!.handouts[0];
    expect(markdown.en!.startsWith('## Words used in this course')).toBe(true);
    expect(markdown.es!.startsWith('# Glosario de otro curso')).toBe(true); // a different heading stays
  });

  it('puts the package defaults and the handouts into the checksum', () => {
    const first = readPackage(dir, root).pkg!.checksum;
    edit('country-facts.yaml', 'Law 1 of 2000', 'Law 2 of 2001');
    const second = readPackage(dir, root).pkg!.checksum;
    expect(second).not.toBe(first);
    edit('assets/handouts/glossary.en.md', 'Trainers passing on', 'Trainers handing on');
    expect(readPackage(dir, root).pkg!.checksum).not.toBe(second);
  });

  it('refuses a marker with an undeclared key, with the lesson file and line', () => {
    edit('practice/01-first-session.en.md', '{{country-fact:national-law}}', '{{country-fact:national-laws}}');
    expect(errors()).toEqual([
      { file: join('tiny-course', 'practice', '01-first-session.en.md'), line: lineOf('practice/01-first-session.en.md', /national-laws/), reason: expect.stringContaining('"national-laws", which course.yaml countryFacts does not declare') },
    ]);
  });

  it('refuses a marker that is not a paragraph of its own, and a malformed key', () => {
    edit('practice/01-first-session.en.md', '\n\n{{country-fact:national-law}}', '\nSee {{country-fact:national-law}}');
    edit('assets/handouts/glossary.es.md', '{{country-fact:reporting-duty}}', '{{country-fact:Reporting Duty}}');
    const found = errors();
    expect(found).toEqual([
      expect.objectContaining({ file: join('tiny-course', 'practice', '01-first-session.en.md'), line: lineOf('practice/01-first-session.en.md', /See \{\{/), reason: expect.stringContaining('must be a paragraph of its own') }),
      expect.objectContaining({ file: join('tiny-course', 'assets', 'handouts', 'glossary.es.md'), line: lineOf('assets/handouts/glossary.es.md', /Reporting Duty/), reason: expect.stringContaining('lowercase words') }),
    ]);
  });

  it('refuses a link to a handout the package does not ship, with file and line', () => {
    edit('practice/01-first-session.es.md', '(handout:glossary)', '(handout:glosario)');
    expect(errors()).toEqual([
      { file: join('tiny-course', 'practice', '01-first-session.es.md'), line: lineOf('practice/01-first-session.es.md', /handout:glosario/), reason: 'link to handout "glosario", which assets/handouts/ does not have' },
    ]);
  });

  it('refuses bad declarations in course.yaml: duplicate key, bad slug, missing es hint', () => {
    edit('course.yaml', '  - key: reporting-duty', '  - key: national-law');
    edit('course.yaml', 'hint: { en: "Name, number and year of the law; what it requires of schools.", es: "Nombre, número y año de la ley; qué exige a las escuelas." }', 'hint: { en: "Name of the law." }');
    const found = errors();
    expect(found.map((p) => p.reason)).toEqual(expect.arrayContaining([expect.stringContaining('key "national-law" is used twice'), expect.stringContaining('hint needs non-empty en and es texts')]));
    expect(found.every((p) => p.file === join('tiny-course', 'course.yaml') && typeof p.line === 'number')).toBe(true);
  });

  it('refuses defaults for an unknown country code, an undeclared fact, a missing language or source', () => {
    write(
      'country-facts.yaml',
      ['Panama:', '  national-law: { en: "x", es: "y", source: "s" }', 'SV:', '  national-lw: { en: "x", es: "y", source: "s" }', 'DO:', '  national-law: { en: "x", es: "", source: "s" }', 'BZ:', '  national-law: { en: "x", es: "y" }', ''].join('\n'),
    );
    const where = (p: PackageProblem) => `${p.line} ${p.reason.split(':')[0]}`;
    expect(errors().map(where)).toEqual(['1 "Panama" is not an ISO 3166-1 alpha-2 country code in capitals (SV, PA, DO, BZ, PR…)', '4 SV.national-lw', '6 DO.national-law', '8 BZ.national-law']);
  });

  it('accepts handouts next to images in assets/, warns when a language is missing, refuses other files there', () => {
    writeFileSync(file('assets/dot.png'), Buffer.from('89504e47', 'hex'));
    unlinkSync(file('assets/handouts/glossary.es.md'));
    const { pkg, problems } = readPackage(dir, root);
    expect(pkg!.assets).toEqual(['dot.png']);
    expect(problems).toEqual([{ file: join('tiny-course', 'assets', 'handouts', 'glossary.es.md'), reason: 'the es text is missing: readers will see the other language', warning: true }]);
    mkdirSync(file('assets/handouts/extra'));
    write('assets/handouts/Notes.txt', 'x');
    expect(errors().map((p) => p.file).sort()).toEqual([join('tiny-course', 'assets', 'handouts', 'Notes.txt'), join('tiny-course', 'assets', 'handouts', 'extra')]);
  });

  it('warns, with the course.yaml line, about a declared fact that no lesson or handout shows', () => {
    edit('assets/handouts/glossary.en.md', '{{country-fact:reporting-duty}}', 'No box here.');
    edit('assets/handouts/glossary.es.md', '{{country-fact:reporting-duty}}', 'Sin recuadro.');
    const { pkg, problems } = readPackage(dir, root);
    expect(pkg).toBeDefined();
    expect(problems).toEqual([{ file: join('tiny-course', 'course.yaml'), line: lineOf('course.yaml', /key: reporting-duty/), reason: 'country fact "reporting-duty" is declared but no lesson or handout shows it', warning: true }]);
  });

  it('refuses a handout without a title', () => {
    edit('assets/handouts/glossary.en.md', 'title: Glossary', 'heading: Glossary');
    expect(errors()).toEqual([{ file: join('tiny-course', 'assets', 'handouts', 'glossary.en.md'), line: 2, reason: 'front matter needs a title (at most 200 characters)' }]);
  });
});

describe('rendering markers, handout links and fact texts', () => {
  it('turns a fact marker paragraph into a marker and a handout link into the handout address', () => {
    const html = renderLesson('Before\n\n{{country-fact:tip-national-law}}\n\n[Checklist](handout:red-flag-checklist)', 'school-tip');
    expect(html).toContain(factMarker('tip-national-law'));
    expect(html).not.toContain('{{country-fact');
    expect(html).toContain('href="/courses/school-tip/handouts/red-flag-checklist"');
  });

  it('shows HTML typed in a fact as text and keeps simple Markdown', () => {
    const html = renderFactText('**Law 1** of 2000 <script>alert(1)</script> <b onclick="x()">Ana</b>\n\n- one\n\n[x](javascript:alert(1))');
    expect(html).toContain('<strong>Law 1</strong>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;b onclick="x()"&gt;Ana&lt;/b&gt;');
    expect(html).not.toMatch(/<script|<b |javascript:/);
    expect(html).toContain('<li>one</li>');
  });
});
