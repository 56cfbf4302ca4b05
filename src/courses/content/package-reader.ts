import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { load, YAMLException } from 'js-yaml';
import {
  CourseManifest,
  CoursePackage,
  LessonDefinition,
  Localised,
  ModuleManifest,
  PackageProblem,
  QUIZ_KINDS,
  QuizDefinition,
  QuizKind,
  QuizQuestion,
} from './course-package';
import { checkLocalReferences, readFactDeclarations, readFactDefaults, readHandouts } from './local-content-reader';
import { quizCheckProblems } from './quiz-check';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const LESSON_FILE = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.(en|es)\.md$/;
const QUIZ_FILE = /^([a-z0-9]+(?:-[a-z0-9]+)*)\.quiz\.yaml$/;
const ASSET_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*\.(png|jpe?g|gif|svg|webp)$/;
const ITEM_ID = /^[A-Za-z0-9_-]{1,40}$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads and validates one package directory. Never throws for bad content: every problem is
 * returned with its file, line where it can be found, and reason; a package with any error
 * (not warning) must be refused as a whole.
 */
export function readPackage(dir: string, root = join(dir, '..')): { pkg?: CoursePackage; problems: PackageProblem[] } {
  const problems: PackageProblem[] = [];
  const rel = (path: string) => relative(root, path);
  const fail = (file: string, reason: string, line?: number) => problems.push({ file: rel(file), reason, line });
  const hash = createHash('sha256');

  const manifestFile = join(dir, 'course.yaml');
  if (!existsSync(manifestFile)) {
    fail(manifestFile, 'course.yaml is missing');
    return { problems };
  }
  const manifestText = readFileSync(manifestFile, 'utf8');
  hash.update(`course.yaml\0${manifestText}\0`);
  const raw = parseYaml(manifestText, manifestFile, fail);
  if (raw === undefined) return { problems };
  const manifest = validateManifest(raw, manifestText, manifestFile, fail);
  if (!manifest) return { problems };
  const dirName = dir.split(/[\\/]/).filter(Boolean).pop();
  if (manifest.slug !== dirName) fail(manifestFile, `slug "${manifest.slug}" must equal the folder name "${dirName}"`, lineOf(manifestText, /^slug:/m));

  const lessons: LessonDefinition[] = [];
  const quizzes: QuizDefinition[] = [];
  const lessonSlugs = new Set<string>();
  const quizSlugs = new Set<string>();
  const quizTexts = new Map<string, string>();
  const moduleSlugs = new Set(manifest.modules.map((m) => m.slug));
  // Lesson texts whose fact markers and handout links are checked once the handouts are known.
  const referenceChecks: Array<{ path: string; text: string }> = [];

  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (!statSync(path).isDirectory() || entry === 'assets') continue;
    if (!moduleSlugs.has(entry)) fail(path, `folder "${entry}" is not a module listed in course.yaml`);
  }

  for (const mod of manifest.modules) {
    const moduleDir = join(dir, mod.slug);
    if (!existsSync(moduleDir) || !statSync(moduleDir).isDirectory()) {
      fail(manifestFile, `module "${mod.slug}" has no folder ${mod.slug}/`, lineOf(manifestText, new RegExp(`slug:\\s*["']?${mod.slug}["']?\\s*$`, 'm')));
      continue;
    }
    const byStem = new Map<string, { number: number; slug: string; files: Partial<Record<'en' | 'es', string>> }>();
    for (const file of readdirSync(moduleDir).sort()) {
      const path = join(moduleDir, file);
      if (statSync(path).isDirectory()) {
        fail(path, 'modules contain only lesson and quiz files');
        continue;
      }
      const text = readFileSync(path, 'utf8');
      hash.update(`${mod.slug}/${file}\0${text}\0`);
      const lessonMatch = LESSON_FILE.exec(file);
      const quizMatch = QUIZ_FILE.exec(file);
      if (lessonMatch) {
        const [, num, slug, lang] = lessonMatch;
        const stem = `${num}-${slug}`;
        const entry = byStem.get(stem) ?? { number: Number(num), slug, files: {} };
        entry.files[lang as 'en' | 'es'] = path;
        byStem.set(stem, entry);
      } else if (quizMatch) {
        const quiz = readQuiz(quizMatch[1], mod.slug, text, path, fail);
        if (quiz) {
          if (quizSlugs.has(quiz.slug)) fail(path, `quiz slug "${quiz.slug}" is used twice in the course`);
          quizSlugs.add(quiz.slug);
          quizzes.push(quiz);
          quizTexts.set(quiz.slug, text);
          for (const reason of quizCheckProblems(quiz)) fail(path, `content check: ${reason}`, lineOf(text, /^passMark:/m));
        }
      } else {
        fail(path, 'unexpected file: lessons are <nn>-<slug>.<en|es>.md and quizzes <slug>.quiz.yaml');
      }
    }
    for (const [stem, entry] of byStem) {
      if (lessonSlugs.has(entry.slug)) fail(join(moduleDir, stem), `lesson slug "${entry.slug}" is used twice in the course`);
      lessonSlugs.add(entry.slug);
      const lesson: LessonDefinition = { slug: entry.slug, moduleSlug: mod.slug, number: entry.number, minutes: 0, title: { en: null, es: null }, markdown: { en: null, es: null } };
      for (const lang of ['en', 'es'] as const) {
        const path = entry.files[lang];
        if (!path) {
          problems.push({ file: rel(join(moduleDir, `${stem}.${lang}.md`)), reason: `the ${lang} text is missing: readers will see the other language`, warning: true });
          continue;
        }
        const lessonText = readFileSync(path, 'utf8');
        const parsed = readLesson(lessonText, path, fail);
        if (!parsed) continue;
        referenceChecks.push({ path, text: lessonText });
        lesson.title[lang] = parsed.title;
        lesson.markdown[lang] = parsed.body;
        if (lesson.minutes && lesson.minutes !== parsed.minutes) problems.push({ file: rel(path), reason: 'minutes differ between the languages; the first is used', warning: true });
        lesson.minutes ||= parsed.minutes;
      }
      if (lesson.markdown.en !== null || lesson.markdown.es !== null) lessons.push(lesson);
    }
  }

  const assets: string[] = [];
  const assetDir = join(dir, 'assets');
  if (existsSync(assetDir)) {
    for (const file of readdirSync(assetDir).sort()) {
      if (file === 'handouts' && statSync(join(assetDir, file)).isDirectory()) continue;
      if (!ASSET_FILE.test(file)) fail(join(assetDir, file), 'assets are images (png, jpg, gif, svg, webp) with plain file names');
      else {
        assets.push(file);
        hash.update(`assets/${file}\0`).update(readFileSync(join(assetDir, file)));
      }
    }
  }

  const handoutDir = join(assetDir, 'handouts');
  const { handouts, texts: handoutTexts } = existsSync(handoutDir)
    ? readHandouts(handoutDir, fail, (file, reason) => problems.push({ file: rel(file), reason, warning: true }), hash)
    : { handouts: [], texts: [] };
  const factDefaults = readFactDefaults(dir, manifest.countryFacts, fail, hash);
  const factKeys = new Set(manifest.countryFacts.map((f) => f.key));
  const handoutSlugs = new Set(handouts.map((h) => h.slug));
  for (const { path, text } of [...referenceChecks, ...handoutTexts]) checkLocalReferences(text, path, factKeys, handoutSlugs, fail);
  const allText = [...referenceChecks, ...handoutTexts].map((r) => r.text).join('\n');
  for (const fact of manifest.countryFacts) {
    if (!allText.includes(`{{country-fact:${fact.key}}}`)) {
      problems.push({ file: rel(manifestFile), line: lineOf(manifestText, new RegExp(`key:\\s*["']?${fact.key}["']?\\s*$`, 'm')), reason: `country fact "${fact.key}" is declared but no lesson or handout shows it`, warning: true });
    }
  }

  if (lessons.length === 0) fail(manifestFile, 'the course has no lessons');
  const byKind = (kind: QuizKind) => quizzes.filter((q) => q.kind === kind);
  if (byKind('pre').length > 1) fail(manifestFile, 'a course has at most one pre-test');
  if (byKind('post').length > 1) fail(manifestFile, 'a course has at most one post-test');
  for (const post of byKind('post')) {
    if (post.passMark !== manifest.certification.postTestPassMark) {
      fail(join(dir, post.moduleSlug, `${post.slug}.quiz.yaml`), `passMark ${post.passMark} differs from the rule's postTestPassMark ${manifest.certification.postTestPassMark}`);
    }
  }

  // Comparing anchors when a quiz or a module could not be read would only repeat those errors.
  if (!problems.some((p) => !p.warning)) checkAnchors(byKind('pre')[0], byKind('post')[0], (quiz) => join(dir, quiz.moduleSlug, `${quiz.slug}.quiz.yaml`), quizTexts, fail);

  if (problems.some((p) => !p.warning)) return { problems };
  return { pkg: { manifest, lessons, quizzes, assets, factDefaults, handouts, checksum: hash.digest('hex') }, problems };
}

