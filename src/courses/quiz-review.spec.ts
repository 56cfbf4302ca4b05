import type { QuizQuestion } from './content/course-package';
import { reviewAttempt, reviewRule } from './quiz-review';

const question = (id: string, correct: string): QuizQuestion => ({
  id,
  multiple: false,
  text: { en: `Q ${id}`, es: `P ${id}` },
  options: ['a', 'b'].map((o) => ({ id: o, text: { en: o, es: o }, correct: o === correct })),
});

const shown = [question('q2', 'b'), question('q1', 'a')];
const attempt = { answers: { q1: ['a'], q2: ['a'] }, results: { q1: true, q2: false } };

describe('quiz review rule', () => {
  it('shows a pre-test attempt nothing: no questions, no right or wrong, no answers', () => {
    expect(reviewRule('pre')).toEqual({ showCorrectness: false, showAnswers: false });
    expect(reviewAttempt('pre', shown, attempt).questions).toEqual([]);
  });

  it('says right or wrong on a post-test, without marking the correct options', () => {
    const review = reviewAttempt('post', shown, attempt);
    expect(review.rule).toEqual({ showCorrectness: true, showAnswers: false });
    expect(review.questions.map((q) => [q.number, q.question.id, q.correct])).toEqual([
      [1, 'q2', false],
      [2, 'q1', true],
    ]);
    expect(review.questions.flatMap((q) => q.options).some((o) => o.isAnswer)).toBe(false);
  });

  it('marks the correct options and what was chosen on a check quiz, in the order shown', () => {
    const [first] = reviewAttempt('check', shown, attempt).questions;
    expect(first.options.map((o) => [o.option.id, o.chosen, o.isAnswer])).toEqual([
      ['a', true, false],
      ['b', false, true],
    ]);
  });

  it('treats a question the attempt left unanswered as nothing chosen', () => {
    const [first] = reviewAttempt('check', shown, { answers: {}, results: {} }).questions;
    expect(first.correct).toBeUndefined();
    expect(first.options.every((o) => !o.chosen)).toBe(true);
  });
});
