import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../database/database.service';
import { Counted, ROLLUP_GRAINS, rollupChanges, rollupStatements } from './reach-rollups';

/**
 * Keeps `cascade_reach_rollups` and `cascade_trainer_rollups` equal to GROUP BYs over
 * `cascade_sessions` (statements in reach-rollups.ts).
 */
@Injectable()
export class ReachRollupsRepository {
  constructor(private readonly db: Database) {}

  /**
   * Moves a session in the rollups, inside the transaction `tx` that writes it, from how it was
   * (`before`, null when new) to how it is now (`after`): the rollups move with the session or not
   * at all.
   */
  async moveSession(tx: EntityManager, before: Counted | null, after: Counted | null): Promise<void> {
    const changes = rollupChanges(before, after);
    for (const grain of ROLLUP_GRAINS)
      for (const [s, sign] of changes)
        for (const { sql, params } of rollupStatements(grain, s, sign)) await this.db.query(sql, params, tx);
  }
}
