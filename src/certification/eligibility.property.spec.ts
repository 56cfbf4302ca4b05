import fc from 'fast-check';
import { attendancePercent } from '../cohorts/attendance-rate';
import type { AttendanceStatus } from '../cohorts/cohort-status.enum';
import type { CertificationRule } from '../cohorts/eligibility';
import { type EligibilityFacts, evaluateEligibility } from '../cohorts/eligibility';
import { addDays, isValidOn } from './validity';

/** Property-based checks of the certification rule and of validity on a date (examples: rules.spec.ts). */

const rules: fc.Arbitrary<CertificationRule> = fc.record({
  lessonsComplete: fc.boolean(),
  postTestPassMark: fc.integer({ min: 0, max: 100 }),
  attendancePercent: fc.integer({ min: 0, max: 100 }),
  practicumRequired: fc.boolean(),
  validityMonths: fc.integer({ min: 1, max: 60 }),
});

const facts: fc.Arbitrary<EligibilityFacts> = fc
  .record({
    lessonsTotal: fc.integer({ min: 0, max: 40 }),
    lessonsDone: fc.integer({ min: 0, max: 40 }),
    postTestBest: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
    postTestPassMark: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
    days: fc.integer({ min: 1, max: 60 }),
    attended: fc.integer({ min: 0, max: 60 }),
    practicumPassed: fc.option(fc.boolean(), { nil: null }),
  })
  .map(({ lessonsTotal, lessonsDone, days, attended, ...rest }) => ({
    ...rest,
    lessonsTotal,
    lessonsCompleted: Math.min(lessonsDone, lessonsTotal),
    attendancePercent: attendancePercent(statuses(Math.min(attended, days), days), days),
  }));

/** `attended` days present or late, the rest absent, excused or not recorded. */
function statuses(attended: number, days: number): AttendanceStatus[] {
  const missed: AttendanceStatus[] = ['absent', 'excused'];
  return [
    ...Array.from({ length: attended }, (_, i): AttendanceStatus => (i % 3 === 2 ? 'late' : 'present')),
    ...Array.from({ length: days - attended }, (_, i) => missed[i % 2]),
  ];
}

/** The rule's conditions, stated independently of the implementation. */
function expectedConditions(rule: CertificationRule, f: EligibilityFacts): Record<string, boolean> {
  const expected: Record<string, boolean> = {};
  if (rule.lessonsComplete)
    expected['lessons-complete'] = f.lessonsTotal > 0 && f.lessonsCompleted === f.lessonsTotal;
  if (f.postTestPassMark !== null)
    expected['post-test-passed'] = f.postTestBest !== null && f.postTestBest >= f.postTestPassMark;
  if (rule.attendancePercent > 0) expected.attendance = f.attendancePercent >= rule.attendancePercent;
  if (rule.practicumRequired) expected.practicum = f.practicumPassed === true;
  return expected;
}

