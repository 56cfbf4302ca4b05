import { hashPassword, PASSWORD_MAX, PASSWORD_MIN, passwordProblem, verifyPassword } from './password';

describe('password rules', () => {
  it('accepts 8 to 128 characters and refuses 7 and 129', () => {
    expect([PASSWORD_MIN, PASSWORD_MAX]).toEqual([8, 128]);
    expect(passwordProblem('abcdefg')).toBe('password-length');
    expect(passwordProblem('abcdefgh')).toBeNull();
    expect(passwordProblem('x'.repeat(128))).toBeNull();
    expect(passwordProblem('x'.repeat(129))).toBe('password-length');
  });

  it('counts characters, not UTF-16 code units', () => {
    // Each emoji is one character but two code units.
    expect(passwordProblem('🌋'.repeat(7))).toBe('password-length');
    expect(passwordProblem('🌋'.repeat(8))).toBeNull();
    expect(passwordProblem('🌋'.repeat(128))).toBeNull();
    expect(passwordProblem('🌋'.repeat(129))).toBe('password-length');
    expect(passwordProblem('ñandú y pingüino')).toBeNull();
  });

  it('refuses common passwords whatever their case', () => {
    for (const common of ['password', 'Password1', '12345678', 'QWERTY123', 'contraseña', 'Bienvenido']) {
      expect({ common, problem: passwordProblem(common) }).toEqual({ common, problem: 'password-common' });
    }
    expect(passwordProblem('a rather private sentence')).toBeNull();
  });

  it('refuses what is not a string', () => {
    expect(passwordProblem(undefined)).toBe('password-length');
    expect(passwordProblem(12345678)).toBe('password-length');
  });
});

describe('password hashing', () => {
  it('verifies the password it hashed and nothing else', async () => {
    const hash = await hashPassword('a rather private sentence');
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(hash).not.toContain('a rather private sentence');
    await expect(verifyPassword(hash, 'a rather private sentence')).resolves.toBe(true);
    await expect(verifyPassword(hash, 'a rather private sentencE')).resolves.toBe(false);
    await expect(verifyPassword(hash, '')).resolves.toBe(false);
  });

  it('salts: the same password hashes differently each time', async () => {
    const [a, b] = await Promise.all([
      hashPassword('same password here'),
      hashPassword('same password here'),
    ]);
    expect(a).not.toBe(b);
  });

  it('does not truncate: 100-character passwords that differ only at the end do not match', async () => {
    const first = `${'x'.repeat(99)}a`;
    const second = `${'x'.repeat(99)}b`;
    const hash = await hashPassword(first);
    await expect(verifyPassword(hash, first)).resolves.toBe(true);
    await expect(verifyPassword(hash, second)).resolves.toBe(false);
    // Also past 72 bytes of multi-byte characters (where bcrypt would stop reading).
    const accented = `${'ñ'.repeat(99)}`;
    const accentedHash = await hashPassword(`${accented}a`);
    await expect(verifyPassword(accentedHash, `${accented}b`)).resolves.toBe(false);
  });

  it('answers false for an account without a password, and for a damaged hash', async () => {
    await expect(verifyPassword(null, 'anything at all')).resolves.toBe(false);
    await expect(verifyPassword('not-a-hash', 'anything at all')).resolves.toBe(false);
  });
});
