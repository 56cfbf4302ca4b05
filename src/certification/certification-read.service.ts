import { Injectable, Module } from '@nestjs/common';
import { In, IsNull, Not } from 'typeorm';
import { Clock } from '../common/clock';
import { Database } from '../database/database.service';
import { Certification } from './certification.entity';
import { isValidOn } from './validity';

/**
 * Read-only certification questions other modules ask (cohort facilitators, cascade sessions):
 * they ask here instead of querying certifications themselves.
 */
@Injectable()
export class CertificationReadService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** Whether the user held a certification for the course valid on `date` (YYYY-MM-DD). */
  async isValidOn(userId: string, courseId: string, date: string): Promise<boolean> {
    const rows = await this.db.manager.find(Certification, { where: { userId, courseId } });
    return rows.some((c) => isValidOn(c, date));
  }

  /** Of `userIds`, those certified in the course today. */
  async certifiedToday(userIds: string[], courseId: string): Promise<Set<string>> {
    if (!userIds.length) return new Set();
    const today = this.clock.today();
    const rows = await this.db.manager.find(Certification, { where: { userId: In(userIds), courseId } });
    return new Set(rows.filter((c) => isValidOn(c, today)).map((c) => c.userId));
  }

  /** Trainers holding a certification valid today, in any course (candidate facilitators). */
  async certifiedTrainerIds(): Promise<string[]> {
    const today = this.clock.today();
    const rows = await this.db.manager.find(Certification, {
      select: { userId: true, issuedOn: true, expiresOn: true, revokedOn: true },
      where: { status: 'active' },
    });
    return [...new Set(rows.filter((c) => isValidOn(c, today)).map((c) => c.userId))];
  }

  /** Trainers certified in the course today. */
  async certifiedTrainersOf(courseId: string): Promise<Set<string>> {
    const today = this.clock.today();
    const rows = await this.db.manager.find(Certification, {
      select: { userId: true, issuedOn: true, expiresOn: true, revokedOn: true },
      where: { courseId },
    });
    return new Set(rows.filter((c) => isValidOn(c, today)).map((c) => c.userId));
  }

  /** The status-list positions of every revoked certification (the revocation list's set bits). */
  async revokedStatusIndexes(): Promise<number[]> {
    const rows = await this.db.manager.find(Certification, {
      select: { statusListIndex: true },
      where: { revokedOn: Not(IsNull()) },
    });
    return rows.map((r) => r.statusListIndex);
  }

  /** Certifications issued from these cohorts (roster display), newest first. */
  byCohorts(cohortIds: string[]): Promise<Certification[]> {
    if (!cohortIds.length) return Promise.resolve([]);
    return this.db.manager.find(Certification, {
      where: { cohortId: In(cohortIds) },
      order: { createdAt: 'DESC' },
    });
  }
}

@Module({ providers: [CertificationReadService], exports: [CertificationReadService] })
export class CertificationReadModule {}
