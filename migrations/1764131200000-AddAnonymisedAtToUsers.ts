import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** DESIGN.md "Privacy": when an account was anonymised (null = never). Its name and email are replaced then. */
export class AddAnonymisedAtToUsers1764131200000 implements MigrationInterface {
  name = 'AddAnonymisedAtToUsers1764131200000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn(
      'users',
      new TableColumn({ name: 'anonymised_at', type: 'varchar', length: '30', isNullable: true }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // The schema builder rebuilds a SQLite table to drop a column, which the foreign keys to users refuse
    // once there is data; SQLite (3.35+) drops a plain column in place.
    if (q.connection.driver.options.type === 'postgres') await q.dropColumn('users', 'anonymised_at');
    else await q.query('ALTER TABLE "users" DROP COLUMN "anonymised_at"');
  }
}
