import type { QuizDefinition } from './course-package';

/** Above this share of single-choice keys in one file position, a quiz is refused (formats.md §1). */
export const MAX_POSITION_SHARE = 0.4;
/** Below this many single-choice questions, no two keys may share a position. */
export const FEW_QUESTIONS = 5;

const ordinal = (p: number) => `position ${p + 1}`;
const pct = (n: number) => `${Math.round(n * 1000) / 10} %`;

/**
 * The import-time content check of formats.md §1: options are shuffled when shown, but a quiz whose
 * key is guessable from the file (one position too often), or whose pass mark a blind strategy
 * reaches (always position p; always the longest option, in en or in es), is refused. Strategies
 * score over the whole bank, rounded like real attempts; multiple-choice questions count as wrong
 * for them, and a tie for the longest option counts as right (the check takes the quiz's worst case).
 * Returns the reasons, empty when the quiz passes.
 */
export function quizCheckProblems(quiz: Pick<QuizDefinition, 'passMark' | 'questions'>): string[] {
  const problems: string[] = [];
  const total = quiz.questions.length;
  if (total === 0) return problems;
  const singles = quiz.questions.filter((q) => !q.multiple);
  const keyPositions = singles.map((q) => q.options.findIndex((o) => o.correct));
  const maxOptions = Math.max(0, ...quiz.questions.map((q) => q.options.length));
  const countAt = (p: number) => keyPositions.filter((k) => k === p).length;

  for (let p = 0; p < maxOptions; p++) {
    const n = countAt(p);
    if (singles.length < FEW_QUESTIONS) {
      if (n >= 2) problems.push(`the correct option is at ${ordinal(p)} in ${n} of the ${singles.length} single-choice questions: with fewer than ${FEW_QUESTIONS}, no two may share a position`);
    } else if (n / singles.length > MAX_POSITION_SHARE) {
      problems.push(`the correct option is at ${ordinal(p)} in ${n} of the ${singles.length} single-choice questions (${pct(n / singles.length)}), more than ${pct(MAX_POSITION_SHARE)}`);
    }
  }

  const score = (right: number) => Math.round((right / total) * 100);
  const reaches = (s: number) => s >= quiz.passMark;
  for (let p = 0; p < maxOptions; p++) {
    const s = score(countAt(p));
    if (reaches(s)) problems.push(`always choosing the option at ${ordinal(p)} scores ${s} %, reaching the pass mark ${quiz.passMark} %`);
  }
  for (const lang of ['en', 'es'] as const) {
    const right = singles.filter((q) => {
      const longest = Math.max(...q.options.map((o) => o.text[lang].length));
      return q.options.some((o) => o.correct && o.text[lang].length === longest);
    }).length;
    const s = score(right);
    if (reaches(s)) problems.push(`always choosing the longest option (${lang}) scores ${s} %, reaching the pass mark ${quiz.passMark} %`);
  }
  return problems;
}
