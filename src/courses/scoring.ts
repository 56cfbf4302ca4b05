import type { FieldMessage } from '../common/errors/app-errors';
import type { QuizQuestion } from './content/course-package';

export type Answers = Record<string, string[]>;

export interface Scored {
  score: number;
  correctCount: number;
  results: Record<string, boolean>;
}

/**
 * Checks the shape of submitted answers against the quiz: every key a question id (of the sitting's
 * drawn questions when `drawn` is given), every value a list of that question's option ids, one
 * option at most for single-choice questions. Unanswered questions are allowed (they score as
 * wrong). Returns field messages, empty when well-formed.
 */
export function answerProblems(
  questions: QuizQuestion[],
  answers: unknown,
  drawn?: readonly string[],
): Record<string, FieldMessage[]> {
  const problems: Record<string, FieldMessage[]> = {};
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) {
    return { answers: [{ key: 'answers-shape', params: {} }] };
  }
  const byId = new Map(questions.map((q) => [q.id, q]));
  const asked = drawn ? new Set(drawn) : null;
  for (const [questionId, chosen] of Object.entries(answers as Record<string, unknown>)) {
    const field = `answers.${questionId}`;
    const question = byId.get(questionId);
    if (!question) {
      problems[field] = [{ key: 'unknown-question', params: { id: questionId.slice(0, 40) } }];
      continue;
    }
    if (asked && !asked.has(questionId)) {
      problems[field] = [{ key: 'not-drawn', params: { id: questionId } }];
      continue;
    }
    if (!Array.isArray(chosen) || chosen.some((c) => typeof c !== 'string')) {
      problems[field] = [{ key: 'answers-list', params: {} }];
      continue;
    }
    const options = new Set(question.options.map((o) => o.id));
    if (chosen.some((c) => !options.has(c as string)))
      problems[field] = [{ key: 'unknown-option', params: {} }];
    else if (new Set(chosen).size !== chosen.length)
      problems[field] = [{ key: 'duplicate-option', params: {} }];
    else if (!question.multiple && chosen.length > 1)
      problems[field] = [{ key: 'single-choice', params: {} }];
  }
  return problems;
}

/**
 * Scores well-formed answers: a question counts when the chosen set equals the correct set exactly
 * (multiple choice needs every correct option and no other). Score 0–100, rounded.
 */
export function scoreAnswers(questions: QuizQuestion[], answers: Answers): Scored {
  const results: Record<string, boolean> = {};
  let correctCount = 0;
  for (const question of questions) {
    const chosen = new Set(answers[question.id] ?? []);
    const correct = question.options.filter((o) => o.correct).map((o) => o.id);
    const ok = chosen.size === correct.length && correct.every((id) => chosen.has(id));
    results[question.id] = ok;
    if (ok) correctCount++;
  }
  const score = questions.length === 0 ? 0 : Math.round((correctCount / questions.length) * 100);
  return { score, correctCount, results };
}
