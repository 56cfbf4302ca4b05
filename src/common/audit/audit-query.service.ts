import { Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ACTOR_NAMES, type ActorNames } from './actor-names';
import { AuditRepository } from './audit.repository';

@Injectable()
export class AuditQueryService implements OnModuleInit {
  private actorNames: ActorNames | undefined;

  constructor(
    private readonly repository: AuditRepository,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** ACTOR_NAMES comes from the users module, which this shared module cannot import. */
  onModuleInit(): void {
    this.actorNames = this.moduleRef.get<ActorNames>(ACTOR_NAMES, { strict: false });
  }

  /** Newest first, with each actor's name (one query for the page's actors, no N+1). */
  async page(limit: number, offset: number) {
    const { entries, total } = await this.repository.pageNewestFirst(limit, offset);
    const actorIds = [...new Set(entries.map((e) => e.actorId).filter((id): id is string => !!id))];
    const names = actorIds.length && this.actorNames ? await this.actorNames.namesOf(actorIds) : new Map();
    return {
      items: entries.map((e) => ({
        ...e,
        actorName: e.actorId ? (names.get(e.actorId) ?? e.actorId) : null,
      })),
      total,
    };
  }
}
