/** The shape of a validated content package (DESIGN.md "Content packages"). */
export type QuizKind = 'pre' | 'post' | 'check';
export const QUIZ_KINDS: QuizKind[] = ['pre', 'post', 'check'];

export interface Localised {
  en: string;
  es: string;
}

export interface CertificationRule {
  lessonsComplete: boolean;
  postTestPassMark: number;
  attendancePercent: number;
  practicumRequired: boolean;
  validityMonths: number;
}

export interface ModuleManifest {
  slug: string;
  order: number;
  deliverable: boolean;
  title: Localised;
  summary: Localised | null;
}

export interface CourseManifest {
  slug: string;
  version: number;
  title: Localised;
  summary: Localised;
  audience: Localised | null;
  estimatedHours: number;
  certification: CertificationRule;
  modules: ModuleManifest[];
  /** The places where national law, institutions or duties go (formats.md §2); [] when none. */
  countryFacts: CountryFactDeclaration[];
}

export interface CountryFactDeclaration {
  key: string;
  title: Localised;
  hint: Localised;
}

/** A sourced package default of one fact for one country (content/<course>/country-facts.yaml). */
export interface CountryFactDefault {
  en: string;
  es: string;
  source: string;
}

/** Defaults by ISO country code, then fact key. */
export type CountryFactDefaults = Record<string, Record<string, CountryFactDefault>>;

/** A printable handout (assets/handouts/<slug>.<en|es>.md, formats.md §3). */
export interface HandoutDefinition {
  slug: string;
  title: { en: string | null; es: string | null };
  markdown: { en: string | null; es: string | null };
}

export interface QuizOption {
  id: string;
  text: Localised;
  correct: boolean;
}

export interface QuizQuestion {
  id: string;
  multiple: boolean;
  /** Shared with the course's other pre/post test (same id, text and options): per-question knowledge gain. Absent in versions imported before anchors existed. */
  anchor?: boolean;
  text: Localised;
  options: QuizOption[];
}

export interface QuizDefinition {
  slug: string;
  moduleSlug: string;
  kind: QuizKind;
  passMark: number;
  maxAttempts: number | null;
  /** Questions asked per attempt, drawn from the bank (anchors always); null = all. */
  draw: number | null;
  questions: QuizQuestion[];
}

export interface LessonDefinition {
  slug: string;
  moduleSlug: string;
  /** The file-name number (`01-…`): orders lessons within their module. */
  number: number;
  minutes: number;
  title: { en: string | null; es: string | null };
  markdown: { en: string | null; es: string | null };
}

export interface CoursePackage {
  manifest: CourseManifest;
  lessons: LessonDefinition[];
  quizzes: QuizDefinition[];
  checksum: string;
  assets: string[];
  factDefaults: CountryFactDefaults;
  handouts: HandoutDefinition[];
}

/** One reason a package is refused (or a warning), with the file and, where known, the line. */
export interface PackageProblem {
  file: string;
  line?: number;
  reason: string;
  warning?: boolean;
}
