/**
 * The SQL of the cascade lineage (DESIGN.md "Second-generation cascade"). Recursive CTEs with
 * `?` parameters only, the same text on SQLite and PostgreSQL.
 *
 * The lineage is a graph of two relations: a cohort CERTIFIED a trainer (`certifications.cohort_id`),
 * and a trainer FACILITATED a cohort (`cohort_facilitators`). A renewal keeps its cohort, so it adds
 * no edge. Facilitator changes made after the fact can in principle close a loop; every recursion
 * below is bounded by a depth, and UNION (not UNION ALL) drops repeated rows.
 */

/**
 * Generations cut off here: a program is at most a handful of generations deep, and the bound ends
 * the recursion on a loop. A trainer deeper than this counts under "not in the lineage".
 */
export const MAX_GENERATION = 12;

/**
 * The program generation of every cohort, as a CTE `lineage_gen(cohort_id, generation)` (several
 * rows per cohort: take the MIN). The precise rule (also in the report page's help text):
 * - a cohort is generation 1 when none of its facilitators holds a certification from another
 *   cohort (it was led by managers, admins or other people who are not certified trainers);
 * - otherwise its generation is one more than the lowest generation of its certified facilitators;
 * - a trainer's generation is the lowest generation of the cohorts that certified them.
 * So generation N is the length of the shortest certification chain from a root cohort. A cohort
 * whose certified facilitators trace back only to a loop, or deeper than MAX_GENERATION, has none.
 */
export const GENERATION_CTE = `lineage_gen(cohort_id, generation) AS (
    SELECT h.id, 1 FROM cohorts h
    WHERE NOT EXISTS (SELECT 1 FROM cohort_facilitators rf JOIN certifications rx ON rx.user_id = rf.user_id AND rx.cohort_id <> rf.cohort_id WHERE rf.cohort_id = h.id)
    UNION
    SELECT gf.cohort_id, g.generation + 1
    FROM lineage_gen g JOIN certifications gx ON gx.cohort_id = g.cohort_id JOIN cohort_facilitators gf ON gf.user_id = gx.user_id AND gf.cohort_id <> g.cohort_id
    WHERE g.generation < ${MAX_GENERATION}
  )`;

/** `trainer_gen(trainer_id, generation)`: each certified trainer's generation (needs GENERATION_CTE before it). */
export const TRAINER_GENERATION_CTE = `trainer_gen(trainer_id, generation) AS (
    SELECT tx.user_id, MIN(tg.generation) FROM certifications tx JOIN lineage_gen tg ON tg.cohort_id = tx.cohort_id GROUP BY tx.user_id
  )`;

export type LineageRoot = { kind: 'cohort'; id: string } | { kind: 'trainer'; id: string };

/**
 * `tree(depth, cohort_id)`: the cohorts below a root, depth 1 being the root cohort (or the cohorts
 * a root trainer facilitated); a cohort facilitated by a trainer certified at depth d is at d + 1.
 * Walks to `maxDepth + 1` so the caller knows what the depth limit cut.
 */
export function treeCte(root: LineageRoot, maxDepth: number): { sql: string; params: unknown[] } {
  const base =
    root.kind === 'cohort'
      ? 'SELECT 1, h.id FROM cohorts h WHERE h.id = ?'
      : 'SELECT 1, bf.cohort_id FROM cohort_facilitators bf WHERE bf.user_id = ?';
  return {
    sql: `tree(depth, cohort_id) AS (
    ${base}
    UNION
    SELECT t.depth + 1, nf.cohort_id FROM tree t JOIN certifications nx ON nx.cohort_id = t.cohort_id JOIN cohort_facilitators nf ON nf.user_id = nx.user_id
    WHERE t.depth <= ?
  )`,
    params: [root.id, maxDepth],
  };
}

/** Session statuses that count: confirmed, plus those waiting for confirmation with `status=all` (like the reach report). */
export const countedStatuses = (includeSubmitted: boolean): string =>
  includeSubmitted ? "('confirmed', 'submitted')" : "('confirmed')";
