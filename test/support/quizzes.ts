import type request from 'supertest';

type Answers = Record<string, string[]>;

/** The keys of the fixture course's quizzes (test/fixtures/content/tiny-course), for every bank question. */
export const TINY_KEYS: Record<string, Answers> = {
  'pre-test': { q1: ['a'], q2: ['b'] },
  'post-test': { q1: ['a'], q2: ['b'], q3: ['c'], q4: ['a'], q5: ['b'] },
  'basics-check': { signs: ['a', 'c'] },
};

/**
 * Opens a quiz through the API as a trainer does (which opens their sitting) and returns the body
 * to submit: `key`'s answers to the questions that sitting drew, and its sitting id. Answering
 * every bank question would be refused: a sitting only takes answers to the questions it asked.
 */
export async function drawnAnswers(
  api: { get: (path: string) => request.Test },
  enrolmentId: string,
  quizSlug: string,
  key: Answers = TINY_KEYS[quizSlug],
): Promise<{ answers: Answers; sittingId: string }> {
  const quiz = (await api.get(`/enrolments/${enrolmentId}/quizzes/${quizSlug}`).expect(200)).body as {
    sittingId: string;
    questions: Array<{ id: string }>;
  };
  return {
    answers: Object.fromEntries(quiz.questions.map((q) => [q.id, key[q.id] ?? []])),
    sittingId: quiz.sittingId,
  };
}
