import { MigrationInterface, QueryRunner, Table } from 'typeorm';

const id = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
const ref = (name: string, isNullable = false) => ({ name, type: 'varchar', length: '36', isNullable });
const day = (name: string, isNullable = false) => ({ name, type: 'varchar', length: '10', isNullable });
const at = (name: string, isNullable = false) => ({ name, type: 'varchar', length: '30', isNullable });
const fk = (column: string, table: string, onDelete: 'CASCADE' | 'RESTRICT' = 'CASCADE') => ({
  columnNames: [column],
  referencedTableName: table,
  referencedColumnNames: ['id'],
  onDelete,
});

export class CreateCohortsAndCertifications1764130300000 implements MigrationInterface {
  name = 'CreateCohortsAndCertifications1764130300000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'cohorts',
        columns: [
          id,
          ref('course_id'),
          { name: 'name', type: 'varchar', length: '160' },
          { name: 'country_code', type: 'varchar', length: '2' },
          { name: 'municipality', type: 'varchar', length: '120', isNullable: true },
          { name: 'venue', type: 'varchar', length: '200', isNullable: true },
          day('starts_on'),
          day('ends_on'),
          { name: 'capacity', type: 'integer' },
          { name: 'status', type: 'varchar', length: '12' },
          ref('created_by', true),
          at('created_at'),
        ],
        foreignKeys: [fk('course_id', 'courses', 'RESTRICT')],
        indices: [
          { name: 'idx_cohorts_country_code', columnNames: ['country_code'] },
          { name: 'idx_cohorts_course_id', columnNames: ['course_id'] },
          { name: 'idx_cohorts_starts_on', columnNames: ['starts_on'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'cohort_facilitators',
        columns: [
          { name: 'cohort_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36', isPrimary: true },
        ],
        foreignKeys: [fk('cohort_id', 'cohorts'), fk('user_id', 'users')],
        indices: [{ name: 'idx_cohort_facilitators_user_id', columnNames: ['user_id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'cohort_participants',
        columns: [id, ref('cohort_id'), ref('user_id'), ref('enrolment_id'), at('added_at')],
        foreignKeys: [
          fk('cohort_id', 'cohorts'),
          fk('user_id', 'users'),
          fk('enrolment_id', 'enrolments', 'RESTRICT'),
        ],
        uniques: [{ name: 'uq_cohort_participants_cohort_user', columnNames: ['cohort_id', 'user_id'] }],
        indices: [{ name: 'idx_cohort_participants_user_id', columnNames: ['user_id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'cohort_days',
        columns: [
          id,
          ref('cohort_id'),
          day('date'),
          { name: 'title', type: 'varchar', length: '160', isNullable: true },
        ],
        foreignKeys: [fk('cohort_id', 'cohorts')],
        uniques: [{ name: 'uq_cohort_days_cohort_date', columnNames: ['cohort_id', 'date'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'attendance',
        columns: [
          id,
          ref('cohort_id'),
          ref('day_id'),
          ref('user_id'),
          { name: 'status', type: 'varchar', length: '10' },
          ref('recorded_by', true),
          at('recorded_at'),
        ],
        foreignKeys: [fk('cohort_id', 'cohorts'), fk('day_id', 'cohort_days'), fk('user_id', 'users')],
        uniques: [{ name: 'uq_attendance_day_user', columnNames: ['day_id', 'user_id'] }],
        indices: [{ name: 'idx_attendance_cohort_user', columnNames: ['cohort_id', 'user_id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'practicum_results',
        columns: [
          { name: 'cohort_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'passed', type: 'boolean' },
          { name: 'score', type: 'integer', isNullable: true },
          { name: 'notes', type: 'text', isNullable: true },
          ref('recorded_by', true),
          at('recorded_at'),
        ],
        foreignKeys: [fk('cohort_id', 'cohorts'), fk('user_id', 'users')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'certifications',
        columns: [
          id,
          { name: 'code', type: 'varchar', length: '16', isUnique: true },
          ref('user_id'),
          ref('course_id'),
          ref('cohort_id'),
          ref('facilitator_id', true),
          ref('issued_by', true),
          day('issued_on'),
          day('expires_on'),
          { name: 'status', type: 'varchar', length: '10' },
          day('revoked_on', true),
          { name: 'revoked_reason', type: 'varchar', length: '500', isNullable: true },
          at('reminder_sent_at', true),
          at('created_at'),
        ],
        foreignKeys: [
          fk('user_id', 'users', 'RESTRICT'),
          fk('course_id', 'courses', 'RESTRICT'),
          fk('cohort_id', 'cohorts', 'RESTRICT'),
        ],
        indices: [
          { name: 'idx_certifications_user_course', columnNames: ['user_id', 'course_id'] },
          { name: 'idx_certifications_cohort_id', columnNames: ['cohort_id'] },
          { name: 'idx_certifications_expires_on', columnNames: ['status', 'expires_on'] },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'certifications',
      'practicum_results',
      'attendance',
      'cohort_days',
      'cohort_participants',
      'cohort_facilitators',
      'cohorts',
    ]) {
      await q.dropTable(table);
    }
  }
}
