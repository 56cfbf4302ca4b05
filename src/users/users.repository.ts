import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager } from 'typeorm';
import { Database } from '../database/database.service';
import type { Role } from '../common/kernel/user-role.enum';
import { User } from './user.entity';

export interface UserFilter {
  roles?: Role[];
  countryCode?: string | null;
  search?: string;
}

/** Every query on User. */
@Injectable()
export class UsersRepository {
  constructor(private readonly db: Database) {}

  findById(id: string, tx: EntityManager = this.db.manager): Promise<User | null> {
    return tx.findOne(User, { where: { id } });
  }

  findByEmail(email: string, tx: EntityManager = this.db.manager): Promise<User | null> {
    return tx.findOne(User, { where: { email: email.trim().toLowerCase() } });
  }

  countAll(): Promise<number> {
    return this.db.manager.count(User);
  }

  async page(filter: UserFilter, limit: number, offset: number): Promise<{ items: User[]; total: number }> {
    const query = this.db.manager.createQueryBuilder(User, 'u');
    if (filter.roles) query.andWhere('u.role IN (:...roles)', { roles: filter.roles });
    if (filter.countryCode) query.andWhere('u.country_code = :country', { country: filter.countryCode });
    if (filter.search) {
      // LIKE metacharacters in the search are data, not patterns.
      const pattern = `%${filter.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query.andWhere(
        new Brackets((w) =>
          w
            .where("LOWER(u.name) LIKE :pattern ESCAPE '\\'", { pattern })
            .orWhere("u.email LIKE :pattern ESCAPE '\\'", { pattern }),
        ),
      );
    }
    const [items, total] = await query
      .orderBy('u.name', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .take(limit)
      .skip(offset)
      .getManyAndCount();
    return { items, total };
  }
}
