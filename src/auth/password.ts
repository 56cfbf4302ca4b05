import argon2 from 'argon2';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

// The most common passwords that pass the length rule; refusing them costs nothing.
const COMMON = new Set([
  'password',
  'password1',
  '12345678',
  '123456789',
  '1234567890',
  'qwertyui',
  'qwerty123',
  'iloveyou',
  'contraseña',
  'contrasena',
  'abc12345',
  '11111111',
  '00000000',
  'password123',
  'admin123',
  'welcome1',
  'bienvenido',
  'cascada1',
]);

/** Why a password is refused, as a `validation.` key; null when acceptable. */
export function passwordProblem(password: unknown): string | null {
  if (typeof password !== 'string') return 'password-length';
  const length = [...password].length;
  if (length < PASSWORD_MIN || length > PASSWORD_MAX) return 'password-length';
  if (COMMON.has(password.toLowerCase())) return 'password-common';
  return null;
}

// OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => argon2.hash(password, OPTIONS);

export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  if (!hash) {
    // Spend the same time on accounts without a password, so timing reveals nothing.
    await argon2.hash(password, OPTIONS);
    return false;
  }
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}
