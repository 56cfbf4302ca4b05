import { Injectable } from '@nestjs/common';
import type { CertificationFacts, CohortCertificate } from '../cohorts/certification-facts.types';
import { Clock } from '../common/clock';
import { CertificationRepository } from './certification.repository';
import { isValidOn } from './validity';

/**
 * Read-only certification questions other modules ask (cohort facilitators, cascade sessions):
 * they ask here instead of querying certifications themselves. It is cohorts' CertificationFacts.
 */
@Injectable()
export class CertificationReadService implements CertificationFacts {
  constructor(
    private readonly repo: CertificationRepository,
    private readonly clock: Clock,
  ) {}

  /** Whether the user held a certification for the course valid on `date` (YYYY-MM-DD). */
  async isValidOn(userId: string, courseId: string, date: string): Promise<boolean> {
    const rows = await this.repo.ofUserInCourse(userId, courseId);
    return rows.some((c) => isValidOn(c, date));
  }

  /** Of `userIds`, those certified in the course today. */
  async certifiedToday(userIds: string[], courseId: string): Promise<Set<string>> {
    if (!userIds.length) return new Set();
    const today = this.clock.today();
    const rows = await this.repo.ofUsersInCourse(userIds, courseId);
    return new Set(rows.filter((c) => isValidOn(c, today)).map((c) => c.userId));
  }

  /** Trainers holding a certification valid today, in any course (candidate facilitators). */
  async certifiedTrainerIds(): Promise<string[]> {
    const today = this.clock.today();
    const rows = await this.repo.activeValidity();
    return [...new Set(rows.filter((c) => isValidOn(c, today)).map((c) => c.userId))];
  }

  /** Trainers certified in the course today. */
  async certifiedTrainersOf(courseId: string): Promise<Set<string>> {
    const today = this.clock.today();
    const rows = await this.repo.validityOfCourse(courseId);
    return new Set(rows.filter((c) => isValidOn(c, today)).map((c) => c.userId));
  }

  /** The status-list positions of every revoked certification (the revocation list's set bits). */
  revokedStatusIndexes(): Promise<number[]> {
    return this.repo.revokedStatusIndexes();
  }

  /** Certifications issued from these cohorts (roster display), newest first. */
  byCohorts(cohortIds: string[]): Promise<CohortCertificate[]> {
    return this.repo.byCohortIds(cohortIds);
  }
}
