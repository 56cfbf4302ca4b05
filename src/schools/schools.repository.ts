import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager, In } from 'typeorm';
import { Database, toDialect } from '../database/database.service';
import { User } from '../users/user.entity';
import { Country, Municipality, School, SchoolCoordinator } from './school.entities';

/** Confirmed cascade sessions of a school, summed (raw numbers: drivers return counts as text or numbers). */
export interface SchoolSessionSums {
  sessions: number | string;
  female: number | string;
  male: number | string;
  unspecified: number | string;
  teachers: number | string;
  parents: number | string;
}

export interface SchoolFilter {
  countryCode?: string | null;
  municipalityId?: string;
  search?: string;
  /** Only these schools (a coordinator's scope). */
  ids?: string[];
}

/**
 * Every query on countries, municipalities, schools and their coordinators, and the school's
 * confirmed-session totals (read here: cascade imports schools, so schools cannot ask cascade).
 */
@Injectable()
export class SchoolsRepository {
  constructor(private readonly db: Database) {}

  private m(tx?: EntityManager) {
    return tx ?? this.db.manager;
  }

  countries(): Promise<Country[]> {
    return this.db.manager.find(Country, { order: { code: 'ASC' } });
  }

  countryExists(code: string, tx?: EntityManager): Promise<boolean> {
    return this.m(tx).exists(Country, { where: { code } });
  }

  municipalities(countryCode?: string | null): Promise<Municipality[]> {
    return this.db.manager.find(Municipality, {
      where: countryCode ? { countryCode } : {},
      order: { countryCode: 'ASC', name: 'ASC' },
    });
  }

  municipalitiesByIds(ids: string[]): Promise<Municipality[]> {
    return ids.length ? this.db.manager.find(Municipality, { where: { id: In(ids) } }) : Promise.resolve([]);
  }

  findMunicipality(countryCode: string, name: string, tx?: EntityManager): Promise<Municipality | null> {
    return this.m(tx)
      .createQueryBuilder(Municipality, 'm')
      .where('m.country_code = :countryCode AND LOWER(m.name) = :name', {
        countryCode,
        name: name.trim().toLowerCase(),
      })
      .getOne();
  }

  /** Inserts the municipality unless one with its country and name exists (a concurrent request may have just created it). */
  async insertMunicipalityIfAbsent(tx: EntityManager, municipality: Municipality): Promise<void> {
    await tx.createQueryBuilder().insert().into(Municipality).values(municipality).orIgnore().execute();
  }

  findMunicipalityById(id: string, tx?: EntityManager): Promise<Municipality | null> {
    return this.m(tx).findOne(Municipality, { where: { id } });
  }

  findSchool(id: string, tx?: EntityManager): Promise<School | null> {
    return this.m(tx).findOne(School, { where: { id } });
  }

  schoolsByIds(ids: string[], tx?: EntityManager): Promise<School[]> {
    return ids.length ? this.m(tx).find(School, { where: { id: In(ids) } }) : Promise.resolve([]);
  }

  findSchoolByCode(countryCode: string, code: string, tx?: EntityManager): Promise<School | null> {
    return this.m(tx).findOne(School, { where: { countryCode, code } });
  }

  schoolsByCodes(countryCode: string, codes: string[], tx?: EntityManager): Promise<School[]> {
    return codes.length
      ? this.m(tx).find(School, { where: { countryCode, code: In(codes) } })
      : Promise.resolve([]);
  }

