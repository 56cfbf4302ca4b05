import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager, In, Not } from 'typeorm';
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

  /** Active admins other than `exceptId` (the last admin may not go). */
  countOtherActiveAdmins(exceptId: string, tx: EntityManager = this.db.manager): Promise<number> {
    return tx.countBy(User, { role: 'admin', status: 'active', id: Not(exceptId) });
  }

  /** Names by id, for the given ids only. */
  async namesByIds(ids: string[], tx: EntityManager = this.db.manager): Promise<Map<string, string>> {
    const rows = await tx.find(User, { select: { id: true, name: true }, where: { id: In(ids) } });
    return new Map(rows.map((u) => [u.id, u.name]));
  }

  /** Inserts a new account (its id is generated here) and returns it. */
  async insert(tx: EntityManager, fields: Omit<User, 'id' | 'anonymisedAt'>): Promise<User> {
    const user = tx.create(User, fields);
    await tx.insert(User, user);
    return user;
  }

  /** Writes every column of an account loaded and changed by the caller. */
  async saveAccount(user: User, tx: EntityManager): Promise<void> {
    await tx.save(User, user);
  }

  /** Changes some columns of one account. */
  async updateAccount(
    tx: EntityManager,
    userId: string,
    changes: Partial<Omit<User, 'id' | 'email' | 'createdAt'>>,
  ): Promise<void> {
    await tx.update(User, { id: userId }, changes);
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
