import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Database } from '../database/database.service';
import { Country, Municipality, School } from '../schools/school.entities';
import { Dhis2Mapping } from './dhis2-mapping.entity';

/**
 * Every query on Dhis2Mapping, and the reads of places (countries, municipalities, schools) the
 * mapping is checked against. Those places belong to schools/: they are cross-module reads, kept
 * here and named until SchoolsService offers them (issue 14).
 */
@Injectable()
export class Dhis2MappingRepository {
  constructor(private readonly db: Database) {}

  findAll(tx: EntityManager = this.db.manager): Promise<Dhis2Mapping[]> {
    return tx.find(Dhis2Mapping);
  }

  async insert(tx: EntityManager, fields: Omit<Dhis2Mapping, 'id'>): Promise<void> {
    await tx.insert(Dhis2Mapping, tx.create(Dhis2Mapping, fields));
  }

  async updateUid(
    tx: EntityManager,
    id: string,
    change: Pick<Dhis2Mapping, 'uid' | 'updatedBy' | 'updatedAt'>,
  ): Promise<void> {
    await tx.update(Dhis2Mapping, { id }, change);
  }

  async delete(tx: EntityManager, id: string): Promise<void> {
    await tx.delete(Dhis2Mapping, { id });
  }

  /** Cross-module read (schools/): every country, by code. */
  countriesByCode(): Promise<Country[]> {
    return this.db.manager.find(Country, { order: { code: 'ASC' } });
  }

  /** Cross-module read (schools/): every municipality, by country then name. */
  municipalitiesByCountryAndName(): Promise<Municipality[]> {
    return this.db.manager.find(Municipality, { order: { countryCode: 'ASC', name: 'ASC' } });
  }

  /** Cross-module read (schools/): every school, by country then code. */
  schoolsByCountryAndCode(): Promise<School[]> {
    return this.db.manager.find(School, { order: { countryCode: 'ASC', code: 'ASC' } });
  }
}
