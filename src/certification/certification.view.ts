import type { Language } from '../users/user-role.enum';
import type { CertificationView } from './certification.service';

export function toCertificationJson(view: CertificationView) {
  const c = view.certification;
  return {
    code: c.code,
    userId: c.userId,
    holderName: view.holder?.name ?? null,
    courseSlug: view.courseSlug,
    cohortId: c.cohortId,
    facilitatorId: c.facilitatorId,
    issuedBy: c.issuedBy,
    issuedOn: c.issuedOn,
    expiresOn: c.expiresOn,
    status: view.status,
    revokedOn: c.revokedOn,
    revokedReason: c.revokedReason,
  };
}

/** What anyone may learn from a code: nothing personal beyond the holder's name. */
export function toVerificationJson(view: CertificationView, lang: Language) {
  return {
    valid: view.status === 'active',
    status: view.status,
    holderName: view.holder?.name ?? '',
    courseTitle: view.courseTitle[lang] || view.courseTitle.en,
    issuedOn: view.certification.issuedOn,
    expiresOn: view.certification.expiresOn,
    revokedOn: view.certification.revokedOn,
  };
}
