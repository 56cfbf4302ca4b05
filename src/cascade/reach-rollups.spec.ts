import { rebuildStatements, rollupChanges, rollupStatements, type Counted } from './reach-rollups';

const session = (over: Partial<Counted> = {}): Counted => ({
  status: 'submitted',
  date: '2026-03-14',
  courseId: 'c1',
  countryCode: 'SV',
  municipalityId: 'm1',
  schoolId: 's1',
  trainerId: 't1',
  female: 3,
  male: 2,
  unspecified: 1,
  ageUnder10: 6,
  age10To14: 0,
  age15To17: 0,
  age18Plus: 0,
  teachers: 1,
  parents: 0,
  ...over,
});

describe('reach rollups', () => {
  it('moves a counted session out and in, and leaves a rejected one out', () => {
    const before = session({ status: 'submitted' });
    expect(rollupChanges(null, before)).toEqual([[before, 1]]);
    const confirmed = session({ status: 'confirmed' });
    expect(rollupChanges(before, confirmed)).toEqual([
      [confirmed, 1],
      [before, -1],
    ]);
    expect(rollupChanges(before, session({ status: 'rejected' }))).toEqual([[before, -1]]);
  });

  it('upserts both rollups per grain and deletes emptied rows only when taking a session out', () => {
    const added = rollupStatements('month', session(), 1);
    expect(added).toHaveLength(2);
    expect(added[0].params.slice(0, 7)).toEqual(['month', 'submitted', '2026-03', 'c1', 'SV', 'm1', 's1']);
    expect(added[0].sql).toContain(
      'ON CONFLICT (grain, status, period, course_id, country_code, municipality_id, school_id)',
    );
    const removed = rollupStatements('year', session(), -1);
    expect(removed).toHaveLength(4);
    expect(removed[1].params).toEqual(['year', 'submitted', '2026', 'c1', 'SV', 't1', -1]);
    expect(removed[3].sql).toMatch(/^DELETE FROM cascade_trainer_rollups/);
  });

  it('rebuilds by year and by month from the session rows', () => {
    const statements = rebuildStatements();
    // Six for the two rollups, then the month reach (built on the monthly school rollup): one delete
    // and 2 status sets x 2 course keys x 2 country keys.
    expect(statements).toHaveLength(15);
    expect(statements[2]).toContain('SUBSTR(date, 1, 4)');
    expect(statements[4]).toContain('SUBSTR(date, 1, 7)');
    expect(statements[6]).toBe('DELETE FROM cascade_month_reach');
    expect(
      statements.slice(7).every((s) => s.includes("FROM cascade_reach_rollups WHERE grain = 'month'")),
    ).toBe(true);
  });
});
