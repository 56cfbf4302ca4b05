import type { CertificationRule } from '../courses/content/course-package';

export type ConditionCode = 'lessons-complete' | 'post-test-passed' | 'attendance' | 'practicum';

export interface Condition {
  code: ConditionCode;
  met: boolean;
  /** Parameters for the translated detail (`certification.condition.<code>.detail`). */
  params: Record<string, number | string>;
}

export interface Eligibility {
  eligible: boolean;
  conditions: Condition[];
}

export interface EligibilityFacts {
  lessonsTotal: number;
  lessonsCompleted: number;
  /** Best post-test score, null when never taken; null pass mark when the course has no post-test. */
  postTestBest: number | null;
  postTestPassMark: number | null;
  attendancePercent: number;
  /** null when no practicum result has been recorded. */
  practicumPassed: boolean | null;
}

/**
 * The course's certification rule applied to one participant. Each condition of the rule is listed
 * with whether it is met and the figures behind it; the participant is eligible when all are met.
 */
export function evaluateEligibility(rule: CertificationRule, facts: EligibilityFacts): Eligibility {
  const conditions: Condition[] = [];
  if (rule.lessonsComplete) {
    conditions.push({
      code: 'lessons-complete',
      met: facts.lessonsTotal > 0 && facts.lessonsCompleted >= facts.lessonsTotal,
      params: { done: facts.lessonsCompleted, total: facts.lessonsTotal },
    });
  }
  if (facts.postTestPassMark !== null) {
    conditions.push({
      code: 'post-test-passed',
      met: facts.postTestBest !== null && facts.postTestBest >= facts.postTestPassMark,
      params: { best: facts.postTestBest ?? '—', mark: facts.postTestPassMark },
    });
  }
  if (rule.attendancePercent > 0) {
    conditions.push({
      code: 'attendance',
      // Compared unrounded, so 79.9 % never passes as 80 %.
      met: facts.attendancePercent >= rule.attendancePercent,
      params: { percent: Math.floor(facts.attendancePercent * 10) / 10, required: rule.attendancePercent },
    });
  }
  if (rule.practicumRequired) {
    conditions.push({
      code: 'practicum',
      met: facts.practicumPassed === true,
      params: {
        state: facts.practicumPassed === null ? 'not-recorded' : facts.practicumPassed ? 'passed' : 'failed',
      },
    });
  }
  return { eligible: conditions.every((c) => c.met), conditions };
}
