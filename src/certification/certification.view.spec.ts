import { validityOf } from './certification.view';

describe('the validity date a certificate shows', () => {
  const cert = { expiresOn: '2028-03-02', revokedOn: null };

  it('says "valid until" the expiry date only while the certification is valid', () => {
    expect(validityOf('active', cert)).toEqual({ kind: 'valid-until', on: '2028-03-02' });
  });

  it('says when an expired certification expired', () => {
    expect(validityOf('expired', cert)).toEqual({ kind: 'expired-on', on: '2028-03-02' });
  });

  it('says when a revoked certification was revoked, not its old expiry date', () => {
    expect(validityOf('revoked', { ...cert, revokedOn: '2026-05-10' })).toEqual({
      kind: 'revoked-on',
      on: '2026-05-10',
    });
    // Revoked after it had already expired: the revocation is what it shows.
    expect(validityOf('revoked', { expiresOn: '2026-01-31', revokedOn: '2026-05-10' })).toEqual({
      kind: 'revoked-on',
      on: '2026-05-10',
    });
  });
});
