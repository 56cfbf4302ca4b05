import { escapeHtml } from '../common/view/escape-html';
import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/kernel/auth-user';
import { AuditService } from '../common/audit/audit.service';
import { Clock } from '../common/clock';
import { Database } from '../database/database.service';
import { t } from '../i18n/i18n';
import type { Language } from '../common/kernel/user-role.enum';
import { CONTACTS_MARKER } from './content/markdown';
import { CoursesRepository } from './courses.repository';
import { ReferralContact } from './referral-contact.entity';
import { UsersRepository } from '../users/users.repository';
import type { EntityManager } from 'typeorm';

/** `--` holds a course's program-wide contacts, shown when a country has none of its own. */
export const DEFAULT_CONTACTS = '--';
/** The course slug of the lists entered before contacts were per course: shown in every course without its own. */
export const ALL_COURSES = '*';

/**
 * The contacts a reader of `courseSlug` in `countryCode` sees: the course's own (country, then
 * `--`); only when the course has no contacts of its own at all, the all-courses list (country,
 * then `--`). So once an admin enters contacts for a course, no other course's list shows in it.
 */
export function contactsFor(
  rows: ReferralContact[],
  courseSlug: string,
  countryCode: string | null,
): ReferralContact | undefined {
  const own = rows.filter((r) => r.courseSlug === courseSlug);
  const pool = own.length ? own : rows.filter((r) => r.courseSlug === ALL_COURSES);
  return (
    pool.find((r) => countryCode && r.countryCode === countryCode) ??
    pool.find((r) => r.countryCode === DEFAULT_CONTACTS)
  );
}

/** Local referral contacts: configuration kept by admins, never invented in course text. */
@Injectable()
export class ReferralContactsService {
  constructor(
    private readonly db: Database,
    private readonly courses: CoursesRepository,
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Contacts rows of the given courses (and of the all-courses list, `*`). */
  listFor(courseSlugs: string[]): Promise<ReferralContact[]> {
    return this.courses.findContactsOfCourses([...courseSlugs, ALL_COURSES]);
  }

  /** Saves (or, with empty texts, removes) the contacts of a course (or `*`) and country (or `--`); audited. */
  async save(
    actor: AuthUser,
    courseSlug: string,
    countryCode: string,
    textEn: string,
    textEs: string,
  ): Promise<void> {
    await this.db.transaction((tx) => this.saveIn(tx, actor, courseSlug, countryCode, textEn, textEs));
  }

  /** As `save`, inside the caller's transaction; records an audit entry only when something changed. */
  async saveIn(
    tx: EntityManager,
    actor: AuthUser,
    courseSlug: string,
    countryCode: string,
    textEn: string,
    textEs: string,
  ): Promise<void> {
    const before = await this.courses.findContact(tx, courseSlug, countryCode);
    const entity = { type: 'referral-contacts', id: `${courseSlug}/${countryCode}` };
    const en = textEn.trim();
    const es = textEs.trim();
    if (!en && !es) {
      if (!before) return;
      await this.courses.deleteContact(tx, courseSlug, countryCode);
      await this.audit.record(
        tx,
        actor.id,
        'referral-contacts.remove',
        entity,
        { textEn: before.textEn, textEs: before.textEs },
        null,
      );
      return;
    }
    if (before && before.textEn === en && before.textEs === es) return;
    await this.courses.saveContact(
      tx,
      tx.create(ReferralContact, {
        courseSlug,
        countryCode,
        textEn: en,
        textEs: es,
        updatedBy: actor.id,
        updatedAt: this.clock.now(),
      }),
    );
    await this.audit.record(
      tx,
      actor.id,
      'referral-contacts.save',
      entity,
      before ? { textEn: before.textEn, textEs: before.textEs } : null,
      { textEn: en, textEs: es },
    );
  }

  /**
   * Replaces the lesson's contacts marker with the contacts for the reader's country in this course
   * (see contactsFor), escaped; with none configured, a note that says whom to ask. Our own HTML.
   */
  async fillLesson(html: string, reader: AuthUser, lang: Language, courseSlug: string): Promise<string> {
    if (!html.includes(CONTACTS_MARKER)) return html;
    const [user, rows] = await Promise.all([this.users.findById(reader.id), this.listFor([courseSlug])]);
    const row = contactsFor(rows, courseSlug, user?.countryCode ?? null);
    const text = row ? (lang === 'es' ? row.textEs || row.textEn : row.textEn || row.textEs) : '';
    const body = text
      ? text
          .split(/\r?\n/)
          .map((line) => escapeHtml(line))
          .join('<br>')
      : escapeHtml(t(lang, 'courses.contacts.not-configured'));
    const box = `<aside class="local-contacts" aria-labelledby="local-contacts-h"><h3 id="local-contacts-h">${escapeHtml(t(lang, 'courses.contacts.title'))}</h3><p>${body}</p></aside>`;
    return html.split(CONTACTS_MARKER).join(box);
  }
}
