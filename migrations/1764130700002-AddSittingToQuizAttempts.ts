import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * An attempt keeps what its sitting showed: the sitting id (unique: one attempt per sitting, even
 * under a double submit), the seed, the question ids in the order shown and each question's option
 * order. Attempts made before sittings existed keep null: they asked every question in file order,
 * which is how their review is shown.
 */
export class AddSittingToQuizAttempts1764130700002 implements MigrationInterface {
  name = 'AddSittingToQuizAttempts1764130700002';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('quiz_attempts', [
      new TableColumn({ name: 'sitting_id', type: 'varchar', length: '36', isNullable: true }),
      new TableColumn({ name: 'seed', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'question_ids', type: 'text', isNullable: true }),
      new TableColumn({ name: 'option_order', type: 'text', isNullable: true }),
    ]);
    await q.createIndex(
      'quiz_attempts',
      new TableIndex({ name: 'uq_quiz_attempts_sitting', columnNames: ['sitting_id'], isUnique: true }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('quiz_attempts', 'uq_quiz_attempts_sitting');
    await q.dropColumns('quiz_attempts', ['option_order', 'question_ids', 'seed', 'sitting_id']);
  }
}
