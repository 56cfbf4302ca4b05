import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** Printable handouts (formats.md §3) of one course version, sanitised HTML per language. */
export class CreateHandouts1764130800001 implements MigrationInterface {
  name = 'CreateHandouts1764130800001';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'handouts',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'course_version_id', type: 'varchar', length: '36' },
          { name: 'slug', type: 'varchar', length: '100' },
          { name: 'position', type: 'integer' },
          { name: 'title_en', type: 'varchar', length: '200', isNullable: true },
          { name: 'title_es', type: 'varchar', length: '200', isNullable: true },
          { name: 'html_en', type: 'text', isNullable: true },
          { name: 'html_es', type: 'text', isNullable: true },
        ],
        foreignKeys: [
          {
            columnNames: ['course_version_id'],
            referencedTableName: 'course_versions',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        uniques: [{ name: 'uq_handouts_version_slug', columnNames: ['course_version_id', 'slug'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('handouts');
  }
}
