import type { Language } from '../common/kernel/user-role.enum';
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

export type ValidityKind = 'valid-until' | 'expired-on' | 'revoked-on';

/**
 * The date a certificate shows beside its status: "valid until" only while it is valid; after that
 * the day it expired or was revoked (a revoked certificate's old expiry date would read as still
 * valid). `kind` names the label: `certification.<kind>` on pages, `certification.pdf.<kind>` on the PDF.
 */
export function validityOf(
  status: CertificationView['status'],
  cert: { expiresOn: string; revokedOn: string | null },
): { kind: ValidityKind; on: string } {
  if (status === 'revoked' && cert.revokedOn) return { kind: 'revoked-on', on: cert.revokedOn };
  if (status === 'expired') return { kind: 'expired-on', on: cert.expiresOn };
  return { kind: 'valid-until', on: cert.expiresOn };
}
