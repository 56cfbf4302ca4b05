import { Injectable } from '@nestjs/common';
import { Between, EntityManager, In, IsNull, LessThan, Not } from 'typeorm';
import { Database } from '../database/database.service';
import { placeholders } from '../database/dialect';
import { User } from '../users/user.entity';
import { Certification } from './certification.entity';

export interface CertificationFilter {
  userId?: string;
  courseId?: string;
  cohortId?: string;
  status?: Certification['status'];
  /** Holders' country (a manager's scope): certifications from cohorts of that country. */
  countryCode?: string | null;
}

/** Certification rows with only what validity on a date needs (isValidOn, statusOn). */
export type ValidityRow = Pick<Certification, 'userId' | 'issuedOn' | 'expiresOn' | 'revokedOn'>;

/** Every query on certifications (and the few user rows their mail and views need). */
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

  /** The user's certifications in the course, any status. */
  ofUserInCourse(
    userId: string,
    courseId: string,
    tx: EntityManager = this.db.manager,
  ): Promise<Certification[]> {
    return tx.find(Certification, { where: { userId, courseId } });
  }

  /** These users' certifications in the course, any status. */
  ofUsersInCourse(
    userIds: string[],
    courseId: string,
    tx: EntityManager = this.db.manager,
  ): Promise<Certification[]> {
    if (!userIds.length) return Promise.resolve([]);
    return tx.find(Certification, { where: { userId: In(userIds), courseId } });
  }

  /** These users' active certifications in the course (active in status; the caller checks the dates). */
  activeOfUsersInCourse(
    userIds: string[],
    courseId: string,
    tx: EntityManager = this.db.manager,
  ): Promise<Certification[]> {
    if (!userIds.length) return Promise.resolve([]);
    return tx.find(Certification, { where: { courseId, status: 'active', userId: In(userIds) } });
  }

  /** Holder and dates of every certification active in status, in any course. */
  activeValidity(tx: EntityManager = this.db.manager): Promise<ValidityRow[]> {
    return tx.find(Certification, {
      select: { userId: true, issuedOn: true, expiresOn: true, revokedOn: true },
      where: { status: 'active' },
    });
  }

  /** Holder and dates of every certification of the course, any status. */
  validityOfCourse(courseId: string, tx: EntityManager = this.db.manager): Promise<ValidityRow[]> {
    return tx.find(Certification, {
      select: { userId: true, issuedOn: true, expiresOn: true, revokedOn: true },
      where: { courseId },
    });
  }

  /** The status-list positions of every revoked certification. */
  async revokedStatusIndexes(tx: EntityManager = this.db.manager): Promise<number[]> {
    const rows = await tx.find(Certification, {
      select: { statusListIndex: true },
      where: { revokedOn: Not(IsNull()) },
    });
    return rows.map((r) => r.statusListIndex);
  }

  /** Certifications issued from these cohorts, newest first. */
  byCohortIds(cohortIds: string[], tx: EntityManager = this.db.manager): Promise<Certification[]> {
    if (!cohortIds.length) return Promise.resolve([]);
    return this.db.select(
      Certification,
      `WHERE t.cohort_id IN (${placeholders(cohortIds.length)}) ORDER BY t.created_at DESC, t.id`,
      cohortIds,
      tx,
    );
  }

  async insert(tx: EntityManager, cert: Certification): Promise<void> {
    await tx.insert(Certification, cert);
  }

  /** Renewal of an active certification: the new expiry day, and its reminder to send again. */
  async extendExpiry(tx: EntityManager, id: string, expiresOn: string): Promise<void> {
    await tx.update(Certification, { id }, { expiresOn, reminderSentAt: null });
  }

  async markExpired(tx: EntityManager, ids: string[]): Promise<void> {
    if (ids.length) await tx.update(Certification, { id: In(ids) }, { status: 'expired' });
  }

  async markRevoked(tx: EntityManager, id: string, revokedOn: string, revokedReason: string): Promise<void> {
    await tx.update(Certification, { id }, { status: 'revoked', revokedOn, revokedReason });
  }

  async markReminded(tx: EntityManager, ids: string[], at: Date): Promise<void> {
    if (ids.length) await tx.update(Certification, { id: In(ids) }, { reminderSentAt: at });
  }

  /** Holders, issuers and facilitators: the few user fields certificate views and mail show. */
  peopleByIds(
    ids: string[],
    tx: EntityManager = this.db.manager,
  ): Promise<Array<Pick<User, 'id' | 'name' | 'email' | 'language'>>> {
    if (!ids.length) return Promise.resolve([]);
    return tx.find(User, {
      select: { id: true, name: true, email: true, language: true },
      where: { id: In(ids) },
    });
  }

  /** Users (with their account status) to mail: holders and the managers who issued. */
  usersByIds(ids: string[], tx: EntityManager = this.db.manager): Promise<User[]> {
    if (!ids.length) return Promise.resolve([]);
    return tx.find(User, { where: { id: In(ids) } });
  }

  userById(id: string, tx: EntityManager = this.db.manager): Promise<User | null> {
    return tx.findOne(User, { where: { id } });
  }
}
