import { MigrationInterface, QueryRunner, Table } from 'typeorm';

const id = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
const ref = (name: string, isNullable = false) => ({ name, type: 'varchar', length: '36', isNullable });
const at = (name: string, isNullable = false) => ({ name, type: 'varchar', length: '30', isNullable });
const fk = (column: string, table: string, onDelete: 'CASCADE' | 'RESTRICT' = 'CASCADE') => ({
  columnNames: [column],
  referencedTableName: table,
  referencedColumnNames: ['id'],
  onDelete,
});

export class CreateCourses1764130200000 implements MigrationInterface {
  name = 'CreateCourses1764130200000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'courses',
        columns: [
          id,
          { name: 'slug', type: 'varchar', length: '80', isUnique: true },
          ref('current_version_id', true),
          at('created_at'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'course_versions',
        columns: [
          id,
          ref('course_id'),
          { name: 'version', type: 'integer' },
          { name: 'manifest', type: 'text' },
          { name: 'checksum', type: 'varchar', length: '64' },
          at('imported_at'),
        ],
        foreignKeys: [fk('course_id', 'courses')],
        uniques: [{ name: 'uq_course_versions_course_version', columnNames: ['course_id', 'version'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'lessons',
        columns: [
          id,
          ref('course_version_id'),
          { name: 'module_slug', type: 'varchar', length: '80' },
          { name: 'slug', type: 'varchar', length: '100' },
          { name: 'position', type: 'integer' },
          { name: 'minutes', type: 'integer' },
          { name: 'title_en', type: 'varchar', length: '200', isNullable: true },
          { name: 'title_es', type: 'varchar', length: '200', isNullable: true },
          { name: 'html_en', type: 'text', isNullable: true },
          { name: 'html_es', type: 'text', isNullable: true },
        ],
        foreignKeys: [fk('course_version_id', 'course_versions')],
        uniques: [{ name: 'uq_lessons_version_slug', columnNames: ['course_version_id', 'slug'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'quizzes',
        columns: [
          id,
          ref('course_version_id'),
          { name: 'module_slug', type: 'varchar', length: '80' },
          { name: 'slug', type: 'varchar', length: '100' },
          { name: 'kind', type: 'varchar', length: '8' },
          { name: 'pass_mark', type: 'integer' },
          { name: 'max_attempts', type: 'integer', isNullable: true },
          { name: 'position', type: 'integer' },
          { name: 'questions', type: 'text' },
        ],
        foreignKeys: [fk('course_version_id', 'course_versions')],
        uniques: [{ name: 'uq_quizzes_version_slug', columnNames: ['course_version_id', 'slug'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'content_imports',
        columns: [
          id,
          { name: 'package_name', type: 'varchar', length: '100' },
          { name: 'version', type: 'integer', isNullable: true },
          { name: 'outcome', type: 'varchar', length: '12' },
          { name: 'problems', type: 'text' },
          at('at'),
        ],
        indices: [{ name: 'idx_content_imports_at', columnNames: ['at'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'enrolments',
        columns: [
          id,
          ref('user_id'),
          ref('course_id'),
          ref('course_version_id'),
          { name: 'status', type: 'varchar', length: '12' },
          at('enrolled_at'),
          at('started_at', true),
          at('completed_at', true),
        ],
        foreignKeys: [
          fk('user_id', 'users'),
          fk('course_id', 'courses', 'RESTRICT'),
          fk('course_version_id', 'course_versions', 'RESTRICT'),
        ],
        uniques: [{ name: 'uq_enrolments_user_course', columnNames: ['user_id', 'course_id'] }],
        indices: [{ name: 'idx_enrolments_course_id', columnNames: ['course_id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'lesson_completions',
        columns: [
          id,
          ref('enrolment_id'),
          { name: 'lesson_slug', type: 'varchar', length: '100' },
          at('completed_at'),
        ],
        foreignKeys: [fk('enrolment_id', 'enrolments')],
        uniques: [
          { name: 'uq_lesson_completions_enrolment_slug', columnNames: ['enrolment_id', 'lesson_slug'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'quiz_attempts',
        columns: [
          id,
          ref('enrolment_id'),
          { name: 'quiz_slug', type: 'varchar', length: '100' },
          { name: 'kind', type: 'varchar', length: '8' },
          { name: 'attempt_number', type: 'integer' },
          { name: 'score', type: 'integer' },
          { name: 'passed', type: 'boolean' },
          { name: 'answers', type: 'text' },
          { name: 'results', type: 'text' },
          at('submitted_at'),
        ],
        foreignKeys: [fk('enrolment_id', 'enrolments')],
        uniques: [
          { name: 'uq_quiz_attempts_number', columnNames: ['enrolment_id', 'quiz_slug', 'attempt_number'] },
        ],
        indices: [{ name: 'idx_quiz_attempts_kind', columnNames: ['kind', 'enrolment_id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'referral_contacts',
        columns: [
          { name: 'country_code', type: 'varchar', length: '2', isPrimary: true },
          { name: 'text_en', type: 'text' },
          { name: 'text_es', type: 'text' },
          ref('updated_by', true),
          at('updated_at'),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'referral_contacts',
      'quiz_attempts',
      'lesson_completions',
      'enrolments',
      'content_imports',
      'quizzes',
      'lessons',
      'course_versions',
      'courses',
    ]) {
      await q.dropTable(table);
    }
  }
}
