import type { QuizKind, QuizOption, QuizQuestion } from './content/course-package';

/** What a learner may see of one attempt's questions, per quiz kind (DESIGN.md "Content packages"). */
export interface ReviewRule {
  /** Whether each question says right or wrong. */
  showCorrectness: boolean;
  /** Whether the correct options are marked. */
  showAnswers: boolean;
}

/**
 * Pre-tests show no answers (they are the baseline, and the post-test asks the same questions);
 * post-tests say right or wrong; check quizzes also show the correct options.
 */
export function reviewRule(kind: QuizKind): ReviewRule {
  return { showCorrectness: kind !== 'pre', showAnswers: kind === 'check' };
}

/** One reviewed question: its text and options as the attempt showed them, with what the rule allows. */
export interface ReviewedQuestion {
  number: number;
  question: QuizQuestion;
  /** Whether it was answered right; only when the rule shows correctness. */
  correct: boolean | undefined;
  options: { option: QuizOption; chosen: boolean; isAnswer: boolean }[];
}

/**
 * An attempt's review: the questions in the order that attempt showed them, with its option order,
 * or none at all when the rule shows no correctness (a pre-test).
 */
export function reviewAttempt(
  kind: QuizKind,
  shown: QuizQuestion[],
  attempt: { answers: Record<string, string[]>; results: Record<string, boolean> },
): { rule: ReviewRule; questions: ReviewedQuestion[] } {
  const rule = reviewRule(kind);
  if (!rule.showCorrectness) return { rule, questions: [] };
  return {
    rule,
    questions: shown.map((q, i) => ({
      number: i + 1,
      question: q,
      correct: attempt.results[q.id],
      options: q.options.map((o) => ({
        option: o,
        chosen: (attempt.answers[q.id] ?? []).includes(o.id),
        isAnswer: rule.showAnswers && o.correct,
      })),
    })),
  };
}
