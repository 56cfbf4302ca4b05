import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * The cascade lineage (src/reports/lineage.service.ts) walks cohort → certified trainers →
 * cohorts they facilitate → ... and then reads the sessions of the trainers it found. Each step
 * looks up by the other end of a key the tables were not indexed for: certifications by cohort,
 * facilitators by person, sessions by trainer.
 */
export class AddLineageIndexes1764131100000 implements MigrationInterface {
  name = 'AddLineageIndexes1764131100000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex(
      'certifications',
      new TableIndex({ name: 'idx_certifications_cohort_user', columnNames: ['cohort_id', 'user_id'] }),
    );
    await q.createIndex(
      'cohort_facilitators',
      new TableIndex({ name: 'idx_cohort_facilitators_user', columnNames: ['user_id', 'cohort_id'] }),
    );
    // Trainer first, then every column the reach report sums: the lineage's sessions of a set of
    // trainers and the reach report's trainer and generation groupings read this index alone.
    const counts = [
      'female',
      'male',
      'unspecified',
      'age_under10',
      'age10_to14',
      'age15_to17',
      'age18_plus',
      'teachers',
      'parents',
    ];
    await q.createIndex(
      'cascade_sessions',
      new TableIndex({
        name: 'idx_cascade_sessions_trainer',
        columnNames: [
          'trainer_id',
          'status',
          'date',
          'school_id',
          'country_code',
          'municipality_id',
          'course_id',
          ...counts,
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('cascade_sessions', 'idx_cascade_sessions_trainer');
    await q.dropIndex('cohort_facilitators', 'idx_cohort_facilitators_user');
    await q.dropIndex('certifications', 'idx_certifications_cohort_user');
  }
}
