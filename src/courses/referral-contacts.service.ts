import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { Database } from '../database/database.service';
import { t } from '../i18n/i18n';
import type { Language } from '../users/user-role.enum';
import { CONTACTS_MARKER } from './content/markdown';
import { CoursesRepository } from './courses.repository';
import { ReferralContact } from './referral-contact.entity';
import { UsersRepository } from '../users/users.repository';

/** `--` holds the program-wide contacts, shown when a country has none of its own. */
export const DEFAULT_CONTACTS = '--';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** Local referral contacts: configuration kept by admins, never invented in course text. */
@Injectable()
export class ReferralContactsService {
  constructor(
    private readonly db: Database,
    private readonly courses: CoursesRepository,
    private readonly users: UsersRepository,
    private readonly clock: Clock,
  ) {}

  list(): Promise<ReferralContact[]> {
    return this.courses.allContacts();
  }

  /** Saves (or, with empty texts, removes) the contacts of a country or of the program (`--`). */
  async save(actor: AuthUser, countryCode: string, textEn: string, textEs: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (!textEn.trim() && !textEs.trim()) {
        await tx.delete(ReferralContact, { countryCode });
        return;
      }
      await tx.save(ReferralContact, tx.create(ReferralContact, { countryCode, textEn: textEn.trim(), textEs: textEs.trim(), updatedBy: actor.id, updatedAt: this.clock.now() }));
    });
  }

  /**
   * Replaces the lesson's contacts marker with the reader's country contacts (or the program's),
   * escaped; with none configured, a note that says whom to ask. The result is our own HTML.
   */
  async fillLesson(html: string, reader: AuthUser, lang: Language): Promise<string> {
    if (!html.includes(CONTACTS_MARKER)) return html;
    const user = await this.users.findById(reader.id);
    const codes = [user?.countryCode, DEFAULT_CONTACTS].filter((c): c is string => !!c);
    const rows = await this.courses.findContacts(codes);
    const row = rows.find((r) => r.countryCode === user?.countryCode) ?? rows.find((r) => r.countryCode === DEFAULT_CONTACTS);
    const text = row ? (lang === 'es' ? row.textEs || row.textEn : row.textEn || row.textEs) : '';
    const body = text
      ? text.split(/\r?\n/).map((line) => escapeHtml(line)).join('<br>')
      : escapeHtml(t(lang, 'courses.contacts.not-configured'));
    const box = `<aside class="local-contacts" aria-labelledby="local-contacts-h"><h3 id="local-contacts-h">${escapeHtml(t(lang, 'courses.contacts.title'))}</h3><p>${body}</p></aside>`;
    return html.split(CONTACTS_MARKER).join(box);
  }
}