  async page(
    filter: SchoolFilter,
    limit: number,
    offset: number,
  ): Promise<{ items: School[]; total: number }> {
    const q = this.db.manager.createQueryBuilder(School, 's');
    if (filter.ids) {
      if (!filter.ids.length) return { items: [], total: 0 };
      q.andWhere('s.id IN (:...ids)', { ids: filter.ids });
    }
    if (filter.countryCode) q.andWhere('s.country_code = :country', { country: filter.countryCode });
    if (filter.municipalityId)
      q.andWhere('s.municipality_id = :municipality', { municipality: filter.municipalityId });
    if (filter.search) {
      const pattern = `%${filter.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q.andWhere(
        new Brackets((w) =>
          w
            .where("LOWER(s.name) LIKE :pattern ESCAPE '\\'", { pattern })
            .orWhere("LOWER(s.code) LIKE :pattern ESCAPE '\\'", { pattern }),
        ),
      );
    }
    const [items, total] = await q
      .orderBy('s.name', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .take(limit)
      .skip(offset)
      .getManyAndCount();
    return { items, total };
  }

  async insertSchool(tx: EntityManager, school: School): Promise<void> {
    await tx.insert(School, school);
  }

  async saveSchool(tx: EntityManager, school: School): Promise<void> {
    await tx.save(School, school);
  }

  async addCoordinator(tx: EntityManager, schoolId: string, userId: string): Promise<void> {
    await tx.insert(SchoolCoordinator, { schoolId, userId });
  }

  async schoolIdsOfCoordinator(userId: string): Promise<string[]> {
    const rows = await this.db.manager.find(SchoolCoordinator, { where: { userId } });
    return rows.map((r) => r.schoolId);
  }

  coordinatorsOf(schoolIds: string[], tx?: EntityManager): Promise<Array<{ schoolId: string; user: User }>> {
    if (!schoolIds.length) return Promise.resolve([]);
    return this.m(tx)
      .createQueryBuilder(SchoolCoordinator, 'sc')
      .innerJoinAndMapOne('sc.user', User, 'u', 'u.id = sc.user_id')
      .where('sc.school_id IN (:...ids)', { ids: schoolIds })
      .getMany() as unknown as Promise<Array<{ schoolId: string; user: User }>>;
  }

  async setCoordinators(tx: EntityManager, schoolId: string, userIds: string[]): Promise<void> {
    await tx.delete(SchoolCoordinator, { schoolId });
    for (const userId of userIds) await tx.insert(SchoolCoordinator, { schoolId, userId });
  }

  usersByIds(ids: string[], tx?: EntityManager): Promise<User[]> {
    return ids.length ? this.m(tx).find(User, { where: { id: In(ids) } }) : Promise.resolve([]);
  }

  /** Active and invited coordinators, in the country when given, by name (at most `take`). */
  coordinatorCandidates(countryCode: string | null, take: number, tx?: EntityManager): Promise<User[]> {
    return this.m(tx).find(User, {
      where: {
        role: 'coordinator',
        status: In(['active', 'invited']),
        ...(countryCode ? { countryCode } : {}),
      },
      order: { name: 'ASC' },
      take,
    });
  }

  /** The school's confirmed cascade sessions: count and attendees by group (one grouped query). */
  async confirmedSessionSums(schoolId: string, tx?: EntityManager): Promise<SchoolSessionSums | undefined> {
    const [sum] = await this.m(tx).query(
      toDialect(
        this.db.kind,
        `SELECT COUNT(*) AS sessions, COALESCE(SUM(female),0) AS female, COALESCE(SUM(male),0) AS male, COALESCE(SUM(unspecified),0) AS unspecified, COALESCE(SUM(teachers),0) AS teachers, COALESCE(SUM(parents),0) AS parents FROM cascade_sessions WHERE school_id = ? AND status = 'confirmed'`,
      ),
      [schoolId],
    );
    return sum as SchoolSessionSums | undefined;
  }

  /** Who delivered the school's confirmed sessions: trainer name and session count, by name. */
  confirmedSessionsByTrainer(
    schoolId: string,
    tx?: EntityManager,
  ): Promise<Array<{ name: string; sessions: number | string }>> {
    return this.m(tx).query(
      toDialect(
        this.db.kind,
        `SELECT u.name AS name, COUNT(*) AS sessions FROM cascade_sessions c JOIN users u ON u.id = c.trainer_id WHERE c.school_id = ? AND c.status = 'confirmed' GROUP BY u.id, u.name ORDER BY u.name`,
      ),
      [schoolId],
    );
  }
}
