import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { Database } from '../../database/database.service';
import { User } from '../../users/user.entity';
import { AuditEntry } from './audit-entry.entity';

@Injectable()
export class AuditQueryService {
  constructor(private readonly db: Database) {}

  /** Newest first, with each actor's name (one query for the page's actors, no N+1). */
  async page(limit: number, offset: number) {
    const [entries, total] = await this.db.manager.findAndCount(AuditEntry, {
      order: { at: 'DESC' },
      take: limit,
      skip: offset,
    });
    const actorIds = [...new Set(entries.map((e) => e.actorId).filter((id): id is string => !!id))];
    const actors = actorIds.length
      ? await this.db.manager.find(User, { select: { id: true, name: true }, where: { id: In(actorIds) } })
      : [];
    const names = new Map(actors.map((a) => [a.id, a.name]));
    return {
      items: entries.map((e) => ({
        ...e,
        actorName: e.actorId ? (names.get(e.actorId) ?? e.actorId) : null,
      })),
      total,
    };
  }
}
