import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/kernel/auth-user';
import type { Language } from '../common/kernel/user-role.enum';
import { t } from '../i18n/i18n';
import { OutboxService } from '../mail/outbox.service';
import { CertificationService, CertificationView } from './certification.service';
import { toVerificationJson, validityOf } from './certification.view';
import type { ListCertificationsQuery } from './dto/certification.dto';

/** One certificate as the list, its page and the dashboard show it. */
function certificateRow(view: CertificationView, lang: Language) {
  const c = view.certification;
  const validity = validityOf(view.status, c);
  return {
    code: c.code,
    holderName: view.holder?.name ?? '',
    courseTitle: view.courseTitle[lang] || view.courseTitle.en,
    cohortId: view.cohort?.id,
    cohortName: view.cohort?.name ?? '',
    countryCode: view.cohort?.countryCode ?? '',
    facilitatorName: view.facilitatorName,
    issuedOn: c.issuedOn,
    expiresOn: c.expiresOn,
    revokedOn: c.revokedOn,
    revokedReason: c.revokedReason,
    status: view.status,
    statusKey: `certification.status.${view.status}`,
    validityKey: `certification.${validity.kind}`,
    validityOn: validity.on,
  };
}

/** What the certificate pages and the public verification page render, and what a PDF certificate says. */
@Injectable()
export class CertificationPageModels {
  constructor(
    private readonly certifications: CertificationService,
    private readonly outbox: OutboxService,
  ) {}

  async indexModel(actor: AuthUser, query: ListCertificationsQuery, lang: Language) {
    const page = await this.certifications.list(actor, { ...query, limit: 100 });
    const isStaff = actor.role === 'manager' || actor.role === 'admin';
    return {
      title: t(lang, isStaff ? 'certification.list.title' : 'certification.mine.title'),
      isStaff,
      total: page.total,
      items: page.items.map((v) => certificateRow(v, lang)),
      statuses: ['active', 'expired', 'revoked'].map((s) => ({ value: s, selected: s === query.status })),
    };
  }

  async showModel(actor: AuthUser, code: string, lang: Language) {
    const view = await this.certifications.get(actor, code);
    const canManage = actor.role === 'manager' || actor.role === 'admin';
    return {
      title: view.certification.code,
      cert: certificateRow(view, lang),
      canManage,
      canRenew: canManage && view.status !== 'revoked',
      canRevoke: canManage && view.status !== 'revoked',
      verifyUrl: this.outbox.link(`/verify/${view.certification.code}`),
      // The signed-in download adds the holder's hashed email (src/open-badges/).
      badges: {
        credentialUrl: `/certifications/${view.certification.code}/credential.json`,
        assertionUrl: this.outbox.link(`/ob/v2/assertions/${view.certification.code}`),
        textKey: 'badges.download.text',
      },
      values: {},
    };
  }

  /** The verification form alone (no code asked yet). */
  verifyFormModel(lang: Language) {
    return { title: t(lang, 'certification.verify.title'), form: true };
  }

  /** The public verification of `code`: the result, or `found: false` with the form to try again. */
  async verifyModel(code: string, lang: Language) {
    const view = await this.certifications.verify(code);
    if (!view)
      return {
        found: false,
        model: {
          title: t(lang, 'certification.verify.title'),
          unknown: true,
          code: code.slice(0, 20),
          form: true,
        },
      };
    const v = toVerificationJson(view, lang);
    const validity = validityOf(v.status, v);
    return {
      found: true,
      model: {
        title: t(lang, 'certification.verify.title'),
        result: v,
        code: view.certification.code,
        statusKey: `certification.status.${v.status}`,
        valid: v.valid,
        validityKey: `certification.${validity.kind}`,
        validityOn: validity.on,
        // Once it is not valid, a sentence says so and since when, not only the status word.
        noticeKey: v.status === 'active' ? null : `certification.verify.${v.status}-notice`,
        badges: {
          credentialUrl: `/ob/credentials/${view.certification.code}?download=1`,
          assertionUrl: this.outbox.link(`/ob/v2/assertions/${view.certification.code}`),
          textKey: 'badges.download.public-text',
        },
      },
    };
  }

  /** What the PDF certificate says, in the holder's language. */
  certificateFacts(view: CertificationView) {
    const lang = view.holder?.language ?? 'en';
    return {
      code: view.certification.code,
      holderName: view.holder?.name ?? '',
      courseTitle: view.courseTitle[lang] || view.courseTitle.en,
      issuedOn: view.certification.issuedOn,
      expiresOn: view.certification.expiresOn,
      revokedOn: view.certification.revokedOn,
      cohortName: view.cohort?.name ?? '',
      facilitatorName: view.facilitatorName,
      status: view.status,
      verifyUrl: this.outbox.link(`/verify/${view.certification.code}`),
      language: lang,
    };
  }
}
