import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { Database } from '../database/database.service';
import { User } from '../users/user.entity';
import {
  Attendance,
  CohortDay,
  CohortFacilitator,
  CohortParticipant,
  PracticumResult,
} from './cohort-member.entities';
import { Cohort } from './cohort.entity';
import type { CohortStatus } from './cohort-status.enum';

export interface CohortFilter {
  countryCode?: string | null;
  courseId?: string;
  status?: CohortStatus;
  /** Only cohorts this user facilitates or takes part in. */
  memberId?: string;
}

export interface ParticipantRow {
  participantId: string;
  userId: string;
  enrolmentId: string;
  name: string;
  email: string;
  sex: string;
  organisation: string | null;
  status: string;
}

/** Every query on cohorts, their facilitators, participants, days, attendance and practicum. */
@Injectable()
export class CohortsRepository {
  constructor(private readonly db: Database) {}

  private m(tx?: EntityManager) {
    return tx ?? this.db.manager;
  }

  findById(id: string, tx?: EntityManager): Promise<Cohort | null> {
    return this.m(tx).findOne(Cohort, { where: { id } });
  }

  async page(
    filter: CohortFilter,
    limit: number,
    offset: number,
  ): Promise<{ items: Cohort[]; total: number }> {
    const q = this.db.manager.createQueryBuilder(Cohort, 'c');
    if (filter.countryCode) q.andWhere('c.country_code = :country', { country: filter.countryCode });
    if (filter.courseId) q.andWhere('c.course_id = :course', { course: filter.courseId });
    if (filter.status) q.andWhere('c.status = :status', { status: filter.status });
    if (filter.memberId) {
      q.andWhere(
        '(c.id IN (SELECT f.cohort_id FROM cohort_facilitators f WHERE f.user_id = :member) OR c.id IN (SELECT p.cohort_id FROM cohort_participants p WHERE p.user_id = :member))',
        { member: filter.memberId },
      );
    }
    const [items, total] = await q
      .orderBy('c.starts_on', 'DESC')
      .addOrderBy('c.id', 'ASC')
      .take(limit)
      .skip(offset)
      .getManyAndCount();
    return { items, total };
  }

  async participantCounts(cohortIds: string[]): Promise<Map<string, number>> {
    if (!cohortIds.length) return new Map();
    const rows: Array<{ cohortId: string; n: string | number }> = await this.db.manager
      .createQueryBuilder(CohortParticipant, 'p')
      .select('p.cohort_id', 'cohortId')
      .addSelect('COUNT(*)', 'n')
      .where('p.cohort_id IN (:...ids)', { ids: cohortIds })
      .groupBy('p.cohort_id')
      .getRawMany();
    return new Map(rows.map((r) => [r.cohortId, Number(r.n)]));
  }

  facilitators(cohortId: string, tx?: EntityManager): Promise<User[]> {
    return this.m(tx)
      .createQueryBuilder(User, 'u')
      .innerJoin(CohortFacilitator, 'f', 'f.user_id = u.id')
      .where('f.cohort_id = :cohortId', { cohortId })
      .orderBy('u.name', 'ASC')
      .getMany();
  }

  async isFacilitator(cohortId: string, userId: string): Promise<boolean> {
    return (await this.db.manager.count(CohortFacilitator, { where: { cohortId, userId } })) > 0;
  }

  async isParticipant(cohortId: string, userId: string, tx?: EntityManager): Promise<boolean> {
    return (await this.m(tx).count(CohortParticipant, { where: { cohortId, userId } })) > 0;
  }

  async setFacilitators(tx: EntityManager, cohortId: string, userIds: string[]): Promise<void> {
    await tx.delete(CohortFacilitator, { cohortId });
    for (const userId of userIds) await tx.insert(CohortFacilitator, { cohortId, userId });
  }

  participants(cohortId: string, tx?: EntityManager): Promise<ParticipantRow[]> {
    return this.m(tx)
      .createQueryBuilder(CohortParticipant, 'p')
      .innerJoin(User, 'u', 'u.id = p.user_id')
      .select([
        'p.id AS "participantId"',
        'p.user_id AS "userId"',
        'p.enrolment_id AS "enrolmentId"',
        'u.name AS name',
        'u.email AS email',
      ])
      .addSelect(['u.sex AS sex', 'u.organisation AS organisation', 'u.status AS status'])
      .where('p.cohort_id = :cohortId', { cohortId })
      .orderBy('u.name', 'ASC')
      .getRawMany<ParticipantRow>();
  }

  countParticipants(cohortId: string, tx?: EntityManager): Promise<number> {
    return this.m(tx).count(CohortParticipant, { where: { cohortId } });
  }

  findParticipant(cohortId: string, userId: string, tx?: EntityManager): Promise<CohortParticipant | null> {
    return this.m(tx).findOne(CohortParticipant, { where: { cohortId, userId } });
  }

  days(cohortId: string, tx?: EntityManager): Promise<CohortDay[]> {
    return this.m(tx).find(CohortDay, { where: { cohortId }, order: { date: 'ASC' } });
  }

  findDay(cohortId: string, dayId: string, tx?: EntityManager): Promise<CohortDay | null> {
    return this.m(tx).findOne(CohortDay, { where: { cohortId, id: dayId } });
  }

  attendanceOf(cohortId: string, tx?: EntityManager): Promise<Attendance[]> {
    return this.m(tx).find(Attendance, { where: { cohortId } });
  }

  attendanceOfDay(dayId: string, tx?: EntityManager): Promise<Attendance[]> {
    return this.m(tx).find(Attendance, { where: { dayId } });
  }

  practicumOf(cohortId: string, tx?: EntityManager): Promise<PracticumResult[]> {
    return this.m(tx).find(PracticumResult, { where: { cohortId } });
  }

  usersByIds(ids: string[], tx?: EntityManager): Promise<User[]> {
    return ids.length ? this.m(tx).find(User, { where: { id: In(ids) } }) : Promise.resolve([]);
  }

  usersByEmails(emails: string[], tx?: EntityManager): Promise<User[]> {
    return emails.length ? this.m(tx).find(User, { where: { email: In(emails) } }) : Promise.resolve([]);
  }
}