describe('eligibility (properties)', () => {
  it('is eligible exactly when every condition of the rule is met', () => {
    fc.assert(
      fc.property(rules, facts, (rule, f) => {
        const result = evaluateEligibility(rule, f);
        const expected = expectedConditions(rule, f);
        expect(Object.fromEntries(result.conditions.map((c) => [c.code, c.met]))).toEqual(expected);
        expect(result.eligible).toBe(result.conditions.every((c) => c.met));
        expect(result.eligible).toBe(Object.values(expected).every(Boolean));
      }),
      { numRuns: 1000 },
    );
  });

  it('meets attendance exactly when attended × 100 / days ≥ required, for 1..60 days', () => {
    const attendance = fc
      .integer({ min: 1, max: 60 })
      .chain((days) => fc.record({ days: fc.constant(days), attended: fc.integer({ min: 0, max: days }) }));
    fc.assert(
      fc.property(attendance, fc.integer({ min: 1, max: 100 }), ({ days, attended }, required) => {
        const rule: CertificationRule = {
          lessonsComplete: false,
          postTestPassMark: 0,
          attendancePercent: required,
          practicumRequired: false,
          validityMonths: 24,
        };
        const f: EligibilityFacts = {
          lessonsTotal: 0,
          lessonsCompleted: 0,
          postTestBest: null,
          postTestPassMark: null,
          attendancePercent: attendancePercent(statuses(attended, days), days),
          practicumPassed: null,
        };
        const result = evaluateEligibility(rule, f);
        const condition = result.conditions.find((c) => c.code === 'attendance');
        // Integer arithmetic: no floating-point rounding in the expectation.
        expect(condition?.met).toBe(attended * 100 >= required * days);
        expect(result.eligible).toBe(attended * 100 >= required * days);
      }),
      { numRuns: 2000 },
    );
  });

  it('meets attendance at every exact boundary (exhaustive over 1..60 days)', () => {
    const misses: string[] = [];
    for (let days = 1; days <= 60; days++) {
      for (let attended = 0; attended <= days; attended++) {
        const percent = attendancePercent(statuses(attended, days), days);
        for (const required of [1, 50, 58, 75, 80, 100]) {
          const rule: CertificationRule = {
            lessonsComplete: false,
            postTestPassMark: 0,
            attendancePercent: required,
            practicumRequired: false,
            validityMonths: 24,
          };
          const met = evaluateEligibility(rule, {
            lessonsTotal: 0,
            lessonsCompleted: 0,
            postTestBest: null,
            postTestPassMark: null,
            attendancePercent: percent,
            practicumPassed: null,
          }).eligible;
          if (met !== attended * 100 >= required * days) misses.push(`${attended}/${days} for ${required} %`);
        }
      }
    }
    expect(misses).toEqual([]);
  });
});

describe('validity on a date (properties)', () => {
  const day = fc.integer({ min: 0, max: 20_000 }).map((n) => addDays('2000-01-01', n));
  /** A certification: issued, expiring 1..1500 days later, optionally revoked some day from issue on. */
  const certs = fc
    .record({
      issuedOn: day,
      length: fc.integer({ min: 0, max: 1500 }),
      revokedAfter: fc.option(fc.integer({ min: 0, max: 1600 }), { nil: null }),
    })
    .map(({ issuedOn, length, revokedAfter }) => ({
      issuedOn,
      expiresOn: addDays(issuedOn, length),
      revokedOn: revokedAfter === null ? null : addDays(issuedOn, revokedAfter),
    }));

  it('is false before the issue day', () => {
    fc.assert(
      fc.property(certs, fc.integer({ min: 1, max: 5000 }), (cert, before) => {
        expect(isValidOn(cert, addDays(cert.issuedOn, -before))).toBe(false);
      }),
    );
  });

  it('is true on the issue day and on the expiry day when not revoked', () => {
    fc.assert(
      fc.property(certs, (c) => {
        const cert = { ...c, revokedOn: null };
        expect(isValidOn(cert, cert.issuedOn)).toBe(true);
        expect(isValidOn(cert, cert.expiresOn)).toBe(true);
        expect(isValidOn(cert, addDays(cert.expiresOn, 1))).toBe(false);
      }),
    );
  });

  it('is false from the revocation day on, and as without revocation before it', () => {
    fc.assert(
      fc.property(certs, fc.integer({ min: -50, max: 2000 }), (cert, offset) => {
        const date = addDays(cert.issuedOn, offset);
        const unrevoked = isValidOn({ ...cert, revokedOn: null }, date);
        expect(unrevoked).toBe(date >= cert.issuedOn && date <= cert.expiresOn);
        if (cert.revokedOn === null) expect(isValidOn(cert, date)).toBe(unrevoked);
        else if (date >= cert.revokedOn) expect(isValidOn(cert, date)).toBe(false);
        else expect(isValidOn(cert, date)).toBe(unrevoked);
      }),
      { numRuns: 1000 },
    );
  });
});