function parseYaml(text: string, file: string, fail: (f: string, r: string, l?: number) => void): unknown {
  try {
    return load(text, { filename: file });
  } catch (error) {
    if (error instanceof YAMLException) {
      fail(file, `YAML: ${(error as YAMLException & { reason?: string }).reason ?? error.message}`, ((error as YAMLException & { mark?: { line: number } }).mark?.line ?? 0) + 1);
    } else fail(file, `YAML: ${(error as Error).message}`);
    return undefined;
  }
}

/** The 1-based line of the first (or, with a global pattern, the `nth`) match. */
function lineOf(text: string, pattern: RegExp, nth = 1): number | undefined {
  let match: RegExpExecArray | null = null;
  for (let i = 0; i < nth; i++) {
    match = pattern.exec(text);
    if (!match || !pattern.global) break;
  }
  if (!match) return undefined;
  return text.slice(0, match.index).split('\n').length;
}

function localised(value: unknown, required: boolean): Localised | null | 'invalid' {
  if (value === undefined || value === null) return required ? 'invalid' : null;
  if (!isObj(value)) return 'invalid';
  const { en, es } = value;
  if (typeof en !== 'string' || typeof es !== 'string' || !en.trim() || !es.trim()) return 'invalid';
  return { en: en.trim(), es: es.trim() };
}

