import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';

/**
 * Country facts (formats.md §2): the text an admin enters per course, country and declared fact,
 * and each course version's sourced package defaults (country-facts.yaml as JSON), kept with the
 * version so a re-import never changes what an older version shows.
 */
export class CreateCountryFacts1764130800000 implements MigrationInterface {
  name = 'CreateCountryFacts1764130800000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'country_facts',
        columns: [
          { name: 'course_slug', type: 'varchar', length: '80', isPrimary: true },
          { name: 'country_code', type: 'varchar', length: '2', isPrimary: true },
          { name: 'fact_key', type: 'varchar', length: '80', isPrimary: true },
          { name: 'text_en', type: 'text' },
          { name: 'text_es', type: 'text' },
          { name: 'updated_by', type: 'varchar', length: '36', isNullable: true },
          { name: 'updated_at', type: 'varchar', length: '30' },
        ],
      }),
    );
    await q.addColumn(
      'course_versions',
      new TableColumn({ name: 'fact_defaults', type: 'text', isNullable: true }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('course_versions', 'fact_defaults');
    await q.dropTable('country_facts');
  }
}
