import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

const id = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
const ref = (name: string, isNullable = false) => ({ name, type: 'varchar', length: '36', isNullable });
const at = (name: string, isNullable = false) => ({ name, type: 'varchar', length: '30', isNullable });
const int = (name: string) => ({ name, type: 'integer' });
const fk = (
  column: string,
  table: string,
  onDelete: 'CASCADE' | 'RESTRICT' = 'CASCADE',
  referenced = 'id',
) => ({
  columnNames: [column],
  referencedTableName: table,
  referencedColumnNames: [referenced],
  onDelete,
});

// ISO 3166-1 alpha-2 codes of the region (the program's five first), with English and Spanish names.
export const REGION_COUNTRIES: Array<[string, string, string]> = [
  ['SV', 'El Salvador', 'El Salvador'],
  ['PA', 'Panama', 'Panamá'],
  ['DO', 'Dominican Republic', 'República Dominicana'],
  ['BZ', 'Belize', 'Belice'],
  ['PR', 'Puerto Rico', 'Puerto Rico'],
  ['GT', 'Guatemala', 'Guatemala'],
  ['HN', 'Honduras', 'Honduras'],
  ['NI', 'Nicaragua', 'Nicaragua'],
  ['CR', 'Costa Rica', 'Costa Rica'],
  ['MX', 'Mexico', 'México'],
  ['CU', 'Cuba', 'Cuba'],
  ['HT', 'Haiti', 'Haití'],
  ['JM', 'Jamaica', 'Jamaica'],
  ['TT', 'Trinidad and Tobago', 'Trinidad y Tobago'],
  ['BS', 'Bahamas', 'Bahamas'],
  ['BB', 'Barbados', 'Barbados'],
  ['GY', 'Guyana', 'Guyana'],
  ['SR', 'Suriname', 'Surinam'],
  ['CO', 'Colombia', 'Colombia'],
  ['VE', 'Venezuela', 'Venezuela'],
  ['EC', 'Ecuador', 'Ecuador'],
  ['PE', 'Peru', 'Perú'],
  ['BO', 'Bolivia', 'Bolivia'],
  ['CL', 'Chile', 'Chile'],
  ['AR', 'Argentina', 'Argentina'],
  ['UY', 'Uruguay', 'Uruguay'],
  ['PY', 'Paraguay', 'Paraguay'],
  ['BR', 'Brazil', 'Brasil'],
  ['US', 'United States', 'Estados Unidos'],
  ['CA', 'Canada', 'Canadá'],
  ['ES', 'Spain', 'España'],
];

export class CreateSchoolsAndCascadeSessions1764130400000 implements MigrationInterface {
  name = 'CreateSchoolsAndCascadeSessions1764130400000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'countries',
        columns: [
          { name: 'code', type: 'varchar', length: '2', isPrimary: true },
          { name: 'name_en', type: 'varchar', length: '100' },
          { name: 'name_es', type: 'varchar', length: '100' },
        ],
      }),
    );
    // Plain parameterised inserts (migrations must not depend on entity classes, which change later).
    const insert =
      q.connection.driver.options.type === 'postgres'
        ? 'INSERT INTO countries (code, name_en, name_es) VALUES ($1, $2, $3)'
        : 'INSERT INTO countries (code, name_en, name_es) VALUES (?, ?, ?)';
    for (const [code, en, es] of REGION_COUNTRIES) await q.query(insert, [code, en, es]);
    await q.createTable(
      new Table({
        name: 'municipalities',
        columns: [
          id,
          { name: 'country_code', type: 'varchar', length: '2' },
          { name: 'name', type: 'varchar', length: '120' },
        ],
        foreignKeys: [fk('country_code', 'countries', 'RESTRICT', 'code')],
        uniques: [{ name: 'uq_municipalities_country_name', columnNames: ['country_code', 'name'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'schools',
        columns: [
          id,
          { name: 'country_code', type: 'varchar', length: '2' },
          ref('municipality_id'),
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'code', type: 'varchar', length: '40' },
          { name: 'level', type: 'varchar', length: '20', isNullable: true },
          { name: 'address', type: 'varchar', length: '300', isNullable: true },
          at('created_at'),
        ],
        foreignKeys: [
          fk('country_code', 'countries', 'RESTRICT', 'code'),
          fk('municipality_id', 'municipalities', 'RESTRICT'),
        ],
        uniques: [{ name: 'uq_schools_country_code', columnNames: ['country_code', 'code'] }],
        indices: [{ name: 'idx_schools_municipality_id', columnNames: ['municipality_id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'school_coordinators',
        columns: [
          { name: 'school_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36', isPrimary: true },
        ],
        foreignKeys: [fk('school_id', 'schools'), fk('user_id', 'users')],
        indices: [{ name: 'idx_school_coordinators_user_id', columnNames: ['user_id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'cascade_sessions',
        columns: [
          id,
          ref('school_id'),
          ref('trainer_id'),
          ref('course_id'),
          { name: 'module_slugs', type: 'varchar', length: '500' },
          { name: 'date', type: 'varchar', length: '10' },
          int('duration_minutes'),
          int('female'),
          int('male'),
          int('unspecified'),
          int('age_under10'),
          int('age10_to14'),
          int('age15_to17'),
          int('age18_plus'),
          int('teachers'),
          int('parents'),
          { name: 'notes', type: 'text', isNullable: true },
          { name: 'status', type: 'varchar', length: '10' },
          { name: 'logged_by_role', type: 'varchar', length: '12' },
          ref('logged_by'),
          ref('decided_by', true),
          at('decided_at', true),
          { name: 'rejection_reason', type: 'varchar', length: '500', isNullable: true },
          at('created_at'),
          at('updated_at'),
        ],
        foreignKeys: [
          fk('school_id', 'schools', 'RESTRICT'),
          fk('trainer_id', 'users', 'RESTRICT'),
          fk('course_id', 'courses', 'RESTRICT'),
        ],
        indices: [
          { name: 'idx_cascade_sessions_trainer_date', columnNames: ['trainer_id', 'date'] },
          { name: 'idx_cascade_sessions_status_date', columnNames: ['status', 'date'] },
        ],
      }),
    );
    // An exact duplicate (same school, trainer, module set and date) is refused unless the earlier one was rejected.
    await q.createIndex(
      'cascade_sessions',
      new TableIndex({
        name: 'uq_cascade_sessions_exact',
        columnNames: ['school_id', 'trainer_id', 'module_slugs', 'date'],
        isUnique: true,
        where: "status <> 'rejected'",
      }),
    );
    await q.createIndex(
      'cascade_sessions',
      new TableIndex({ name: 'idx_cascade_sessions_school_date', columnNames: ['school_id', 'date'] }),
    );
    await q.createTable(
      new Table({
        name: 'idempotency_keys',
        columns: [
          { name: 'user_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'key', type: 'varchar', length: '100', isPrimary: true },
          { name: 'request_hash', type: 'varchar', length: '64' },
          { name: 'response_status', type: 'integer', isNullable: true },
          { name: 'response_body', type: 'text', isNullable: true },
          at('created_at'),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'idempotency_keys',
      'cascade_sessions',
      'school_coordinators',
      'schools',
      'municipalities',
      'countries',
    ])
      await q.dropTable(table);
  }
}
