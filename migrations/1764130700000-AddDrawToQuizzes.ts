import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** A quiz may ask only `draw` questions of its bank per attempt (formats.md §1); null (every older quiz) asks them all. */
export class AddDrawToQuizzes1764130700000 implements MigrationInterface {
  name = 'AddDrawToQuizzes1764130700000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('quizzes', new TableColumn({ name: 'draw', type: 'integer', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('quizzes', 'draw');
  }
}
