import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import type { QuizQuestion } from './course-package';
import { quizCheckProblems } from './quiz-check';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures');
const yamlQuiz = (path: string) => {
  const raw = load(readFileSync(path, 'utf8')) as { passMark: number; questions: Array<{ id: string; multiple?: boolean; text: { en: string; es: string }; options: Array<{ id: string; text: { en: string; es: string }; correct?: boolean }> }> };
  return { passMark: raw.passMark, questions: raw.questions.map((q) => ({ id: q.id, multiple: q.multiple === true, text: q.text, options: q.options.map((o) => ({ ...o, correct: o.correct === true })) })) };
};

/** A single-choice question whose key is at `key`; option texts have the given lengths (en and es alike), by default four with a shorter key. */
function q(id: string, key: number, lengths: number[] = [0, 1, 2, 3].map((i) => (i === key ? 8 : 10))): QuizQuestion {
  return {
    id,
    multiple: false,
    text: { en: `Question ${id}?`, es: `¿Pregunta ${id}?` },
    options: lengths.map((len, i) => ({ id: String.fromCharCode(97 + i), text: { en: 'x'.repeat(len), es: 'y'.repeat(len) }, correct: i === key })),
  };
}
const multi = (id: string): QuizQuestion => ({
  id,
  multiple: true,
  text: { en: 'Which?', es: '¿Cuáles?' },
  options: [
    { id: 'a', text: { en: 'one', es: 'uno' }, correct: true },
    { id: 'b', text: { en: 'two', es: 'dos' }, correct: true },
    { id: 'c', text: { en: 'three', es: 'tres' }, correct: false },
  ],
});

describe('the quiz content check', () => {
  it("refuses today's TIP post-test: every key is option a, and answering a everywhere scores 75 %", () => {
    const quiz = yamlQuiz(join(FIXTURES, 'quizzes', 'tip-post-test-v1.quiz.yaml'));
    const problems = quizCheckProblems(quiz);
    expect(problems).toContain('always choosing the option at position 1 scores 75 %, reaching the pass mark 70 %');
    expect(problems).toContainEqual(expect.stringMatching(/^the correct option is at position 1 in 9 of the 9 single-choice questions \(100 %\), more than 40 %$/));
  });

  it('passes the rewritten TIP post-test that replaced it, and every other shipped quiz', () => {
    const content = join(__dirname, '..', '..', '..', 'content');
    expect(quizCheckProblems(yamlQuiz(join(content, 'school-tip-awareness', 'facilitator-guide', 'post-test.quiz.yaml')))).toEqual([]);
    const shipped = readdirSync(content, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.quiz.yaml'));
    expect(shipped.length).toBeGreaterThanOrEqual(15);
    for (const file of shipped) expect({ file, problems: quizCheckProblems(yamlQuiz(join(content, file))) }).toEqual({ file, problems: [] });
  });

  it('passes a balanced quiz: keys spread over positions, the key not systematically the longest', () => {
    const quiz = yamlQuiz(join(FIXTURES, 'quizzes', 'balanced.quiz.yaml'));
    expect(quizCheckProblems(quiz)).toEqual([]);
  });

  it('passes the fixture course quizzes the other tests use', () => {
    for (const file of ['basics/pre-test', 'basics/basics-check', 'practice/post-test']) {
      expect({ file, problems: quizCheckProblems(yamlQuiz(join(FIXTURES, 'content', 'tiny-course', `${file}.quiz.yaml`))) }).toEqual({ file, problems: [] });
    }
  });

  it('refuses more than 40 % of single-choice keys in one position, and accepts exactly 40 %', () => {
    const at40 = [q('1', 0), q('2', 0), q('3', 1), q('4', 2), q('5', 3)];
    expect(quizCheckProblems({ passMark: 70, questions: at40 })).toEqual([]);
    const at50 = [q('1', 0), q('2', 0), q('3', 0), q('4', 1), q('5', 2), q('6', 3)];
    expect(quizCheckProblems({ passMark: 70, questions: at50 })).toEqual(['the correct option is at position 1 in 3 of the 6 single-choice questions (50 %), more than 40 %']);
  });

  it('with fewer than 5 single-choice questions, refuses any two keys in the same position', () => {
    expect(quizCheckProblems({ passMark: 100, questions: [q('1', 0), q('2', 1), q('3', 2), q('4', 3)] })).toEqual([]);
    expect(quizCheckProblems({ passMark: 100, questions: [q('1', 2), q('2', 1), q('3', 2)] })).toEqual([
      'the correct option is at position 3 in 2 of the 3 single-choice questions: with fewer than 5, no two may share a position',
    ]);
  });

  it('refuses a pass mark that always choosing one position reaches, naming the position and the score', () => {
    // 2 of 5 at position 2 (40 %, allowed as a share) reaches a pass mark of 40.
    const questions = [q('1', 1), q('2', 1), q('3', 0), q('4', 2), q('5', 3)];
    expect(quizCheckProblems({ passMark: 41, questions })).toEqual([]);
    expect(quizCheckProblems({ passMark: 40, questions })).toEqual(['always choosing the option at position 2 scores 40 %, reaching the pass mark 40 %']);
  });

  it('counts multiple-choice questions as wrong for the blind strategies, over the whole bank', () => {
    // Keys at position 1 in 2 of 4 singles would be refused by share alone with fewer than 5; here 5 singles + 5 multiple.
    const questions = [q('1', 0), q('2', 0), q('3', 1), q('4', 2), q('5', 3), multi('m1'), multi('m2'), multi('m3'), multi('m4'), multi('m5')];
    // Always position 1: 2 of 10 = 20 %.
    expect(quizCheckProblems({ passMark: 25, questions })).toEqual([]);
    expect(quizCheckProblems({ passMark: 20, questions })).toEqual(['always choosing the option at position 1 scores 20 %, reaching the pass mark 20 %']);
    expect(quizCheckProblems({ passMark: 1, questions: [multi('m1')] })).toEqual([]);
  });

  it('refuses a quiz whose correct option is the longest often enough to pass, in en or separately in es', () => {
    const longest = [q('1', 0, [40, 10, 10]), q('2', 1, [10, 40, 10]), q('3', 2, [10, 10, 40]), q('4', 3, [10, 10, 10, 40]), q('5', 0, [10, 40, 10])];
    expect(quizCheckProblems({ passMark: 70, questions: longest })).toEqual([
      'always choosing the longest option (en) scores 80 %, reaching the pass mark 70 %',
      'always choosing the longest option (es) scores 80 %, reaching the pass mark 70 %',
    ]);
    // Only the Spanish texts give the key away: in English a distractor is always the longest.
    const esOnly = longest.map((question) => ({
      ...question,
      options: question.options.map((o) => ({ ...o, text: { en: o.correct ? 'short' : 'a much longer distractor', es: o.text.es } })),
    }));
    expect(quizCheckProblems({ passMark: 70, questions: esOnly })).toEqual(['always choosing the longest option (es) scores 80 %, reaching the pass mark 70 %']);
  });

  it('counts a tie for the longest option as right for the longest-option strategy', () => {
    const ties = [q('1', 0, [5, 5]), q('2', 1, [5, 5]), q('3', 0, [5, 5, 5]), q('4', 1, [5, 5, 5]), q('5', 2, [5, 5, 5])];
    expect(quizCheckProblems({ passMark: 100, questions: ties })).toEqual([
      'always choosing the longest option (en) scores 100 %, reaching the pass mark 100 %',
      'always choosing the longest option (es) scores 100 %, reaching the pass mark 100 %',
    ]);
  });
});
