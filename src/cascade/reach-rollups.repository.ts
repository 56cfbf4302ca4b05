import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../database/database.service';
import {
  monthReachStatements,
  SCHOOL_MONTH_ROWS_SQL,
  schoolMonthsOf,
  type SchoolMonthRow,
} from './month-reach';
import { Counted, monthChanges, ROLLUP_GRAINS, rollupChanges, rollupStatements } from './reach-rollups';

/**
 * Keeps `cascade_reach_rollups` and `cascade_trainer_rollups` equal to GROUP BYs over
 * `cascade_sessions` (statements in reach-rollups.ts), and `cascade_month_reach` built on them
 * (month-reach.ts).
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
    // Then the month reach, from the touched schools' monthly rows as they now are (month-reach.ts).
    const months = monthChanges(changes);
    const rows = new Map<string, SchoolMonthRow[]>();
    for (const { key, month, schoolId } of schoolMonthsOf(months))
      rows.set(key, (await this.db.query(SCHOOL_MONTH_ROWS_SQL, [month, schoolId], tx)) as SchoolMonthRow[]);
    for (const { sql, params } of monthReachStatements(months, rows)) await this.db.query(sql, params, tx);
  }
}
