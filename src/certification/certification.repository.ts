import { Injectable } from '@nestjs/common';
import { Between, EntityManager, In, IsNull, LessThan } from 'typeorm';
import { Database } from '../database/database.service';
import { Certification } from './certification.entity';

export interface CertificationFilter {
  userId?: string;
  courseId?: string;
  cohortId?: string;
  status?: Certification['status'];
  /** Holders' country (a manager's scope): certifications from cohorts of that country. */
  countryCode?: string | null;
}

@Injectable()
export class CertificationRepository {
  constructor(private readonly db: Database) {}

  private m(tx?: EntityManager) {
    return tx ?? this.db.manager;
  }

  findByCode(code: string, tx?: EntityManager): Promise<Certification | null> {
    return this.m(tx).findOne(Certification, { where: { code } });
  }

  /**
   * PostgreSQL: holds the holder's user row until the transaction ends, so two issues for one
   * trainer (a double submission, two instances) run one after the other and the second sees the
   * first. SQLite transactions already run one at a time.
   */
  async lockHolder(tx: EntityManager, userId: string): Promise<void> {
    if (this.db.kind === 'postgres')
      await tx.query('SELECT id FROM users WHERE id = $1 FOR UPDATE', [userId]);
  }

  findActiveFor(userId: string, courseId: string, tx?: EntityManager): Promise<Certification[]> {
    return this.m(tx).find(Certification, { where: { userId, courseId, status: 'active' } });
  }

  async codeExists(code: string, tx: EntityManager): Promise<boolean> {
    return (await tx.count(Certification, { where: { code } })) > 0;
  }

  async statusIndexTaken(statusListIndex: number, tx: EntityManager): Promise<boolean> {
    return (await tx.count(Certification, { where: { statusListIndex } })) > 0;
  }

  async page(
    filter: CertificationFilter,
    limit: number,
    offset: number,
  ): Promise<{ items: Certification[]; total: number }> {
    const q = this.db.manager.createQueryBuilder(Certification, 'c');
    if (filter.userId) q.andWhere('c.user_id = :userId', { userId: filter.userId });
    if (filter.courseId) q.andWhere('c.course_id = :courseId', { courseId: filter.courseId });
    if (filter.cohortId) q.andWhere('c.cohort_id = :cohortId', { cohortId: filter.cohortId });
    if (filter.status) q.andWhere('c.status = :status', { status: filter.status });
    if (filter.countryCode)
      q.andWhere('c.cohort_id IN (SELECT h.id FROM cohorts h WHERE h.country_code = :country)', {
        country: filter.countryCode,
      });
    const [items, total] = await q
      .orderBy('c.issued_on', 'DESC')
      .addOrderBy('c.code', 'ASC')
      .take(limit)
      .skip(offset)
      .getManyAndCount();
    return { items, total };
  }

  /** Active certifications expiring from `today` to `limitDay`, soonest first, in the holders' country when given. */
  expiringBetween(
    today: string,
    limitDay: string,
    countryCode: string | null,
    take: number,
  ): Promise<Certification[]> {
    const q = this.db.manager
      .createQueryBuilder(Certification, 'c')
      .where('c.status = :status', { status: 'active' })
      .andWhere('c.expires_on BETWEEN :today AND :limitDay', { today, limitDay });
    if (countryCode)
      q.andWhere('c.cohort_id IN (SELECT h.id FROM cohorts h WHERE h.country_code = :country)', {
        country: countryCode,
      });
    return q.orderBy('c.expires_on', 'ASC').addOrderBy('c.code', 'ASC').take(take).getMany();
  }

  byCohort(cohortId: string): Promise<Certification[]> {
    return this.db.manager.find(Certification, { where: { cohortId }, order: { code: 'ASC' } });
  }

  /** Active certifications whose expiry day has passed. */
  expiredBy(today: string, tx: EntityManager): Promise<Certification[]> {
    return tx.find(Certification, { where: { status: 'active', expiresOn: LessThan(today) } });
  }

  /** Active certifications expiring on or before `limitDay` that have not had their reminder. */
  /** Active certifications expiring from `today` to `limitDay` whose reminder has not gone out, oldest expiry first. */
  dueForReminder(today: string, limitDay: string, tx: EntityManager, take: number): Promise<Certification[]> {
    return tx.find(Certification, {
      where: { status: 'active', expiresOn: Between(today, limitDay), reminderSentAt: IsNull() },
      order: { expiresOn: 'ASC', id: 'ASC' },
      take,
    });
  }

  byIds(ids: string[]): Promise<Certification[]> {
    return ids.length ? this.db.manager.find(Certification, { where: { id: In(ids) } }) : Promise.resolve([]);
  }
}
