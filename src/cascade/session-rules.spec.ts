import { moduleKey, sessionProblems } from './session-rules';

const counts = {
  female: 10,
  male: 12,
  unspecified: 0,
  under_10: 0,
  '10_14': 22,
  '15_17': 0,
  '18_plus': 0,
  teachers: 1,
  parents: 0,
};

describe('cascade session rules', () => {
  it('accepts breakdowns that sum to the same total on today', () => {
    expect(sessionProblems('2026-03-02', counts, '2026-03-02')).toEqual({});
  });
  it('refuses totals off by one', () => {
    expect(sessionProblems('2026-03-02', { ...counts, male: 13 }, '2026-03-02').ageBands[0]).toEqual({
      key: 'totals-differ',
      params: { sex: 23, age: 22 },
    });
    expect(sessionProblems('2026-03-02', { ...counts, '15_17': 1 }, '2026-03-02').ageBands).toBeDefined();
  });
  it('refuses tomorrow but accepts today', () => {
    expect(sessionProblems('2026-03-03', counts, '2026-03-02').date[0].key).toBe('future-date');
  });
  it('refuses impossible dates', () => {
    expect(sessionProblems('2026-02-30', counts, '2026-03-02').date[0].key).toBe('date');
  });
  it('refuses a session that reached nobody', () => {
    const zero = {
      female: 0,
      male: 0,
      unspecified: 0,
      under_10: 0,
      '10_14': 0,
      '15_17': 0,
      '18_plus': 0,
      teachers: 0,
      parents: 0,
    };
    expect(sessionProblems('2026-03-01', zero, '2026-03-02').participants[0].key).toBe('nobody-reached');
    expect(sessionProblems('2026-03-01', { ...zero, teachers: 3 }, '2026-03-02')).toEqual({});
  });
  it('compares module sets regardless of order or repetition', () => {
    expect(moduleKey(['b', 'a', 'b'])).toBe('a,b');
  });
});