function validateManifest(raw: unknown, text: string, file: string, fail: (f: string, r: string, l?: number) => void): CourseManifest | undefined {
  if (!isObj(raw)) {
    fail(file, 'course.yaml must be a mapping of fields');
    return undefined;
  }
  const at = (key: string) => lineOf(text, new RegExp(`^\\s*${key}:`, 'm'));
  const errorsBefore = { n: 0 };
  const bad = (key: string, reason: string) => {
    errorsBefore.n++;
    fail(file, `${key}: ${reason}`, at(key.split('.').pop() as string));
  };
  if (typeof raw.slug !== 'string' || !SLUG.test(raw.slug)) bad('slug', 'must be lowercase words joined by hyphens');
  if (!Number.isInteger(raw.version) || (raw.version as number) < 1) bad('version', 'must be a whole number ≥ 1');
  const title = localised(raw.title, true);
  if (title === 'invalid') bad('title', 'needs non-empty en and es texts');
  const summary = localised(raw.summary, true);
  if (summary === 'invalid') bad('summary', 'needs non-empty en and es texts');
  const audience = localised(raw.audience, false);
  if (audience === 'invalid') bad('audience', 'needs non-empty en and es texts');
  const hours = raw.estimatedHours;
  if (typeof hours !== 'number' || !(hours > 0) || hours > 500) bad('estimatedHours', 'must be a number of hours between 0 and 500');
  const rule = raw.certification;
  let certification: CourseManifest['certification'] | undefined;
  if (!isObj(rule)) bad('certification', 'is required (lessonsComplete, postTestPassMark, attendancePercent, practicumRequired, validityMonths)');
  else {
    const pct = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 100;
    if (typeof rule.lessonsComplete !== 'boolean') bad('certification.lessonsComplete', 'must be true or false');
    if (!pct(rule.postTestPassMark)) bad('certification.postTestPassMark', 'must be a whole percent 0–100');
    if (!pct(rule.attendancePercent)) bad('certification.attendancePercent', 'must be a whole percent 0–100');
    if (typeof rule.practicumRequired !== 'boolean') bad('certification.practicumRequired', 'must be true or false');
    if (!Number.isInteger(rule.validityMonths) || (rule.validityMonths as number) < 1 || (rule.validityMonths as number) > 120) {
      bad('certification.validityMonths', 'must be a whole number of months, 1–120');
    }
    certification = rule as unknown as CourseManifest['certification'];
  }
  const modules: ModuleManifest[] = [];
  if (!Array.isArray(raw.modules) || raw.modules.length === 0) bad('modules', 'must list at least one module');
  else {
    const seen = new Set<string>();
    const orders = new Set<number>();
    raw.modules.forEach((m: unknown, i: number) => {
      const where = `modules[${i}]`;
      if (!isObj(m)) return bad(where, 'must be a mapping');
      const line = typeof m.slug === 'string' ? lineOf(text, new RegExp(`slug:\\s*["']?${m.slug.replace(/[^a-z0-9-]/g, '')}["']?\\s*$`, 'm')) : undefined;
      const modBad = (reason: string) => {
        errorsBefore.n++;
        fail(file, `${where}: ${reason}`, line);
      };
      if (typeof m.slug !== 'string' || !SLUG.test(m.slug)) return modBad('slug must be lowercase words joined by hyphens');
      if (m.slug === 'assets') return modBad('"assets" is reserved');
      if (seen.has(m.slug)) modBad(`slug "${m.slug}" is used twice`);
      seen.add(m.slug);
      if (!Number.isInteger(m.order)) modBad('order must be a whole number');
      else if (orders.has(m.order as number)) modBad(`order ${m.order} is used twice`);
      orders.add(m.order as number);
      if (typeof m.deliverable !== 'boolean') modBad('deliverable must be true or false');
      const mTitle = localised(m.title, true);
      if (mTitle === 'invalid') modBad('title needs non-empty en and es texts');
      const mSummary = localised(m.summary, false);
      if (mSummary === 'invalid') modBad('summary needs non-empty en and es texts');
      if (mTitle !== 'invalid' && mTitle && mSummary !== 'invalid') {
        modules.push({ slug: m.slug, order: m.order as number, deliverable: m.deliverable === true, title: mTitle, summary: mSummary });
      }
    });
  }
  const countryFacts = readFactDeclarations(raw.countryFacts, text, file, fail);
  if (errorsBefore.n > 0 || !countryFacts || !certification || title === 'invalid' || !title || summary === 'invalid' || !summary || audience === 'invalid') return undefined;
  return {
    slug: raw.slug as string,
    version: raw.version as number,
    title,
    summary,
    audience,
    estimatedHours: hours as number,
    certification: {
      lessonsComplete: certification.lessonsComplete,
      postTestPassMark: certification.postTestPassMark,
      attendancePercent: certification.attendancePercent,
      practicumRequired: certification.practicumRequired,
      validityMonths: certification.validityMonths,
    },
    modules: modules.sort((a, b) => a.order - b.order),
    countryFacts,
  };
}

