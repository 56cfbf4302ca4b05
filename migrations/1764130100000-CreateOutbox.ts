import { MigrationInterface, QueryRunner, Table } from 'typeorm';

export class CreateOutbox1764130100000 implements MigrationInterface {
  name = 'CreateOutbox1764130100000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'outbox_messages',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'to_address', type: 'varchar', length: '254' },
          { name: 'subject', type: 'varchar', length: '300' },
          { name: 'text_body', type: 'text' },
          { name: 'html_body', type: 'text' },
          { name: 'template', type: 'varchar', length: '60' },
          { name: 'language', type: 'varchar', length: '2' },
          { name: 'status', type: 'varchar', length: '12' },
          { name: 'attempts', type: 'integer', default: 0 },
          { name: 'next_attempt_at', type: 'varchar', length: '30' },
          { name: 'claimed_at', type: 'varchar', length: '30', isNullable: true },
          { name: 'last_error', type: 'varchar', length: '500', isNullable: true },
          { name: 'created_at', type: 'varchar', length: '30' },
          { name: 'sent_at', type: 'varchar', length: '30', isNullable: true },
        ],
        indices: [
          { name: 'idx_outbox_messages_status_next', columnNames: ['status', 'next_attempt_at'] },
          { name: 'idx_outbox_messages_created_at', columnNames: ['created_at'] },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('outbox_messages');
  }
}
