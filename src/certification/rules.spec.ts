import { attendancePercent } from '../cohorts/attendance-rate';
import type { AttendanceStatus } from '../cohorts/cohort-status.enum';
import { CODE_PATTERN, CodeGenerator, normaliseCode } from './code-generator';
import { EligibilityFacts, evaluateEligibility } from '../cohorts/eligibility';
import { addDays, addMonths, isValidOn, statusOn } from './validity';

const rule = {
  lessonsComplete: true,
  postTestPassMark: 70,
  attendancePercent: 80,
  practicumRequired: true,
  validityMonths: 24,
};
const facts: EligibilityFacts = {
  lessonsTotal: 12,
  lessonsCompleted: 12,
  postTestBest: 70,
  postTestPassMark: 70,
  attendancePercent: 80,
  practicumPassed: true,
};
const unmet = (f: Partial<typeof facts>) =>
  evaluateEligibility(rule, { ...facts, ...f })
    .conditions.filter((c) => !c.met)
    .map((c) => c.code);

describe('eligibility', () => {
  it('is eligible exactly at every boundary (70 % post-test, 80 % attendance)', () => {
    expect(evaluateEligibility(rule, facts)).toMatchObject({ eligible: true });
  });
  it('names each unmet condition', () => {
    expect(unmet({ lessonsCompleted: 11 })).toEqual(['lessons-complete']);
    expect(unmet({ postTestBest: 69 })).toEqual(['post-test-passed']);
    expect(unmet({ postTestBest: null })).toEqual(['post-test-passed']);
    expect(unmet({ attendancePercent: 79.99 })).toEqual(['attendance']);
    expect(unmet({ practicumPassed: false })).toEqual(['practicum']);
    expect(unmet({ practicumPassed: null })).toEqual(['practicum']);
    expect(unmet({ lessonsCompleted: 0, attendancePercent: 0 })).toEqual(['lessons-complete', 'attendance']);
  });
  it('meets an attendance rule exactly at its boundary, whatever the number of days', () => {
    // e.g. 29 of 50 days is exactly 58 %: computed as 29 / 50 * 100 it came out as 57.99999999999999.
    const misses: string[] = [];
    for (let days = 1; days <= 60; days++) {
      for (let attended = 1; attended <= days; attended++) {
        if ((attended * 100) % days !== 0) continue;
        const required = (attended * 100) / days;
        const statuses: AttendanceStatus[] = [
          ...Array(attended).fill('present'),
          ...Array(days - attended).fill('absent'),
        ];
        const result = evaluateEligibility(
          { ...rule, attendancePercent: required },
          { ...facts, attendancePercent: attendancePercent(statuses, days) },
        );
        if (!result.eligible) misses.push(`${attended}/${days} for ${required} %`);
      }
    }
    expect(misses).toEqual([]);
  });
  it('shows the attendance figure without rounding it up to the requirement', () => {
    const [attendance] = evaluateEligibility(rule, {
      ...facts,
      attendancePercent: attendancePercent(['present', 'present', 'absent'], 3),
    }).conditions.filter((c) => c.code === 'attendance');
    expect(attendance).toEqual({ code: 'attendance', met: false, params: { percent: 66.6, required: 80 } });
  });
  it('does not count a course without lessons as "all lessons completed"', () => {
    expect(unmet({ lessonsTotal: 0, lessonsCompleted: 0 })).toEqual(['lessons-complete']);
  });
  it('asks for no post-test when the course has none', () => {
    const result = evaluateEligibility(rule, { ...facts, postTestBest: null, postTestPassMark: null });
    expect(result.conditions.map((c) => c.code)).toEqual(['lessons-complete', 'attendance', 'practicum']);
    expect(result.eligible).toBe(true);
  });
  it('leaves out conditions the rule does not ask for', () => {
    const loose = { ...rule, practicumRequired: false, attendancePercent: 0, lessonsComplete: false };
    const result = evaluateEligibility(loose, {
      ...facts,
      practicumPassed: null,
      attendancePercent: 0,
      lessonsCompleted: 0,
    });
    expect(result.conditions.map((c) => c.code)).toEqual(['post-test-passed']);
    expect(result.eligible).toBe(true);
  });
});

describe('validity on a date', () => {
  const cert = { issuedOn: '2026-03-10', expiresOn: '2028-03-10', revokedOn: null };
  it('is valid on the day of issue and on the expiry day, not the day before or after', () => {
    expect(isValidOn(cert, '2026-03-09')).toBe(false);
    expect(isValidOn(cert, '2026-03-10')).toBe(true);
    expect(isValidOn(cert, '2028-03-10')).toBe(true);
    expect(isValidOn(cert, '2028-03-11')).toBe(false);
  });
  it('stops being valid on the day of revocation; earlier days keep their credit', () => {
    const revoked = { ...cert, revokedOn: '2027-01-15' };
    expect(isValidOn(revoked, '2027-01-14')).toBe(true);
    expect(isValidOn(revoked, '2027-01-15')).toBe(false);
    expect(statusOn(revoked, '2027-01-14')).toBe('active');
    expect(statusOn(revoked, '2027-01-15')).toBe('revoked');
  });
  it('is never valid when revoked on the day of issue', () => {
    const revoked = { ...cert, revokedOn: cert.issuedOn };
    expect(isValidOn(revoked, cert.issuedOn)).toBe(false);
    expect(isValidOn(revoked, '2027-01-15')).toBe(false);
    expect(statusOn(revoked, cert.issuedOn)).toBe('revoked');
  });
  it('stays revoked (not expired) after the expiry date', () => {
    expect(statusOn({ ...cert, revokedOn: '2027-01-15' }, '2029-01-01')).toBe('revoked');
  });
  it('is expired the day after expiresOn', () => {
    expect(statusOn(cert, '2028-03-10')).toBe('active');
    expect(statusOn(cert, '2028-03-11')).toBe('expired');
  });
  it('adds calendar months, clamping to the end of shorter months', () => {
    expect(addMonths('2026-03-10', 24)).toBe('2028-03-10');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2027-12-31', 2)).toBe('2028-02-29');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2028-02-29', 24)).toBe('2030-02-28');
    expect(addMonths('2026-03-02', 0)).toBe('2026-03-02');
  });
  it('adds days across month and year ends', () => {
    expect(addDays('2027-12-31', 1)).toBe('2028-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
  });
});

describe('certificate codes', () => {
  it('look like CSC-XXXX-XXXX without ambiguous characters', () => {
    const gen = new CodeGenerator();
    for (let i = 0; i < 500; i++) {
      const code = gen.next();
      expect(code).toMatch(CODE_PATTERN);
      expect(code.slice(4)).not.toMatch(/[01ILOS5]/);
    }
  });
  it('accepts codes typed loosely', () => {
    expect(normaliseCode('csc 7k3m q9tx')).toBe('CSC-7K3M-Q9TX');
    expect(normaliseCode('CSC7K3MQ9TX')).toBe('CSC-7K3M-Q9TX');
  });
});
