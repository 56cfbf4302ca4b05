import { createHash } from 'node:crypto';
import type { CertificationRule } from '../courses/content/course-package';
import { formatDate, t, tn } from '../i18n/i18n';
import type { Language } from '../common/kernel/user-role.enum';
import { CREDENTIALS_V2, MULTIKEY_V1, OPEN_BADGES_V3 } from './document-loader';
import { issuerIdOf, type VerificationMethod } from './credential-signer';

/** What a portable credential says about one certification (built from a CertificationView). */
export interface BadgeFacts {
  code: string;
  statusListIndex: number;
  issuedOn: string;
  expiresOn: string;
  revokedOn: string | null;
  holderName: string;
  language: Language;
  courseSlug: string;
  courseTitle: string;
  courseSummary: string;
  rule: CertificationRule | null;
}

export interface Issuer {
  appUrl: string;
  name: string;
}

/** The one revocation list; its number is part of the URL so a second list can follow one day. */
export const STATUS_LIST_ID = 1;

export const urls = (appUrl: string) => ({
  issuer: issuerIdOf(appUrl),
  credential: (code: string) => `${appUrl}/ob/credentials/${code}`,
  statusList: `${appUrl}/ob/status/${STATUS_LIST_ID}`,
  achievement: (slug: string) => `${appUrl}/courses/${slug}`,
  v2Issuer: `${appUrl}/ob/v2/issuer`,
  v2Badge: (slug: string) => `${appUrl}/ob/v2/badges/${slug}`,
  v2Assertion: (code: string) => `${appUrl}/ob/v2/assertions/${code}`,
  image: `${appUrl}/assets/img/favicon.svg`,
});

/** Start of the issue day and end of the expiry day, in UTC (certification dates are calendar days). */
export const validFromOf = (issuedOn: string) => `${issuedOn}T00:00:00Z`;
export const validUntilOf = (expiresOn: string) => `${expiresOn}T23:59:59Z`;

/** The course rule in words, as OB `criteria.narrative` (Markdown). */
export function criteriaNarrative(rule: CertificationRule | null, lang: Language): string {
  if (!rule) return t(lang, 'badges.criteria.intro');
  const lines = [
    rule.lessonsComplete ? t(lang, 'badges.criteria.lessons') : null,
    t(lang, 'badges.criteria.post-test', { mark: rule.postTestPassMark }),
    rule.attendancePercent > 0
      ? t(lang, 'badges.criteria.attendance', { percent: rule.attendancePercent })
      : null,
    rule.practicumRequired ? t(lang, 'badges.criteria.practicum') : null,
  ].filter((line): line is string => !!line);
  return [
    t(lang, 'badges.criteria.intro'),
    '',
    ...lines.map((line) => `- ${line}`),
    '',
    tn(lang, 'badges.criteria.validity', rule.validityMonths),
  ].join('\n');
}

/**
 * OB 2.0 recipients and the signed-in OB 3.0 download identify the holder by a salted SHA-256 of
 * their email (the plain address never leaves the server). The salt is fixed per certification so
 * the document is the same on every download.
 */
export function hashedEmail(email: string, salt: string): string {
  return `sha256$${createHash('sha256')
    .update(email.trim().toLowerCase() + salt)
    .digest('hex')}`;
}

/** The issuer: an OB 3.0 Profile that is also the controller document of the signing key. */
export function issuerProfile(issuer: Issuer, method: VerificationMethod) {
  return {
    '@context': [
      CREDENTIALS_V2,
      OPEN_BADGES_V3,
      MULTIKEY_V1,
      // Neither context above defines assertionMethod at the top level; verifiers read it here.
      {
        assertionMethod: {
          '@id': 'https://w3id.org/security#assertionMethod',
          '@type': '@id',
          '@container': '@set',
        },
      },
    ],
    id: urls(issuer.appUrl).issuer,
    type: ['Profile'],
    name: issuer.name,
    url: issuer.appUrl,
    assertionMethod: [method],
  };
}

/**
 * The unsigned OpenBadgeCredential of one certification. `email`/`salt` add the hashed-email
 * identifier (only in the signed-in download); the public one names the holder, as /verify does.
 */
