import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * Sessions keep the country and municipality where they were delivered (a school that later moves
 * does not rewrite history), and reports read them without joining schools. A covering index serves
 * the reach report from the index alone.
 */
export class AddPlaceToCascadeSessions1764130500000 implements MigrationInterface {
  name = 'AddPlaceToCascadeSessions1764130500000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('cascade_sessions', [
      new TableColumn({ name: 'country_code', type: 'varchar', length: '2', isNullable: true }),
      new TableColumn({ name: 'municipality_id', type: 'varchar', length: '36', isNullable: true }),
    ]);
    await q.query(
      `UPDATE cascade_sessions SET
        country_code = (SELECT s.country_code FROM schools s WHERE s.id = cascade_sessions.school_id),
        municipality_id = (SELECT s.municipality_id FROM schools s WHERE s.id = cascade_sessions.school_id)`,
    );
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
        name: 'idx_cascade_sessions_reach',
        columnNames: [
          'status',
          'date',
          'country_code',
          'municipality_id',
          'school_id',
          'trainer_id',
          'course_id',
          ...counts,
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('cascade_sessions', 'idx_cascade_sessions_reach');
    await q.dropColumns('cascade_sessions', ['municipality_id', 'country_code']);
  }
}