function readLesson(text: string, file: string, fail: (f: string, r: string, l?: number) => void) {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!match) {
    fail(file, 'a lesson starts with front matter between --- lines (title, minutes)', 1);
    return undefined;
  }
  const front = parseYaml(match[1], file, (f, r, l) => fail(f, r, l === undefined ? undefined : l + 1));
  if (front === undefined) return undefined;
  if (!isObj(front) || typeof front.title !== 'string' || !front.title.trim()) {
    fail(file, 'front matter needs a title', 2);
    return undefined;
  }
  if (!Number.isInteger(front.minutes) || (front.minutes as number) < 1 || (front.minutes as number) > 600) {
    fail(file, 'front matter needs minutes: a whole number from 1 to 600', lineOf(text, /^minutes:/m) ?? 2);
    return undefined;
  }
  const body = match[2].trim();
  if (!body) {
    fail(file, 'the lesson has no text');
    return undefined;
  }
  return { title: front.title.trim(), minutes: front.minutes as number, body };
}

function readQuiz(slug: string, moduleSlug: string, text: string, file: string, fail: (f: string, r: string, l?: number) => void): QuizDefinition | undefined {
  const raw = parseYaml(text, file, fail);
  if (raw === undefined) return undefined;
  if (!isObj(raw)) {
    fail(file, 'a quiz must be a mapping of fields');
    return undefined;
  }
  let ok = true;
  const bad = (reason: string, line?: number) => {
    ok = false;
    fail(file, reason, line);
  };
  const kind = raw.kind as QuizKind;
  if (!QUIZ_KINDS.includes(kind)) bad('kind must be pre, post or check', lineOf(text, /^kind:/m));
  if (!Number.isInteger(raw.passMark) || (raw.passMark as number) < 0 || (raw.passMark as number) > 100) bad('passMark must be a whole percent 0–100', lineOf(text, /^passMark:/m));
  let maxAttempts: number | null = null;
  if (raw.maxAttempts !== undefined) {
    if (!Number.isInteger(raw.maxAttempts) || (raw.maxAttempts as number) < 1 || (raw.maxAttempts as number) > 20) bad('maxAttempts must be a whole number from 1 to 20', lineOf(text, /^maxAttempts:/m));
    else maxAttempts = raw.maxAttempts as number;
  }
  if (kind === 'pre') {
    if (maxAttempts !== null && maxAttempts !== 1) bad('a pre-test takes exactly one attempt (maxAttempts: 1)', lineOf(text, /^maxAttempts:/m));
    maxAttempts = 1;
  }
  let draw: number | null = null;
  if (raw.draw !== undefined) {
    if (!Number.isInteger(raw.draw) || (raw.draw as number) < 1) bad('draw must be a whole number of questions, at least 1', lineOf(text, /^draw:/m));
    else draw = raw.draw as number;
  }
  const questions: QuizQuestion[] = [];
  if (!Array.isArray(raw.questions) || raw.questions.length === 0) bad('questions must list at least one question', lineOf(text, /^questions:/m));
  else {
    const ids = new Set<string>();
    const occurrences = new Map<string, number>();
    raw.questions.forEach((q: unknown, i: number) => {
      const id = isObj(q) && typeof q.id === 'string' ? q.id : undefined;
      // The line of this question: the n-th "- id: <id>" when the id occurs more than once.
      if (id) occurrences.set(id, (occurrences.get(id) ?? 0) + 1);
      const line = id ? lineOf(text, new RegExp(`-\\s*id:\\s*["']?${id.replace(/[^A-Za-z0-9_-]/g, '')}["']?\\s*$`, 'gm'), occurrences.get(id)) : undefined;
      const where = `question ${id ?? `#${i + 1}`}`;
      if (!isObj(q)) return bad(`${where}: must be a mapping`);
      if (!id || !ITEM_ID.test(id)) return bad(`${where}: id must be letters, digits, - or _`, line);
      if (ids.has(id)) bad(`${where}: id is used twice`, line);
      ids.add(id);
      const qText = localised(q.text, true);
      if (qText === 'invalid' || !qText) bad(`${where}: text needs non-empty en and es`, line);
      if (q.multiple !== undefined && typeof q.multiple !== 'boolean') bad(`${where}: multiple must be true or false`, line);
      const multiple = q.multiple === true;
      if (q.anchor !== undefined && typeof q.anchor !== 'boolean') bad(`${where}: anchor must be true or false`, line);
      const anchor = q.anchor === true;
      if (anchor && kind !== 'pre' && kind !== 'post') bad(`${where}: anchor: true is only for pre-test and post-test questions`, line);
      if (!Array.isArray(q.options) || q.options.length < 2) return bad(`${where}: needs at least two options`, line);
      const optionIds = new Set<string>();
      const options = [];
      for (const o of q.options as unknown[]) {
        if (!isObj(o) || typeof o.id !== 'string' || !ITEM_ID.test(o.id)) {
          bad(`${where}: every option needs an id of letters, digits, - or _`, line);
          continue;
        }
        if (optionIds.has(o.id)) bad(`${where}: option id "${o.id}" is used twice`, line);
        optionIds.add(o.id);
        const oText = localised(o.text, true);
        if (oText === 'invalid' || !oText) bad(`${where}: option ${o.id} needs non-empty en and es texts`, line);
        if (o.correct !== undefined && typeof o.correct !== 'boolean') bad(`${where}: option ${o.id} correct must be true or false`, line);
        if (oText && oText !== 'invalid') options.push({ id: o.id, text: oText, correct: o.correct === true });
      }
      const correct = options.filter((o) => o.correct).length;
      if (correct === 0) bad(`${where}: no option is marked correct: true`, line);
      if (!multiple && correct > 1) bad(`${where}: single-choice question with ${correct} correct options (set multiple: true)`, line);
      if (multiple && correct < 2) bad(`${where}: multiple: true needs at least two correct options`, line);
      if (qText && qText !== 'invalid') questions.push({ id, multiple, anchor, text: qText, options });
    });
  }
  if (draw !== null && ok) {
    const anchors = questions.filter((q) => q.anchor).length;
    if (draw > questions.length) bad(`draw ${draw} is more than the ${questions.length} questions of the bank`, lineOf(text, /^draw:/m));
    else if (draw < anchors) bad(`draw ${draw} is less than the ${anchors} anchor questions (anchors are always asked)`, lineOf(text, /^draw:/m));
  }
  if (!ok) return undefined;
  return { slug, moduleSlug, kind, passMark: raw.passMark as number, maxAttempts, draw, questions };
}

