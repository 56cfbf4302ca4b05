import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** DESIGN.md "Privacy": when an account was anonymised (null = never). Its name and email are replaced then. */
export class AddAnonymisedAtToUsers1764131200000 implements MigrationInterface {
  name = 'AddAnonymisedAtToUsers1764131200000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('users', new TableColumn({ name: 'anonymised_at', type: 'varchar', length: '30', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('users', 'anonymised_at');
  }
}