export function openBadgeCredential(
  facts: BadgeFacts,
  issuer: Issuer,
  personal?: { email: string; salt: string },
) {
  const u = urls(issuer.appUrl);
  const identifier: object[] = [
    { type: 'IdentityObject', identityHash: facts.holderName, identityType: 'name', hashed: false },
  ];
  if (personal)
    identifier.push({
      type: 'IdentityObject',
      identityHash: hashedEmail(personal.email, personal.salt),
      identityType: 'emailAddress',
      hashed: true,
      salt: personal.salt,
    });
  return {
    '@context': [CREDENTIALS_V2, OPEN_BADGES_V3],
    id: u.credential(facts.code),
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: facts.courseTitle,
    issuer: { id: u.issuer, type: ['Profile'], name: issuer.name, url: issuer.appUrl },
    validFrom: validFromOf(facts.issuedOn),
    validUntil: validUntilOf(facts.expiresOn),
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier,
      achievement: {
        id: u.achievement(facts.courseSlug),
        type: ['Achievement'],
        achievementType: 'Certification',
        name: facts.courseTitle,
        description: facts.courseSummary || facts.courseTitle,
        criteria: { narrative: criteriaNarrative(facts.rule, facts.language) },
        inLanguage: facts.language,
      },
    },
    credentialStatus: {
      id: `${u.statusList}#${facts.statusListIndex}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(facts.statusListIndex),
      statusListCredential: u.statusList,
    },
  };
}

/** The unsigned BitstringStatusListCredential around an encoded list. */
export function statusListCredential(issuer: Issuer, encodedList: string, validFrom: Date) {
  const u = urls(issuer.appUrl);
  return {
    '@context': [CREDENTIALS_V2],
    id: u.statusList,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: u.issuer,
    validFrom: validFrom.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    credentialSubject: {
      id: `${u.statusList}#list`,
      type: 'BitstringStatusList',
      statusPurpose: 'revocation',
      encodedList,
    },
  };
}

const OB2 = 'https://w3id.org/openbadges/v2';

/** Open Badges 2.0 hosted Issuer (older backpacks). */
export function v2Issuer(issuer: Issuer) {
  return {
    '@context': OB2,
    type: 'Issuer',
    id: urls(issuer.appUrl).v2Issuer,
    name: issuer.name,
    url: issuer.appUrl,
  };
}

/** Open Badges 2.0 hosted BadgeClass: the course, in `lang`. */
export function v2BadgeClass(
  issuer: Issuer,
  course: { slug: string; title: string; summary: string; rule: CertificationRule | null },
  lang: Language,
) {
  const u = urls(issuer.appUrl);
  return {
    '@context': OB2,
    type: 'BadgeClass',
    id: u.v2Badge(course.slug),
    name: course.title,
    description: course.summary || course.title,
    image: u.image,
    criteria: { id: u.achievement(course.slug), narrative: criteriaNarrative(course.rule, lang) },
    issuer: u.v2Issuer,
  };
}

/**
 * Open Badges 2.0 hosted Assertion. A revoked one says so with a generic reason: the manager's own
 * words stay inside the program (they may name a person or an incident).
 */
export function v2Assertion(facts: BadgeFacts, issuer: Issuer, recipient: { email: string; salt: string }) {
  const u = urls(issuer.appUrl);
  return {
    '@context': OB2,
    type: 'Assertion',
    id: u.v2Assertion(facts.code),
    recipient: {
      type: 'email',
      hashed: true,
      salt: recipient.salt,
      identity: hashedEmail(recipient.email, recipient.salt),
    },
    badge: u.v2Badge(facts.courseSlug),
    verification: { type: 'hosted' },
    issuedOn: validFromOf(facts.issuedOn),
    expires: validUntilOf(facts.expiresOn),
    ...(facts.revokedOn
      ? {
          revoked: true,
          revocationReason: t(facts.language, 'badges.revocation-reason', {
            date: formatDate(facts.language, facts.revokedOn, 'long'),
          }),
        }
      : {}),
  };
}
