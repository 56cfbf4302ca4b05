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

  async findById(id: string, tx?: EntityManager): Promise<Cohort | null> {
    return (await this.db.select(Cohort, 'WHERE t.id = ?', [id], tx))[0] ?? null;
  }

  findByIds(ids: string[], tx?: EntityManager): Promise<Cohort[]> {
    return ids.length ? this.m(tx).find(Cohort, { where: { id: In(ids) } }) : Promise.resolve([]);
  }

  async insertCohort(tx: EntityManager, cohort: Cohort): Promise<void> {
    await tx.insert(Cohort, cohort);
  }

  async saveCohort(tx: EntityManager, cohort: Cohort): Promise<void> {
    await tx.save(Cohort, cohort);
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
    return this.db.select(
      User,
      'WHERE t.id IN (SELECT f.user_id FROM cohort_facilitators f WHERE f.cohort_id = ?) ORDER BY t.name, t.id',
      [cohortId],
      tx,
    );
  }

  async isFacilitator(cohortId: string, userId: string): Promise<boolean> {
    const rows = await this.db.query(
      'SELECT 1 AS yes FROM cohort_facilitators WHERE cohort_id = ? AND user_id = ?',
      [cohortId, userId],
    );
    return rows.length > 0;
  }

  async isParticipant(cohortId: string, userId: string, tx?: EntityManager): Promise<boolean> {
    const rows = await this.db.query(
      'SELECT 1 AS yes FROM cohort_participants WHERE cohort_id = ? AND user_id = ?',
      [cohortId, userId],
      tx,
    );
    return rows.length > 0;
  }

  /** The cohort's facilitators' user ids, in id order. */
  async facilitatorIds(cohortId: string, tx?: EntityManager): Promise<string[]> {
    const rows = await this.m(tx).find(CohortFacilitator, {
      select: { userId: true },
      where: { cohortId },
      order: { userId: 'ASC' },
    });
    return rows.map((r) => r.userId);
  }

  async setFacilitators(tx: EntityManager, cohortId: string, userIds: string[]): Promise<void> {
    await tx.delete(CohortFacilitator, { cohortId });
    for (const userId of userIds) await tx.insert(CohortFacilitator, { cohortId, userId });
  }

  participants(cohortId: string, tx?: EntityManager): Promise<ParticipantRow[]> {
    return this.db.query<ParticipantRow>(
      `SELECT p.id AS "participantId", p.user_id AS "userId", p.enrolment_id AS "enrolmentId", u.name AS name,
        u.email AS email, u.sex AS sex, u.organisation AS organisation, u.status AS status
       FROM cohort_participants p JOIN users u ON u.id = p.user_id WHERE p.cohort_id = ? ORDER BY u.name, p.id`,
      [cohortId],
      tx,
    );
  }

  async insertParticipant(tx: EntityManager, participant: CohortParticipant): Promise<void> {
    await tx.insert(CohortParticipant, participant);
  }

  /** Removes a participant with their attendance and practicum result in this cohort. */
  async removeParticipant(tx: EntityManager, participant: CohortParticipant): Promise<void> {
    const { cohortId, userId } = participant;
    await tx.delete(Attendance, { cohortId, userId });
    await tx.delete(PracticumResult, { cohortId, userId });
    await tx.delete(CohortParticipant, { id: participant.id });
  }

  countParticipants(cohortId: string, tx?: EntityManager): Promise<number> {
    return this.m(tx).count(CohortParticipant, { where: { cohortId } });
  }

  findParticipant(cohortId: string, userId: string, tx?: EntityManager): Promise<CohortParticipant | null> {
    return this.m(tx).findOne(CohortParticipant, { where: { cohortId, userId } });
  }

  days(cohortId: string, tx?: EntityManager): Promise<CohortDay[]> {
    return this.db.select(CohortDay, 'WHERE t.cohort_id = ? ORDER BY t.date, t.id', [cohortId], tx);
  }

  findDay(cohortId: string, dayId: string, tx?: EntityManager): Promise<CohortDay | null> {
    return this.m(tx).findOne(CohortDay, { where: { cohortId, id: dayId } });
  }

  async insertDay(tx: EntityManager, day: CohortDay): Promise<void> {
    await tx.insert(CohortDay, day);
  }

  attendanceOf(cohortId: string, tx?: EntityManager): Promise<Attendance[]> {
    return this.db.select(Attendance, 'WHERE t.cohort_id = ?', [cohortId], tx);
  }

  attendanceOfDay(dayId: string, tx?: EntityManager): Promise<Attendance[]> {
    return this.m(tx).find(Attendance, { where: { dayId } });
  }

  async insertAttendance(tx: EntityManager, attendance: Attendance): Promise<void> {
    await tx.insert(Attendance, attendance);
  }

  /** A changed attendance mark, with who recorded it and when. */
  async updateAttendance(
    tx: EntityManager,
    id: string,
    change: Pick<Attendance, 'status' | 'recordedBy' | 'recordedAt'>,
  ): Promise<void> {
    await tx.update(Attendance, { id }, change);
  }

  findPracticum(cohortId: string, userId: string, tx?: EntityManager): Promise<PracticumResult | null> {
    return this.m(tx).findOne(PracticumResult, { where: { cohortId, userId } });
  }

  /** Inserts or replaces the participant's practicum result (one per participant). */
  async savePracticum(tx: EntityManager, result: PracticumResult): Promise<void> {
    await tx.save(PracticumResult, result);
  }

  practicumOf(cohortId: string, tx?: EntityManager): Promise<PracticumResult[]> {
    return this.db.select(PracticumResult, 'WHERE t.cohort_id = ?', [cohortId], tx);
  }

  usersByIds(ids: string[], tx?: EntityManager): Promise<User[]> {
    return ids.length ? this.m(tx).find(User, { where: { id: In(ids) } }) : Promise.resolve([]);
  }

  usersByEmails(emails: string[], tx?: EntityManager): Promise<User[]> {
    return emails.length ? this.m(tx).find(User, { where: { email: In(emails) } }) : Promise.resolve([]);
  }

  /** Active managers and admins by name (facilitator candidates), at most `take`. */
  activeStaff(take: number, tx?: EntityManager): Promise<User[]> {
    return this.m(tx).find(User, {
      where: { role: In(['manager', 'admin']), status: 'active' },
      order: { name: 'ASC' },
      take,
    });
  }
}
