/** One certification issued from a cohort, as the roster shows it. */
export interface CohortCertificate {
  userId: string;
  code: string;
  revokedOn: string | null;
}

/**
 * The certification facts cohorts need (who may facilitate, what the roster shows). Declared here so
 * cohorts imports nothing from certification: certification asks cohorts for facts, never the other
 * way. The certification module provides it (CERTIFICATION_FACTS, `useExisting` its read service).
 */
export interface CertificationFacts {
  /** Of `userIds`, those certified in the course today. */
  certifiedToday(userIds: string[], courseId: string): Promise<Set<string>>;
  /** Trainers holding a certification valid today, in any course (candidate facilitators). */
  certifiedTrainerIds(): Promise<string[]>;
  /** Certifications issued from these cohorts, newest first. */
  byCohorts(cohortIds: string[]): Promise<CohortCertificate[]>;
}

export const CERTIFICATION_FACTS = Symbol('CERTIFICATION_FACTS');
