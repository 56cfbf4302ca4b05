import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager, In, Not } from 'typeorm';
import { Database } from '../database/database.service';
import { School } from '../schools/school.entities';
import { User } from '../users/user.entity';
import { CascadeSession, SessionStatus } from './cascade-session.entity';

export interface SessionFilter {
  schoolIds?: string[];
  trainerId?: string;
  schoolId?: string;
  from?: string;
  to?: string;
  status?: SessionStatus;
  countryCode?: string | null;
  /** Sessions waiting for this user's confirmation: logged by the other side, still submitted. */
  waitingFor?: { userId: string; role: 'trainer' | 'coordinator'; schoolIds: string[] };
}

@Injectable()
export class CascadeRepository {
  constructor(private readonly db: Database) {}

  findById(id: string, tx?: EntityManager): Promise<CascadeSession | null> {
    return (tx ?? this.db.manager).findOne(CascadeSession, { where: { id } });
  }

  findDuplicate(
    tx: EntityManager,
    s: Pick<CascadeSession, 'schoolId' | 'trainerId' | 'moduleSlugs' | 'date'>,
    exceptId?: string,
  ): Promise<CascadeSession | null> {
    return tx.findOne(CascadeSession, {
      where: {
        schoolId: s.schoolId,
        trainerId: s.trainerId,
        moduleSlugs: s.moduleSlugs,
        date: s.date,
        status: Not('rejected'),
        ...(exceptId ? { id: Not(exceptId) } : {}),
      },
    });
  }

  /**
   * Inserts a new session; false when an identical one (same school, trainer, modules and date, not
   * rejected) was committed by a concurrent submission in the meantime (partial unique index).
   */
  async insertUnlessDuplicate(tx: EntityManager, session: CascadeSession): Promise<boolean> {
    try {
      await tx.insert(CascadeSession, session);
      return true;
    } catch (error) {
      if (/unique|duplicate/i.test(String((error as Error).message))) return false;
      throw error;
    }
  }

  /**
   * Writes `changes` to a session only while it is still submitted; false when a decision committed
   * since the caller read it (the session is then left as that decision wrote it).
   */
  async updateIfSubmitted(tx: EntityManager, id: string, changes: Partial<CascadeSession>): Promise<boolean> {
    const updated = await tx.update(CascadeSession, { id, status: 'submitted' }, changes);
    return updated.affected !== 0;
  }

  async page(
    filter: SessionFilter,
    limit: number,
    offset: number,
  ): Promise<{ items: CascadeSession[]; total: number }> {
    const q = this.db.manager.createQueryBuilder(CascadeSession, 'c');
    if (filter.schoolIds) {
      if (!filter.schoolIds.length) return { items: [], total: 0 };
      q.andWhere('c.school_id IN (:...scopeSchools)', { scopeSchools: filter.schoolIds });
    }
    if (filter.trainerId) q.andWhere('c.trainer_id = :trainerId', { trainerId: filter.trainerId });
    if (filter.schoolId) q.andWhere('c.school_id = :schoolId', { schoolId: filter.schoolId });
    if (filter.from) q.andWhere('c.date >= :from', { from: filter.from });
    if (filter.to) q.andWhere('c.date <= :to', { to: filter.to });
    if (filter.status) q.andWhere('c.status = :status', { status: filter.status });
    if (filter.countryCode) q.andWhere('c.country_code = :country', { country: filter.countryCode });
    if (filter.waitingFor) {
      const w = filter.waitingFor;
      q.andWhere("c.status = 'submitted'");
      if (w.role === 'trainer')
        q.andWhere("c.trainer_id = :me AND c.logged_by_role = 'coordinator'", { me: w.userId });
      else {
        if (!w.schoolIds.length) return { items: [], total: 0 };
        q.andWhere(
          new Brackets((b) =>
            b
              .where("c.logged_by_role = 'trainer'")
              .andWhere('c.school_id IN (:...mine)', { mine: w.schoolIds }),
          ),
        );
      }
    }
    const [items, total] = await q
      .orderBy('c.date', 'DESC')
      .addOrderBy('c.created_at', 'DESC')
      .take(limit)
      .skip(offset)
      .getManyAndCount();
    return { items, total };
  }

  schoolOf(id: string, tx?: EntityManager): Promise<School | null> {
    return (tx ?? this.db.manager).findOne(School, { where: { id } });
  }

  // The users below are read here until users/ offers a service method for them (issue 14 item 2).

  /** Names of users by id (trainers of a list of sessions). */
  findNamesByIds(ids: string[]): Promise<Pick<User, 'id' | 'name'>[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.db.manager.find(User, { select: { id: true, name: true }, where: { id: In(ids) } });
  }

  /** Users by id with name and e-mail, by name (the logging form's list of trainers). */
  findTrainersOrderedByName(ids: string[]): Promise<User[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.db.manager.find(User, {
      select: { id: true, name: true, email: true },
      where: { id: In(ids) },
      order: { name: 'ASC' },
    });
  }

  findUserById(id: string, tx: EntityManager = this.db.manager): Promise<User | null> {
    return tx.findOne(User, { where: { id } });
  }
}
