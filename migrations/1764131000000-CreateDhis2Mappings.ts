import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * What an admin maps to DHIS2 (src/dhis2/): one row per (kind, local key) → an 11-character DHIS2 uid.
 * Kinds: country / municipality / school (→ orgUnit), indicator (→ dataElement), disaggregation
 * (→ categoryOptionCombo), data-set and attribute-option-combo (key 'default'). Local keys are our ids
 * (country code, municipality id, school id, indicator or disaggregation name), so a renamed school
 * keeps its mapping; no foreign key, because a key may point at several tables.
 */
export class CreateDhis2Mappings1764131000000 implements MigrationInterface {
  name = 'CreateDhis2Mappings1764131000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'dhis2_mappings',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'kind', type: 'varchar', length: '30' },
          { name: 'local_key', type: 'varchar', length: '80' },
          { name: 'uid', type: 'varchar', length: '11' },
          { name: 'updated_by', type: 'varchar', length: '36', isNullable: true },
          { name: 'updated_at', type: 'varchar', length: '30' },
        ],
        uniques: [{ name: 'uq_dhis2_mappings_kind_key', columnNames: ['kind', 'local_key'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('dhis2_mappings');
  }
}
