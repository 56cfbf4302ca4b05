import type { Hash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { load, YAMLException } from 'js-yaml';
import type { CountryFactDeclaration, CountryFactDefaults, HandoutDefinition, Localised } from './course-package';

// Country facts (course.yaml countryFacts + country-facts.yaml) and handouts (assets/handouts/):
// formats.md §2 and §3. Kept apart from package-reader.ts so each reads one part of a package.

type Fail = (file: string, reason: string, line?: number) => void;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const FACT_KEY = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const HANDOUT_FILE = /^([a-z0-9]+(?:-[a-z0-9]+)*)\.(en|es)\.md$/;
const COUNTRY = /^[A-Z]{2}$/;
/** A fact's default text: short, as the admin's own text is. */
export const FACT_TEXT_MAX = 2000;
const SOURCE_MAX = 300;

/** The 1-based line of the first line matching `pattern` at or after line `from` (1-based). */
function lineFrom(text: string, pattern: RegExp, from = 1): number | undefined {
  const lines = text.split('\n');
  for (let i = from - 1; i < lines.length; i++) if (pattern.test(lines[i])) return i + 1;
  return undefined;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function bilingual(value: unknown): Localised | undefined {
  if (!isObj(value) || typeof value.en !== 'string' || typeof value.es !== 'string' || !value.en.trim() || !value.es.trim()) return undefined;
  return { en: value.en.trim(), es: value.es.trim() };
}

/** course.yaml `countryFacts`: a list of {key, title {en, es}, hint {en, es}}; undefined when any is invalid. */
export function readFactDeclarations(raw: unknown, text: string, file: string, fail: Fail): CountryFactDeclaration[] | undefined {
  if (raw === undefined || raw === null) return [];
  const listLine = lineFrom(text, /^countryFacts:/);
  if (!Array.isArray(raw)) {
    fail(file, 'countryFacts: must be a list of {key, title, hint}', listLine);
    return undefined;
  }
  let ok = true;
  const seen = new Set<string>();
  const facts: CountryFactDeclaration[] = [];
  raw.forEach((item: unknown, i: number) => {
    const key = isObj(item) && typeof item.key === 'string' ? item.key : undefined;
    const line = key ? (lineFrom(text, new RegExp(`^\\s*-?\\s*key:\\s*["']?${escapeRe(key)}["']?\\s*$`), listLine ?? 1) ?? listLine) : listLine;
    const bad = (reason: string) => {
      ok = false;
      fail(file, `countryFacts[${i}]: ${reason}`, line);
    };
    if (!isObj(item)) return bad('must be a mapping with key, title and hint');
    if (!key || !FACT_KEY.test(key) || key.length > 80) return bad('key must be lowercase words joined by hyphens (at most 80 characters)');
    if (seen.has(key)) bad(`key "${key}" is used twice`);
    seen.add(key);
    const title = bilingual(item.title);
    const hint = bilingual(item.hint);
    if (!title) bad(`fact "${key}": title needs non-empty en and es texts`);
    if (!hint) bad(`fact "${key}": hint needs non-empty en and es texts`);
    if (title && hint) facts.push({ key, title, hint });
  });
  return ok ? facts : undefined;
}

/**
 * content/<course>/country-facts.yaml (optional): `<ISO alpha-2>: { <declared key>: {en, es, source} }`.
 * Every file read is added to the package checksum, so defaults are versioned with the package.
 */
export function readFactDefaults(dir: string, declared: CountryFactDeclaration[], fail: Fail, hash: Hash): CountryFactDefaults {
  const file = join(dir, 'country-facts.yaml');
  if (!existsSync(file)) return {};
  const text = readFileSync(file, 'utf8');
  hash.update(`country-facts.yaml\0${text}\0`);
  let raw: unknown;
  try {
    raw = load(text, { filename: file });
  } catch (error) {
    const mark = (error as YAMLException & { mark?: { line: number } }).mark;
    fail(file, `YAML: ${(error as YAMLException & { reason?: string }).reason ?? (error as Error).message}`, mark ? mark.line + 1 : undefined);
    return {};
  }
  if (raw === undefined || raw === null) return {};
  if (!isObj(raw)) {
    fail(file, 'country-facts.yaml maps ISO country codes (SV, PA…) to facts');
    return {};
  }
  const keys = new Set(declared.map((f) => f.key));
  const defaults: CountryFactDefaults = {};
  for (const [country, facts] of Object.entries(raw)) {
    const countryLine = lineFrom(text, new RegExp(`^["']?${escapeRe(country)}["']?:`));
    if (!COUNTRY.test(country)) {
      fail(file, `"${country}" is not an ISO 3166-1 alpha-2 country code in capitals (SV, PA, DO, BZ, PR…)`, countryLine);
      continue;
    }
    if (!isObj(facts)) {
      fail(file, `${country}: must map fact keys to {en, es, source}`, countryLine);
      continue;
    }
    const own: Record<string, { en: string; es: string; source: string }> = {};
    for (const [key, value] of Object.entries(facts)) {
      const line = lineFrom(text, new RegExp(`^\\s+["']?${escapeRe(key)}["']?:`), countryLine ?? 1) ?? countryLine;
      const bad = (reason: string) => fail(file, `${country}.${key}: ${reason}`, line);
      if (!keys.has(key)) {
        bad(`"${key}" is not a fact declared in course.yaml countryFacts`);
        continue;
      }
      if (!isObj(value)) {
        bad('must be {en, es, source}');
        continue;
      }
      const texts = bilingual(value);
      if (!texts) {
        bad('needs non-empty en and es texts');
        continue;
      }
      if (texts.en.length > FACT_TEXT_MAX || texts.es.length > FACT_TEXT_MAX) {
        bad(`en and es are at most ${FACT_TEXT_MAX} characters`);
        continue;
      }
      if (typeof value.source !== 'string' || !value.source.trim() || value.source.trim().length > SOURCE_MAX) {
        bad(`source is required: which fact sheet supports this (at most ${SOURCE_MAX} characters)`);
        continue;
      }
      own[key] = { en: texts.en, es: texts.es, source: value.source.trim() };
    }
    if (Object.keys(own).length) defaults[country] = own;
  }
  return defaults;
}

/** assets/handouts/<slug>.<en|es>.md: front matter `title`, then a Markdown body. */
export function readHandouts(
  handoutDir: string,
  fail: Fail,
  warn: (file: string, reason: string) => void,
  hash: Hash,
): { handouts: HandoutDefinition[]; texts: Array<{ path: string; text: string }> } {
  const handouts = new Map<string, HandoutDefinition>();
  const texts: Array<{ path: string; text: string }> = [];
  for (const file of readdirSync(handoutDir).sort()) {
    const path = join(handoutDir, file);
    const match = HANDOUT_FILE.exec(file);
    if (statSync(path).isDirectory() || !match) {
      fail(path, 'handouts are <slug>.<en|es>.md files');
      continue;
    }
    const [, slug, lang] = match as unknown as [string, string, 'en' | 'es'];
    const text = readFileSync(path, 'utf8');
    hash.update(`assets/handouts/${file}\0${text}\0`);
    const front = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
    if (!front) {
      fail(path, 'a handout starts with front matter between --- lines (title)', 1);
      continue;
    }
    let meta: unknown;
    try {
      meta = load(front[1]);
    } catch (error) {
      const mark = (error as YAMLException & { mark?: { line: number } }).mark;
      fail(path, `YAML: ${(error as YAMLException & { reason?: string }).reason ?? (error as Error).message}`, mark ? mark.line + 2 : 2);
      continue;
    }
    if (!isObj(meta) || typeof meta.title !== 'string' || !meta.title.trim() || meta.title.trim().length > 200) {
      fail(path, 'front matter needs a title (at most 200 characters)', 2);
      continue;
    }
    // The page prints the title as its heading: a first line repeating it would show it twice.
    const body = withoutRepeatedTitle(front[2].trim(), meta.title.trim());
    if (!body) {
      fail(path, 'the handout has no text');
      continue;
    }
    const handout = handouts.get(slug) ?? { slug, title: { en: null, es: null }, markdown: { en: null, es: null } };
    handout.title[lang] = meta.title.trim();
    handout.markdown[lang] = body;
    handouts.set(slug, handout);
    texts.push({ path, text });
  }
  for (const handout of handouts.values()) {
    for (const lang of ['en', 'es'] as const) {
      if (handout.markdown[lang] === null) warn(join(handoutDir, `${handout.slug}.${lang}.md`), `the ${lang} text is missing: readers will see the other language`);
    }
  }
  return { handouts: [...handouts.values()], texts };
}

/** The body without a first `# <title>` line that only repeats the front-matter title. */
function withoutRepeatedTitle(body: string, title: string): string {
  const first = /^#\s+(.+?)\s*#*\s*(?:\r?\n|$)/.exec(body);
  return first && first[1].trim() === title ? body.slice(first[0].length).trim() : body;
}

const FACT_MARKER = /\{\{\s*country-fact\s*:([^}]*)\}\}/g;
const HANDOUT_LINK = /\]\(\s*handout:([^)\s]*)/g;

/**
 * Checks the country-fact markers and handout links of one lesson or handout file: every marker
 * names a declared fact and stands alone in its paragraph; every handout link names a shipped handout.
 */
export function checkLocalReferences(text: string, path: string, facts: Set<string>, handouts: Set<string>, fail: Fail): void {
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    for (const m of line.matchAll(FACT_MARKER)) {
      const key = m[1].trim();
      if (!FACT_KEY.test(key)) fail(path, `country-fact marker "${m[0]}": the key must be lowercase words joined by hyphens`, i + 1);
      else if (!facts.has(key)) fail(path, `country-fact marker names "${key}", which course.yaml countryFacts does not declare`, i + 1);
      else {
        const alone = line.trim() === `{{country-fact:${key}}}` && !lines[i - 1]?.trim() && !lines[i + 1]?.trim();
        if (!alone) fail(path, `the marker {{country-fact:${key}}} must be a paragraph of its own (blank lines around it)`, i + 1);
      }
    }
    for (const m of line.matchAll(HANDOUT_LINK)) {
      const slug = m[1];
      if (!handouts.has(slug)) fail(path, `link to handout "${slug}", which assets/handouts/ does not have`, i + 1);
    }
  });
}
