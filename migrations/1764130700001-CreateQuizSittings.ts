import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * An open sitting: what a trainer was shown when they opened a quiz (seed, drawn questions, option
 * order), kept until they submit it. One per enrolment and quiz; submitting deletes it (the attempt
 * keeps what was shown), so a double submit finds it gone and cannot count twice.
 */
export class CreateQuizSittings1764130700001 implements MigrationInterface {
  name = 'CreateQuizSittings1764130700001';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'quiz_sittings',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'enrolment_id', type: 'varchar', length: '36' },
          { name: 'quiz_slug', type: 'varchar', length: '100' },
          { name: 'seed', type: 'integer' },
          { name: 'question_ids', type: 'text' },
          { name: 'option_order', type: 'text' },
          { name: 'opened_at', type: 'varchar', length: '30' },
        ],
        foreignKeys: [
          {
            columnNames: ['enrolment_id'],
            referencedTableName: 'enrolments',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        uniques: [{ name: 'uq_quiz_sittings_open', columnNames: ['enrolment_id', 'quiz_slug'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('quiz_sittings');
  }
}
