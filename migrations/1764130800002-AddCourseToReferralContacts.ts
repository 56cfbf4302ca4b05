import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * Referral contacts become per (course, country), with `--` as a course's program-wide default.
 * Rows entered before this migration were shown in every course: they are kept as they are under
 * the course slug `*` ("all courses"), a fallback used only where a course has no contacts of its
 * own, so nothing an admin entered is lost and a course's own contacts always win.
 * The table is rebuilt (new primary key) by copy, the same way on SQLite and PostgreSQL.
 */
export class AddCourseToReferralContacts1764130800002 implements MigrationInterface {
  name = 'AddCourseToReferralContacts1764130800002';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(table('referral_contacts_by_course', true));
    await q.query(
      `INSERT INTO referral_contacts_by_course (course_slug, country_code, text_en, text_es, updated_by, updated_at)
       SELECT '*', country_code, text_en, text_es, updated_by, updated_at FROM referral_contacts`,
    );
    await q.dropTable('referral_contacts');
    await q.renameTable('referral_contacts_by_course', 'referral_contacts');
  }

  async down(q: QueryRunner): Promise<void> {
    // Back to one list per country: the all-courses rows survive; course-specific ones cannot.
    await q.createTable(table('referral_contacts_old', false));
    await q.query(
      `INSERT INTO referral_contacts_old (country_code, text_en, text_es, updated_by, updated_at)
       SELECT country_code, text_en, text_es, updated_by, updated_at FROM referral_contacts WHERE course_slug = '*'`,
    );
    await q.dropTable('referral_contacts');
    await q.renameTable('referral_contacts_old', 'referral_contacts');
  }
}

function table(name: string, perCourse: boolean): Table {
  return new Table({
    name,
    columns: [
      ...(perCourse ? [{ name: 'course_slug', type: 'varchar', length: '80', isPrimary: true }] : []),
      { name: 'country_code', type: 'varchar', length: '2', isPrimary: true },
      { name: 'text_en', type: 'text' },
      { name: 'text_es', type: 'text' },
      { name: 'updated_by', type: 'varchar', length: '36', isNullable: true },
      { name: 'updated_at', type: 'varchar', length: '30' },
    ],
  });
}
