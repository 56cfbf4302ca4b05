import type { User } from './user.entity';

/** What the API shows of a user (never the password hash). */
export function toUserJson(user: User) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    sex: user.sex,
    language: user.language,
    countryCode: user.countryCode,
    organisation: user.organisation,
    status: user.status,
    createdAt: user.createdAt.toISOString(),
    lastLoginAt: user.lastLoginAt ? user.lastLoginAt.toISOString() : null,
  };
}
