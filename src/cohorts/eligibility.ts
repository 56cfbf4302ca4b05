import type { CourseOutline } from '../courses/catalogue.service';
import { formatNumber, t } from '../i18n/i18n';

/**
 * The eligibility of a cohort participant: the course's certification rule applied to the facts the
 * cohort records (attendance, practicum) and the learner's progress. It lives with cohorts because
 * those facts are cohorts'; certification asks CohortsService for the standings and issues on them.
 */

/** The rule a course declares (course.yaml `certification`), as the catalogue outlines carry it. */
export type CertificationRule = CourseOutline['manifest']['certification'];

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

/** Practicum state words are translated before they fill the detail text. */
export function conditionParams(lang: 'en' | 'es', params: Record<string, string | number>) {
  const out = { ...params };
  if (typeof params.total === 'number') out.count = params.total; // "1 of 1 lesson": the form follows the total
  if (typeof params.state === 'string') out.state = t(lang, `certification.practicum-state.${params.state}`);
  // The best post-test score reads as a percentage, or "not taken yet".
  if ('best' in params)
    out.best =
      typeof params.best === 'number'
        ? `${formatNumber(lang, params.best)}${lang === 'es' ? ' %' : '%'}`
        : t(lang, 'certification.not-taken');
  return out;
}
