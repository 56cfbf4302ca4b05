import { randomInt } from 'node:crypto';
import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/** Entries of the one Bitstring Status List: 131,072 bits, the 16 KB minimum the specification asks. */
const LIST_LENGTH = 131_072;

/**
 * Each certification gets its own bit in the program's revocation status list (Open Badges 3.0
 * credentials, src/open-badges/). Indexes are drawn at random, as the Bitstring Status List
 * specification recommends, so a position says nothing about when or to whom it was issued.
 * Added nullable, backfilled, then made required and unique.
 */
export class AddStatusListIndexToCertifications1764130900000 implements MigrationInterface {
  name = 'AddStatusListIndexToCertifications1764130900000';

  async up(q: QueryRunner): Promise<void> {
    const postgres = q.connection.driver.options.type === 'postgres';
    await q.addColumn(
      'certifications',
      new TableColumn({ name: 'status_list_index', type: 'integer', isNullable: true }),
    );
    const rows: Array<{ id: string }> = await q.query(
      'SELECT id FROM certifications ORDER BY created_at, id',
    );
    const taken = new Set<number>();
    for (const row of rows) {
      let index = randomInt(LIST_LENGTH);
      while (taken.has(index)) index = randomInt(LIST_LENGTH);
      taken.add(index);
      await q.query(
        postgres
          ? 'UPDATE certifications SET status_list_index = $1 WHERE id = $2'
          : 'UPDATE certifications SET status_list_index = ? WHERE id = ?',
        [index, row.id],
      );
    }
    await q.changeColumn(
      'certifications',
      'status_list_index',
      new TableColumn({ name: 'status_list_index', type: 'integer', isNullable: false }),
    );
    await q.createIndex(
      'certifications',
      new TableIndex({
        name: 'uq_certifications_status_list_index',
        columnNames: ['status_list_index'],
        isUnique: true,
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('certifications', 'uq_certifications_status_list_index');
    await q.dropColumn('certifications', 'status_list_index');
  }
}
