import type { QuizQuestion } from './content/course-package';
import { MAX_SEED, mulberry32, planSitting, questionsAsShown, shuffled } from './quiz-draw';

const bank = (n: number, anchors = 0): QuizQuestion[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `q${i + 1}`,
    multiple: false,
    anchor: i < anchors,
    text: { en: `Q${i + 1}`, es: `P${i + 1}` },
    options: ['a', 'b', 'c', 'd'].map((id) => ({ id, text: { en: id, es: id }, correct: id === 'a' })),
  }));

describe('seeded draws', () => {
  it('mulberry32 gives the published sequence for seed 1 and stays in [0, 1)', () => {
    const random = mulberry32(1);
    // Reference values of the original public-domain JavaScript of mulberry32 (`var t = a += 0x6D2B79F5; …`) for seed 1.
    expect([random(), random(), random()]).toEqual([
      0.6270739405881613, 0.002735721180215478, 0.5274470399599522,
    ]);
    const r = mulberry32(MAX_SEED);
    for (let i = 0; i < 1000; i++) {
      const x = r();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });

  it('shuffles into a permutation without touching the input', () => {
    const input = [1, 2, 3, 4, 5, 6];
    const out = shuffled(input, mulberry32(7));
    expect([...out].sort()).toEqual(input);
    expect(input).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reproduces the same sitting from the same seed, and another one from another seed', () => {
    const questions = bank(12, 3);
    expect(planSitting(questions, 7, 42)).toEqual(planSitting(questions, 7, 42));
    const plans = Array.from({ length: 20 }, (_, seed) => JSON.stringify(planSitting(questions, 7, seed)));
    expect(new Set(plans).size).toBe(20);
  });

  it('always draws the anchors, then others up to draw, keeping the bank order', () => {
    const questions = bank(10, 3);
    for (let seed = 0; seed < 50; seed++) {
      const plan = planSitting(questions, 5, seed);
      expect(plan.questionIds).toHaveLength(5);
      expect(plan.questionIds.slice(0, 3)).toEqual(['q1', 'q2', 'q3']);
      const positions = plan.questionIds.map((id) => Number(id.slice(1)));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      for (const id of plan.questionIds)
        expect([...plan.optionOrder[id]].sort()).toEqual(['a', 'b', 'c', 'd']);
    }
    // Over many seeds every non-anchor question is drawn sometime.
    const seen = new Set(
      Array.from({ length: 200 }, (_, seed) => planSitting(questions, 5, seed).questionIds).flat(),
    );
    expect(seen.size).toBe(10);
  });

  it('asks every question when there is no draw, and puts the key in every position over many sittings', () => {
    const questions = bank(4);
    const keyAt = new Set<number>();
    for (let seed = 0; seed < 100; seed++) {
      const plan = planSitting(questions, null, seed);
      expect(plan.questionIds).toEqual(['q1', 'q2', 'q3', 'q4']);
      keyAt.add(plan.optionOrder.q1.indexOf('a'));
    }
    expect([...keyAt].sort()).toEqual([0, 1, 2, 3]);
  });

  it('shows the questions of a plan in its order with reordered options', () => {
    const questions = bank(3);
    const shown = questionsAsShown(questions, {
      questionIds: ['q3', 'q1'],
      optionOrder: { q3: ['d', 'c', 'b', 'a'], q1: ['b', 'a', 'c', 'd'] },
    });
    expect(shown.map((q) => [q.id, q.options.map((o) => o.id).join('')])).toEqual([
      ['q3', 'dcba'],
      ['q1', 'bacd'],
    ]);
  });
});
