/**
 * The head counts every reach rollup sums (cascade_reach_rollups, cascade_month_reach), with the
 * session field each one sums. One list for reach-rollups.ts and month-reach.ts (the migrations
 * keep their own copies: they stay as they were written).
 */

/** Rollup columns and the session fields they sum. */
export const SUMS: Array<
  [
    string,
    (
      | 'female'
      | 'male'
      | 'unspecified'
      | 'ageUnder10'
      | 'age10To14'
      | 'age15To17'
      | 'age18Plus'
      | 'teachers'
      | 'parents'
    ),
  ]
> = [
  ['female', 'female'],
  ['male', 'male'],
  ['unspecified', 'unspecified'],
  ['age_under10', 'ageUnder10'],
  ['age10_to14', 'age10To14'],
  ['age15_to17', 'age15To17'],
  ['age18_plus', 'age18Plus'],
  ['teachers', 'teachers'],
  ['parents', 'parents'],
];

export const ROLLUP_SUM_COLUMNS = SUMS.map(([column]) => column);
