import { createHash } from 'node:crypto';
import {
  criteriaNarrative,
  hashedEmail,
  openBadgeCredential,
  v2Assertion,
  validFromOf,
  validUntilOf,
  type BadgeFacts,
} from './open-badge.builder';

const RULE = {
  lessonsComplete: true,
  postTestPassMark: 75,
  attendancePercent: 80,
  practicumRequired: true,
  validityMonths: 24,
};
const FACTS: BadgeFacts = {
  code: 'CSC-7K3M-Q9TX',
  statusListIndex: 4242,
  issuedOn: '2026-03-02',
  expiresOn: '2028-03-02',
  revokedOn: null,
  holderName: '<b>Ana</b>',
  language: 'es',
  courseSlug: 'school-tip-awareness',
  courseTitle: 'Prevención de la trata',
  courseSummary: 'Resumen',
  rule: RULE,
};
const ISSUER = { appUrl: 'https://cascada.example', name: 'Programa regional' };

describe('open badge documents', () => {
  it('states the course rule as a Markdown list in the holder’s language, each condition only when the rule asks it', () => {
    expect(criteriaNarrative(RULE, 'en').split('\n')).toEqual([
      "Certified by the issuer when the trainer met the course's certification rule:",
      '',
      '- completed every lesson of the course',
      '- passed the post-test with at least 75%',
      '- attended at least 80% of the workshop days',
      '- passed the practicum (a supervised teach-back session)',
      '',
      'The certification is valid for 24 months from its issue date.',
    ]);
    const lighter = criteriaNarrative(
      { ...RULE, lessonsComplete: false, attendancePercent: 0, practicumRequired: false, validityMonths: 1 },
      'es',
    );
    expect(lighter).toContain('- aprobó la prueba final con al menos 75 %');
    expect(lighter).not.toContain('lecciones');
    expect(lighter).not.toContain('asistió');
    expect(lighter).toContain('válida por 1 mes desde');
  });

  it('dates validity from the start of the issue day to the end of the expiry day, UTC', () => {
    expect(validFromOf('2026-03-02')).toBe('2026-03-02T00:00:00Z');
    expect(validUntilOf('2028-03-02')).toBe('2028-03-02T23:59:59Z');
  });

  it('hashes the email with its salt, case and spaces ignored', () => {
    const expected = `sha256$${createHash('sha256')
      .update('ana@example.org' + 'salt')
      .digest('hex')}`;
    expect(hashedEmail(' Ana@Example.org ', 'salt')).toBe(expected);
  });

  it('points the credential at its status-list entry and keeps the email out unless asked', () => {
    const vc = openBadgeCredential(FACTS, ISSUER);
    expect(vc.credentialStatus).toEqual({
      id: 'https://cascada.example/ob/status/1#4242',
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '4242',
      statusListCredential: 'https://cascada.example/ob/status/1',
    });
    expect(vc.credentialSubject.identifier).toEqual([
      { type: 'IdentityObject', identityHash: '<b>Ana</b>', identityType: 'name', hashed: false },
    ]);
    expect(vc.credentialSubject.achievement).toMatchObject({
      name: 'Prevención de la trata',
      inLanguage: 'es',
      criteria: { narrative: expect.stringContaining('75 %') },
    });
    const personal = openBadgeCredential(FACTS, ISSUER, { email: 'ana@example.org', salt: 's1' });
    expect(personal.credentialSubject.identifier[1]).toEqual({
      type: 'IdentityObject',
      identityHash: hashedEmail('ana@example.org', 's1'),
      identityType: 'emailAddress',
      hashed: true,
      salt: 's1',
    });
    expect(JSON.stringify(personal)).not.toContain('ana@example.org');
  });

  it('marks a revoked OB 2.0 assertion with a generic reason in the holder’s language', () => {
    const live = v2Assertion(FACTS, ISSUER, { email: 'ana@example.org', salt: 's1' });
    expect(live).not.toHaveProperty('revoked');
    const revoked = v2Assertion({ ...FACTS, revokedOn: '2026-05-04' }, ISSUER, {
      email: 'ana@example.org',
      salt: 's1',
    });
    expect(revoked).toMatchObject({
      revoked: true,
      revocationReason: 'Revocada por el emisor el 4 de mayo de 2026.',
    });
  });
});
