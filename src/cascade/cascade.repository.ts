import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager, Not } from 'typeorm';
import { Database } from '../database/database.service';
import { School } from '../schools/school.entities';
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
}
