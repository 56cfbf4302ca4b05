import type { QuizQuestion } from './content/course-package';
import { answerProblems, scoreAnswers } from './scoring';

const text = { en: 'x', es: 'x' };
const questions: QuizQuestion[] = [
  {
    id: 'q1',
    multiple: false,
    text,
    options: [
      { id: 'a', text, correct: true },
      { id: 'b', text, correct: false },
    ],
  },
  {
    id: 'q2',
    multiple: true,
    text,
    options: [
      { id: 'a', text, correct: true },
      { id: 'b', text, correct: true },
      { id: 'c', text, correct: false },
    ],
  },
  {
    id: 'q3',
    multiple: false,
    text,
    options: [
      { id: 'a', text, correct: false },
      { id: 'b', text, correct: true },
    ],
  },
];

describe('quiz scoring', () => {
  it('gives 100 for all correct answers', () => {
    expect(scoreAnswers(questions, { q1: ['a'], q2: ['a', 'b'], q3: ['b'] })).toMatchObject({
      score: 100,
      correctCount: 3,
    });
  });

  it('needs the exact set for multiple choice: missing or extra options are wrong', () => {
    expect(scoreAnswers(questions, { q1: ['a'], q2: ['a'], q3: ['b'] }).results.q2).toBe(false);
    expect(scoreAnswers(questions, { q1: ['a'], q2: ['a', 'b', 'c'], q3: ['b'] }).results.q2).toBe(false);
    expect(scoreAnswers(questions, { q2: ['b', 'a'] }).results.q2).toBe(true);
  });

  it('counts unanswered questions as wrong and rounds the percentage', () => {
    expect(scoreAnswers(questions, { q1: ['a'] })).toMatchObject({ score: 33, correctCount: 1 });
    expect(scoreAnswers(questions, { q1: ['a'], q3: ['b'] }).score).toBe(67);
    expect(scoreAnswers(questions, {}).score).toBe(0);
  });
});

describe('answer validation', () => {
  it('accepts well-formed answers, including unanswered questions', () => {
    expect(answerProblems(questions, { q1: ['a'] })).toEqual({});
    expect(answerProblems(questions, {})).toEqual({});
  });

  it('refuses unknown questions and options, non-lists, duplicates and several options for single choice', () => {
    expect(Object.keys(answerProblems(questions, { q9: ['a'] }))).toEqual(['answers.q9']);
    expect(answerProblems(questions, { q1: ['z'] })['answers.q1'][0].key).toBe('unknown-option');
    expect(answerProblems(questions, { q1: 'a' })['answers.q1'][0].key).toBe('answers-list');
    expect(answerProblems(questions, { q2: ['a', 'a'] })['answers.q2'][0].key).toBe('duplicate-option');
    expect(answerProblems(questions, { q1: ['a', 'b'] })['answers.q1'][0].key).toBe('single-choice');
    expect(answerProblems(questions, ['q1'])).toEqual({ answers: [{ key: 'answers-shape', params: {} }] });
  });

  it('refuses answers to bank questions the sitting did not draw, and scores only the drawn ones', () => {
    expect(answerProblems(questions, { q1: ['a'], q3: ['b'] }, ['q1', 'q2'])).toEqual({
      'answers.q3': [{ key: 'not-drawn', params: { id: 'q3' } }],
    });
    expect(answerProblems(questions, { nope: ['a'] }, ['q1'])).toEqual({
      'answers.nope': [{ key: 'unknown-question', params: { id: 'nope' } }],
    });
    expect(answerProblems(questions, { q1: ['a'] }, ['q1', 'q2'])).toEqual({});
    // Unanswered drawn questions count as wrong.
    expect(scoreAnswers([questions[0], questions[1]], { q1: ['a'] })).toMatchObject({
      score: 50,
      correctCount: 1,
      results: { q1: true, q2: false },
    });
  });
});
