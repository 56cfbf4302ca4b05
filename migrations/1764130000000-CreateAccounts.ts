import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

const id = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
const at = (name: string, isNullable = false) => ({ name, type: 'varchar', length: '30', isNullable });

export class CreateAccounts1764130000000 implements MigrationInterface {
  name = 'CreateAccounts1764130000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'users',
        columns: [
          id,
          { name: 'email', type: 'varchar', length: '254', isUnique: true },
          { name: 'name', type: 'varchar', length: '120' },
          { name: 'role', type: 'varchar', length: '16' },
          { name: 'sex', type: 'varchar', length: '16', default: "'unspecified'" },
          { name: 'language', type: 'varchar', length: '2', default: "'en'" },
          { name: 'country_code', type: 'varchar', length: '2', isNullable: true },
          { name: 'organisation', type: 'varchar', length: '160', isNullable: true },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'password_hash', type: 'varchar', length: '255', isNullable: true },
          at('created_at'),
          at('updated_at'),
          at('last_login_at', true),
        ],
      }),
    );
    await q.createIndex('users', new TableIndex({ name: 'idx_users_role', columnNames: ['role'] }));
    await q.createIndex(
      'users',
      new TableIndex({ name: 'idx_users_country_code', columnNames: ['country_code'] }),
    );

    await q.createTable(
      new Table({
        name: 'auth_tokens',
        columns: [
          id,
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'purpose', type: 'varchar', length: '20' },
          { name: 'token_hash', type: 'varchar', length: '64', isUnique: true },
          at('expires_at'),
          at('used_at', true),
          at('created_at'),
        ],
        foreignKeys: [
          {
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        indices: [{ name: 'idx_auth_tokens_user_id', columnNames: ['user_id'] }],
      }),
    );

    await q.createTable(
      new Table({
        name: 'user_sessions',
        columns: [
          id,
          { name: 'user_id', type: 'varchar', length: '36' },
          at('created_at'),
          at('expires_at'),
          at('revoked_at', true),
        ],
        foreignKeys: [
          {
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        indices: [{ name: 'idx_user_sessions_user_id', columnNames: ['user_id'] }],
      }),
    );

    await q.createTable(
      new Table({
        name: 'rate_limit_buckets',
        columns: [
          { name: 'key', type: 'varchar', length: '300', isPrimary: true },
          at('window_started_at'),
          { name: 'count', type: 'integer' },
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'audit_entries',
        columns: [
          id,
          at('at'),
          { name: 'actor_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'action', type: 'varchar', length: '60' },
          { name: 'entity_type', type: 'varchar', length: '40' },
          { name: 'entity_id', type: 'varchar', length: '64' },
          { name: 'before', type: 'text', isNullable: true },
          { name: 'after', type: 'text', isNullable: true },
        ],
        indices: [
          { name: 'idx_audit_entries_at', columnNames: ['at'] },
          { name: 'idx_audit_entries_entity', columnNames: ['entity_type', 'entity_id'] },
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'job_leases',
        columns: [
          { name: 'name', type: 'varchar', length: '80', isPrimary: true },
          { name: 'period', type: 'varchar', length: '40' },
          { name: 'holder', type: 'varchar', length: '80' },
          at('taken_at'),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'job_leases',
      'audit_entries',
      'rate_limit_buckets',
      'user_sessions',
      'auth_tokens',
      'users',
    ]) {
      await q.dropTable(table);
    }
  }
}
