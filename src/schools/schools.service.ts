import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { AuthUser } from '../common/kernel/auth-user';
import { countryScopeOf } from '../common/access/scope';
import { AuditService } from '../common/audit/audit.service';
import { Clock } from '../common/clock';
import { forbidden, InputError } from '../common/errors/app-errors';
import { Database } from '../database/database.service';
import { CreateSchoolDto, ListSchoolsQuery } from './dto/school.dto';
import { Municipality, School } from './school.entities';
import { SchoolsError } from './schools.errors';
import { SchoolRow } from './schools-import';
import { SchoolsRepository } from './schools.repository';
import { isUuid } from '../common/ids';
import type { User } from '../users/user.entity';

/** What a school's page shows of its confirmed cascade sessions. */
export interface SchoolTotals {
  sessions: number;
  female: number;
  male: number;
  unspecified: number;
  students: number;
  teachers: number;
  parents: number;
  trainers: Array<{ name: string; sessions: number }>;
}

/** Reference data and the coordinator scope (DESIGN.md "Country / Municipality / School"). */
@Injectable()
export class SchoolsService {
  constructor(
    private readonly db: Database,
    private readonly schools: SchoolsRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  countries() {
    return this.schools.countries();
  }

  /** Municipalities the actor may see (a scoped manager: their country). */
  municipalities(actor: AuthUser, countryCode?: string) {
    const scope = countryScopeOf(actor);
    return this.schools.municipalities(scope ?? countryCode ?? null);
  }

  async create(actor: AuthUser, dto: CreateSchoolDto): Promise<School> {
    this.requireCountry(actor, dto.countryCode);
    return this.db.transaction(async (tx) => {
      if (!(await this.schools.countryExists(dto.countryCode, tx)))
        throw new InputError({ countryCode: [{ key: 'country-unknown', params: {} }] });
      if (await this.schools.findSchoolByCode(dto.countryCode, dto.code, tx))
        throw new SchoolsError('conflict', 'code-taken', { code: dto.code }, 'code');
      const municipality = await this.municipalityFor(tx, dto.countryCode, dto.municipality);
      const school = tx.create(School, {
        countryCode: dto.countryCode,
        municipalityId: municipality.id,
        name: dto.name,
        code: dto.code,
        level: dto.level ?? null,
        address: dto.address ?? null,
        createdAt: this.clock.now(),
      });
      await this.schools.insertSchool(tx, school);
      await this.audit.record(tx, actor.id, 'school.create', { type: 'school', id: school.id }, null, {
        name: school.name,
        code: school.code,
      });
      return school;
    });
  }

  async update(actor: AuthUser, id: string, dto: CreateSchoolDto): Promise<School> {
    const school = await this.manageable(actor, id);
    this.requireCountry(actor, dto.countryCode);
    return this.db.transaction(async (tx) => {
      const other = await this.schools.findSchoolByCode(dto.countryCode, dto.code, tx);
      if (other && other.id !== id)
        throw new SchoolsError('conflict', 'code-taken', { code: dto.code }, 'code');
      const municipality = await this.municipalityFor(tx, dto.countryCode, dto.municipality);
      Object.assign(school, {
        countryCode: dto.countryCode,
        municipalityId: municipality.id,
        name: dto.name,
        code: dto.code,
        level: dto.level ?? null,
        address: dto.address ?? null,
      });
      await this.schools.saveSchool(tx, school);
      return school;
    });
  }

  /** Replaces a school's coordinators (users with the coordinator role); audited. */
  async setCoordinators(actor: AuthUser, id: string, userIds: string[]): Promise<void> {
    await this.manageable(actor, id);
    const unique = [...new Set(userIds)];
    await this.db.transaction(async (tx) => {
      const users = await this.schools.usersByIds(unique, tx);
      if (
        users.length !== unique.length ||
        users.some((u) => u.role !== 'coordinator' || u.status === 'disabled')
      ) {
        throw new InputError({ userIds: [{ key: 'coordinators-only', params: {} }] });
      }
      // A scoped manager may not hand their schools to another country's coordinator (nor to one
      // without a country: outside every country scope, as in users.service).
      const scope = countryScopeOf(actor);
      if (scope && users.some((u) => u.countryCode !== scope)) throw forbidden('out-of-scope');
      const before = (await this.schools.coordinatorsOf([id], tx)).map((c) => c.user.id);
      await this.schools.setCoordinators(tx, id, unique);
      await this.audit.record(
        tx,
        actor.id,
        'school.coordinators',
        { type: 'school', id },
        { userIds: before },
        { userIds: unique },
      );
    });
  }

  /** Adds schools to a coordinator (users module, when creating a coordinator with schoolIds). */
  async addCoordinatorSchools(
    tx: EntityManager,
    actor: AuthUser,
    userId: string,
    schoolIds: string[],
  ): Promise<void> {
    const schools = await this.schools.schoolsByIds([...new Set(schoolIds)], tx);
    if (schools.length !== new Set(schoolIds).size)
      throw new InputError({ schoolIds: [{ key: 'id', params: {} }] });
    for (const school of schools) {
      this.requireCountry(actor, school.countryCode);
      await this.schools.addCoordinator(tx, school.id, userId);
    }
  }

  async list(actor: AuthUser, query: ListSchoolsQuery) {
    const limit = query.limit ?? 25;
    const offset = query.offset ?? ((query.page ?? 1) - 1) * limit;
    const scope = countryScopeOf(actor);
    if (scope && query.countryCode && query.countryCode !== scope)
      return { items: [], total: 0, limit, offset };
    const ids = await this.restrictedIds(actor);
    const page = await this.schools.page(
      {
        countryCode: scope ?? query.countryCode ?? null,
        municipalityId: query.municipalityId,
        search: query.q,
        ids,
      },
      limit,
      offset,
    );
    return { ...page, limit, offset };
  }

  /** A school the actor may read: coordinators their own; trainers any in the program (to log sessions); managers in scope. */
  async get(actor: AuthUser, id: string): Promise<School> {
    const school = await this.find(id);
    if (actor.role === 'coordinator') {
      const mine = await this.schools.schoolIdsOfCoordinator(actor.id);
      if (!mine.includes(id)) throw new SchoolsError('forbidden', 'not-your-school');
    }
    this.requireCountry(actor, school.countryCode);
    return school;
  }

  async manageable(actor: AuthUser, id: string): Promise<School> {
    const school = await this.find(id);
    if (actor.role !== 'admin' && actor.role !== 'manager')
      throw new SchoolsError('forbidden', 'not-your-school');
    this.requireCountry(actor, school.countryCode);
    return school;
  }

  /** The coordinator's schools; undefined for roles that are not limited to schools. */
  async restrictedIds(actor: AuthUser): Promise<string[] | undefined> {
    return actor.role === 'coordinator' ? this.schools.schoolIdsOfCoordinator(actor.id) : undefined;
  }

  schoolIdsOfCoordinator(userId: string): Promise<string[]> {
    return this.schools.schoolIdsOfCoordinator(userId);
  }

  /**
   * The schools' coordinators. Inside a transaction, pass it: on PostgreSQL a read on another pooled
   * connection while holding one can exhaust the pool and hang every writer.
   */
  coordinatorsOf(schoolIds: string[], tx?: EntityManager) {
    return this.schools.coordinatorsOf(schoolIds, tx);
  }

  /** Coordinators a manager or admin may assign (active or invited, in their country scope); none for other roles. */
  async coordinatorCandidates(actor: AuthUser): Promise<User[]> {
    if (actor.role !== 'admin' && actor.role !== 'manager') return [];
    return this.schools.coordinatorCandidates(countryScopeOf(actor), 300);
  }

  /** A school's confirmed sessions: sessions, students by sex, and who delivered (one grouped query each). */
  async confirmedTotals(schoolId: string): Promise<SchoolTotals> {
    const [sum, trainers] = await Promise.all([
      this.schools.confirmedSessionSums(schoolId),
      this.schools.confirmedSessionsByTrainer(schoolId),
    ]);
    const n = (v: unknown) => Number(v ?? 0);
    return {
      sessions: n(sum?.sessions),
      female: n(sum?.female),
      male: n(sum?.male),
      unspecified: n(sum?.unspecified),
      students: n(sum?.female) + n(sum?.male) + n(sum?.unspecified),
      teachers: n(sum?.teachers),
      parents: n(sum?.parents),
      trainers: trainers.map((r) => ({ name: r.name, sessions: n(r.sessions) })),
    };
  }

  schoolsByIds(ids: string[]) {
    return this.schools.schoolsByIds(ids);
  }

  municipalitiesByIds(ids: string[]): Promise<Municipality[]> {
    return this.schools.municipalitiesByIds(ids);
  }

  /** Checks CSV rows against the database (unknown countries, codes already used) without writing. */
  async previewImport(actor: AuthUser, rows: SchoolRow[]): Promise<SchoolRow[]> {
    const countries = new Set((await this.schools.countries()).map((c) => c.code));
    const scope = countryScopeOf(actor);
    const byCountry = new Map<string, SchoolRow[]>();
    for (const row of rows) {
      if (row.problems.length) continue;
      if (!countries.has(row.countryCode)) row.problems.push({ key: 'country-unknown' });
      else if (scope && row.countryCode !== scope) row.problems.push({ key: 'country-out-of-scope' });
      else byCountry.set(row.countryCode, [...(byCountry.get(row.countryCode) ?? []), row]);
    }
    for (const [country, list] of byCountry) {
      const schoolRows = list.filter((r) => r.code);
      const existing = new Set(
        (
          await this.schools.schoolsByCodes(
            country,
            schoolRows.map((r) => r.code),
          )
        ).map((s) => s.code.toLowerCase()),
      );
      for (const row of schoolRows)
        if (existing.has(row.code.toLowerCase())) row.problems.push({ key: 'code-exists' });
    }
    return rows;
  }

  /** All or nothing: creates the municipalities and schools of checked rows in one transaction. */
  async importRows(actor: AuthUser, rows: SchoolRow[]): Promise<{ schools: number; municipalities: number }> {
    let schools = 0;
    if (rows.some((r) => r.problems.length))
      throw new InputError({ csv: [{ key: 'csv-has-problems', params: {} }] });
    return this.db.transaction(async (tx) => {
      let municipalities = 0;
      const cache = new Map<string, Municipality>();
      for (const row of rows) {
        const key = `${row.countryCode}:${row.municipality.toLowerCase()}`;
        let municipality = cache.get(key);
        if (!municipality) {
          const existing = await this.schools.findMunicipality(row.countryCode, row.municipality, tx);
          municipality = existing ?? (await this.municipalityFor(tx, row.countryCode, row.municipality));
          if (!existing) municipalities++;
          cache.set(key, municipality);
        }
        if (!row.code) continue; // a municipality-only row
        if (await this.schools.findSchoolByCode(row.countryCode, row.code, tx))
          throw new SchoolsError('conflict', 'code-taken', { code: row.code });
        schools++;
        await this.schools.insertSchool(
          tx,
          tx.create(School, {
            countryCode: row.countryCode,
            municipalityId: municipality.id,
            name: row.name,
            code: row.code,
            level: row.level,
            address: row.address || null,
            createdAt: this.clock.now(),
          }),
        );
      }
      await this.audit.record(tx, actor.id, 'school.import', { type: 'school', id: 'csv' }, null, {
        schools,
        municipalities,
      });
      return { schools, municipalities };
    });
  }

  private async municipalityFor(tx: EntityManager, countryCode: string, name: string): Promise<Municipality> {
    const existing = await this.schools.findMunicipality(countryCode, name, tx);
    if (existing) return existing;
    // Two requests may add the first school of a new municipality at once (PostgreSQL, several
    // instances): the later insert is ignored and both use the row that won, instead of a 500.
    await this.schools.insertMunicipalityIfAbsent(
      tx,
      tx.create(Municipality, { countryCode, name: name.trim() }),
    );
    return (await this.schools.findMunicipality(countryCode, name, tx)) as Municipality;
  }

  private async find(id: string): Promise<School> {
    const school = isUuid(id) ? await this.schools.findSchool(id) : null;
    if (!school) throw new SchoolsError('not-found', 'not-found');
    return school;
  }

  private requireCountry(actor: AuthUser, countryCode: string): void {
    const scope = countryScopeOf(actor);
    if (scope !== null && scope !== countryCode) throw new SchoolsError('forbidden', 'out-of-scope');
  }
}
