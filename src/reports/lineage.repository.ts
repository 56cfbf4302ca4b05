import { Injectable } from '@nestjs/common';
import { textParameter } from '../database/dialect';
import {
  countedStatuses,
  GENERATION_CTE,
  LineageRoot,
  TRAINER_GENERATION_CTE,
  treeCte,
} from './lineage.query';
import { ReportReader } from './report-reader';
import { rows } from './sql';

export type CohortRow = {
  id: string;
  depth: number;
  name: string;
  country_code: string;
  starts_on: string;
  ends_on: string;
};

/**
 * The queries of the cascade lineage (SQL pieces in lineage.query.ts): a constant number whatever
 * the size of the tree, recursive CTEs then one grouped query per relation. Reads across cohorts,
 * certifications, users and sessions, as reports may (STYLE.md).
 */
@Injectable()
export class LineageRepository {
  constructor(private readonly db: ReportReader) {}

  /** A cohort's country, or undefined when there is no such cohort. */
  async cohortCountry(cohortId: string): Promise<{ id: string; country_code: string } | undefined> {
    const [cohort] = await rows<{ id: string; country_code: string }>(
      this.db,
      'SELECT id, country_code FROM cohorts WHERE id = ?',
      [cohortId],
      [],
    );
    return cohort;
  }

  /** The countries of the cohorts a person was certified in or facilitated. */
  async countriesOfPerson(userId: string): Promise<string[]> {
    const countries = await rows<{ country_code: string }>(
      this.db,
      `SELECT h.country_code FROM certifications x JOIN cohorts h ON h.id = x.cohort_id WHERE x.user_id = ?
       UNION SELECT h.country_code FROM cohort_facilitators f JOIN cohorts h ON h.id = f.cohort_id WHERE f.user_id = ?`,
      [userId, userId],
      [],
    );
    return countries.map((c) => c.country_code);
  }

  /**
   * Everything the tree below `root` shows, down to `max` trainer levels: its cohorts with their
   * depth, who each certified and who facilitated it, the counted sessions of its trainers per
   * school, program generations, and (for a trainer root) where the root trainer was certified.
   */
  async tree(root: LineageRoot, max: number, includeSubmitted: boolean) {
    const tree = treeCte(root, max);
    const inTree = `(SELECT cohort_id FROM tree WHERE depth <= ${max})`;
    const rootTrainer = root.kind === 'trainer' ? root.id : null;
    // The trainers whose sessions count: certified in a shown cohort, and the root trainer.
    const trainersSql = `(SELECT cx.user_id FROM certifications cx WHERE cx.cohort_id IN ${inTree}${rootTrainer ? ` UNION SELECT ${textParameter()}` : ''})`;
    const trainerParams = rootTrainer ? [...tree.params, rootTrainer] : tree.params;
    const [cohorts, certs, facilitators, sessions, generations, rootInfo] = await Promise.all([
      rows<CohortRow>(
        this.db,
        `WITH RECURSIVE ${tree.sql}
         SELECT h.id, MIN(t.depth) AS depth, h.name, h.country_code, h.starts_on, h.ends_on FROM tree t JOIN cohorts h ON h.id = t.cohort_id
         GROUP BY h.id, h.name, h.country_code, h.starts_on, h.ends_on`,
        tree.params,
        ['depth'],
      ),
      rows<{ cohort_id: string; user_id: string; name: string }>(
        this.db,
        `WITH RECURSIVE ${tree.sql}
         SELECT DISTINCT x.cohort_id, x.user_id, u.name FROM certifications x JOIN users u ON u.id = x.user_id WHERE x.cohort_id IN ${inTree}`,
        tree.params,
        [],
      ),
      rows<{ cohort_id: string; user_id: string; name: string }>(
        this.db,
        `WITH RECURSIVE ${tree.sql}
         SELECT f.cohort_id, f.user_id, u.name FROM cohort_facilitators f JOIN users u ON u.id = f.user_id WHERE f.cohort_id IN (SELECT cohort_id FROM tree)`,
        tree.params,
        [],
      ),
      rows<{ trainer_id: string; school_id: string; sessions: number; students: number }>(
        this.db,
        `WITH RECURSIVE ${tree.sql}
         SELECT s.trainer_id, s.school_id, COUNT(*) AS sessions, SUM(s.female + s.male + s.unspecified) AS students FROM cascade_sessions s
         WHERE s.trainer_id IN ${trainersSql} AND s.status IN ${countedStatuses(includeSubmitted)}
         GROUP BY s.trainer_id, s.school_id`,
        trainerParams,
        ['sessions', 'students'],
      ),
      rows<{ kind: string; id: string; generation: number }>(
        this.db,
        `WITH RECURSIVE ${tree.sql}, ${GENERATION_CTE}, ${TRAINER_GENERATION_CTE}
         SELECT 'cohort' AS kind, g.cohort_id AS id, MIN(g.generation) AS generation FROM lineage_gen g WHERE g.cohort_id IN (SELECT cohort_id FROM tree) GROUP BY g.cohort_id
         UNION ALL
         SELECT 'trainer' AS kind, tg.trainer_id AS id, tg.generation FROM trainer_gen tg WHERE tg.trainer_id IN ${trainersSql}`,
        trainerParams,
        ['generation'],
      ),
      rootTrainer
        ? rows<{
            user_id: string;
            name: string;
            cohort_id: string | null;
            cohort_name: string | null;
            country_code: string | null;
            facilitator_id: string | null;
            facilitator_name: string | null;
          }>(
            this.db,
            `SELECT u.id AS user_id, u.name, h.id AS cohort_id, h.name AS cohort_name, h.country_code, f.user_id AS facilitator_id, fu.name AS facilitator_name
             FROM users u LEFT JOIN certifications x ON x.user_id = u.id LEFT JOIN cohorts h ON h.id = x.cohort_id
             LEFT JOIN cohort_facilitators f ON f.cohort_id = h.id LEFT JOIN users fu ON fu.id = f.user_id
             WHERE u.id = ? ORDER BY h.starts_on, h.name, fu.name`,
            [rootTrainer],
            [],
          )
        : Promise.resolve([]),
    ]);
    return { cohorts, certs, facilitators, sessions, generations, rootInfo };
  }
}