/**
 * Anchors are the items the pre-test and post-test share (formats.md §1): each anchor of one must be
 * in the other with the same id, text, options (ids, texts, correct flags, order) and `multiple`.
 */
function checkAnchors(
  pre: QuizDefinition | undefined,
  post: QuizDefinition | undefined,
  fileOf: (quiz: QuizDefinition) => string,
  texts: Map<string, string>,
  fail: (f: string, r: string, l?: number) => void,
): void {
  const lineOfQuestion = (quiz: QuizDefinition, id: string) => lineOf(texts.get(quiz.slug) ?? '', new RegExp(`-\\s*id:\\s*["']?${id.replace(/[^A-Za-z0-9_-]/g, '')}["']?\\s*$`, 'm'));
  const same = (a: QuizQuestion, b: QuizQuestion) =>
    a.multiple === b.multiple &&
    a.text.en === b.text.en &&
    a.text.es === b.text.es &&
    a.options.length === b.options.length &&
    a.options.every((o, i) => o.id === b.options[i].id && o.correct === b.options[i].correct && o.text.en === b.options[i].text.en && o.text.es === b.options[i].text.es);
  for (const [from, to, toName] of [[pre, post, 'post-test'], [post, pre, 'pre-test']] as const) {
    if (!from) continue;
    for (const q of from.questions.filter((x) => x.anchor)) {
      const twin = to?.questions.find((x) => x.id === q.id);
      const where = `question ${q.id}: anchor`;
      if (!to) fail(fileOf(from), `${where}, but the course has no ${toName} to share it with`, lineOfQuestion(from, q.id));
      else if (!twin) fail(fileOf(from), `${where}, but the ${toName} (${to.slug}) has no question ${q.id}`, lineOfQuestion(from, q.id));
      else if (!twin.anchor) fail(fileOf(from), `${where}, but question ${q.id} of the ${toName} (${to.slug}) is not marked anchor: true`, lineOfQuestion(from, q.id));
      // A differing pair is reported once, from the pre-test's side.
      else if (from === pre && !same(q, twin)) fail(fileOf(from), `${where}: its text, options, option ids or correct flags differ from question ${q.id} of the ${toName} (${to.slug}); anchors are copied verbatim`, lineOfQuestion(from, q.id));
    }
  }
}
